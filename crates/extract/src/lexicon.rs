//! The extractor's language rules as data: word lists read from `lexicon/*.tsv` (compiled in)
//! and from files of the same form that users add (a new province's phrasing is rows, not code).
//!
//! Each line is `kind<TAB>word<TAB>word…`; `#` starts a comment. The kinds and what their words
//! do are listed at the top of `lexicon/document.tsv`. A user's lines are added to the built-in
//! ones; an unknown kind is an error naming the line.

use std::sync::OnceLock;

const BUILT_IN: &str = include_str!("../lexicon/document.tsv");

// The kinds a lexicon line may have, and those of the metric rules, skipped here.
use plantrack_model::lexicon::{DOCUMENT_KINDS as KINDS, METRIC_KINDS};

/// The position of a kind in [`KINDS`] (a kind the code names must be one of them).
fn index(kind: &str) -> usize {
    let k = KINDS.iter().position(|k| *k == kind);
    debug_assert!(k.is_some(), "{kind}");
    k.unwrap_or(usize::MAX)
}

/// Word lists by kind.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// The words of each kind, in the order of [`KINDS`].
    words: Vec<Vec<String>>,
    /// Full name and short name of each provincial-level region.
    provinces: Vec<(String, String)>,
}

pub use plantrack_model::lexicon::LexiconError;

impl Lexicon {
    /// The rules that ship with plantrack, read once.
    pub fn built_in() -> &'static Lexicon {
        static BUILT: OnceLock<Lexicon> = OnceLock::new();
        BUILT.get_or_init(|| {
            let mut l = Lexicon::default();
            l.extend(BUILT_IN).expect("the built-in lexicon parses");
            l
        })
    }

    /// Adds the rules of a lexicon file (see `lexicon/document.tsv` for the form).
    pub fn extend(&mut self, text: &str) -> Result<(), LexiconError> {
        for rule in plantrack_model::lexicon::rules(text) {
            let err = |reason: String| LexiconError {
                line: rule.line,
                reason,
            };
            if METRIC_KINDS.contains(&rule.kind) {
                continue;
            }
            let Some(&kind) = KINDS.iter().find(|k| **k == rule.kind) else {
                return Err(err(format!(
                    "unknown rule {:?} (one of {})",
                    rule.kind,
                    KINDS.join(", ")
                )));
            };
            if rule.words.is_empty() {
                return Err(err("a rule needs at least one word after its kind".into()));
            }
            if kind == "province" {
                let [full, short] = rule.words.as_slice() else {
                    return Err(err(
                        "a province line gives its full and its short name".into()
                    ));
                };
                self.provinces.push((full.to_string(), short.to_string()));
                continue;
            }
            if self.words.len() < KINDS.len() {
                self.words.resize(KINDS.len(), Vec::new());
            }
            let list = &mut self.words[index(kind)];
            for w in rule.words {
                if !list.iter().any(|x| x == w) {
                    list.push(w.to_string());
                }
            }
            // Longest first, so that a search takes `各县、市、区` before `各县、市`.
            list.sort_by_key(|w| std::cmp::Reverse(w.len()));
        }
        Ok(())
    }

    /// The words of a kind, longest first.
    pub(crate) fn words(&self, kind: &str) -> &[String] {
        self.words.get(index(kind)).map_or(&[], Vec::as_slice)
    }

    /// Whether `s` contains a word of the kind.
    pub(crate) fn any_in(&self, kind: &str, s: &str) -> bool {
        self.words(kind).iter().any(|w| s.contains(w.as_str()))
    }

    pub(crate) fn provinces(&self) -> &[(String, String)] {
        &self.provinces
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_add_rows() {
        let mut l = Lexicon::built_in().clone();
        assert!(!l.any_in("group_unit", "各旗、县、市区"));
        l.extend("# a league's groups\ngroup_unit\t各旗、县、市区\n")
            .unwrap();
        assert!(l.any_in("group_unit", "各旗、县、市区"));
        // A metric rule in the same file is the evaluations'.
        l.extend("same\t地区生产总值\tGDP\n").unwrap();
        let e = l.extend("\n\nregion_word\t盟\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(l.extend("province\t东川省\n").is_err());
    }
}
