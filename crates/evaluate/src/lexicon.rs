//! The metric lexicon: which names mean one metric, which metrics are better when lower, which
//! words narrow, pad or blur a metric's name, and which sources' figures come first. The built-in rules live in
//! `lexicon/metrics.tsv`; users add their own in a file of the same form.

use std::collections::HashMap;

use plantrack_model::DocumentKind;

/// The rules that decide whether two metric names mean the same thing.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// Synonym → canonical name, longest synonyms first for replacement inside a name.
    synonyms: Vec<(String, String)>,
    canonical: HashMap<String, String>,
    lower: Vec<String>,
    scope: Vec<String>,
    strip: Vec<String>,
    suffix: Vec<String>,
    vague: Vec<String>,
    stock: Vec<String>,
    /// The kinds of document whose results a verdict takes first, rank by rank; kinds not
    /// named come after every named one.
    source_order: Vec<Vec<DocumentKind>>,
}

pub use plantrack_model::lexicon::LexiconError;

const BUILT_IN: &str = include_str!("../lexicon/metrics.tsv");

impl Lexicon {
    /// The lexicon that ships with plantrack.
    pub fn built_in() -> Lexicon {
        let mut l = Lexicon::default();
        l.extend(BUILT_IN).expect("the built-in lexicon parses");
        l
    }

    /// A number that changes when the rules do, the same in every process (what a kept
    /// evaluation says it was computed with).
    pub fn fingerprint(&self) -> u64 {
        let mut canonical: Vec<_> = self.canonical.iter().collect();
        canonical.sort();
        let text = format!(
            "{:?}{canonical:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}",
            self.synonyms,
            self.lower,
            self.scope,
            self.strip,
            self.suffix,
            self.vague,
            self.stock,
            self.source_order
        );
        // FNV-1a: stable across builds and processes, unlike the standard hasher.
        text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
        })
    }

    /// Adds the rules of a lexicon file (see `lexicon/metrics.tsv` for the form).
    pub fn extend(&mut self, text: &str) -> Result<(), LexiconError> {
        for rule in plantrack_model::lexicon::rules(text) {
            let kind = rule.kind;
            let words: Vec<String> = rule.words.iter().map(|w| w.to_string()).collect();
            let err = |reason: &str| LexiconError {
                line: rule.line,
                reason: reason.to_string(),
            };
            // Rules of the extractor's lexicon (`crates/extract/lexicon/*.tsv`): one user file
            // may hold both.
            if plantrack_model::lexicon::EXTRACTOR_KINDS.contains(&kind) {
                continue;
            }
            if words.is_empty() {
                return Err(err("a rule needs at least one word after its kind"));
            }
            match kind {
                "same" => {
                    let canonical = words[0].clone();
                    for w in &words {
                        self.canonical.insert(w.clone(), canonical.clone());
                        self.synonyms.retain(|(s, _)| s != w);
                        self.synonyms.push((w.clone(), canonical.clone()));
                    }
                }
                "lower" => self.lower.extend(words),
                "scope" => self.scope.extend(words),
                "strip" => self.strip.extend(words),
                "suffix" => self.suffix.extend(words),
                "vague" => self.vague.extend(words),
                "stock" => self.stock.extend(words),
                // The whole order in one row: a later row (the office's) replaces it.
                "source_order" => {
                    let mut order: Vec<Vec<DocumentKind>> = Vec::new();
                    for rank in &words {
                        let mut kinds = Vec::new();
                        for name in rank.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                            let kind = DocumentKind::parse(name).ok_or_else(|| {
                                let known: Vec<&str> =
                                    DocumentKind::ALL.iter().map(|k| k.as_str()).collect();
                                err(&format!(
                                    "unknown document kind {name:?} in source_order ({})",
                                    known.join(", ")
                                ))
                            })?;
                            if order.iter().flatten().any(|k| *k == kind) || kinds.contains(&kind) {
                                return Err(err(&format!(
                                    "document kind {name:?} named twice in source_order"
                                )));
                            }
                            kinds.push(kind);
                        }
                        order.push(kinds);
                    }
                    self.source_order = order;
                }
                other => {
                    return Err(err(&format!(
                        "unknown rule {other:?} (same, lower, scope, strip, suffix, vague, stock or source_order)"
                    )));
                }
            }
        }
        self.synonyms
            .sort_by_key(|(s, _)| std::cmp::Reverse(s.chars().count()));
        self.strip.sort_by_key(|w| std::cmp::Reverse(w.len()));
        self.suffix.sort_by_key(|w| std::cmp::Reverse(w.len()));
        Ok(())
    }

    /// Where results of a document of this kind stand when several sources report one figure:
    /// 0 for the first rank of `source_order`, and after every named rank for a kind it does
    /// not name.
    pub fn source_rank(&self, kind: DocumentKind) -> usize {
        self.source_order
            .iter()
            .position(|rank| rank.contains(&kind))
            .unwrap_or(self.source_order.len())
    }

    /// Whether a metric is a year's total or a stock whatever verb gives it
    /// (`地区生产总值完成253.7亿元` reports the level, not an addition).
    pub fn is_stock(&self, metric: &str) -> bool {
        self.stock.iter().any(|w| metric.ends_with(w.as_str()))
    }

    /// The name a metric is compared by: padding words dropped, a synonym replaced by its
    /// canonical name (`全市技术市场交易额` → `技术合同成交额`).
    pub fn canonical(&self, metric: &str) -> String {
        let mut m = metric.trim();
        loop {
            let before = m.len();
            for w in &self.strip {
                // Never strip the whole name.
                if let Some(rest) = m.strip_prefix(w.as_str())
                    && rest.chars().count() >= 2
                {
                    m = rest;
                }
            }
            for w in &self.suffix {
                if let Some(rest) = m.strip_suffix(w.as_str())
                    && rest.chars().count() >= 2
                {
                    m = rest;
                }
            }
            if m.len() == before {
                break;
            }
        }
        if let Some(c) = self.canonical.get(m) {
            return c.clone();
        }
        // A synonym inside a longer name (`社零额增速`): replace the longest one.
        for (syn, canon) in &self.synonyms {
            if syn.chars().count() >= 3
                && let Some(p) = m.find(syn.as_str())
            {
                return format!("{}{}{}", &m[..p], canon, &m[p + syn.len()..]);
            }
        }
        m.to_string()
    }

    /// Whether lower values of the metric are better (unemployment, prices, emissions).
    pub fn lower_is_better(&self, metric: &str) -> bool {
        self.lower.iter().any(|w| metric.contains(w.as_str()))
    }

    /// Whether the name alone is too general to link (`产值`, `项目`).
    pub fn is_vague(&self, metric: &str) -> bool {
        self.is_vague_as(metric, &self.canonical(metric))
    }

    /// [`Lexicon::is_vague`] for a metric whose canonical name is known.
    pub(crate) fn is_vague_as(&self, metric: &str, canonical: &str) -> bool {
        canonical.chars().count() < 2 || self.vague.iter().any(|w| w == canonical || w == metric)
    }

    /// The scope words a name holds (`规上`, `小区`), in lexicon order.
    pub fn scopes<'a>(&'a self, canonical: &str) -> Vec<&'a str> {
        let mut out: Vec<&str> = Vec::new();
        for w in &self.scope {
            if canonical.contains(w.as_str()) && !out.iter().any(|o| o.contains(w.as_str())) {
                out.retain(|o| !w.contains(o));
                out.push(w);
            }
        }
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_and_padding_meet_in_one_name() {
        let l = Lexicon::built_in();
        assert_eq!(l.canonical("全市技术市场交易额"), "技术合同成交额");
        assert_eq!(l.canonical("国内生产总值"), "地区生产总值");
        assert_eq!(l.canonical("GDP"), "地区生产总值");
        assert_eq!(l.canonical("年末市场主体总量"), "市场主体");
        assert_eq!(l.canonical("完成城镇老旧小区"), "城镇老旧小区");
        // Padding is never the whole name.
        assert_eq!(l.canonical("新增"), "新增");
    }

    #[test]
    fn scope_words_are_found_once() {
        let l = Lexicon::built_in();
        assert_eq!(l.scopes(&l.canonical("规模以上工业增加值")), ["规上"]);
        assert_eq!(l.scopes("老旧小区改造"), ["小区"]);
        assert_eq!(l.scopes("小区公共充电桩"), ["公共", "小区"]);
        assert_eq!(l.scopes("限上社会消费品零售总额"), ["限上"]);
    }

    #[test]
    fn user_rules_extend_and_bad_lines_are_named() {
        let mut l = Lexicon::built_in();
        l.extend("same\t集装箱吞吐量\t港口集装箱吞吐量\n").unwrap();
        assert_eq!(l.canonical("港口集装箱吞吐量"), "集装箱吞吐量");
        let e = l.extend("# fine\nsame\tA\nsometimes\tB\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(l.extend("lower\n").is_err());
    }

    #[test]
    fn statistics_before_speeches_unless_the_office_says_otherwise() {
        let l = Lexicon::built_in();
        let rank = |k| l.source_rank(k);
        assert!(rank(DocumentKind::DataImport) < rank(DocumentKind::StatisticalBulletin));
        assert!(rank(DocumentKind::StatisticalBulletin) < rank(DocumentKind::WorkReport));
        // The two speeches stand together: neither is preferred to the other.
        assert_eq!(
            rank(DocumentKind::WorkReport),
            rank(DocumentKind::AnnualPlanReport)
        );
        assert!(rank(DocumentKind::WorkReport) < rank(DocumentKind::Other));
        // An office that trusts its plan report first: its row replaces the order.
        let mut office = Lexicon::built_in();
        office
            .extend("source_order\tannual_plan_report\tstatistical_bulletin\n")
            .unwrap();
        let rank = |k| office.source_rank(k);
        assert!(rank(DocumentKind::AnnualPlanReport) < rank(DocumentKind::StatisticalBulletin));
        assert!(rank(DocumentKind::StatisticalBulletin) < rank(DocumentKind::WorkReport));
        assert_eq!(
            rank(DocumentKind::WorkReport),
            rank(DocumentKind::DataImport)
        );
        // A kind plantrack does not know, or one named twice, is refused with its line.
        let e = office
            .extend("# x\nsource_order\tstatistical_bulletin\tyearbook\n")
            .unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.reason.contains("yearbook"), "{}", e.reason);
        assert!(
            office
                .extend("source_order\twork_report\twork_report,other\n")
                .is_err()
        );
    }

    #[test]
    fn lower_is_better_and_vague() {
        let l = Lexicon::built_in();
        assert!(l.lower_is_better("城镇调查失业率"));
        assert!(l.lower_is_better("PM2.5浓度"));
        assert!(!l.lower_is_better("地区生产总值"));
        assert!(l.is_vague("产值"));
        assert!(l.is_vague("总"));
        assert!(!l.is_vague("口袋公园"));
    }
}
