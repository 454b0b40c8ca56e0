//! Text to structured planning document.
//!
//! [`extract`] takes a document's text (as the `plantrack-read` crate decoded it) and returns an
//! [`Extraction`]: metadata, the section tree, the main-indicator table, the responsibility table,
//! and diagnostics. It never fails: what it cannot read it reports as a diagnostic with a position,
//! and returns the rest.
//!
//! The pipeline, each step a module with its grammar in its docs:
//!
//! 1. [`table`] finds tables on the raw lines (tab-separated rows, or one cell per line) and their
//!    notes;
//! 2. [`normalize`] re-flows everything else into paragraphs and folds characters, keeping a byte
//!    map to the original text;
//! 3. [`structure`] builds the heading tree and marks review and plan parts;
//! 4. `indicators` and `tasks` read the tables they recognise by their headers;
//! 5. `metadata` infers title, kind, region and year; the caller's hints override it.
//!
//! Architecture invariant: no I/O, no async, no database. Spans always point into the text given
//! to [`extract`], never into the normalised copy.

pub mod normalize;
pub mod structure;
pub mod table;

mod assignments;
pub mod import;
mod indicators;
mod lexicon;
mod metadata;
mod quantity;
mod tasks;

use plantrack_model::{
    Diagnostic, DocumentKind, DocumentMeta, Extraction, Milestone, Quantity, Severity, Span,
};

pub use lexicon::{Lexicon, LexiconError};

/// What the user knows better than the extractor.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    pub kind: Option<DocumentKind>,
    pub region: Option<String>,
    pub year: Option<i32>,
    /// The language rules, when the user added to the built-in ones.
    pub lexicon: Option<std::sync::Arc<Lexicon>>,
}

/// How the text was read, for the document metadata.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub format: &'a str,
    pub encoding: &'a str,
}

impl Default for Origin<'_> {
    fn default() -> Self {
        Origin {
            format: "text",
            encoding: "UTF-8",
        }
    }
}

/// Extracts the structure of one document.
pub fn extract(text: &str, origin: Origin<'_>, hints: &Hints) -> Extraction {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    extract_on(text, origin, hints, threads)
}

/// [`extract`] reading a long text's paragraphs on up to `threads` threads.
fn extract_on(text: &str, origin: Origin<'_>, hints: &Hints, threads: usize) -> Extraction {
    let lex: &Lexicon = hints.lexicon.as_deref().unwrap_or(Lexicon::built_in());
    let mut diagnostics = Vec::new();
    // The lines are split once and shared by the table finder and the normaliser.
    let mut lines = normalize::split_run_on_lines(lex, text, normalize::lines(text));
    // A web page holding its article several times over is read once.
    let (repeated, copies) = normalize::repeated_copies(text, &lines);
    if copies > 1 {
        let first = repeated.iter().position(|&h| h).unwrap_or(0);
        diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            message: format!("the text is repeated {copies} times in the file; read once"),
            span: lines.get(first).map(|l| Span::new(l.start, text.len())),
        });
        let mut k = 0;
        lines.retain(|_| {
            k += 1;
            !repeated[k - 1]
        });
    }
    // A long text is worked on by two threads where two parts of the work are independent.
    let parallel = threads >= 2 && text.len() >= PARALLEL_MIN_BYTES;
    // A long text's lines are read for the normaliser while its tables are found.
    let (tables, facts) = beside(
        parallel,
        || table::tables_in(text, &lines),
        || normalize::LineFacts::of(text, &lines),
    );
    let mut protected = vec![false; lines.len()];
    for t in &tables {
        for p in protected.iter_mut().take(t.lines.1 + 1).skip(t.lines.0) {
            *p = true;
        }
    }
    let norm = normalize::normalize_lines(text, &lines, &protected, facts, threads);

    // Table and note paragraphs are not headings; they are recognised by their original line.
    // Which paragraphs are a table's or a note's (tab-separated, or from a table's lines), in
    // the order of the paragraphs: found once for the headings, the title and the reading.
    let any_table = !tables.is_empty();
    let flags_of = |from: usize, to: usize| {
        let paras: Vec<(usize, &str)> = norm.paragraphs_in(from, to).collect();
        // The paragraphs come in order, and so do their original bytes and lines: each is
        // found by walking on from the last.
        let mut originals = norm.originals();
        let mut line = None;
        let mut in_table = |norm_offset: usize| {
            if !any_table {
                return false;
            }
            let orig = originals.at(norm_offset);
            // The last line starting at or before `orig` (the first when none does): searched
            // for the first paragraph, walked to for the others.
            let line = line.get_or_insert_with(|| {
                lines.partition_point(|l| l.start <= orig).saturating_sub(1)
            });
            if lines.get(*line).is_some_and(|l| l.start > orig) {
                *line = 0;
            }
            while lines.get(*line + 1).is_some_and(|l| l.start <= orig) {
                *line += 1;
            }
            protected.get(*line).copied().unwrap_or(false)
        };
        let flags: Vec<bool> = paras
            .iter()
            .map(|&(start, p)| p.contains('\t') || in_table(start))
            .collect();
        (paras, flags)
    };
    // A long text in two halves at once, cut after a line break.
    let half = norm.text.len() / 2;
    let cut = match norm.text.as_bytes().get(half..) {
        Some(rest) if parallel => {
            memchr::memchr(b'\n', rest).map_or(norm.text.len(), |p| half + p + 1)
        }
        _ => norm.text.len(),
    };
    let ((mut paras, mut table_paras), (more_paras, more_flags)) = beside(
        parallel,
        || flags_of(0, cut),
        || flags_of(cut, norm.text.len()),
    );
    paras.extend(more_paras);
    table_paras.extend(more_flags);
    let is_table_para = |k: usize| table_paras.get(k).copied().unwrap_or(false);

    // The tables' tasks and indicators are read beside the headings of a long text.
    let recognise = || {
        let (mut indicators, mut tasks, mut diagnostics) = (Vec::new(), Vec::new(), Vec::new());
        for t in &tables {
            if let Some(found) = tasks::recognise(lex, t, &mut diagnostics) {
                tasks.extend(found);
            } else if let Some(found) = indicators::recognise(t, &mut diagnostics) {
                indicators.extend(found);
            }
        }
        (indicators, tasks, diagnostics)
    };
    let (mut sections, (indicators, mut tasks, found)) = beside(
        parallel,
        || structure::sections(lex, &norm, &paras, &is_table_para),
        recognise,
    );
    diagnostics.extend(found);

    // Tasks assigned in prose (`1.…（牵头单位：X；配合单位：Y）`), when no table assigns them.
    let mut prose_tasks: Vec<usize> = Vec::new();
    if tasks.is_empty() {
        let (found, taken) = assignments::read(lex, &norm, &sections);
        tasks = found;
        prose_tasks = taken;
    }

    let paragraphs: Vec<(usize, &str)> = paras
        .iter()
        .enumerate()
        .filter(|&(k, _)| !is_table_para(k))
        .map(|(_, &p)| p)
        // A page saved from a government website opens with its navigation and byline.
        .filter(|(_, p)| !metadata::is_page_chrome(lex, p))
        .take(8)
        .collect();
    let title = metadata::title(&paragraphs);
    let opening: String = paragraphs
        .iter()
        .map(|(_, p)| *p)
        .collect::<Vec<_>>()
        .join("\n");
    let title_text = title.as_ref().map(|(_, _, t)| t.as_str());
    let inferred_kind = metadata::kind(lex, title_text, &opening, tasks.len() >= 5);
    let kind = hints.kind.unwrap_or(inferred_kind);
    let (mut region, mut region_parent) = metadata::region(lex, title_text, &opening, &norm.text);
    if let Some(r) = &hints.region {
        // The inferred parent only stands if the user named the region that was inferred.
        if region.as_ref() != Some(r) {
            region_parent = None;
        }
        region = Some(r.clone());
    }
    let (mut year, mut year_end) = metadata::years(kind, title_text, &opening, &sections);
    if kind == DocumentKind::WorkReport {
        if year.is_none() {
            // The first part of a report without dates reviews the year before.
            let first = sections.iter().find(|s| s.parent.is_none());
            let end = sections
                .iter()
                .filter(|s| s.parent.is_none())
                .nth(1)
                .map_or(text.len(), |s| s.span.start);
            let from = first.map_or(0, |s| s.span.start);
            let part: String = text
                .get(from..end)
                .unwrap_or("")
                .chars()
                .map(normalize::fold)
                .collect();
            year = metadata::reviewed_year(&part).map(|y| y + 1);
        }
        structure::place_parts(&mut sections, hints.year.or(year));
    }
    if let Some(y) = hints.year {
        if let (Some(start), Some(end)) = (year, year_end) {
            year_end = Some(end - start + y);
        }
        year = Some(y);
    }
    if title.is_none() {
        diagnostics.push(Diagnostic {
            severity: Severity::Info,
            message: "no title line; kind, region and year were inferred from the text".into(),
            span: None,
        });
    }
    if year.is_none() {
        diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            message: "the year the document plans for could not be found; give it with --year"
                .into(),
            span: None,
        });
    }

    let ctx = quantity::Context::new(lex, kind, year, year_end, region.as_deref(), &sections);
    // A paragraph about the five years reviewed, and the `——` items after it: in the reports of
    // a year (a five-year plan says its periods otherwise; a bulletin and a task table review
    // nothing).
    let reviews_years = matches!(
        kind,
        DocumentKind::WorkReport | DocumentKind::AnnualPlanReport | DocumentKind::Other
    );
    // The task texts of a responsibility table are targets of the document's year, read after
    // the paragraphs.
    let task_place = quantity::Place {
        role: plantrack_model::QuantityRole::Target,
        year,
        region: region.clone(),
        five_years: false,
        five_year_review: false,
    };
    // The paragraphs to read, each with whether it stands in a review of the five years (a
    // state carried from paragraph to paragraph, so found first, in order), then the task texts.
    let mut five_year_run = false;
    let work: Vec<Reading> = paras
        .iter()
        .enumerate()
        .filter_map(|(k, &(start, para))| {
            five_year_run = reviews_years && quantity::reviews_five_years(lex, para, five_year_run);
            // A task's paragraph is read with its task, below.
            let skip = is_table_para(k) || prose_tasks.binary_search(&start).is_ok();
            (!skip).then_some(Reading::Paragraph {
                start,
                para,
                five_year_run,
            })
        })
        .chain(tasks.iter().map(Reading::Task))
        .collect();
    // The list of paragraphs is done with (the title's are copies).
    drop(paras);
    // Each paragraph and task is read on its own: a long text is read in parts at once, and
    // the parts' findings joined in the order of the text.
    let read_part = |part: &[Reading]| {
        // Room for more figures than a text usually holds (one in 740 bytes in the samples, a
        // milestone in 2,200): what is not filled is never touched, while growing would copy
        // them all again.
        let bytes: usize = part.iter().map(Reading::len).sum();
        let (mut quantities, mut milestones) = (
            Vec::with_capacity(bytes / 512),
            Vec::with_capacity(bytes / 2048),
        );
        for w in part {
            match *w {
                Reading::Paragraph {
                    start,
                    para,
                    five_year_run,
                } => {
                    // Most paragraphs map no span: the map of one is found at its first.
                    let map = std::cell::OnceCell::new();
                    let span_of = |a: usize, b: usize| {
                        map.get_or_init(|| norm.span_map(start, start + para.len()))
                            .span(start + a, start + b)
                    };
                    quantity::read_paragraph(
                        para,
                        &ctx,
                        five_year_run,
                        &span_of,
                        &mut quantities,
                        &mut milestones,
                    );
                }
                Reading::Task(t) => {
                    read_task(text, t, &task_place, &ctx, &mut quantities, &mut milestones)
                }
            }
        }
        (quantities, milestones)
    };
    let parts = parts_of(&work, Reading::len, threads);
    let found: Vec<(Vec<Quantity>, Vec<Milestone>)> =
        plantrack_join::map(&parts, &|r: &std::ops::Range<usize>| {
            read_part(&work[r.clone()])
        });
    // The first part's findings are the base the others are appended to, grown once.
    let more: (usize, usize) = found
        .iter()
        .skip(1)
        .fold((0, 0), |(q, m), f| (q + f.0.len(), m + f.1.len()));
    let mut found = found.into_iter();
    let (mut quantities, mut milestones) = found.next().unwrap_or_default();
    quantities.reserve_exact(more.0);
    milestones.reserve_exact(more.1);
    for (q, m) in found {
        quantities.extend(q);
        milestones.extend(m);
    }

    Extraction {
        document: DocumentMeta {
            title: title.map(|(_, _, t)| t),
            kind,
            region,
            region_parent,
            year,
            year_end,
            format: origin.format.to_string(),
            encoding: origin.encoding.to_string(),
        },
        sections,
        indicators,
        tasks,
        quantities,
        milestones,
        diagnostics,
    }
}

/// What the paragraph loop reads: a paragraph of the normalised text (at `start`, with whether
/// it stands in a review of the five years) or a task's text.
enum Reading<'a> {
    Paragraph {
        start: usize,
        para: &'a str,
        five_year_run: bool,
    },
    Task(&'a plantrack_model::Task),
}

impl Reading<'_> {
    fn len(&self) -> usize {
        match self {
            Reading::Paragraph { para, .. } => para.len(),
            Reading::Task(t) => t.text.len(),
        }
    }
}

/// Reads the quantities and milestones of a task's text, a target of the document's year.
fn read_task(
    text: &str,
    t: &plantrack_model::Task,
    place: &quantity::Place,
    ctx: &quantity::Context,
    quantities: &mut Vec<Quantity>,
    milestones: &mut Vec<Milestone>,
) {
    // A task cell on one line maps byte for byte; one broken over lines maps to the cell.
    let exact = text.get(t.span.start..t.span.end) == Some(t.text.as_str());
    let cell = t.span;
    let span_of = move |a: usize, b: usize| {
        if exact {
            Span::new(cell.start + a, cell.start + b)
        } else {
            cell
        }
    };
    // Every sentence of a task is read for numbers; for events where a word may start.
    let scanned = quantity::scan(ctx.lex, &t.text);
    for sentence in &scanned.sentences {
        let (s, e) = (sentence.start, sentence.end);
        let sentence_span_of = |a: usize, b: usize| span_of(s + a, s + b);
        quantity::read_sentence(
            &t.text[s..e],
            true,
            scanned.events(sentence),
            place,
            ctx,
            &sentence_span_of,
            quantities,
            milestones,
        );
    }
}

/// Texts shorter than this are read on one thread: starting another costs more than it saves.
const PARALLEL_MIN_BYTES: usize = 256 * 1024;

/// `here` and `other`, the second on another thread at the same time when `parallel`, else one
/// after the other on this thread.
fn beside<A, B: Send>(
    parallel: bool,
    here: impl FnOnce() -> A,
    other: impl FnOnce() -> B + Send,
) -> (A, B) {
    if !parallel {
        return (here(), other());
    }
    plantrack_join::join(here, other)
}

/// Splits `items` into contiguous parts of about equal size (by `size`), one per thread, when
/// they are large enough to be worth it.
fn parts_of<T>(
    items: &[T],
    size: impl Fn(&T) -> usize,
    threads: usize,
) -> Vec<std::ops::Range<usize>> {
    let total: usize = items.iter().map(&size).sum();
    if total < PARALLEL_MIN_BYTES || threads < 2 {
        return std::iter::once(0..items.len()).collect();
    }
    let share = total.div_ceil(threads);
    let mut parts = Vec::with_capacity(threads);
    let (mut from, mut acc) = (0, 0);
    for (i, item) in items.iter().enumerate() {
        acc += size(item);
        if acc >= share * (parts.len() + 1) && parts.len() + 1 < threads {
            parts.push(from..i + 1);
            from = i + 1;
        }
    }
    parts.push(from..items.len());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_cover_the_items_in_order() {
        let items = vec![100_000usize; 10];
        for threads in 1..=4 {
            let parts = parts_of(&items, |&n| n, threads);
            assert_eq!(parts.len(), threads);
            assert_eq!(parts[0].start, 0);
            assert_eq!(parts.last().unwrap().end, items.len());
            assert!(parts.windows(2).all(|w| w[0].end == w[1].start));
            assert!(parts.iter().all(|r| !r.is_empty()));
        }
        // A short text is read on one thread.
        let short = parts_of(&[10usize, 20], |&n| n, 4);
        assert!(short.len() == 1 && short[0] == (0..2));
    }

    #[test]
    fn a_long_text_read_in_parts_gives_what_one_thread_gives() {
        // The samples one after another, each copy's lines marked so no copy repeats another:
        // far past the length from which paragraphs are read in parts.
        let samples = [
            include_str!("../../../samples/tianjin/000_0276bcfc0abf3456.txt"),
            include_str!("../../../samples/tianjin/001_52f7147cf002561a.txt"),
            include_str!("../../../samples/tianjin/003_966d7ba61376989e.txt"),
        ];
        let mut text = String::new();
        for k in 0..4 {
            for line in samples.join("\n").lines() {
                text.push_str(line);
                if k > 0 && !line.trim().is_empty() {
                    text.push_str(&format!("（{k}）"));
                }
                text.push('\n');
            }
        }
        assert!(text.len() > 2 * PARALLEL_MIN_BYTES);
        let one = extract_on(&text, Origin::default(), &Hints::default(), 1);
        assert!(one.quantities.len() > 100 && !one.milestones.is_empty());
        for threads in [2, 3, 4] {
            let many = extract_on(&text, Origin::default(), &Hints::default(), threads);
            assert_eq!(many, one, "{threads} threads");
        }
    }
}
