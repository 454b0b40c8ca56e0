//! Evaluation reports as documents: the yearly report on plan execution (计划执行情况监测报告),
//! the five-year plan's mid-term evaluation (中期评估报告) and the supervision office's bulletin
//! on key tasks (督查通报), written from the ledger alone, every figure with a note naming the
//! document by its title and quoting the sentence (or the imported row) it came from.
//!
//! A report is built as a [`Report`] (headings, paragraphs, tables, drafts and notes) by
//! [`annual`], [`midterm`] or [`bulletin`], then rendered: [`docx`] in the layout of GB/T
//! 9704 (A4, 22 lines of 28 characters, 仿宋_GB2312 body, page numbers `— 1 —`), [`html`] as a
//! printable page, [`Report::to_text`] for review and golden tests. Sentences that interpret
//! (reasons, outlook) are never invented: they are [`Block::Draft`]s, marked for a person to
//! write.
//!
//! Architecture invariant: no I/O, no database, no clock: the ledger, the outlines of its
//! documents and the date of the report are arguments; evaluations come from
//! `plantrack-evaluate`, never from rules of this crate.

mod annual;
mod bulletin;
mod doc;
pub mod docx;
pub mod html;
mod midterm;
mod words;

pub use annual::annual;
pub use bulletin::bulletin;
pub use doc::{Block, Inline, Note, Report, Table};
pub use midterm::midterm;
pub use words::title_of;

use plantrack_evaluate::{Date, Lexicon, Rules, Supervision};
use plantrack_model::{Ledger, Section};

/// What a report is made from.
pub struct Sources<'a> {
    pub ledger: &'a Ledger,
    /// Each document's outline, by its index in `ledger.documents` (empty when unknown): the
    /// annual report follows the plan documents' own sections.
    pub outlines: &'a [Vec<Section>],
    pub lexicon: &'a Lexicon,
    /// The assessment rules the bulletin's ranking follows.
    pub rules: &'a Rules,
    /// The office's clock and reporting rounds, for task statuses.
    pub supervision: &'a Supervision,
}

/// Which report, for whom, as of when.
#[derive(Debug, Clone)]
pub struct Options {
    pub year: i32,
    /// The region whose report it is; the ledger's top region when `None`.
    pub region: Option<String>,
    /// The date the report speaks as of (task statuses, the date line).
    pub as_of: Date,
}

/// The three reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Annual,
    Midterm,
    Bulletin,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "annual" => Kind::Annual,
            "midterm" => Kind::Midterm,
            "bulletin" => Kind::Bulletin,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Annual => "annual",
            Kind::Midterm => "midterm",
            Kind::Bulletin => "bulletin",
        }
    }
}

/// Builds the report of a kind.
pub fn build(kind: Kind, src: &Sources, opt: &Options) -> Report {
    match kind {
        Kind::Annual => annual(src, opt),
        Kind::Midterm => midterm(src, opt),
        Kind::Bulletin => bulletin(src, opt),
    }
}

/// The region a report is about: the one asked for, or the ledger's top region (one without
/// a parent) that most documents come from.
pub fn region_of(ledger: &Ledger, asked: Option<&str>) -> Option<String> {
    if let Some(r) = asked {
        return Some(r.to_string());
    }
    let parent_of = |name: &str| {
        ledger
            .regions
            .iter()
            .find(|r| r.name == name)
            .and_then(|r| r.parent.clone())
    };
    let mut counts: Vec<(String, usize)> = Vec::new();
    for d in &ledger.documents {
        let Some(r) = d.region.as_deref() else {
            continue;
        };
        if parent_of(r).is_some() {
            continue;
        }
        match counts.iter_mut().find(|(n, _)| n == r) {
            Some((_, c)) => *c += 1,
            None => counts.push((r.to_string(), 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts.into_iter().next().map(|(r, _)| r)
}

/// The line under a report's title.
fn subtitle(region: &str, opt: &Options) -> String {
    format!(
        "{region} · 数据截至{}年{}月{}日 · 草稿：由 plantrack 根据台账生成，标注“待撰写”处由起草人补充",
        opt.as_of.year, opt.as_of.month, opt.as_of.day
    )
}
