//! The form of plantrack's lexicon files, shared by the extractor's language rules
//! (`crates/extract/lexicon/document.tsv`) and the evaluations' metric rules
//! (`crates/evaluate/lexicon/metrics.tsv`): one rule a line, `kind<TAB>word<TAB>word…`, `#`
//! starting a comment. One user file may hold rules of both; each reader takes its own kinds and
//! skips the other's.

/// The kinds of the extractor's language rules.
pub const DOCUMENT_KINDS: &[&str] = &[
    "province",
    "passing_only",
    "not_region",
    "page_chrome",
    "review_word",
    "plan_word",
    "past_word",
    "present_word",
    "closing_heading",
    "review_opener",
    "lead_field",
    "units_field",
    "cooperating_field",
    "leaders_field",
    "deadline_field",
    "group_unit",
    "paragraph_opener",
    "heading_end",
];

/// The kinds of the evaluations' metric rules.
pub const METRIC_KINDS: &[&str] = &[
    "same", "lower", "scope", "strip", "suffix", "vague", "stock",
];

/// A line of a lexicon file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconError {
    pub line: usize,
    pub reason: String,
}

impl std::fmt::Display for LexiconError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

impl std::error::Error for LexiconError {}

/// A rule of a lexicon file: its line number (from 1), its kind and its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule<'a> {
    pub line: usize,
    pub kind: &'a str,
    pub words: Vec<&'a str>,
}

/// The rules of a lexicon file, comments and blank lines left out.
pub fn rules(text: &str) -> impl Iterator<Item = Rule<'_>> {
    text.lines().enumerate().filter_map(|(i, line)| {
        let line = line.split('#').next().unwrap_or("").trim();
        let mut fields = line.split('\t').map(str::trim).filter(|f| !f.is_empty());
        let kind = fields.next()?;
        Some(Rule {
            line: i + 1,
            kind,
            words: fields.collect(),
        })
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn rules_of_a_file() {
        let text = "# a comment\n\nsame\t地区生产总值\tGDP  # trailing\ngroup_unit\t各区、县级市\n";
        let rules: Vec<_> = super::rules(text).collect();
        assert_eq!(rules.len(), 2);
        assert_eq!((rules[0].line, rules[0].kind), (3, "same"));
        assert_eq!(rules[0].words, ["地区生产总值", "GDP"]);
        assert_eq!(rules[1].words, ["各区、县级市"]);
    }
}
