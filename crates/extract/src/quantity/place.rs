//! Where a sentence stands in its document: the role, year and region its figures have by
//! default.

use plantrack_model::{DocumentKind, PartRole, QuantityRole, Section};

use super::metric::covers_years;
use crate::lexicon::{Kind, Lexicon};

/// What the surrounding document says about the sentences in it.
pub(crate) struct Context<'a> {
    pub lex: &'a Lexicon,
    pub kind: DocumentKind,
    pub year: Option<i32>,
    pub year_end: Option<i32>,
    pub region: Option<&'a str>,
    pub sections: &'a [Section],
    /// For each section, the region its title names, if it is a region's name.
    pub section_regions: Vec<Option<String>>,
    /// For each section, whether it reviews the years before a five-year plan (`发展基础`).
    pub section_reviews: Vec<bool>,
    /// For each section, whether its title speaks of five years (`过去一年和五年工作回顾`).
    pub section_five_years: Vec<bool>,
}

/// Role and year a sentence has by default, from its place in the document.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    pub role: QuantityRole,
    pub year: Option<i32>,
    pub region: Option<String>,
    /// The sentence stands in a part or paragraph about five years (`一、过去一年和五年工作回顾`,
    /// `过去五年，…`): averages and sums in it are the period's.
    pub five_years: bool,
    /// The paragraph reviews the five years (a `过去五年…` paragraph or a `——` item after one),
    /// not the year: set by [`super::read_paragraph`]'s caller, never by a section's title.
    pub five_year_review: bool,
}

impl<'a> Context<'a> {
    pub fn new(
        lex: &'a Lexicon,
        kind: DocumentKind,
        year: Option<i32>,
        year_end: Option<i32>,
        region: Option<&'a str>,
        sections: &'a [Section],
    ) -> Context<'a> {
        let section_regions = sections
            .iter()
            .map(|s| region_title(lex, &s.title))
            .collect();
        let section_reviews = sections
            .iter()
            .map(|s| {
                kind == DocumentKind::FiveYearPlan
                    && ["发展基础", "发展成就", "回顾", "取得的成就"]
                        .iter()
                        .any(|w| s.title.contains(w))
            })
            .collect();
        let section_five_years = sections
            .iter()
            .map(|s| s.title.contains("五年") || covers_years(&s.title))
            .collect();
        Context {
            section_five_years,
            lex,
            kind,
            year,
            year_end,
            region,
            sections,
            section_regions,
            section_reviews,
        }
    }

    /// The place of an original byte offset: innermost section's part and region.
    pub fn place(&self, at: usize) -> Place {
        // Every figure of a statistical bulletin is a result of the year it reports on, whatever
        // its sections are called (`一、综合`, `十、人口、人民生活和社会保障`).
        let bulletin = self.kind == DocumentKind::StatisticalBulletin;
        let mut role = if bulletin {
            QuantityRole::Actual
        } else {
            QuantityRole::Target
        };
        let mut year = self.year;
        if self.kind == DocumentKind::FiveYearPlan {
            year = self.year_end.or(self.year);
        }
        let mut region = self.region.map(str::to_owned);
        let mut five_years = false;
        // Sections containing `at`, outermost first: from the last section that starts before
        // `at`, up its parents (sections are in document order, so this is a binary search).
        let mut chain: Vec<(&Section, Option<&String>, bool, bool)> = Vec::new();
        let last = self.sections.partition_point(|s| s.extent.start <= at);
        let mut cursor = last.checked_sub(1);
        while let Some(i) = cursor {
            let s = &self.sections[i];
            if s.extent.start <= at && at < s.extent.end {
                chain.push((
                    s,
                    self.section_regions.get(i).and_then(Option::as_ref),
                    self.section_reviews.get(i).copied().unwrap_or(false),
                    self.section_five_years.get(i).copied().unwrap_or(false),
                ));
            }
            cursor = s.parent;
        }
        chain.reverse();
        for (s, section_region, reviews, about_five_years) in &chain {
            if let Some(p) = s.part.filter(|_| !bulletin) {
                role = match p.role {
                    PartRole::Review => QuantityRole::Actual,
                    PartRole::Plan => QuantityRole::Target,
                };
                // `过去一年工作回顾`: a review without its year reviews the year before the plan.
                year = match (p.year, p.role) {
                    (Some(y), _) => Some(y),
                    (None, PartRole::Review) => self.year.map(|y| y - 1),
                    (None, PartRole::Plan) => self.year,
                };
            }
            if *reviews {
                role = QuantityRole::Actual;
                year = self.year.map(|y| y - 1);
            }
            if let Some(r) = section_region {
                region = Some((*r).clone());
            }
            five_years |= *about_five_years;
        }
        Place {
            role,
            year,
            region,
            five_years,
            five_year_review: false,
        }
    }
}

/// A section title that is a region's name (`滨海新区`, `西青区`), as in a column of district
/// targets.
pub(super) fn region_title(lex: &Lexicon, title: &str) -> Option<String> {
    let t = title.trim();
    if t.len() > 30 || !t.ends_with(['市', '区', '县', '州', '旗', '省']) {
        return None;
    }
    // `新区` is too often generic (`国家级新区`) for the region finder, but a two-character
    // name before it, standing alone as a heading or a clause head, is a district
    // (`滨海新区`, `浦东新区`).
    if let Some(stem) = t.strip_suffix("新区")
        && stem.chars().count() == 2
        && stem.chars().all(crate::normalize::is_ideograph)
        && !lex.list(Kind::NotNewArea).contains(stem)
    {
        return Some(t.to_string());
    }
    let names = crate::metadata::regions_in(lex, t);
    (names.len() == 1 && names[0] == t).then(|| t.to_string())
}

/// A clause head without the item number before it: `1.滨海新区` → `滨海新区`.
pub(super) fn strip_item_number(head: &str) -> &str {
    let rest = head.trim_start_matches(|c: char| c.is_ascii_digit());
    if rest.len() < head.len()
        && let Some(r) = rest.strip_prefix(['.', '、', '．'])
    {
        return r;
    }
    head
}
