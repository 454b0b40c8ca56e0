//! Calendar dates, just enough for deadlines: no times of day. Which day it is depends on the
//! office's clock ([`Zone`], `Asia/Shanghai` unless configured), never on the server's.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// A valid date, or `None`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Date { year, month, day })
    }

    /// The last day of a month.
    pub fn month_end(year: i32, month: u32) -> Option<Date> {
        (1..=12).contains(&month).then(|| Date {
            year,
            month,
            day: days_in_month(year, month),
        })
    }

    /// `2023-12-31`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.trim().splitn(3, '-');
        let y = it.next()?.parse().ok()?;
        let m = it.next()?.parse().ok()?;
        let d = it.next()?.parse().ok()?;
        Date::new(y, m, d)
    }

    /// Today on the office's clock.
    pub fn today_in(zone: Zone) -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::at(secs as i64, zone)
    }

    /// The day of a stored moment on the office's clock.
    pub fn of(moment: plantrack_model::Moment, zone: Zone) -> Date {
        Date::at(moment.secs(), zone)
    }

    /// The day and the time of day, `2024-03-05 10:12`, of a moment (seconds since 1970-01-01
    /// UTC) on the office's clock.
    pub fn minute_at(unix_secs: i64, zone: Zone) -> String {
        let local = unix_secs + i64::from(zone.minutes) * 60;
        let r = local.rem_euclid(86_400);
        format!(
            "{} {:02}:{:02}",
            Date::from_days(local.div_euclid(86_400)),
            r / 3600,
            r % 3600 / 60
        )
    }

    /// The day of a moment (seconds since 1970-01-01 UTC) on the office's clock.
    pub fn at(unix_secs: i64, zone: Zone) -> Date {
        Date::from_days((unix_secs + i64::from(zone.minutes) * 60).div_euclid(86_400))
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Days from `self` to `other` (positive when `other` is later).
    pub fn days_until(self, other: Date) -> i64 {
        other.days() - self.days()
    }
}

/// The office's clock: an offset from UTC. Mainland China keeps one time, UTC+8, with no summer
/// time, so an offset is all a day needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone {
    minutes: i32,
}

/// Time-zone names that keep UTC+8 all year (the tz database's names for China, Hong Kong, Macau
/// and Taiwan).
const UTC_PLUS_8: &[&str] = &[
    "Asia/Shanghai",
    "Asia/Chongqing",
    "Asia/Chungking",
    "Asia/Harbin",
    "Asia/Hong_Kong",
    "Asia/Macau",
    "Asia/Taipei",
    "PRC",
    "Hongkong",
    "ROC",
];

impl Zone {
    /// `Asia/Shanghai`, the default.
    pub const SHANGHAI: Zone = Zone { minutes: 8 * 60 };
    pub const UTC: Zone = Zone { minutes: 0 };

    /// `Asia/Shanghai` (or another name of UTC+8), `UTC`, or an offset: `+08:00`, `+0800`, `+8`,
    /// `-05:30`. `None` for anything else: zones with summer time are not offices' clocks here.
    pub fn parse(s: &str) -> Option<Zone> {
        let s = s.trim();
        if UTC_PLUS_8.iter().any(|n| n.eq_ignore_ascii_case(s)) {
            return Some(Zone::SHANGHAI);
        }
        if ["UTC", "Etc/UTC", "GMT", "Z"]
            .iter()
            .any(|n| n.eq_ignore_ascii_case(s))
        {
            return Some(Zone::UTC);
        }
        let s = s.strip_prefix("UTC").unwrap_or(s);
        let (sign, rest) = match s.as_bytes().first()? {
            b'+' => (1, &s[1..]),
            b'-' => (-1, &s[1..]),
            _ => return None,
        };
        if !rest.is_ascii() {
            return None;
        }
        let (h, m) = match rest.split_once(':') {
            Some((h, m)) => (h, m),
            None if rest.len() == 4 => rest.split_at(2),
            None => (rest, "0"),
        };
        let all_digits =
            |x: &str| !x.is_empty() && x.len() <= 2 && x.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(h) || !all_digits(m) {
            return None;
        }
        let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
        (h <= 14 && m < 60).then_some(Zone {
            minutes: sign * (h * 60 + m),
        })
    }
}

impl Default for Zone {
    fn default() -> Zone {
        Zone::SHANGHAI
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("not a date: {s}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_is_the_offices_not_the_servers() {
        // 2026-12-31 17:00 UTC is already 2027-01-01 01:00 in Beijing: a deadline of 12-31 has
        // passed there, eight hours before it would have in UTC.
        let secs = Date::new(2026, 12, 31).unwrap().days() * 86_400 + 17 * 3600;
        assert_eq!(
            Date::at(secs, Zone::SHANGHAI),
            Date::new(2027, 1, 1).unwrap()
        );
        assert_eq!(Date::at(secs, Zone::UTC), Date::new(2026, 12, 31).unwrap());
        // Trap: 15:59 UTC is still the same day in Beijing (23:59).
        let before = Date::new(2026, 12, 31).unwrap().days() * 86_400 + 15 * 3600 + 59 * 60;
        assert_eq!(
            Date::at(before, Zone::SHANGHAI),
            Date::new(2026, 12, 31).unwrap()
        );
        // Before 1970 the day still rounds down.
        assert_eq!(Date::at(-1, Zone::UTC), Date::new(1969, 12, 31).unwrap());
        assert_eq!(Zone::default(), Zone::SHANGHAI);
    }

    #[test]
    fn zones_by_name_or_offset() {
        for s in [
            "Asia/Shanghai",
            "asia/shanghai",
            "Asia/Hong_Kong",
            "PRC",
            "+08:00",
            "+0800",
            "+8",
            "UTC+8",
        ] {
            assert_eq!(Zone::parse(s), Some(Zone::SHANGHAI), "{s}");
        }
        assert_eq!(Zone::parse("UTC"), Some(Zone::UTC));
        assert_eq!(Zone::parse("-05:30"), Some(Zone { minutes: -330 }));
        for s in [
            "",
            "Europe/Paris",
            "+25",
            "+08:75",
            "8",
            "+",
            "+0８",
            "++8",
            "+８:00",
            "+0:８",
            "+８",
        ] {
            assert_eq!(Zone::parse(s), None, "{s}");
        }
    }

    #[test]
    fn days_round_trip_and_known_points() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().days(), 0);
        assert_eq!(Date::new(2000, 3, 1).unwrap().days(), 11_017);
        for z in [-800_000, -1, 0, 1, 19_000, 20_000, 2_000_000] {
            assert_eq!(Date::from_days(z).days(), z);
        }
        assert_eq!(Date::parse("2024-02-29"), Date::new(2024, 2, 29));
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::month_end(2023, 6).unwrap().to_string(), "2023-06-30");
        assert_eq!(Date::month_end(2024, 2).unwrap().day, 29);
        assert_eq!(Date::month_end(2023, 13), None);
    }
}
