//! Milestone targets against reported events: `建成通车` against `正式通车` is achieved; a `竣工`
//! target against `加快建设` is not.
//!
//! A subject is often a list (`中石化南港120万吨乙烯、华为天津区域总部等项目`). Each named project
//! is looked up on its own among the year's reported events of the same region; the target is
//! achieved when every project found has reached the event the target asks for, not achieved when
//! one found has not, and without data when none is found.

use plantrack_model::{Ledger, Milestone, MilestoneStatus, QuantityRole};

use crate::Why;
use crate::reconcile::{Evidence, Item, Scope, TargetStatus, Verdict};

/// What an event asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// 开工, 开工建设, 启动: work begins.
    Start,
    /// 加快建设, 推进: work goes on.
    Progress,
    /// 建成, 竣工, 通车, 投产, 达产, 运营: the thing is finished and in use.
    Complete,
    /// 举办, 办好, 召开: an event is held.
    Hold,
}

fn stage(event: &str) -> Stage {
    const COMPLETE: &[&str] = &[
        "建成", "竣工", "通车", "投产", "达产", "投运", "运营", "投用", "使用", "完工", "交付",
        "开园", "揭牌", "开业", "运行",
    ];
    const HOLD: &[&str] = &["举办", "办好", "召开", "承办", "举行"];
    const START: &[&str] = &["开工", "启动"];
    if COMPLETE.iter().any(|w| event.contains(w)) {
        Stage::Complete
    } else if HOLD.iter().any(|w| event.contains(w)) {
        Stage::Hold
    } else if START.iter().any(|w| event.contains(w)) {
        Stage::Start
    } else {
        Stage::Progress
    }
}

/// Whether a reported event meets a target's stage.
fn meets(target: Stage, actual: &Milestone) -> bool {
    let done = actual.status == Some(MilestoneStatus::Done);
    let reached = stage(&actual.event);
    match target {
        Stage::Progress => true,
        Stage::Start => true,
        Stage::Complete => done && reached == Stage::Complete,
        Stage::Hold => done && reached == Stage::Hold,
    }
}

/// Words around the names in a subject list that are not part of any name.
const PADDING_BEFORE: &[&str] = &[
    "推动", "推进", "加快", "支持", "确保", "力争", "实现", "重点",
];
const PADDING_AFTER: &[&str] = &[
    "等一批项目",
    "等项目",
    "等工程",
    "项目",
    "尽快",
    "尽早",
    "全面",
    "分批",
    "顺利",
    "如期",
    "等",
    "年内",
];

/// The names of a subject: `中芯国际大二期、中石化南港120万吨乙烯等项目` → two names.
pub(crate) fn names(subject: &str) -> Vec<String> {
    subject
        .split(['、', '，'])
        .map(|n| {
            // `天津马拉松赛等展会赛事`: the name ends at the `等` of the closing group noun.
            let n = match n.rfind('等') {
                Some(p) if n[p..].chars().count() <= 8 => &n[..p],
                _ => n,
            };
            let mut n = n.trim_matches(|c: char| "“”\"‘’「」 ".contains(c));
            loop {
                let before = n.len();
                for p in PADDING_BEFORE {
                    n = n.strip_prefix(p).unwrap_or(n);
                }
                for p in PADDING_AFTER {
                    n = n.strip_suffix(p).unwrap_or(n);
                }
                n = n.trim_matches(|c: char| "“”\"‘’「」 ".contains(c));
                if n.len() == before {
                    break;
                }
            }
            n.to_string()
        })
        // Shorter than four characters is a fragment (`累计`, `基本`, `天`), not a name.
        .filter(|n| n.chars().count() >= 4)
        .collect()
}

/// Whether two names are the same project: equal, or one holds the other and the rest is short
/// (`11号线一期东段` / `地铁11号线一期东段`).
fn same_name(a: &str, b: &str) -> bool {
    let plain = |s: &str| -> String {
        s.chars()
            .filter(|c| !"“”\"‘’（）() ".contains(*c))
            .collect()
    };
    let (a, b) = (plain(a), plain(b));
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    short.chars().count() >= 4
        && long.contains(short.as_str())
        && long.chars().count() - short.chars().count() <= 4
}

pub(crate) fn reconcile(ledger: &Ledger, scope: &Scope) -> Vec<Verdict> {
    let region_of = |doc: usize, r: &Option<String>| -> Option<String> {
        r.clone().or_else(|| ledger.documents[doc].region.clone())
    };
    let actuals: Vec<(usize, Vec<String>, Option<String>)> = ledger
        .milestones
        .iter()
        .enumerate()
        .filter(|(_, m)| m.item.role == QuantityRole::Actual && m.item.year == Some(scope.year))
        .map(|(i, m)| {
            (
                i,
                names(&m.item.subject),
                region_of(m.document, &m.item.region),
            )
        })
        .collect();
    let mut out = Vec::new();
    for (i, t) in ledger.milestones.iter().enumerate() {
        let m = &t.item;
        if m.role != QuantityRole::Target || m.year != Some(scope.year) {
            continue;
        }
        let region = region_of(t.document, &m.region);
        if scope.region.is_some() && region.as_deref() != scope.region {
            continue;
        }
        let wanted = stage(&m.event);
        let target_names = names(&m.subject);
        // For each name of the target, the first reported event that names it.
        let mut found: Vec<(String, usize)> = Vec::new();
        for n in &target_names {
            if let Some((a, _, _)) = actuals
                .iter()
                .find(|(_, ns, r)| *r == region && ns.iter().any(|x| same_name(n, x)))
            {
                found.push((n.clone(), *a));
            }
        }
        let vague = target_names.is_empty();
        let (status, actual, why) = if vague {
            (
                TargetStatus::NoData,
                None,
                Why::new(
                    "the subject names no project to look for",
                    "目标未指明可查找的项目",
                ),
            )
        } else if found.is_empty() {
            (
                TargetStatus::NoData,
                None,
                Why::new(
                    "no reported event names this project",
                    "没有报告的事件提到该项目",
                ),
            )
        } else {
            let missed = found
                .iter()
                .find(|(_, a)| !meets(wanted, &ledger.milestones[*a].item));
            let (name, a) = missed.unwrap_or(&found[0]);
            let am = &ledger.milestones[*a].item;
            let unmatched = target_names.len() - found.len();
            let (rest, rest_zh) = if unmatched > 0 {
                (
                    format!("; {unmatched} other named project(s) not reported"),
                    format!("；另有{unmatched}个项目未见报告"),
                )
            } else {
                (String::new(), String::new())
            };
            let status = if missed.is_some() {
                TargetStatus::NotAchieved
            } else {
                TargetStatus::Achieved
            };
            let (done, done_zh) = match am.status {
                Some(MilestoneStatus::Done) => ("done", "已完成"),
                Some(MilestoneStatus::InProgress) => ("under way", "推进中"),
                None => ("status unknown", "状态不明"),
            };
            let why = Why::new(
                format!(
                    "{name}: target {} ({:?}), reported {} ({done}){rest}",
                    m.event, wanted, am.event
                ),
                format!(
                    "{name}：目标“{}”，报告“{}”（{done_zh}）{rest_zh}",
                    m.event, am.event
                ),
            );
            (status, Some(evidence_m(ledger, *a)), why)
        };
        out.push(Verdict {
            year: scope.year,
            cascade: region.is_some() && region != ledger.documents[t.document].region,
            region,
            target: evidence_m(ledger, i),
            status,
            reason: why.en,
            reason_zh: why.zh,
            confidence: None,
            vague,
            source: actual.as_ref().map(|a: &Evidence| a.document.kind),
            actual,
            disagreeing: Vec::new(),
        });
    }
    out
}

pub(crate) fn evidence_m(ledger: &Ledger, i: usize) -> Evidence {
    let l = &ledger.milestones[i];
    Evidence {
        kind: "milestone",
        index: i,
        document: ledger.documents[l.document].clone(),
        item: Item::Milestone(l.item.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_lists_split_into_names() {
        assert_eq!(
            names("中石化南港120万吨乙烯、华为天津区域总部等项目"),
            ["中石化南港120万吨乙烯", "华为天津区域总部"]
        );
        assert_eq!(names("一汽丰田新能源工厂项目尽快"), ["一汽丰田新能源工厂"]);
        assert_eq!(
            names("第七届世界智能大会、天津马拉松赛等展会赛事"),
            ["第七届世界智能大会", "天津马拉松赛"]
        );
        // Fragments are not names.
        assert!(names("累计").is_empty());
        assert!(names("天").is_empty());
    }

    #[test]
    fn names_match_with_a_short_prefix() {
        assert!(same_name("11号线一期东段", "地铁11号线一期东段"));
        assert!(same_name(
            "国家会展中心（天津）二期",
            "国家会展中心天津二期"
        ));
        // Trap: another line of the metro.
        assert!(!same_name("地铁11号线一期东段", "地铁1号线一期东段"));
        assert!(!same_name("天开高教科技园发展论坛", "天开高教科创园"));
    }

    #[test]
    fn stages() {
        assert_eq!(stage("建成通车"), Stage::Complete);
        assert_eq!(stage("正式通车"), Stage::Complete);
        assert_eq!(stage("加快建设"), Stage::Progress);
        assert_eq!(stage("开工建设"), Stage::Start);
        assert_eq!(stage("办好"), Stage::Hold);
        let m = |event: &str, status| Milestone {
            role: QuantityRole::Actual,
            year: Some(2023),
            region: None,
            subject: "津兴城际".into(),
            event: event.into(),
            status: Some(status),
            due: None,
            text: String::new(),
            span: Default::default(),
            sentence: Default::default(),
        };
        assert!(meets(
            Stage::Complete,
            &m("正式通车", MilestoneStatus::Done)
        ));
        assert!(!meets(
            Stage::Complete,
            &m("加快建设", MilestoneStatus::InProgress)
        ));
        assert!(!meets(
            Stage::Complete,
            &m("开工建设", MilestoneStatus::InProgress)
        ));
        assert!(meets(
            Stage::Start,
            &m("开工建设", MilestoneStatus::InProgress)
        ));
        assert!(meets(
            Stage::Progress,
            &m("竣工投产", MilestoneStatus::Done)
        ));
    }
}
