//! Reporting rounds (填报周期): the dates by which units report progress on their tasks.
//!
//! An office sets them for a year: monthly by a day of the month (by the 25th unless it says
//! otherwise), quarterly by a day of each quarter's last month, or a list of dates. A unit that
//! lets a round's date pass without a report since the round before is `unreported` for it:
//! silence, which is not the same as failure.

use crate::date::{Date, Zone};

/// The rounds of a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rounds {
    /// By this day of every month (a short month's last day when it has fewer).
    Monthly { day: u32 },
    /// By this day of March, June, September and December.
    Quarterly { day: u32 },
    /// On these dates (of any years), in order.
    Dates(Vec<Date>),
}

impl Default for Rounds {
    /// Monthly, by the 25th.
    fn default() -> Rounds {
        Rounds::Monthly { day: 25 }
    }
}

impl Rounds {
    /// `monthly` (by the 25th), `monthly:20`, `quarterly`, `quarterly:10`, or dates
    /// `2024-03-25,2024-06-25`; `None` for anything else.
    pub fn parse(s: &str) -> Option<Rounds> {
        let s = s.trim();
        let (kind, day) = match s.split_once(':') {
            Some((k, d)) => (k.trim(), Some(d.trim().parse::<u32>().ok()?)),
            None => (s, None),
        };
        let day = match day {
            Some(d) if (1..=31).contains(&d) => d,
            Some(_) => return None,
            None => 25,
        };
        match kind.to_ascii_lowercase().as_str() {
            "monthly" => Some(Rounds::Monthly { day }),
            "quarterly" => Some(Rounds::Quarterly { day }),
            _ => {
                let mut dates = s
                    .split([',', '，', ' '])
                    .filter(|d| !d.is_empty())
                    .map(Date::parse)
                    .collect::<Option<Vec<Date>>>()?;
                if dates.is_empty() {
                    return None;
                }
                dates.sort_unstable();
                dates.dedup();
                Some(Rounds::Dates(dates))
            }
        }
    }

    /// The rounds' dates in `year`, in order.
    pub fn dates_in(&self, year: i32) -> Vec<Date> {
        let by = |month: u32, day: u32| {
            Date::new(year, month, day).or_else(|| Date::month_end(year, month))
        };
        match self {
            Rounds::Monthly { day } => (1..=12).filter_map(|m| by(m, *day)).collect(),
            Rounds::Quarterly { day } => {
                [3, 6, 9, 12].iter().filter_map(|&m| by(m, *day)).collect()
            }
            Rounds::Dates(dates) => dates.iter().copied().filter(|d| d.year == year).collect(),
        }
    }

    /// The last round of `year` whose date is before `today` (the day of a round itself is
    /// still in time), with the round before it, if any, in the same year.
    pub fn last_passed(&self, year: i32, today: Date) -> Option<(Date, Option<Date>)> {
        let dates = self.dates_in(year);
        let k = dates.partition_point(|d| *d < today);
        (k > 0).then(|| (dates[k - 1], k.checked_sub(2).map(|i| dates[i])))
    }

    /// The first round of `year` on or after `today`: the date the next report is due by.
    pub fn next_due(&self, year: i32, today: Date) -> Option<Date> {
        self.dates_in(year).into_iter().find(|d| *d >= today)
    }

    /// In Chinese, for reasons and pages: `每月25日前`, `每季度末月10日前`, `2024-03-25、…`.
    pub fn describe_zh(&self) -> String {
        match self {
            Rounds::Monthly { day } => format!("每月{day}日前"),
            Rounds::Quarterly { day } => format!("每季度末月{day}日前"),
            Rounds::Dates(dates) => {
                let d: Vec<String> = dates.iter().map(|d| d.to_string()).collect();
                d.join("、")
            }
        }
    }
}

/// What supervision reads besides the ledger: the office's clock and its reporting rounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supervision {
    /// The office's time zone: a report made at 23:30 in Beijing is that day's.
    pub zone: Zone,
    pub rounds: Rounds,
}

impl Default for Supervision {
    fn default() -> Supervision {
        Supervision {
            zone: Zone::SHANGHAI,
            rounds: Rounds::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn rounds_are_read_from_the_offices_setting() {
        assert_eq!(Rounds::parse("monthly"), Some(Rounds::Monthly { day: 25 }));
        assert_eq!(
            Rounds::parse("Monthly:20"),
            Some(Rounds::Monthly { day: 20 })
        );
        assert_eq!(
            Rounds::parse("quarterly:10"),
            Some(Rounds::Quarterly { day: 10 })
        );
        assert_eq!(
            Rounds::parse("2024-06-25,2024-03-25"),
            Some(Rounds::Dates(vec![d("2024-03-25"), d("2024-06-25")]))
        );
        for bad in [
            "",
            "weekly",
            "monthly:0",
            "monthly:32",
            "2024-13-01",
            "monthly:x",
        ] {
            assert_eq!(Rounds::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_last_passed_round_and_the_one_before() {
        let monthly = Rounds::default();
        assert_eq!(monthly.last_passed(2024, d("2024-01-25")), None);
        assert_eq!(
            monthly.last_passed(2024, d("2024-01-26")),
            Some((d("2024-01-25"), None))
        );
        assert_eq!(
            monthly.last_passed(2024, d("2024-03-26")),
            Some((d("2024-03-25"), Some(d("2024-02-25"))))
        );
        // After the year, its last round.
        assert_eq!(
            monthly.last_passed(2023, d("2026-12-03")),
            Some((d("2023-12-25"), Some(d("2023-11-25"))))
        );
        // By the 31st: a short month's last day.
        let dates = Rounds::Monthly { day: 31 }.dates_in(2023);
        assert_eq!((dates[1], dates[3]), (d("2023-02-28"), d("2023-04-30")));
        assert_eq!(Rounds::Quarterly { day: 25 }.dates_in(2024).len(), 4);
        assert_eq!(
            monthly.next_due(2024, d("2024-03-25")),
            Some(d("2024-03-25"))
        );
        assert_eq!(
            monthly.next_due(2024, d("2024-03-26")),
            Some(d("2024-04-25"))
        );
        assert_eq!(monthly.next_due(2024, d("2024-12-26")), None);
    }
}
