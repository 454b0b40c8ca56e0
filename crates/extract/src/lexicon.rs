//! The extractor's language rules as data: word lists read from `lexicon/*.tsv` (compiled in)
//! and from files of the same form that users add (a new province's phrasing is rows, not code).
//!
//! Each line is `kind<TAB>word<TAB>word…`; `#` starts a comment. The kinds and what their words
//! do are listed at the top of `lexicon/document.tsv` (a document as a whole: regions, parts,
//! page frames, task closings) and `lexicon/sentence.tsv` (a sentence: the words around a
//! figure, units, event words, a responsibility table's columns). A user's lines are added to
//! the built-in ones; an unknown kind is an error naming the line.
//!
//! Every list is kept longest word first and indexed by its words' first and last characters,
//! so that the longest word a text starts or ends with is found among a handful.

use std::collections::HashMap;
use std::sync::OnceLock;

use plantrack_model::UnitNames;

const BUILT_IN: &[&str] = &[
    include_str!("../lexicon/document.tsv"),
    include_str!("../lexicon/sentence.tsv"),
];

pub use plantrack_model::lexicon::LexiconError;

macro_rules! kinds {
    ($($variant:ident = $name:literal,)*) => {
        /// The kinds of word list, one per lexicon kind (the `event` and `province` rules,
        /// which have fields, are kept apart).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Kind {
            $($variant,)*
        }

        /// The name of each [`Kind`] in a lexicon file, in the order of the enum.
        const NAMES: &[&str] = &[$($name,)*];
    };
}

kinds! {
    // A document as a whole (`document.tsv`).
    PassingOnly = "passing_only",
    NotRegion = "not_region",
    PageChrome = "page_chrome",
    ReviewWord = "review_word",
    PlanWord = "plan_word",
    PastWord = "past_word",
    PresentWord = "present_word",
    ClosingHeading = "closing_heading",
    ReviewOpener = "review_opener",
    LeadField = "lead_field",
    UnitsField = "units_field",
    CooperatingField = "cooperating_field",
    LeadersField = "leaders_field",
    DeadlineField = "deadline_field",
    GroupUnit = "group_unit",
    ParagraphOpener = "paragraph_opener",
    HeadingEnd = "heading_end",
    BulletinTitle = "bulletin_title",
    NationName = "nation_name",
    // A sentence (`sentence.tsv`).
    Leading = "leading",
    Trailing = "trailing",
    Action = "action",
    IncrementWord = "increment_word",
    ActionNoun = "action_noun",
    MeasureWord = "measure_word",
    BackReference = "back_reference",
    GenericAction = "generic_action",
    NounStop = "noun_stop",
    PerUnitHead = "per_unit_head",
    PerUnitMeasure = "per_unit_measure",
    NotNewArea = "not_new_area",
    IncreaseWord = "increase_word",
    DecreaseWord = "decrease_word",
    GrowthWord = "growth_word",
    MoreThanWord = "more_than_word",
    AtLeastWord = "at_least_word",
    AtMostWord = "at_most_word",
    AboutWord = "about_word",
    AboutAfter = "about_after",
    AtLeastAfter = "at_least_after",
    AtMostAfter = "at_most_after",
    TargetWord = "target_word",
    CitingPlan = "citing_plan",
    LookingBack = "looking_back",
    Unit = "unit",
    CountUnit = "count_unit",
    NotUnit = "not_unit",
    ClauseFinalEvent = "clause_final_event",
    SubjectLeading = "subject_leading",
    SubjectTrailing = "subject_trailing",
    JointPhrase = "joint_phrase",
    LeadMark = "lead_mark",
    TaskColumn = "task_column",
    TaskColumnFallback = "task_column_fallback",
    UnitsColumn = "units_column",
    CategoryColumn = "category_column",
    CooperatingColumn = "cooperating_column",
    SeqColumn = "seq_column",
    DeadlineColumn = "deadline_column",
    LeadersColumn = "leaders_column",
    AimWord = "aim_word",
    NotAimWord = "not_aim_word",
    DifferenceWord = "difference_word",
    YearBeforeWord = "year_before_word",
    ChangeFrom = "change_from",
    CumulativeWord = "cumulative_word",
    PeriodOpener = "period_opener",
    FiveYearsBefore = "five_years_before",
    AmountChange = "amount_change",
}

/// Where an event word's subject stands: before it (`地铁4号线通车`), after it
/// (`举办世界智能大会`), or either.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Object {
    Before,
    After,
    Either,
}

/// Whether an event word says the thing is done or under way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Progress {
    Done,
    Underway,
}

/// An event word of a milestone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Event {
    pub word: String,
    pub object: Object,
    pub progress: Progress,
}

/// A character that may start a number (a magnitude word of Chinese numerals).
pub(crate) const NUMBER_FLAG: u8 = 1;
/// A character that starts an event word.
pub(crate) const EVENT_FLAG: u8 = 2;
/// In the character table: a full-width mark that ends a sentence (`。`, `！`, `？`), so that the
/// sentence scan finds what it looks for in a character by one lookup.
pub(crate) const SENTENCE_END_FLAG: u8 = 4;

/// A hasher for `char` keys: one multiplication, where SipHash's rounds were a tenth of the
/// extractor's time in the word lookups of every clause.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CharHasher(u64);

impl std::hash::Hasher for CharHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (u64::from(n) ^ self.0).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A map keyed by a character.
pub(crate) type CharMap<V> = HashMap<char, V, std::hash::BuildHasherDefault<CharHasher>>;

/// A word list, longest first, indexed by first and last character.
#[derive(Debug, Clone, Default)]
pub(crate) struct Words {
    words: Vec<String>,
    /// The characters every word holds (`五` and `年` of `过去五年`, `五年来`): a text without one
    /// of them holds no word.
    common: Vec<char>,
    by_first: CharMap<Vec<u32>>,
    by_last: CharMap<Vec<u32>>,
}

impl Words {
    fn add(&mut self, w: &str) {
        if !self.words.iter().any(|x| x == w) {
            self.words.push(w.to_string());
        }
    }

    fn reindex(&mut self) {
        self.words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        self.by_first.clear();
        self.by_last.clear();
        self.common = self.words.first().map_or_else(Vec::new, |w| {
            let mut common: Vec<char> = w.chars().collect();
            common.dedup();
            common.retain(|c| self.words.iter().all(|w| w.contains(*c)));
            common
        });
        for (i, w) in self.words.iter().enumerate() {
            if let (Some(f), Some(l)) = (w.chars().next(), w.chars().next_back()) {
                self.by_first.entry(f).or_default().push(i as u32);
                self.by_last.entry(l).or_default().push(i as u32);
            }
        }
    }

    /// Every word, longest first.
    pub fn all(&self) -> &[String] {
        &self.words
    }

    /// The words that start with `c`, longest first.
    pub fn starting_with(&self, c: char) -> impl Iterator<Item = &str> {
        self.by_first
            .get(&c)
            .into_iter()
            .flatten()
            .map(|&i| self.words[i as usize].as_str())
    }

    /// The longest word `s` starts with.
    pub fn prefix_of(&self, s: &str) -> Option<&str> {
        let first = s.chars().next()?;
        self.starting_with(first).find(|w| s.starts_with(w))
    }

    /// The longest word `s` ends with.
    pub fn suffix_of(&self, s: &str) -> Option<&str> {
        let last = s.chars().next_back()?;
        self.by_last
            .get(&last)?
            .iter()
            .map(|&i| self.words[i as usize].as_str())
            .find(|w| s.ends_with(w))
    }

    /// Whether `w` is one of the words.
    pub fn contains(&self, w: &str) -> bool {
        w.chars()
            .next()
            .is_some_and(|f| self.starting_with(f).any(|x| x == w))
    }

    /// Whether `s` contains one of the words, by a substring search for each: faster than
    /// [`Words::any_in`] for a list of a few words.
    pub fn occurs_in(&self, s: &str) -> bool {
        // Most texts lack a character all the words hold: one search for it, then the words.
        self.common.first().is_none_or(|&c| s.contains(c))
            && self.words.iter().any(|w| s.contains(w.as_str()))
    }

    /// Whether `s` contains one of the words.
    pub fn any_in(&self, s: &str) -> bool {
        if self.by_first.is_empty() {
            return false;
        }
        s.char_indices().any(|(i, c)| {
            self.by_first.get(&c).is_some_and(|ws| {
                ws.iter()
                    .any(|&w| s[i..].starts_with(self.words[w as usize].as_str()))
            })
        })
    }
}

/// Adds words to a list, each once.
fn extend_words(list: &mut Vec<String>, words: &[&str]) {
    for w in words {
        if !list.iter().any(|x| x == w) {
            list.push(w.to_string());
        }
    }
}

/// Word lists by kind.
#[derive(Debug, Clone)]
pub struct Lexicon {
    /// The words of each kind, in the order of [`Kind`].
    lists: Vec<Words>,
    /// Full name and short name of each provincial-level region.
    provinces: Vec<(String, String)>,
    /// How the ledger files a unit by its name: its other names, groups, governments.
    units: UnitNames,
    /// Event words, with the first-character index of `events_by_first`.
    events: Vec<Event>,
    events_by_first: CharMap<Vec<u32>>,
    /// For each character of the Basic Multilingual Plane, [`NUMBER_FLAG`] and [`EVENT_FLAG`].
    flags: Vec<u8>,
}

impl Default for Lexicon {
    fn default() -> Lexicon {
        Lexicon {
            lists: vec![Words::default(); NAMES.len()],
            provinces: Vec::new(),
            units: UnitNames::default(),
            events: Vec::new(),
            events_by_first: CharMap::default(),
            flags: vec![0; 0x10000],
        }
    }
}

impl Lexicon {
    /// The rules that ship with plantrack, read once.
    pub fn built_in() -> &'static Lexicon {
        static BUILT: OnceLock<Lexicon> = OnceLock::new();
        BUILT.get_or_init(|| {
            let mut l = Lexicon::default();
            for text in BUILT_IN {
                l.extend(text).expect("the built-in lexicon parses");
            }
            l
        })
    }

    /// Adds the rules of a lexicon file (see `lexicon/document.tsv` for the form).
    pub fn extend(&mut self, text: &str) -> Result<(), LexiconError> {
        let result = self.add_rules(text);
        // Whatever was added before an error is indexed: the lexicon stays consistent.
        self.reindex();
        result
    }

    fn add_rules(&mut self, text: &str) -> Result<(), LexiconError> {
        use plantrack_model::lexicon::METRIC_KINDS;
        for rule in plantrack_model::lexicon::rules(text) {
            let err = |reason: String| LexiconError {
                line: rule.line,
                reason,
            };
            if METRIC_KINDS.contains(&rule.kind) {
                continue;
            }
            if rule.words.is_empty() {
                return Err(err("a rule needs at least one word after its kind".into()));
            }
            match rule.kind {
                "province" => {
                    let [full, short] = rule.words.as_slice() else {
                        return Err(err(
                            "a province line gives its full and its short name".into()
                        ));
                    };
                    self.provinces.push((full.to_string(), short.to_string()));
                }
                "unit_alias" => {
                    let Some((name, aliases)) =
                        rule.words.split_first().filter(|(_, a)| !a.is_empty())
                    else {
                        return Err(err(
                            "a unit_alias line gives the unit's name, then its other names".into(),
                        ));
                    };
                    for a in aliases {
                        self.units.aliases.retain(|(x, _)| x != a);
                        self.units.aliases.push((a.to_string(), name.to_string()));
                    }
                }
                "unit_group_prefix" => extend_words(&mut self.units.group_prefixes, &rule.words),
                "unit_government_suffix" => {
                    extend_words(&mut self.units.government_suffixes, &rule.words)
                }
                "event" => {
                    let [word, object, progress] = rule.words.as_slice() else {
                        return Err(err(
                            "an event line gives its word, where its subject stands \
                             (before, after, either) and its progress (done, underway)"
                                .into(),
                        ));
                    };
                    let object = match *object {
                        "before" => Object::Before,
                        "after" => Object::After,
                        "either" => Object::Either,
                        o => return Err(err(format!("unknown subject place {o:?}"))),
                    };
                    let progress = match *progress {
                        "done" => Progress::Done,
                        "underway" => Progress::Underway,
                        p => return Err(err(format!("unknown progress {p:?}"))),
                    };
                    self.events.retain(|e| e.word != *word);
                    self.events.push(Event {
                        word: word.to_string(),
                        object,
                        progress,
                    });
                }
                kind => {
                    let Some(k) = NAMES.iter().position(|n| *n == kind) else {
                        return Err(err(format!(
                            "unknown rule {kind:?} (one of province, event, unit_alias, unit_group_prefix, unit_government_suffix, {})",
                            NAMES.join(", ")
                        )));
                    };
                    for w in rule.words {
                        self.lists[k].add(w);
                    }
                }
            }
        }
        Ok(())
    }

    fn reindex(&mut self) {
        for list in &mut self.lists {
            list.reindex();
        }
        // Longest first; among words of one length, the order they were given in.
        let mut order: Vec<u32> = (0..self.events.len() as u32).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(self.events[i as usize].word.len()));
        self.events_by_first.clear();
        for i in order {
            if let Some(f) = self.events[i as usize].word.chars().next() {
                self.events_by_first.entry(f).or_default().push(i);
            }
        }
        self.flags.iter_mut().for_each(|f| *f = 0);
        for c in ['百', '千', '万', '亿'] {
            self.flags[c as usize] |= NUMBER_FLAG;
        }
        for f in self.events_by_first.keys() {
            if let Some(slot) = self.flags.get_mut(*f as usize) {
                *slot |= EVENT_FLAG;
            }
        }
        for c in ['。', '！', '？'] {
            self.flags[c as usize] |= SENTENCE_END_FLAG;
        }
    }

    /// The words of a kind.
    pub(crate) fn list(&self, kind: Kind) -> &Words {
        &self.lists[kind as usize]
    }

    /// The words of a kind, longest first.
    pub(crate) fn words(&self, kind: Kind) -> &[String] {
        self.list(kind).all()
    }

    /// Whether `s` contains a word of the kind.
    pub(crate) fn any_in(&self, kind: Kind, s: &str) -> bool {
        self.list(kind).any_in(s)
    }

    pub(crate) fn provinces(&self) -> &[(String, String)] {
        &self.provinces
    }

    /// How the ledger files a unit by its name: its other names (one unit kept under either),
    /// the names standing for several units, and governments with their regions.
    pub fn units(&self) -> &UnitNames {
        &self.units
    }

    /// The event words that start with `c`, longest first.
    pub(crate) fn events_starting_with(&self, c: char) -> impl Iterator<Item = &Event> {
        self.events_by_first
            .get(&c)
            .into_iter()
            .flatten()
            .map(|&i| &self.events[i as usize])
    }

    /// Every event word.
    #[cfg(test)]
    pub(crate) fn events(&self) -> &[Event] {
        &self.events
    }

    /// [`NUMBER_FLAG`] and [`EVENT_FLAG`] for each character of the Basic Multilingual Plane.
    pub(crate) fn char_flags(&self) -> &[u8] {
        &self.flags
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plantrack_model::UnitKind;

    #[test]
    fn users_add_rows() {
        let mut l = Lexicon::built_in().clone();
        assert!(!l.any_in(Kind::GroupUnit, "各旗、县、市区"));
        l.extend("# a league's groups\ngroup_unit\t各旗、县、市区\n")
            .unwrap();
        assert!(l.any_in(Kind::GroupUnit, "各旗、县、市区"));
        // A metric rule in the same file is the evaluations'.
        l.extend("same\t地区生产总值\tGDP\n").unwrap();
        let e = l.extend("\n\nregion_word\t盟\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(l.extend("province\t东川省\n").is_err());
        assert!(l.extend("event\t合龙\tbefore\n").is_err());
        assert!(l.extend("event\t合龙\tbefore\tfinished\n").is_err());
    }

    #[test]
    fn a_users_words_are_indexed_with_the_built_in_ones() {
        let mut l = Lexicon::built_in().clone();
        assert_eq!(
            l.list(Kind::Trailing).suffix_of("产量首次跃上"),
            Some("跃上")
        );
        assert!(l.events_starting_with('合').all(|e| e.word != "合龙"));
        l.extend("trailing\t首次跃上\nevent\t合龙\tbefore\tdone\n")
            .unwrap();
        assert_eq!(
            l.list(Kind::Trailing).suffix_of("产量首次跃上"),
            Some("首次跃上")
        );
        assert!(l.events_starting_with('合').any(|e| e.word == "合龙"));
        assert!(l.char_flags()['合' as usize] & EVENT_FLAG != 0);
    }

    #[test]
    fn units_other_names() {
        let name_of =
            |l: &Lexicon, a: &str| Some(l.units().canonical(a).to_string()).filter(|n| n != a);
        let built = Lexicon::built_in();
        assert_eq!(name_of(built, "市发改委").as_deref(), Some("市发展改革委"));
        // Trap: a name that differs from city to city is no built-in alias (临江's 市市场监管局
        // is a real name).
        assert_eq!(name_of(built, "市市场监管局"), None);
        // How the ledger files a unit: groups (有关区人民政府 names no region 有关区) and
        // governments with their regions.
        let units = built.units();
        assert_eq!(units.kind("有关区人民政府"), UnitKind::Group);
        assert_eq!(units.governed_region("有关区人民政府"), None);
        assert_eq!(units.governed_region("西青区人民政府"), Some("西青区"));
        assert_eq!(units.kind("市教委"), UnitKind::Unit);
        // An office adds its own, and may give an alias another name.
        let mut l = built.clone();
        l.extend(
            "unit_alias\t市市场监管委\t市市场监管局\nunit_alias\t市发展和改革委员会\t市发改委\n",
        )
        .unwrap();
        assert_eq!(name_of(&l, "市市场监管局").as_deref(), Some("市市场监管委"));
        assert_eq!(
            name_of(&l, "市发改委").as_deref(),
            Some("市发展和改革委员会")
        );
        // A name without another name is refused, with its line.
        let e = l.extend("# x\nunit_alias\t市财政局\n").unwrap_err();
        assert_eq!(e.line, 2);
    }

    #[test]
    fn the_kinds_are_those_the_evaluations_skip() {
        let mut all: Vec<&str> = NAMES.to_vec();
        all.extend([
            "province",
            "event",
            "unit_alias",
            "unit_group_prefix",
            "unit_government_suffix",
        ]);
        let mut shared = plantrack_model::lexicon::EXTRACTOR_KINDS.to_vec();
        all.sort_unstable();
        shared.sort_unstable();
        assert_eq!(all, shared);
    }

    #[test]
    fn every_kind_has_built_in_words() {
        let l = Lexicon::built_in();
        for (i, name) in NAMES.iter().enumerate() {
            assert!(!l.lists[i].all().is_empty(), "{name}");
        }
        assert!(!l.events().is_empty() && !l.provinces().is_empty());
    }
}
