//! Who may do what on a task: report for a unit, see drafts, review a report, urge, decide an
//! extension. The web app asks these questions of its signed-in account; the rules live here,
//! apart from HTTP, with their tests.

use plantrack_model::Role;

/// An account as the rules see it: its name, its role (`None` for a role this build does not
/// know, which may do nothing), and the units it reports for.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub name: &'a str,
    pub role: Option<Role>,
    pub units: &'a [String],
}

impl<'a> Actor<'a> {
    pub fn new(name: &'a str, role: &str, units: &'a [String]) -> Actor<'a> {
        Actor {
            name,
            role: Role::parse(role),
            units,
        }
    }

    /// Reviews reports, urges units, decides extension requests and sees drafts.
    pub fn supervises(&self) -> bool {
        matches!(self.role, Some(Role::Admin | Role::Supervisor))
    }

    /// Whether this is the account of one of these leaders (named as the tables name them).
    pub fn leads(&self, leaders: &[String]) -> bool {
        self.role == Some(Role::Leader) && leaders.iter().any(|l| l == self.name)
    }

    /// The unit of `units` this account reports for: the first it is bound to, or the first of
    /// all for an admin; `None` for supervisors and leaders.
    pub fn reports_for<'u>(&self, units: &'u [String]) -> Option<&'u String> {
        match self.role {
            Some(Role::Admin) => units.first(),
            Some(Role::Reporter) => units.iter().find(|u| self.units.contains(u)),
            _ => None,
        }
    }

    /// Sees reports not yet accepted on a task of these units and leaders: supervisors, the
    /// task's units, and the leaders who supervise it.
    pub fn sees_drafts_of(&self, units: &[String], leaders: &[String]) -> bool {
        self.supervises() || self.leads(leaders) || self.reports_for(units).is_some()
    }

    /// Whether this account may accept or return a report by `author` for `report_unit` on a
    /// task of `units` (lead first; `joint` when all lead together). Never its author, admins
    /// included; a supervisor any other; the lead unit the reports of its cooperating units.
    pub fn may_review(
        &self,
        author: &str,
        report_unit: &str,
        units: &[String],
        joint: bool,
    ) -> bool {
        if self.name == author {
            return false;
        }
        if self.supervises() {
            return true;
        }
        match units.first() {
            Some(lead)
                if !joint && lead != report_unit && units.iter().any(|u| u == report_unit) =>
            {
                self.reports_for(std::slice::from_ref(lead)).is_some()
            }
            _ => false,
        }
    }

    /// Whether this account may ask for a new deadline: the lead unit's reporter.
    pub fn may_request_extension(&self, units: &[String]) -> bool {
        self.role == Some(Role::Reporter)
            && units
                .first()
                .is_some_and(|lead| self.reports_for(std::slice::from_ref(lead)).is_some())
    }

    /// Whether this account may decide an extension request by `asker`: a supervisor who did
    /// not ask.
    pub fn may_decide_extension(&self, asker: Option<&str>) -> bool {
        self.supervises() && asker != Some(self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reviewers_are_supervisors_and_lead_units_never_authors() {
        let task = units(&["市科技局", "市财政局"]);
        let (kj, cz, none) = (units(&["市科技局"]), units(&["市财政局"]), units(&[]));
        let li = Actor::new("li", "supervisor", &none);
        let boss = Actor::new("boss", "admin", &none);
        let zhang = Actor::new("zhang", "reporter", &kj);
        let wang = Actor::new("wang", "reporter", &cz);
        // A supervisor reviews anyone's report but their own; so does an admin.
        assert!(li.may_review("zhang", "市科技局", &task, false));
        assert!(!li.may_review("li", "市科技局", &task, false));
        assert!(!boss.may_review("boss", "市科技局", &task, false));
        // The lead unit reviews its cooperating units' reports, not its own.
        assert!(zhang.may_review("wang", "市财政局", &task, false));
        assert!(!zhang.may_review("zhao", "市科技局", &task, false));
        // A cooperating unit reviews nothing; under joint responsibility no unit reviews.
        assert!(!wang.may_review("zhang", "市科技局", &task, false));
        assert!(!zhang.may_review("wang", "市财政局", &task, true));
        // A role this build does not know may do nothing.
        let odd = Actor::new("x", "auditor", &kj);
        assert!(!odd.may_review("zhang", "市财政局", &task, false));
        assert_eq!(odd.reports_for(&task), None);
    }

    #[test]
    fn drafts_reports_and_extensions_by_role() {
        let task = units(&["市科技局", "市财政局"]);
        let leaders = units(&["刘桂平"]);
        let (kj, cz, none) = (units(&["市科技局"]), units(&["市财政局"]), units(&[]));
        let zhang = Actor::new("zhang", "reporter", &kj);
        let wang = Actor::new("wang", "reporter", &cz);
        let liu = Actor::new("刘桂平", "leader", &none);
        let chen = Actor::new("chen", "leader", &none);
        let boss = Actor::new("boss", "admin", &none);
        assert_eq!(
            wang.reports_for(&task).map(String::as_str),
            Some("市财政局")
        );
        assert_eq!(
            boss.reports_for(&task).map(String::as_str),
            Some("市科技局")
        );
        assert!(liu.sees_drafts_of(&task, &leaders) && !chen.sees_drafts_of(&task, &leaders));
        assert!(wang.sees_drafts_of(&task, &leaders));
        assert!(zhang.may_request_extension(&task) && !wang.may_request_extension(&task));
        assert!(!boss.may_request_extension(&task), "an admin is no unit");
        let li = Actor::new("li", "supervisor", &none);
        assert!(li.may_decide_extension(Some("zhang")) && !li.may_decide_extension(Some("li")));
        assert!(!zhang.may_decide_extension(Some("wang")));
    }
}
