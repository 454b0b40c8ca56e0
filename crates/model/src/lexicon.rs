//! The form of plantrack's lexicon files, shared by the extractor's language rules
//! (`crates/extract/lexicon/*.tsv`) and the evaluations' metric rules
//! (`crates/evaluate/lexicon/metrics.tsv`): one rule a line, `kind<TAB>word<TAB>word…`, `#`
//! starting a comment. One user file may hold rules of both; each reader takes its own kinds and
//! skips the other's.

/// The kinds of the extractor's language rules (`crates/extract/lexicon/*.tsv`).
pub const EXTRACTOR_KINDS: &[&str] = &[
    "province",
    "event",
    "unit_alias",
    "unit_group_prefix",
    "unit_government_suffix",
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
    "leading",
    "trailing",
    "action",
    "increment_word",
    "action_noun",
    "measure_word",
    "back_reference",
    "generic_action",
    "noun_stop",
    "per_unit_head",
    "per_unit_measure",
    "not_new_area",
    "increase_word",
    "decrease_word",
    "growth_word",
    "more_than_word",
    "at_least_word",
    "at_most_word",
    "about_word",
    "about_after",
    "at_least_after",
    "at_most_after",
    "target_word",
    "citing_plan",
    "looking_back",
    "unit",
    "count_unit",
    "not_unit",
    "clause_final_event",
    "subject_leading",
    "subject_trailing",
    "joint_phrase",
    "lead_mark",
    "task_column",
    "task_column_fallback",
    "units_column",
    "category_column",
    "cooperating_column",
    "seq_column",
    "deadline_column",
    "leaders_column",
    "bulletin_title",
    "nation_name",
    "aim_word",
    "not_aim_word",
    "difference_word",
    "year_before_word",
    "change_from",
    "cumulative_word",
    "period_opener",
    "five_years_before",
    "amount_change",
];

/// The kinds of the evaluations' metric rules.
pub const METRIC_KINDS: &[&str] = &[
    "same",
    "lower",
    "scope",
    "strip",
    "suffix",
    "vague",
    "stock",
    "source_order",
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
