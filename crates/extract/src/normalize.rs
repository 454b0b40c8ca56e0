//! Normalising: from the text as written to one paragraph per line, with a map back.
//!
//! Planning documents reach us hard-wrapped. Newspaper copies break every line after about twenty
//! characters, inside words and numbers (`新增产值200亿` / `元`); PDF and web copies split a
//! paragraph at a page break, leaving a blank line inside a word (`高` / (blank) / `标准`). The
//! normaliser re-flows such lines into paragraphs and folds the characters that vary between
//! copies, and keeps for every byte of its output the byte of the input it came from, so that every
//! extracted item can point into the original text.
//!
//! The rules, in the order they apply to two consecutive non-blank lines `a` and `b`:
//!
//! 1. Lines of a table (see [`crate::table`]) are never joined or changed.
//! 2. `b` that opens a Markdown heading (`#`) is never joined to `a`.
//! 3. In a hard-wrapped document (most lines are about as wide as the widest), `a` that fills the
//!    width continues into `b` unless `a` ends a sentence and `b` opens a list item or heading
//!    (`1.`, `（一）`, `一、`, `——`, `专栏`). `a` that is shorter than the width ends its paragraph
//!    (it is a heading or the last line of a paragraph).
//! 4. A page's number between `a` and `b` (`— 3 —`, `－ 4 －`, `- 12 -`, `第3页`, `第3页 共20页`,
//!    `3/20`: what PDF copies keep of the page's footer) is dropped, and `a` continues into `b`
//!    when `a` stops without ending its sentence, `b` starts with an ideograph or a digit and
//!    opens no list item, and `a` is no heading (a line that opens an item and is no longer
//!    than a heading).
//! 5. In any document, when `a` is a long paragraph (or, in a wrapped document, a full line) that
//!    stops without ending its sentence, it continues into `b` across blank lines, provided `b`
//!    starts with an ideograph or digit and not with a list or heading marker.
//!
//! Character folding: full-width digits, Latin letters, `％` and `．` become ASCII; indentation and
//! trailing spaces go; a space between a digit and an ideograph is dropped (`1476.7 亿元`,
//! `2023 年`, `西青区 2023`), while spaces between Latin words and between ideographs stay.

use plantrack_model::Span;

use crate::lexicon::Kind;

/// Text re-flowed into paragraphs, one per line, with a byte map back to the original.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Normalized {
    pub text: String,
    /// Runs of bytes copied from the original: `(start in text, start in original)`, sorted.
    /// Byte `i` of `text` comes from `orig + (i - start)` of the run holding it (for a folded
    /// character, a run of its own, the start of the original character). The last entry maps
    /// the end of `text`. Runs instead of a byte-by-byte map keep the normaliser's writes to a
    /// few per line.
    runs: Vec<(u32, u32)>,
    /// Bytes of `text` whose original is longer than one byte per byte (a folded `４`, a space
    /// standing for `\u{3000}`) or that stand for nothing (a line break), with where their
    /// original ends: `(byte in text, end in original)`, sorted.
    folds: Vec<(u32, u32)>,
}

impl Normalized {
    /// The original span of `start..end` in the normalised text.
    pub fn span(&self, start: usize, end: usize) -> Span {
        span_in(&self.runs, &self.folds, self.text.len(), start, end)
    }

    /// The original byte of each byte of the normalised text asked, as [`Normalized::span`]
    /// starts the span of it: bytes asked in order are found in one walk through the runs, not
    /// by a search of all of them each (a search for every paragraph of a long text was a
    /// stretch of its extraction on one thread).
    pub fn originals(&self) -> Originals<'_> {
        Originals {
            runs: &self.runs,
            len: self.text.len(),
            k: 0,
            last: 0,
        }
    }

    /// The map of the bytes `start..end` alone (a paragraph), for mapping many spans inside
    /// them: each looks among the few runs of its paragraph, not among all of the text's.
    pub fn span_map(&self, start: usize, end: usize) -> SpanMap<'_> {
        let end = end.min(self.text.len());
        let start = start.min(end);
        // The run holding `start`, through the last run starting before `end`.
        let first = self
            .runs
            .partition_point(|r| r.0 as usize <= start)
            .saturating_sub(1);
        let last = self.runs.partition_point(|r| (r.0 as usize) < end);
        let folds_from = self.folds.partition_point(|f| (f.0 as usize) < start);
        let folds_to = self.folds.partition_point(|f| (f.0 as usize) < end);
        SpanMap {
            whole: self,
            start,
            end,
            runs: &self.runs[first..last.max(first)],
            folds: &self.folds[folds_from..folds_to.max(folds_from)],
        }
    }

    /// The paragraphs: each line of `text` with its byte offset in `text`.
    pub fn paragraphs(&self) -> impl Iterator<Item = (usize, &str)> {
        self.paragraphs_in(0, self.text.len())
    }

    /// The paragraphs starting in `from..to`, where `from` starts a line and `to` does or is
    /// the end of the text (each line of `text` with its byte offset in `text`).
    pub fn paragraphs_in(&self, from: usize, to: usize) -> impl Iterator<Item = (usize, &str)> {
        let to = to.min(self.text.len());
        let from = from.min(to);
        // The text through the part's last line: the rest is not looked at.
        let text = &self.text[..to];
        let base = from;
        let mut from = from;
        memchr::memchr_iter(b'\n', &text.as_bytes()[base..])
            .map(move |at| Some(base + at))
            .chain(std::iter::once(None))
            .filter_map(move |line_break| {
                let start = from;
                match line_break {
                    Some(at) => {
                        from = at + 1;
                        Some((start, &text[start..at]))
                    }
                    // What follows the last line break, if anything does.
                    None => (start < text.len()).then(|| (start, &text[start..])),
                }
            })
    }
}

/// The map back of a part of a normalised text (see [`Normalized::span_map`]).
#[derive(Debug, Clone, Copy)]
pub struct SpanMap<'a> {
    whole: &'a Normalized,
    start: usize,
    end: usize,
    runs: &'a [(u32, u32)],
    folds: &'a [(u32, u32)],
}

impl SpanMap<'_> {
    /// The original span of `start..end` in the normalised text (offsets in the whole text),
    /// as [`Normalized::span`] gives it.
    pub fn span(&self, start: usize, end: usize) -> Span {
        if self.start <= start && start < end && end <= self.end {
            span_in(self.runs, self.folds, self.whole.text.len(), start, end)
        } else {
            self.whole.span(start, end)
        }
    }
}

/// A walk through a normalised text's runs: see [`Normalized::originals`].
pub struct Originals<'a> {
    runs: &'a [(u32, u32)],
    len: usize,
    /// The run holding `last`.
    k: usize,
    last: usize,
}

impl Originals<'_> {
    /// The original byte of byte `i` of the normalised text. Asked in order, the walk goes on
    /// from the last run; a byte before the last asked starts it again.
    pub fn at(&mut self, i: usize) -> usize {
        let i = i.min(self.len);
        if i < self.last {
            self.k = 0;
        }
        self.last = i;
        // The last run starting at or before `i`, as `original` finds it.
        while self.runs.get(self.k + 1).is_some_and(|r| r.0 as usize <= i) {
            self.k += 1;
        }
        in_run(self.runs.get(self.k), i)
    }
}

/// The original span of `start..end` by `runs` and `folds`, or by the part of them that holds
/// every byte of `start..end`.
fn span_in(
    runs: &[(u32, u32)],
    folds: &[(u32, u32)],
    len: usize,
    start: usize,
    end: usize,
) -> Span {
    let start_orig = original(runs, start.min(len));
    // The end maps through the last byte included, so that a span never swallows what the
    // normaliser dropped after it (a newline, a blank line).
    let end_orig = if end > start {
        let last = (end - 1).min(len.saturating_sub(1));
        match folds.binary_search_by_key(&(last as u32), |f| f.0) {
            Ok(k) => folds[k].1 as usize,
            Err(_) => original(runs, last) + 1,
        }
    } else {
        start_orig
    };
    Span::new(start_orig, end_orig.max(start_orig))
}

/// The original byte of byte `i` of the normalised text.
fn original(runs: &[(u32, u32)], i: usize) -> usize {
    let k = runs
        .partition_point(|r| r.0 as usize <= i)
        .saturating_sub(1);
    in_run(runs.get(k), i)
}

/// The original byte of byte `i` of the normalised text by the run holding it (none: no map).
fn in_run(run: Option<&(u32, u32)>, i: usize) -> usize {
    match run {
        Some(&(norm, orig)) => orig as usize + (i - norm as usize),
        None => i,
    }
}

/// A line of the original text: its byte range without the line break.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line {
    pub start: usize,
    pub end: usize,
}

/// Splits text into lines, dropping `\n` and a `\r` before it.
pub(crate) fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::with_capacity(text.len() / 32);
    let mut start = 0;
    for i in memchr::memchr_iter(b'\n', text.as_bytes()) {
        let end = if i > start && text.as_bytes()[i - 1] == b'\r' {
            i - 1
        } else {
            i
        };
        out.push(Line { start, end });
        start = i + 1;
    }
    if start < text.len() {
        out.push(Line {
            start,
            end: text.len(),
        });
    }
    out
}

/// Display width: ideographs and full-width forms count two, everything else one.
fn width(s: &str) -> usize {
    // Three- and four-byte characters are the wide ones in practice (ideographs, full-width
    // forms); counting lead bytes avoids decoding. Without branches, so that it is vectorised:
    // every byte but a continuation byte (0x80–0xBF) counts one, a lead byte of three or four
    // bytes (0xE0–0xFF) one more. Summed in bytes, 127 at a time (at most 254), so that a
    // vector holds a lane for each byte: four times the speed of summing in `usize`s.
    s.as_bytes()
        .chunks(127)
        .map(|part| {
            part.iter()
                .map(|&b| u8::from((b as i8) >= -0x40) + u8::from(b >= 0xE0))
                .sum::<u8>() as usize
        })
        .sum()
}
pub(crate) fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// A line that is only a page's number: `— 3 —`, `－ 4 －`, `- 12 -`, `第3页`, `第3页 共20页`,
/// `3/20`. A number alone is not one (it may be a figure of a table).
pub(crate) fn is_page_marker(s: &str) -> bool {
    let s = s.trim_matches([' ', '\u{3000}']);
    if s.is_empty() || s.len() > 40 {
        return false;
    }
    let dashes = ['-', '—', '－', '–', '─'];
    let inner = s.trim_start_matches(dashes);
    let inner_end = inner.trim_end_matches(dashes);
    let dashed = inner.len() < s.len() && inner_end.len() < inner.len();
    let digits = |t: &str| {
        let t = t.trim_matches([' ', '\u{3000}']);
        (1..=4).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
    };
    if dashed && digits(inner_end) {
        return true;
    }
    // `第3页`, `第3页 共20页`, `第 3 页，共 20 页`.
    if let Some(r) = s.strip_prefix('第')
        && let Some(p) = r.find('页')
        && digits(&r[..p])
    {
        let rest = r[p + '页'.len_utf8()..].trim_matches([' ', '\u{3000}', '，', ',', '/']);
        return rest.is_empty()
            || rest
                .strip_prefix('共')
                .and_then(|t| t.strip_suffix('页'))
                .is_some_and(digits);
    }
    // `3/20`, `3 / 20`.
    if let Some((a, b)) = s.split_once('/') {
        return digits(a) && digits(b);
    }
    false
}

/// Punctuation that ends a sentence or a clause a line may legitimately end on.
fn ends_sentence(s: &str) -> bool {
    let s = s.trim_end_matches(['”', '’', '」', '』', '）', ')', ' ', '\u{3000}']);
    s.ends_with(['。', '！', '？', '；', '：', '!', '?', ';', ':', '…'])
}

/// Whether a line opens a list item or heading, by its leading marker.
pub(crate) fn opens_item(s: &str) -> bool {
    let s = s.trim_start_matches([' ', '\u{3000}']);
    if s.starts_with('#') || s.starts_with("——") || s.starts_with("专栏") || s.starts_with("注")
    {
        return true;
    }
    crate::structure::parse_marker(s).is_some()
}

struct Layout {
    /// The width of a full line in a hard-wrapped document, if it is one.
    wrap_width: Option<usize>,
}

/// Width (in half-width columns) from which an unwrapped line counts as a long paragraph: longer
/// than any heading (headings run up to sixty characters).
const LONG_PARAGRAPH: usize = 120;

/// What the normaliser reads of each line before it knows which lines are a table's, so that a
/// long text's lines are read while its tables are found (on another thread).
pub(crate) struct LineFacts {
    /// Whether the line reads as a page's number (see [`is_page_marker`]).
    page_number: Vec<bool>,
    /// The display width of the line, trimmed.
    width: Vec<usize>,
    /// Whether the line is inside an HTML comment.
    hidden: Vec<bool>,
}

impl LineFacts {
    pub(crate) fn of(text: &str, lines: &[Line]) -> LineFacts {
        LineFacts {
            page_number: lines
                .iter()
                .map(|l| is_page_marker(&text[l.start..l.end]))
                .collect(),
            width: lines
                .iter()
                .map(|l| width(text[l.start..l.end].trim()))
                .collect(),
            hidden: html_comments(text, lines),
        }
    }
}

/// The layout, from the widths of the lines that are neither `protected` (tables) nor page
/// `markers`.
fn layout(widths: &[usize], protected: &[bool], markers: &[bool]) -> Layout {
    let mut widths: Vec<usize> = widths
        .iter()
        .zip(protected.iter().zip(markers))
        .filter(|(_, (p, m))| !**p && !**m)
        .map(|(&w, _)| w)
        .filter(|&w| w > 0)
        .collect();
    if widths.len() < 10 {
        return Layout { wrap_width: None };
    }
    // The width three lines in four are no wider than (a selection, not a sort).
    let k = widths.len() * 3 / 4;
    let w = *widths.select_nth_unstable(k).1;
    let near = widths
        .iter()
        .filter(|&&x| x * 5 >= w * 4 && x * 20 <= w * 23)
        .count();
    let wrapped = (16..=120).contains(&w) && near * 2 >= widths.len();
    Layout {
        wrap_width: wrapped.then_some(w),
    }
}

/// Re-flows and folds `text`. `protected[i]` marks line `i` as part of a table.
pub fn normalize(text: &str, protected_lines: &[bool]) -> Normalized {
    let lines = lines(text);
    let facts = LineFacts::of(text, &lines);
    normalize_lines(text, &lines, protected_lines, facts, 1)
}

/// [`normalize`] with the text's lines already split and read (`facts`, of the same lines),
/// on up to `threads` threads: a long text is re-flowed in parts, cut where a paragraph starts,
/// and the parts joined.
pub(crate) fn normalize_lines(
    text: &str,
    lines: &[Line],
    protected_lines: &[bool],
    facts: LineFacts,
    threads: usize,
) -> Normalized {
    let protected = |i: usize| protected_lines.get(i).copied().unwrap_or(false);
    let prot: Vec<bool> = (0..lines.len()).map(protected).collect();
    // Page numbers are no content: a paragraph runs on over them.
    let markers: Vec<bool> = facts
        .page_number
        .iter()
        .zip(&prot)
        .map(|(&m, p)| !p && m)
        .collect();
    let flow = Flow {
        text,
        lines,
        layout: layout(&facts.width, &prot, &markers),
        hidden: facts.hidden,
        prot,
        markers,
    };
    let cuts = flow.cuts(threads);
    // The first part is made large enough to take the others (and a last line break the text
    // lacks), which are copied in after it: growing it would copy it again.
    let pieces: Vec<(usize, usize, usize)> = cuts
        .windows(2)
        .enumerate()
        .map(|(k, w)| (w[0], w[1], if k == 0 { text.len() + 1 } else { 0 }))
        .collect();
    let mut parts: Vec<Normalized> = if pieces.len() < 2 {
        vec![flow.flow(0, lines.len(), text.len() + 1)]
    } else {
        plantrack_join::map(&pieces, &|&(from, to, room)| flow.flow(from, to, room))
    };
    let mut rest = parts.split_off(1);
    let mut out = parts.pop().unwrap_or_default();
    for part in &mut rest {
        let at = out.text.len() as u32;
        out.text.push_str(&part.text);
        out.runs
            .extend(part.runs.iter().map(|&(norm, orig)| (norm + at, orig)));
        out.folds
            .extend(part.folds.iter().map(|&(norm, orig)| (norm + at, orig)));
    }
    out.runs.push((out.text.len() as u32, text.len() as u32));
    out
}

/// What re-flowing the lines of a text needs to know of each.
struct Flow<'a> {
    text: &'a str,
    lines: &'a [Line],
    layout: Layout,
    /// Table lines, copied as they are.
    prot: Vec<bool>,
    /// Page numbers.
    markers: Vec<bool>,
    /// Lines inside an HTML comment.
    hidden: Vec<bool>,
}

impl Flow<'_> {
    /// What line `i` shows: nothing for a page number, a hidden line or a blank one.
    fn content(&self, i: usize) -> &str {
        if self.markers[i] || self.hidden[i] {
            ""
        } else {
            visible(&self.text[self.lines[i].start..self.lines[i].end])
        }
    }

    /// Whether line `k` carries on the paragraph whose last line is `last` (the lines between
    /// show nothing).
    fn joins(&self, last: usize, k: usize) -> bool {
        let across_blank = k > last + 1;
        let across_page = self.markers[last + 1..k].contains(&true);
        let (a, b) = (self.content(last), self.content(k));
        joins(a, b, across_blank, &self.layout) || (across_page && joins_across_page(a, b))
    }

    /// Where to cut the lines for `threads` parts of about equal length, each cut at a line
    /// that starts a paragraph, so that each part re-flows as it would in the whole: the first
    /// line, the cuts, the end. Two entries (no cut) for a short text or one thread.
    fn cuts(&self, threads: usize) -> Vec<usize> {
        let n = self.lines.len();
        let mut cuts = vec![0];
        if threads >= 2 && self.text.len() >= crate::PARALLEL_MIN_BYTES {
            let share = self.text.len().div_ceil(threads);
            for t in 1..threads {
                let target = self.lines.partition_point(|l| l.start < share * t);
                let from = target.max(cuts[cuts.len() - 1] + 1);
                if let Some(k) = (from..n).find(|&k| self.starts_paragraph(k)) {
                    cuts.push(k);
                }
            }
        }
        cuts.push(n);
        cuts.dedup();
        cuts
    }

    /// Whether re-flowing the whole text starts afresh at line `k`: `k` shows something or is
    /// a table's, and the line before it that does either is a table's, or is none, or does
    /// not run on into `k`.
    fn starts_paragraph(&self, k: usize) -> bool {
        let shows = |i: usize| self.prot[i] || !self.content(i).is_empty();
        if !shows(k) {
            return false;
        }
        match (0..k).rev().find(|&p| shows(p)) {
            None => true,
            Some(p) => self.prot[p] || self.prot[k] || !self.joins(p, k),
        }
    }

    /// Re-flows lines `from..to`; `from` starts a paragraph, and so does `to` unless it is the
    /// end (a paragraph is never carried past it). The result has room for at least `room`
    /// bytes of text (and their map), or for the part's own.
    fn flow(&self, from: usize, to: usize, room: usize) -> Normalized {
        let (text, lines, prot) = (self.text, self.lines, &self.prot);
        let size = (lines.get(to).map_or(text.len(), |l| l.start)
            - lines.get(from).map_or(text.len(), |l| l.start))
        .max(room);
        let mut out = Normalized {
            text: String::with_capacity(size),
            runs: Vec::with_capacity(size / 16),
            folds: Vec::new(),
        };
        let mut i = from;
        while i < to {
            if self.content(i).is_empty() {
                i += 1;
                continue;
            }
            if prot[i] {
                push_line(&mut out, text, lines[i], true);
                push_break(&mut out, lines[i].end);
                i += 1;
                continue;
            }
            // Gather the paragraph that starts at line i.
            push_line(&mut out, text, lines[i], false);
            let mut last = i;
            let mut j = i + 1;
            loop {
                // The next non-blank line, and whether blank lines stand between.
                let mut k = j;
                while k < lines.len() && self.content(k).is_empty() && !prot[k] {
                    k += 1;
                }
                if k >= lines.len() || prot[k] || !self.joins(last, k) {
                    break;
                }
                push_line(&mut out, text, lines[k], false);
                last = k;
                j = k + 1;
            }
            push_break(&mut out, lines[last].end);
            i = last + 1;
        }
        out
    }
}

fn joins(a: &str, b: &str, across_blank: bool, layout: &Layout) -> bool {
    if b.starts_with('#') || a.starts_with('#') {
        return false;
    }
    let wa = width(a);
    let full = layout.wrap_width.is_some_and(|w| wa * 5 >= w * 4);
    if !across_blank {
        if let Some(w) = layout.wrap_width {
            // A line narrower than the width may still be wrapped: digits and Latin letters are
            // half as wide as ideographs, so a line holding them stops short of the margin.
            let most = wa * 5 >= w * 3;
            return (full && !(ends_sentence(a) && opens_item(b)))
                || (most && !ends_sentence(a) && !opens_item(b));
        }
        return false;
    }
    let long = wa >= LONG_PARAGRAPH || full;
    long && !ends_sentence(a) && continues_text(b)
}

/// Whether `b` can carry on a sentence: it starts with an ideograph or a digit and opens no
/// list item or heading.
fn continues_text(b: &str) -> bool {
    b.chars()
        .next()
        .is_some_and(|c| is_ideograph(c) || c.is_ascii_digit())
        && !opens_item(b)
}

/// Rule 4: a sentence cut by a page's footer continues on the next page, unless `a` is a
/// heading (a line that opens an item and is no longer than a heading can be).
fn joins_across_page(a: &str, b: &str) -> bool {
    let heading = opens_item(a) && width(a) <= LONG_PARAGRAPH;
    !ends_sentence(a) && continues_text(b) && !heading && !a.starts_with('#')
}

fn push_break(out: &mut Normalized, at: usize) {
    // A span never takes the break in: it ends where the line did.
    out.folds.push((out.text.len() as u32, at as u32));
    out.runs.push((out.text.len() as u32, at as u32));
    out.text.push('\n');
}

/// For each first byte, how far to step over a character it starts that cannot need a change
/// in [`push_line`] (its length), or 0 for the bytes that may start one: a space, `<`, `&`, and
/// the lead bytes C2, E2, E3 and EF. A continuation byte (never a first one) steps one.
static STEP: [u8; 256] = {
    let mut t = [1u8; 256];
    let mut b = 0xC0;
    while b < 0x100 {
        t[b] = match b {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        b += 1;
    }
    t[b' ' as usize] = 0;
    t[b'<' as usize] = 0;
    t[b'&' as usize] = 0;
    t[0xC2] = 0;
    t[0xE2] = 0;
    t[0xE3] = 0;
    t[0xEF] = 0;
    t
};

/// Whether the character at byte `i` may need a change: only a space, U+3000 (E3 80 80), U+00A0
/// (C2 A0), the full-width forms block (EF BC xx, EF BD xx), a zero-width mark (E2 80 xx,
/// EF BB BF) or a literal mark (`<U+00A0>`, `&nbsp;`) can; everything else is copied as it is.
fn may_start_change(b: &[u8], i: usize) -> bool {
    match b[i] {
        b' ' | b'<' | b'&' => true,
        0xE3 => b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x80),
        0xC2 => b.get(i + 1) == Some(&0xA0),
        // U+200B–U+200D (E2 80 8B–8D) and U+2060 (E2 81 A0), not the quotes and dashes of
        // the same block.
        0xE2 => {
            (b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0x8B..=0x8D)))
                || (b.get(i + 1) == Some(&0x81) && b.get(i + 2) == Some(&0xA0))
        }
        0xEF => folds_at(&b[i..]),
        _ => false,
    }
}

/// The first byte from `i` on that may start a change (see [`push_line`]), or the end: sixteen
/// bytes at a time where the processor has SSE2 (every x86-64 does), by the same bytes as the
/// test in `push_line`, then a character at a time by its first byte ([`STEP`]). `i` is a
/// character's first byte, and so is the byte found: no byte that starts a change continues a
/// character.
fn may_change_from(b: &[u8], mut i: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of x86-64.
        i = unsafe { may_change_sse2(b, i) };
    }
    while i < b.len() {
        let step = STEP[b[i] as usize] as usize;
        if step == 0 {
            return i;
        }
        i += step;
    }
    b.len()
}

/// [`may_change_from`] sixteen bytes at a time, as far as three bytes can be read for each:
/// the first byte that may start a change, or where the scalar steps take over (a character's
/// first byte). A byte is taken when it is a space, `<` or `&`, or starts U+3000 (E3 80 80),
/// U+00A0 (C2 A0), U+200B–200D (E2 80 8B–8D), U+2060 (E2 81 A0), U+FEFF (EF BB BF) or a
/// full-width form that folds (EF BC 85, 8B, 8D–99, A1–BA; EF BD 81–9A): the Chinese comma,
/// brackets and quotes, which are most of the characters of these blocks, are passed over.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn may_change_sse2(b: &[u8], mut i: usize) -> usize {
    use plantrack_bytes::sse2::{is, mask, three_at, within};
    use std::arch::x86_64::*;
    let or = _mm_or_si128;
    let and = _mm_and_si128;
    while let Some((x, x1, x2)) = three_at(b, i) {
        let ascii = or(or(is(x, b' '), is(x, b'<')), is(x, b'&'));
        let ideographic_space = and(is(x, 0xE3), and(is(x1, 0x80), is(x2, 0x80)));
        let no_break = and(is(x, 0xC2), is(x1, 0xA0));
        let zero_width = and(
            is(x, 0xE2),
            or(
                and(is(x1, 0x80), within(x2, 0x8B, 0x8D)),
                and(is(x1, 0x81), is(x2, 0xA0)),
            ),
        );
        let bc = or(
            or(is(x2, 0x85), is(x2, 0x8B)),
            or(within(x2, 0x8D, 0x99), within(x2, 0xA1, 0xBA)),
        );
        let full_width = and(
            is(x, 0xEF),
            or(
                or(and(is(x1, 0xBB), is(x2, 0xBF)), and(is(x1, 0xBC), bc)),
                and(is(x1, 0xBD), within(x2, 0x81, 0x9A)),
            ),
        );
        let hit = or(
            or(ascii, ideographic_space),
            or(no_break, or(zero_width, full_width)),
        );
        let found = mask(hit);
        if found != 0 {
            return i + found.trailing_zeros() as usize;
        }
        i += 16;
    }
    // The scalar steps start at a character's first byte.
    while i < b.len() && (b[i] as i8) < -0x40 {
        i += 1;
    }
    i
}

/// Appends one line, folded. A protected line is copied with its tabs; others lose indentation.
fn push_line(out: &mut Normalized, text: &str, line: Line, protected: bool) {
    let s = &text[line.start..line.end];
    let body = if protected { s } else { trim_start_marks(s) };
    let lead = s.len() - body.len();
    let body = if protected {
        body.trim_end_matches([' ', '\t', '\u{3000}', '\u{a0}', '\r'])
    } else {
        trim_end_marks(body)
    };
    let base = line.start + lead;
    let b = body.as_bytes();
    // Bytes that need no change are copied in runs, each mapped to its original byte.
    let flush = |out: &mut Normalized, from: usize, to: usize| {
        if from < to {
            out.runs.push((out.text.len() as u32, (base + from) as u32));
            out.text.push_str(&body[from..to]);
        }
    };
    let mut run_from = 0;
    let mut i = 0;
    while i < b.len() {
        i = may_change_from(b, i);
        if i >= b.len() {
            break;
        }
        let candidate = may_start_change(b, i);
        if !candidate {
            i += 1;
            continue;
        }
        let c = body[i..].chars().next().unwrap_or(' ');
        let folded = fold(c);
        let space = space_len(&body[i..]);
        if space == 0 && folded == c {
            i += c.len_utf8();
            continue;
        }
        flush(out, run_from, i);
        let at = base + i;
        if space > 0 {
            // A run of spaces: keep one unless it separates a digit and an ideograph.
            let mut j = i;
            loop {
                let n = space_len(&body[j..]);
                if n == 0 {
                    break;
                }
                j += n;
            }
            let next = body[j..].chars().next().map(fold);
            let prev = out.text.chars().next_back().filter(|c| *c != '\n');
            let digit_like = |c: char| c.is_ascii_digit() || c == '%' || c == '‰';
            // `1 9 9 7 年…7 4 7 7 2 亿元…增长1 1 ％`: a typesetter's spaces between single digits
            // (not `专栏3 2023年`, a number and a year).
            let lone_before = body[..i]
                .chars()
                .rev()
                .nth(1)
                .is_none_or(|c| !fold(c).is_ascii_digit());
            let lone_after = body[j..]
                .chars()
                .nth(1)
                .is_none_or(|c| !fold(c).is_ascii_digit());
            let inside_number = |p: char, n: char| {
                lone_before
                    && ((p.is_ascii_digit() && n.is_ascii_digit() && lone_after)
                        || (p.is_ascii_digit() && (n == '%' || n == '.'))
                        || (p == '.' && n.is_ascii_digit()))
            };
            let drop = zero_width(&body[i..j])
                || match (prev, next) {
                    (Some(p), Some(n)) => {
                        (digit_like(p) && is_ideograph(n))
                            || (is_ideograph(p) && n.is_ascii_digit())
                            || inside_number(p, n)
                    }
                    _ => true,
                };
            if !drop {
                if space > 1 {
                    out.folds.push((out.text.len() as u32, (at + space) as u32));
                }
                out.runs.push((out.text.len() as u32, at as u32));
                out.text.push(' ');
            }
            i = j;
            run_from = j;
            continue;
        }
        // A full-width form folded to one ASCII byte.
        out.folds
            .push((out.text.len() as u32, (at + c.len_utf8()) as u32));
        out.runs.push((out.text.len() as u32, at as u32));
        out.text.push(folded);
        i += c.len_utf8();
        run_from = i;
    }
    flush(out, run_from, b.len());
}

/// Whether the bytes open with a character of the block EF xx xx that [`fold`] changes or that
/// is a mark ([`SPACE_MARKS`]): the byte-order mark (EF BB BF), the full-width digits, letters
/// and `％．＋－／`. Not the full-width punctuation Chinese text uses as its own (`，（）：；`),
/// met at every other clause, which is copied as it is without being decoded.
fn folds_at(b: &[u8]) -> bool {
    match (b.get(1), b.get(2)) {
        (Some(0xBB), Some(0xBF)) => true,
        (Some(0xBC), Some(x)) => matches!(x, 0x85 | 0x8B | 0x8D..=0x99 | 0xA1..=0xBA),
        (Some(0xBD), Some(x)) => matches!(x, 0x81..=0x9A),
        _ => false,
    }
}

/// Full-width ASCII forms to ASCII: `４．５％` → `4.5%`. Full-width brackets and punctuation that
/// Chinese text uses as its own (`（`, `，`, `：`) are kept.
/// Spaces, and marks that show nothing: zero-width characters, and the literal `<U+00A0>` and
/// `&nbsp;` that scrapers leave for a non-breaking space.
const SPACE_MARKS: &[&str] = &[
    " ", "\u{3000}", "\u{a0}", "\t", "<U+00A0>", "&nbsp;", "\u{200b}", "\u{200c}", "\u{200d}",
    "\u{2060}", "\u{feff}",
];

/// The byte length of a space or an invisible mark at the start of `s`, or 0.
fn space_len(s: &str) -> usize {
    // By the first byte, so that the common characters of the same blocks cost one comparison.
    let b = s.as_bytes();
    match b.first() {
        Some(b' ' | b'\t') => 1,
        Some(0xE3 | 0xC2 | 0xE2 | 0xEF | b'<' | b'&') => SPACE_MARKS
            .iter()
            .find(|m| s.starts_with(**m))
            .map_or(0, |m| m.len()),
        _ => 0,
    }
}

/// Whether a run of marks is only zero-width characters (dropped, never a space).
fn zero_width(s: &str) -> bool {
    s.chars().all(|c| {
        matches!(
            c,
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
        )
    })
}

fn trim_start_marks(mut s: &str) -> &str {
    loop {
        match space_len(s) {
            0 => return s,
            n => s = &s[n..],
        }
    }
}

fn trim_end_marks(mut s: &str) -> &str {
    loop {
        // Every mark ends in one of these bytes; most lines end in none of them.
        if !matches!(
            s.as_bytes().last(),
            Some(b' ' | b'\t' | b'\r' | b'\n' | 0x80 | 0xA0 | 0x8B..=0x8D | 0xBF | b'>' | b';')
        ) {
            return s;
        }
        let t = s.trim_end_matches(['\r', '\n']);
        match SPACE_MARKS.iter().find(|m| t.ends_with(**m)) {
            Some(m) => s = &t[..t.len() - m.len()],
            None => return t,
        }
    }
}

/// A line without its spaces and invisible marks.
pub(crate) fn visible(s: &str) -> &str {
    // Most lines start and end with text: no mark to look for.
    let starts_mark = |b: u8| matches!(b, b' ' | b'\t' | 0xC2 | 0xE2 | 0xE3 | 0xEF | b'<' | b'&');
    let ends_mark = |b: u8| {
        matches!(
            b,
            b' ' | b'\t' | b'\r' | b'\n' | 0x80 | 0xA0 | 0x8B..=0x8D | 0xBF | b'>' | b';'
        )
    };
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(&f), Some(&l)) if !starts_mark(f) && !ends_mark(l) => s,
        _ => trim_end_marks(trim_start_marks(s)),
    }
}

/// A line longer than this (bytes) is a text whose line breaks were lost.
const RUN_ON_LINE: usize = 3000;

/// Splits lines that hold a whole text (line breaks lost: `…提出意见。一、2013年工作回顾过去一年…`)
/// at headings and paragraph openers after a sentence's end, and after a heading glued to the text
/// that follows it. Lines stay ranges of the original, so the byte map is untouched.
pub(crate) fn split_run_on_lines(
    lex: &crate::lexicon::Lexicon,
    text: &str,
    lines: Vec<Line>,
) -> Vec<Line> {
    if !lines.iter().any(|l| l.end - l.start > RUN_ON_LINE) {
        return lines;
    }
    let mut out = Vec::with_capacity(lines.len() * 2);
    for l in lines {
        if l.end - l.start <= RUN_ON_LINE {
            out.push(l);
            continue;
        }
        let s = &text[l.start..l.end];
        let mut from = 0;
        let cut = |at: usize, out: &mut Vec<Line>, from: &mut usize| {
            if at > *from {
                out.push(Line {
                    start: l.start + *from,
                    end: l.start + at,
                });
                *from = at;
            }
        };
        // The title and the speech line before the address (`政府工作报告——2014年2月19日在…会议上
        // 各位代表：`).
        for w in ["——", "各位代表"] {
            if let Some(p) = s.find(w)
                && p > from
                && p < 600
            {
                cut(p, &mut out, &mut from);
            }
        }
        for (i, c) in s.char_indices() {
            if !matches!(c, '。' | '！' | '？' | '；' | '：') {
                continue;
            }
            let at = i + c.len_utf8();
            let rest = &s[at..];
            let marker = crate::structure::parse_marker(rest).filter(|m| {
                !matches!(
                    m.style,
                    plantrack_model::HeadingStyle::ArabicOrdinal
                        | plantrack_model::HeadingStyle::ParenArabicOrdinal
                )
            });
            if marker.is_some()
                || lex
                    .words(Kind::ParagraphOpener)
                    .iter()
                    .any(|w| rest.starts_with(w.as_str()))
            {
                cut(at, &mut out, &mut from);
            }
            // A heading run into its text: cut after its last heading word before any
            // punctuation, within a heading's length.
            if let Some(m) = marker {
                let title: String = rest[m.len..]
                    .chars()
                    .take_while(|c| !"，。；：、！？".contains(*c))
                    .take(30)
                    .collect();
                if let Some(end) = lex
                    .words(Kind::HeadingEnd)
                    .iter()
                    .filter_map(|w| title.rfind(w.as_str()).map(|p| p + w.len()))
                    .max()
                    && end < title.len()
                {
                    cut(at + m.len + end, &mut out, &mut from);
                }
            }
        }
        cut(s.len(), &mut out, &mut from);
    }
    out
}

/// Lines of a text printed more than once in one file (web pages that hold their article
/// several times over): `(hidden, copies)`, every copy after the first hidden. A copy is found
/// when a long line comes again and the next long lines come again at the same distance; the
/// copy's start is found by walking back while the lines before both agree.
pub(crate) fn repeated_copies(text: &str, lines: &[Line]) -> (Vec<bool>, usize) {
    use std::collections::HashMap;
    let mut hidden = vec![false; lines.len()];
    let content = |i: usize| visible(&text[lines[i].start..lines[i].end]);
    let long: Vec<usize> = (0..lines.len())
        .filter(|&i| content(i).len() >= LONG_LINE)
        .collect();
    // Keyed by a line's length and its first and last bytes; a hit is compared whole.
    let key = |i: usize| {
        use std::hash::Hasher;
        let b = content(i).as_bytes();
        let mut h = Fnv::default();
        h.write(&b[..b.len().min(24)]);
        h.write(&b[b.len().saturating_sub(24)..]);
        h.finish() ^ b.len() as u64
    };
    let mut first_seen: HashMap<u64, usize, BuildFnv> =
        HashMap::with_capacity_and_hasher(long.len(), BuildFnv::default());
    let mut period = None;
    for (k, &i) in long.iter().enumerate() {
        let h = key(i);
        match first_seen.get(&h) {
            Some(&j) if content(long[j]) == content(i) => {
                let agrees = (1..=CONFIRM).all(|d| {
                    long.get(k + d)
                        .is_some_and(|&b| content(b) == content(long[j + d]))
                });
                if agrees {
                    period = Some((long[j], i));
                    break;
                }
            }
            Some(_) => {}
            None => {
                first_seen.insert(h, k);
            }
        }
    }
    let Some((mut a, mut b)) = period else {
        return (hidden, 1);
    };
    let opening = content(a);
    while a > 0 && content(a - 1) == content(b - 1) && b - 1 > a {
        a -= 1;
        b -= 1;
    }
    // Every line after the first copy that the first copy holds belongs to a later copy; what
    // stands between the copies (a page's frame) is left to the frame rules.
    let first: std::collections::HashSet<&str> = (a..b).map(content).collect();
    let mut copies = 1;
    for (j, h) in hidden.iter_mut().enumerate().skip(b) {
        let c = content(j);
        if first.contains(c) {
            *h = true;
            copies += usize::from(c == opening);
        }
    }
    (hidden, copies)
}

/// FNV-1a: lines are hashed once each, and SipHash's strength is not needed for them.
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type BuildFnv = std::hash::BuildHasherDefault<Fnv>;

/// A line long enough that two equal ones are a repeat, not a coincidence (bytes).
const LONG_LINE: usize = 90;
/// How many long lines after a repeated one must repeat too.
const CONFIRM: usize = 5;

/// Lines inside HTML comments (`<!--` … `-->`), which a saved web page leaves in its text.
fn html_comments(text: &str, lines: &[Line]) -> Vec<bool> {
    let mut hidden = vec![false; lines.len()];
    let mut open = false;
    for (i, l) in lines.iter().enumerate() {
        let s = visible(&text[l.start..l.end]);
        if !open && s.starts_with("<!--") {
            open = true;
        }
        if open {
            hidden[i] = true;
            if s.ends_with("-->") {
                open = false;
            }
        }
    }
    hidden
}

pub(crate) fn fold(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '％' | '．' | '＋' | '－' | '／' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bytes_taken_as_folding_are_the_characters_that_fold() {
        // Every character of three bytes led by EF (U+F000–U+FFFF): `push_line` decodes it only
        // when `folds_at` says it changes.
        for u in 0xF000..=0xFFFFu32 {
            let Some(c) = char::from_u32(u) else { continue };
            let s = c.to_string();
            let changes = fold(c) != c || space_len(&s) > 0;
            assert_eq!(folds_at(s.as_bytes()), changes, "{c:?} (U+{u:04X})");
        }
    }

    #[test]
    fn the_search_for_a_change_passes_over_no_character_that_may_change() {
        // Every character of the Basic Multilingual Plane and a few beyond, between ideographs
        // and at each offset of the sixteen-byte steps, and the marks and their near misses.
        let mut texts: Vec<String> = (0..=0xFFFFu32)
            .chain([0x1F600, 0x20000])
            .filter_map(char::from_u32)
            .collect::<Vec<_>>()
            .chunks(7)
            .map(|g| g.iter().flat_map(|&c| ['中', c]).collect())
            .collect();
        for mark in SPACE_MARKS
            .iter()
            .chain(&["\u{3001}", "\u{2061}", "\u{feff}"])
        {
            for pad in 0..20 {
                texts.push(format!("{}{mark}{}", "十".repeat(pad), "abc中".repeat(8)));
                texts.push(format!("{}{mark}", "a".repeat(pad)));
            }
        }
        for t in &texts {
            let b = t.as_bytes();
            for i in (0..b.len()).filter(|&i| t.is_char_boundary(i)) {
                let j = may_change_from(b, i);
                assert!(t.is_char_boundary(j), "{t:?} from {i}: {j}");
                if let Some(k) = (i..j).find(|&k| t.is_char_boundary(k) && may_start_change(b, k)) {
                    panic!("{t:?} from {i}: {j} passes over {k}");
                }
            }
        }
    }

    #[test]
    fn the_search_for_a_change_passes_over_none_on_random_texts() {
        // The marks, their near misses and the characters of their blocks, in random order and
        // length (a fixed seed: the same texts every run).
        let palette: Vec<char> =
            "a 9<&;，、。（）“”—中\u{3000}\u{a0}\u{200b}\u{200d}\u{2060}\u{feff}１Ａｚ．％"
                .chars()
                .chain((0x2000..0x2070).filter_map(char::from_u32))
                .chain((0xFF00..0xFF70).filter_map(char::from_u32))
                .collect();
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..2_000 {
            let len = (next() % 120) as usize;
            let t: String = (0..len)
                .map(|_| palette[(next() % palette.len() as u64) as usize])
                .collect();
            let b = t.as_bytes();
            let mut i = 0;
            while i < b.len() {
                let j = may_change_from(b, i);
                assert!(t.is_char_boundary(j), "{t:?} from {i}: {j}");
                let missed = (i..j).find(|&k| t.is_char_boundary(k) && may_start_change(b, k));
                assert_eq!(missed, None, "{t:?} from {i}: {j}");
                i = j + 1;
                while i < b.len() && !t.is_char_boundary(i) {
                    i += 1;
                }
            }
        }
    }

    #[test]
    fn paragraphs_in_two_parts_are_the_paragraphs() {
        for text in ["", "a", "a\n", "一\n\n二\n三", "一\n二\n", "\n\n"] {
            let norm = Normalized {
                text: text.to_string(),
                ..Normalized::default()
            };
            let whole: Vec<(usize, &str)> = norm.paragraphs().collect();
            // Cut at the start and the end of the text and after each line break.
            let cuts = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .chain(std::iter::once(text.len()));
            for cut in cuts {
                let parts: Vec<(usize, &str)> = norm
                    .paragraphs_in(0, cut)
                    .chain(norm.paragraphs_in(cut, text.len()))
                    .collect();
                assert_eq!(parts, whole, "{text:?} cut at {cut}");
            }
        }
    }

    #[test]
    fn originals_walked_are_the_starts_of_the_spans() {
        // Folded characters, a wrapped paragraph, a page number dropped, spaces between digits
        // and ideographs, a CRLF: many runs and folds.
        let text = "一、总体要求\r\n全市地区生产总值增长５．５％左右，城镇新增就业\n３５万人；\n— 3 —\n居民人均可支配收入 2023 年增长\n\n\n6%。\n";
        let n = normalize(text, &[]);
        let len = n.text.len();
        let want = |i: usize| n.span(i, i + 1).start;
        // In order, past the end too, as the paragraphs ask.
        let mut walk = n.originals();
        for i in 0..len + 3 {
            assert_eq!(walk.at(i), want(i), "byte {i} in order");
        }
        // Out of order: a byte before the last asked starts the walk again.
        let mut walk = n.originals();
        for i in (0..len + 3).rev().chain([5, 2, len, 0, 7, 3]) {
            assert_eq!(walk.at(i), want(i), "byte {i} out of order");
        }
        assert_eq!(Normalized::default().originals().at(4), 0);
    }

    #[test]
    fn width_counts_wide_characters_twice() {
        assert_eq!(width("GDP增长5%，é"), 3 + 2 * 2 + 2 + 2 + 1);
        assert_eq!(width("𠀀"), 2);
        // Long enough to be summed in parts, the widest bytes at every cut.
        for pad in 0..3 {
            let s = format!("{}{}", "a".repeat(pad), "增𠀀é%".repeat(200));
            let by_chars: usize = s
                .chars()
                .map(|c| if c.len_utf8() >= 3 { 2 } else { 1 })
                .sum();
            assert_eq!(width(&s), by_chars);
        }
    }

    fn norm(text: &str) -> String {
        normalize(text, &[]).text
    }

    #[test]
    fn a_long_text_reflows_in_parts_as_it_does_whole() {
        // Hard-wrapped paragraphs, page numbers and a sentence cut by them, spaces and
        // full-width forms, and a table, over and over: far past the length from which a text is
        // re-flowed in parts, with no paragraph break where a part would be cut by length alone.
        let block = "4.汽车及新能源汽车产业链：推动一汽丰\n田新能源工厂项目尽快达产，新增产值２００亿\n元；加快长城汽车新车型、一汽大众改款车型量\n产，新增产值 100 亿元。\n\n一般公共预算收入完成\n— 3 —\n218亿元，增长6.2%。新增城镇就业\n\n\t序号\n\t责任单位\n\n\t1\n\t市财政局\n\n\n";
        let mut text = String::new();
        let mut protected = Vec::new();
        let mut k = 0;
        while text.len() < 3 * crate::PARALLEL_MIN_BYTES {
            for line in block.lines() {
                text.push_str(line);
                if !line.trim().is_empty() && !line.starts_with('\t') && !line.starts_with('—') {
                    text.push_str(&format!("（{k}）"));
                }
                text.push('\n');
                protected.push(line.starts_with('\t'));
            }
            k += 1;
        }
        let lines = lines(&text);
        let one = normalize_lines(&text, &lines, &protected, LineFacts::of(&text, &lines), 1);
        assert!(
            one.text.contains("完成（0）218亿元"),
            "the page's cut sentence runs on"
        );
        for threads in [2, 3, 4] {
            let flow_cuts = Flow {
                text: &text,
                lines: &lines,
                layout: Layout { wrap_width: None },
                prot: protected.clone(),
                markers: vec![false; lines.len()],
                hidden: vec![false; lines.len()],
            }
            .cuts(threads);
            assert_eq!(flow_cuts.len(), threads + 1, "cut into {threads} parts");
            let many = normalize_lines(
                &text,
                &lines,
                &protected,
                LineFacts::of(&text, &lines),
                threads,
            );
            assert!(many == one, "{threads} threads");
        }
    }

    #[test]
    fn wrapped_newspaper_lines_reflow() {
        let text = "4.汽车及新能源汽车产业链：推动一汽丰\n田新能源工厂项目尽快达产，新增产值200亿\n元；加快长城汽车新车型、一汽大众改款车型量\n产，新增产值100亿元。\n\n5.高端装备产业链：推进特变电工武清产\n业园数字化工厂、新松工业机器人及集成生产\n制造、飞旋科技磁悬浮轴承技术产业化等项\n目，实现新增产值25亿元；设立机床研究院，合\n理攻坚工业母机。\n\n专栏3 2023年天津金融街建设重点任务\n\n2.完善服务保障功能：落实支持金融街高\n质量发展政策措施，制定金融服务重点产业链\n3.0版、跨境贸易业态发展等专项工作方案。\n";
        let out = norm(text);
        let paras: Vec<&str> = out.lines().collect();
        assert_eq!(paras.len(), 4, "{out}");
        assert!(paras[0].contains("新增产值200亿元；"));
        assert!(paras[0].ends_with("新增产值100亿元。"));
        assert_eq!(paras[2], "专栏3 2023年天津金融街建设重点任务");
        // `3.0版` continues the line above; it is not item 3.
        assert!(paras[3].contains("产业链3.0版、跨境贸易"), "{}", paras[3]);
    }

    #[test]
    fn page_break_inside_a_word_joins_across_the_blank_line() {
        let text = "工业综合实力稳步提升。深入实施制造业高质量发展行动，深化“链长+链主”双牵引机制，推进短板补链、优势延链、传统升链、新兴建链。全年预计实现规模以上工业总产值 1476.7 亿元。中芯国际“大二期”项目生产厂房顺利完工，高\n\n标准完成集成电路产业园产业和空间规划。\n\n（二）创新驱动战略成果丰硕\n\n科技创新能力持续增强。\n";
        let out = norm(text);
        let paras: Vec<&str> = out.lines().collect();
        assert_eq!(paras.len(), 3, "{out}");
        assert!(paras[0].contains("工业总产值1476.7亿元"));
        assert!(paras[0].contains("高标准完成"));
        assert_eq!(paras[1], "（二）创新驱动战略成果丰硕");
    }

    #[test]
    fn page_numbers_go_and_the_sentence_runs_on() {
        let text = "一、2023年工作回顾\n全市地区生产总值达到3250亿元，增长5.6%；一般公共预算收入完成\n— 3 —\n218亿元，增长6.2%。新增城镇就业\n\n－ 4 －\n\n5.2万人。\n第5页 共20页\n二、2024年工作安排\n- 6 -\n2024年是关键之年。\n";
        let out = norm(text);
        assert_eq!(
            out,
            "一、2023年工作回顾\n全市地区生产总值达到3250亿元，增长5.6%；一般公共预算收入完成218亿元，增长6.2%。新增城镇就业5.2万人。\n二、2024年工作安排\n2024年是关键之年。\n"
        );
        for marker in [
            "— 3 —",
            "－4－",
            "-12-",
            "第3页",
            "第 3 页，共 20 页",
            "3/20",
        ] {
            assert!(is_page_marker(marker), "{marker}");
        }
        // Traps: a figure alone, a dash line, a date, a fraction in prose.
        for line in ["2023", "——", "2023-12-31", "占比3/4的企业", "—— 3个方面"] {
            assert!(!is_page_marker(line), "{line}");
        }
    }

    #[test]
    fn headings_and_short_lines_are_not_glued() {
        let text = "一、2023年工作回顾\n\n2023年是全面贯彻党的二十大精神的开局之年。\n## 第一章 总体要求\n正文。\n";
        let out = norm(text);
        assert_eq!(
            out,
            "一、2023年工作回顾\n2023年是全面贯彻党的二十大精神的开局之年。\n## 第一章 总体要求\n正文。\n"
        );
    }

    #[test]
    fn full_width_forms_fold_and_spaces_around_numbers_go() {
        assert_eq!(
            norm("增长４．５％，达到 2023 年水平\n"),
            "增长4.5%，达到2023年水平\n"
        );
        assert_eq!(norm("西青区 2023 年\n"), "西青区2023年\n");
        assert_eq!(norm("　　Windows 10 与 5G 应用\n"), "Windows 10与5G 应用\n");
    }

    #[test]
    fn crlf_and_map_back() {
        let text = "第一行：\r\n全市增长 4.3%。\r\n";
        let n = normalize(text, &[]);
        assert_eq!(n.text, "第一行：\n全市增长4.3%。\n");
        let at = n.text.find("4.3%").unwrap();
        let span = n.span(at, at + "4.3%".len());
        assert_eq!(&text[span.start..span.end], "4.3%");
        let whole = n.span(0, n.text.len());
        assert_eq!(whole.start, 0);
        // Spans end on character boundaries of the original, full-width forms included.
        let text = "增长４．５％。\n";
        let n = normalize(text, &[]);
        let at = n.text.find("4.5%").unwrap();
        let span = n.span(at, at + "4.5%".len());
        assert_eq!(&text[span.start..span.end], "４．５％");
        let span = n.span(0, "增长".len());
        assert_eq!(&text[span.start..span.end], "增长");
    }

    #[test]
    fn paragraphs_and_lines_split_where_the_line_breaks_are() {
        for text in [
            "",
            "a",
            "a\n",
            "\n",
            "\n\n",
            "甲\n乙",
            "甲\r\n\r\n乙\n",
            "\n甲\n\n",
        ] {
            let n = Normalized {
                text: text.to_string(),
                ..Normalized::default()
            };
            // As `split_inclusive` cuts them, each line without its break.
            let mut offset = 0;
            let expected: Vec<(usize, &str)> = text
                .split_inclusive('\n')
                .map(|l| {
                    offset += l.len();
                    (offset - l.len(), l.trim_end_matches('\n'))
                })
                .collect();
            assert_eq!(n.paragraphs().collect::<Vec<_>>(), expected, "{text:?}");
            let lines: Vec<&str> = lines(text).iter().map(|l| &text[l.start..l.end]).collect();
            let expected: Vec<&str> = text.lines().collect();
            assert_eq!(lines, expected, "{text:?}");
        }
    }

    #[test]
    fn a_paragraphs_span_map_maps_as_the_whole_text_does() {
        // Wrapped lines, full-width forms, spaces dropped and kept, blank lines, a page number:
        // every span inside each paragraph maps through its span map as through the whole map.
        let text = concat!(
            "  一、总体要求\r\n",
            "全市地区生产总值增长 ４．５％ 左右，城镇新增就业\n",
            "35万人，居民人均可支配收入\n",
            "\n",
            "— 3 —\n",
            "\n",
            "增长5％。\u{3000}\u{3000}建成 5G 基站1000个\n",
            "（一）加快建设制造强市\n",
        );
        let n = normalize(text, &[]);
        let mut checked = 0;
        for (start, para) in n.paragraphs() {
            let map = n.span_map(start, start + para.len());
            let bounds: Vec<usize> = (0..=para.len())
                .filter(|&i| para.is_char_boundary(i))
                .collect();
            for &a in &bounds {
                for &b in bounds.iter().filter(|&&b| b >= a) {
                    assert_eq!(
                        map.span(start + a, start + b),
                        n.span(start + a, start + b),
                        "{para:?} {a}..{b}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 900, "{checked}");
        // Outside its paragraph a span map maps through the whole text.
        let map = n.span_map(0, 3);
        assert_eq!(map.span(10, 20), n.span(10, 20));
    }

    #[test]
    fn table_lines_are_left_alone() {
        let text = "序号\t指标\n1\t地区生产总值（%）\n";
        assert_eq!(normalize(text, &[true, true]).text, text);
    }

    #[test]
    fn marks_that_show_nothing_and_spaced_digits() {
        // Literal `<U+00A0>` and `&nbsp;` of scrapers, zero-width marks, HTML comments.
        let out = norm(
            "<!--\n  -->\n<U+00A0><U+00A0> 各位代表：\n\u{200b}\n　　现在&nbsp;我代表国务院报告工作。\n",
        );
        assert_eq!(out, "各位代表：\n现在 我代表国务院报告工作。\n");
        // A typesetter's spaces between single digits.
        assert_eq!(
            norm("1 9 9 7 年国内生产总值达到7 4 7 7 2 亿元，平均每年增长1 1 ％。\n"),
            "1997年国内生产总值达到74772亿元，平均每年增长11%。\n"
        );
        // Trap: a number and a year are two numbers.
        assert_eq!(norm("专栏3 2023年重点任务\n"), "专栏3 2023年重点任务\n");
    }

    #[test]
    fn a_text_printed_twice_is_found() {
        let body: String = (0..8)
            .map(|i| format!("第{i}段：今年全市经济运行稳中向好，地区生产总值增长百分之{i}，各项工作取得新的进展和成效。\n"))
            .collect();
        let text = format!("政府工作报告\n{body}来源：新华社\n政府工作报告\n{body}");
        let ls = lines(&text);
        let (hidden, copies) = repeated_copies(&text, &ls);
        assert_eq!(copies, 2);
        assert_eq!(hidden.iter().filter(|&&h| h).count(), 9);
        // Trap: one sentence said twice is no copy.
        let once = format!("{body}{}", body.lines().next().unwrap());
        assert_eq!(repeated_copies(&once, &lines(&once)).1, 1);
    }

    #[test]
    fn a_text_on_one_line_is_broken_at_its_headings() {
        let filler = "全区经济运行稳中有进，各项事业取得新成效。".repeat(80);
        let text = format!(
            "政府工作报告——2014年2月19日在海拉尔区第十四届人民代表大会第三次会议上各位代表：现在，我代表区人民政府向大会报告工作。一、2013年工作回顾过去一年，{filler}二、2014年工作安排今年是{filler}"
        );
        let ls = split_run_on_lines(crate::lexicon::Lexicon::built_in(), &text, lines(&text));
        let got: Vec<&str> = ls.iter().map(|l| &text[l.start..l.end]).collect();
        assert_eq!(got[0], "政府工作报告");
        assert!(got.contains(&"一、2013年工作回顾"), "{got:?}");
        assert!(got.contains(&"二、2014年工作安排"), "{got:?}");
        assert!(got.iter().any(|l| l.starts_with("过去一年，")));
        // Trap: `一是` opens no heading.
        let text = format!("{filler}一是加强领导。二是压实责任。");
        assert_eq!(
            split_run_on_lines(crate::lexicon::Lexicon::built_in(), &text, lines(&text)).len(),
            1
        );
    }
}
