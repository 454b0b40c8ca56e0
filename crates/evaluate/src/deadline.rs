//! Deadline text to dates: `年底前` → 31 December of the plan year, `6月底前` → 30 June,
//! `10月底前` → 31 October, `一季度` → 31 March, `9月15日前` → 15 September. A deadline cell may
//! hold several statements with sub-milestones (`国家会展中心（天津）二期项目6月底竣工；中国旅游产业
//! 博览会9月底前完成`); each becomes a dated item of its own.

use serde::{Deserialize, Serialize};

use crate::date::Date;

/// One dated statement of a deadline cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    pub date: Date,
    /// The statement as written.
    pub text: String,
    /// `取得明显进展`: visible progress is asked for, not completion.
    pub progress_only: bool,
}

/// The dated statements of a deadline cell for a plan year, in the order written.
pub fn parse(deadline: &str, plan_year: i32) -> Vec<Due> {
    let mut out = Vec::new();
    for statement in deadline.split(['\n', '；', ';', '。']) {
        let s = statement.trim();
        if s.is_empty() {
            continue;
        }
        if let Some(date) = date_in(s, plan_year) {
            out.push(Due {
                date,
                text: s.to_string(),
                progress_only: s.contains("进展") && !s.contains("完成"),
            });
        }
    }
    out
}

/// The last of the dates: when the task as a whole is due.
pub fn final_date(dues: &[Due]) -> Option<Date> {
    dues.iter().map(|d| d.date).max()
}

/// The date a statement names, the latest when it names several.
fn date_in(s: &str, plan_year: i32) -> Option<Date> {
    let chars: Vec<char> = s.chars().collect();
    let mut year = plan_year;
    // A year named alone (`2023年重点完成…`) is due at its end.
    let mut named_year: Option<i32> = None;
    let mut best: Option<Date> = None;
    let mut keep = |d: Option<Date>| {
        if let Some(d) = d {
            best = Some(best.map_or(d, |b: Date| b.max(d)));
        }
    };
    let at = |i: usize, w: &str| -> bool {
        let w: Vec<char> = w.chars().collect();
        chars.len() >= i + w.len() && chars[i..i + w.len()] == w[..]
    };
    let mut i = 0;
    while i < chars.len() {
        // A number: a year (`2024年`), a month (`6月`), a day (`15日`).
        if let Some((n, len)) = number_at(&chars[i..]) {
            let after = i + len;
            // Trap: `11号线`, `5G`, `120万吨`: only 年, 月 and 日 make a date.
            match chars.get(after) {
                Some('年') if (2000..=2100).contains(&n) => {
                    year = n as i32;
                    named_year = Some(year);
                    // `2023年底前`, `2024年6月底前`
                    if at(after + 1, "底") || at(after + 1, "末") {
                        keep(Date::month_end(year, 12));
                    }
                }
                Some('月') if (1..=12).contains(&n) => {
                    let m = n;
                    if let Some((d, dlen)) = number_at(&chars[after + 1..])
                        && chars.get(after + 1 + dlen) == Some(&'日')
                    {
                        keep(Date::new(year, m, d));
                        i = after + 1 + dlen + 1;
                        continue;
                    }
                    if at(after + 1, "底") || at(after + 1, "末") || at(after + 1, "份") {
                        keep(Date::month_end(year, m));
                    } else if at(after + 1, "前") {
                        // `6月前`: before June begins.
                        keep(if m == 1 {
                            Date::month_end(year - 1, 12)
                        } else {
                            Date::month_end(year, m - 1)
                        });
                    } else {
                        keep(Date::month_end(year, m));
                    }
                }
                _ => {}
            }
            i = after.max(i + 1);
            continue;
        }
        for (word, month) in [
            ("年底", 12),
            ("年末", 12),
            ("年内", 12),
            ("全年", 12),
            ("下半年", 12),
            ("四季度", 12),
            ("上半年", 6),
            ("二季度", 6),
            ("一季度", 3),
            ("三季度", 9),
        ] {
            if at(i, word) {
                // `2023年底` was read with its year above.
                let after_year = i > 0 && chars[i - 1].is_ascii_digit();
                if !after_year || word != "年底" {
                    keep(Date::month_end(year, month));
                }
            }
        }
        i += 1;
    }
    best.or_else(|| named_year.and_then(|y| Date::month_end(y, 12)))
}

/// A number at the start: ASCII digits, or Chinese numerals up to 十二 (months).
fn number_at(c: &[char]) -> Option<(u32, usize)> {
    let digits = c.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 {
        let s: String = c[..digits].iter().collect();
        return s.parse().ok().map(|n| (n, digits));
    }
    let val = |ch: char| "〇一二三四五六七八九".chars().position(|d| d == ch);
    match c {
        ['十', b, ..] if val(*b).is_some_and(|v| v > 0 && v < 3) => {
            Some((10 + val(*b)? as u32, 2))
        }
        ['十', ..] => Some((10, 1)),
        [a, ..] if val(*a).is_some_and(|v| v > 0) && c.get(1) == Some(&'月') => {
            Some((val(*a)? as u32, 1))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(s: &str) -> Vec<String> {
        parse(s, 2023).iter().map(|d| d.date.to_string()).collect()
    }

    #[test]
    fn common_deadlines() {
        assert_eq!(dates("年底前完成"), ["2023-12-31"]);
        assert_eq!(dates("6月底前完成"), ["2023-06-30"]);
        assert_eq!(dates("10月底前完成"), ["2023-10-31"]);
        assert_eq!(dates("一季度完成"), ["2023-03-31"]);
        assert_eq!(dates("上半年完成"), ["2023-06-30"]);
        assert_eq!(dates("9月15日前完成"), ["2023-09-15"]);
        assert_eq!(dates("六月底前完成"), ["2023-06-30"]);
        assert_eq!(dates("2024年6月底前完成"), ["2024-06-30"]);
        assert_eq!(dates("2024年底前完成"), ["2024-12-31"]);
        assert!(dates("长期坚持").is_empty());
    }

    #[test]
    fn sub_milestones_are_dated_statements() {
        let d = parse(
            "年底前取得明显进展。国家会展中心（天津）二期项目6月底竣工；中国旅游产业博览会9月底前完成",
            2023,
        );
        let got: Vec<(String, bool)> = d
            .iter()
            .map(|d| (d.date.to_string(), d.progress_only))
            .collect();
        assert_eq!(
            got,
            [
                ("2023-12-31".to_string(), true),
                ("2023-06-30".to_string(), false),
                ("2023-09-30".to_string(), false)
            ]
        );
        assert_eq!(final_date(&d).unwrap().to_string(), "2023-12-31");
    }

    #[test]
    fn numbers_that_are_not_dates() {
        // Traps: a metro line, a network, a plant's capacity, a session.
        assert!(dates("地铁11号线建成").is_empty());
        assert!(dates("5G基站6万个").is_empty());
        assert!(dates("120万吨乙烯项目").is_empty());
        assert_eq!(dates("12家国家重点实验室重组年底前完成"), ["2023-12-31"]);
        assert_eq!(
            dates("2023年重点完成普查机构组建等29项子任务"),
            ["2023-12-31"]
        );
    }
}
