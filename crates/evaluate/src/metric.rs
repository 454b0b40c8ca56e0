//! Whether two metric names mean the same thing, and how sure we are.
//!
//! A wrong link is worse than none, so the rules are strict: the names must be equal once
//! padding and synonyms are accounted for, or one must hold the other with a short, harmless
//! difference (`燃气旧管网` / `燃气管网`, `城市停车泊位` / `停车泊位`). A difference in scope
//! (`小区公共充电桩` is not `公共充电桩`, `限上` retail is not all retail) always refuses.

use crate::Lexicon;

/// How closely two metric names match: 1 for the same metric, less for a near name, `None` when
/// they must not be linked.
pub fn similarity(lexicon: &Lexicon, a: &str, b: &str) -> Option<f64> {
    Name::of(lexicon, a).similarity(&Name::of(lexicon, b))
}

/// A metric name read once for many comparisons: its canonical form, scope words and whether it
/// is too vague to link.
#[derive(Debug, Clone)]
pub struct Name<'l> {
    canonical: String,
    scopes: Vec<&'l str>,
    vague: bool,
}

impl<'l> Name<'l> {
    pub fn of(lexicon: &'l Lexicon, metric: &str) -> Name<'l> {
        let canonical = lexicon.canonical(metric);
        Name {
            scopes: lexicon.scopes(&canonical),
            vague: lexicon.is_vague_as(metric, &canonical),
            canonical,
        }
    }

    pub fn is_vague(&self) -> bool {
        self.vague
    }

    /// See [`similarity`].
    pub fn similarity(&self, other: &Name) -> Option<f64> {
        if self.vague || other.vague {
            return None;
        }
        let (ca, cb) = (&self.canonical, &other.canonical);
        if ca == cb {
            return Some(1.0);
        }
        if self.scopes != other.scopes {
            return None;
        }
        let (short, long) = if ca.chars().count() <= cb.chars().count() {
            (ca, cb)
        } else {
            (cb, ca)
        };
        let n_short = short.chars().count();
        let n_long = long.chars().count();
        let extra = n_long - n_short;
        if n_short < 2 {
            return None;
        }
        // The head noun (the last character) must agree: `菜市场` / `标准化菜市场`, never
        // `市场主体` / `市场`.
        if short.chars().last() != long.chars().last() {
            return None;
        }
        if extra <= 3.min(n_short) && is_subsequence(short, long) {
            let contiguous = long.contains(short.as_str());
            return Some(if contiguous { 0.85 } else { 0.75 } - 0.02 * extra as f64);
        }
        None
    }
}

/// Whether the characters of `short` appear in `long` in order.
fn is_subsequence(short: &str, long: &str) -> bool {
    let mut it = long.chars();
    short.chars().all(|c| it.any(|d| d == c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim(a: &str, b: &str) -> Option<f64> {
        similarity(&Lexicon::built_in(), a, b)
    }

    #[test]
    fn same_metric_under_other_names() {
        assert_eq!(sim("全市技术市场交易额", "技术合同成交额"), Some(1.0));
        assert_eq!(sim("地区生产总值", "经济"), Some(1.0));
        assert_eq!(sim("城镇老旧小区", "完成城镇老旧小区"), Some(1.0));
    }

    #[test]
    fn near_names_link_with_less_confidence() {
        assert!(sim("燃气旧管网", "燃气管网").unwrap() < 1.0);
        assert!(sim("停车泊位", "城市停车泊位").is_some());
        assert!(sim("标准化菜市场", "菜市场").is_some());
    }

    #[test]
    fn neighbours_are_refused() {
        // Another metric that shares words.
        assert_eq!(sim("标准化菜市场", "大型连锁超市"), None);
        assert_eq!(sim("国家重点实验室重组", "全国重点实验室"), None);
        assert_eq!(sim("供热旧管网", "燃气管网"), None);
        // A narrower scope.
        assert_eq!(sim("公共充电桩", "小区公共充电桩"), None);
        assert_eq!(sim("社会消费品零售总额", "限上社会消费品零售总额"), None);
        assert_eq!(sim("工业增加值", "规上工业增加值"), None);
        // Too general to link by name.
        assert_eq!(sim("产值", "产值"), None);
        assert_eq!(sim("项目", "城市更新项目"), None);
        // A different head noun.
        assert_eq!(sim("市场主体", "市场"), None);
    }
}
