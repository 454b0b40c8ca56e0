//! The document viewer's text: the document rendered from its Markdown, every extracted item
//! marked at its byte span, with a table of contents from its headings.
//!
//! The grammar read here is the little the stored texts use, line by line:
//!
//! - `# 标题` … `###### 标题`: a heading (the `#`s are not shown). A heading line the extractor
//!   found (`一、2023年工作回顾`, `第三章 …`) is a heading too, at the extractor's depth; one that
//!   only opens a paragraph (`一、强化组织推动。各区…`) is set in bold.
//! - Tables, three ways: GFM pipe rows (`| 指标 | 2025年 |` over `|---|---|`); tab-separated
//!   rows (`1\t地区生产总值增长（%）\t3.8*\t6*左右\t预期性`), two lines or more, the first the
//!   header; and the cell-per-line layout of responsibility tables (a line opening with a tab
//!   opens a cell, a line without continues it, a blank line ends the row).
//! - Lists: `- `, `* `, `+ ` and `1. ` items; later lines without a marker continue the item.
//! - `> ` quotes.
//! - Paragraphs: lines between blank lines. A line ending a sentence (`。`, `；`, `：` …) ends
//!   its paragraph, so that a text with one paragraph a line reads as such; other line breaks
//!   are the hard wraps of newspaper copies and are joined.
//! - Inline: `<sub>`, `<sup>`, `<b>`, `<strong>`, `<i>`, `<em>` (without attributes, and only
//!   when closed in the same block) and `<br>`; `\*` and other backslash escapes. Everything else
//!   is text, escaped.
//!
//! Spans point into the stored text, so the rendering walks that text once: syntax bytes are
//! hidden, never rewritten, and every anchor stays where the items' spans say — items at
//! `b{byte}`, tasks at `t{byte}`, line starts at `p{byte}` (search hits and the contents link
//! there). An item whose span crosses a block (a cell, a paragraph) is closed at the boundary and
//! opened again after it; its id is on its first part.

use plantrack_model::Span;

use crate::util::esc;

/// An extracted item to mark: where, where it links, its class and its tooltip.
pub struct Mark {
    pub span: Span,
    pub href: String,
    pub class: &'static str,
    pub title: String,
}

/// A heading the extractor found: its depth (1 for top-level) and the heading's span, with its
/// title as the extractor read it.
pub struct Heading {
    pub level: u8,
    pub span: Span,
    pub title: String,
}

/// An entry of the table of contents: its depth, the byte its line starts at (`#p{at}`) and its
/// words.
#[derive(Debug, Clone, PartialEq)]
pub struct TocEntry {
    pub level: u8,
    pub at: usize,
    pub title: String,
}

pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
}

/// What the block pass hands the weaving pass: text of the document (shown escaped) and the
/// markup between.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    /// Bytes of the text, shown as they are.
    Text(usize, usize),
    /// Markup that opens or closes a block (`<p>`, `<td>`…): items are closed around it.
    Block(String),
    /// A formatting element opened, or closed (always matched within its block).
    Open(&'static str),
    Close(&'static str),
    /// Markup inside the flow of text (`<br>`, a joining space): items stay open across it.
    Inline(&'static str),
}

/// The elements the inline markup may use, as they are written (lower case) and as they are put
/// out.
const FORMATTING: [&str; 6] = ["sub", "sup", "b", "strong", "i", "em"];

/// The characters after which a line ends its paragraph.
const SENTENCE_END: &[char] = &[
    '。', '！', '？', '；', '：', '!', '?', ';', ':', '…', '”', '’', '」', '』', '）', ')',
];

#[derive(Debug, Clone, Copy, PartialEq)]
struct Line {
    start: usize,
    /// The end of its content, without the line break.
    end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Blank,
    /// A Markdown heading: its level and where its words start.
    Hash(u8, usize),
    /// A heading the extractor found that is the whole line (the index of the heading).
    Section(usize),
    Pipe,
    PipeRule,
    TabLed,
    Tabbed,
    /// A list item: ordered (with its number) or not, and where its words start.
    Item(Option<u32>, usize),
    Quote(usize),
    Text,
}

fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in text.split_inclusive('\n') {
        let body = piece.trim_end_matches(['\n', '\r']);
        out.push(Line {
            start,
            end: start + body.len(),
        });
        start += piece.len();
    }
    out
}

/// The number of leading spaces (at most three, as Markdown allows).
fn indent(s: &str) -> usize {
    s.bytes().take(4).take_while(|&b| b == b' ').count().min(3)
}

fn kind_of(text: &str, line: Line, sections: &[Heading], at_section: Option<usize>) -> Kind {
    let s = &text[line.start..line.end];
    if s.trim().is_empty() {
        return Kind::Blank;
    }
    let lead = indent(s);
    let rest = &s[lead..];
    let hashes = rest.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) {
        let after = &rest[hashes..];
        if after.is_empty() || after.starts_with([' ', '\t']) {
            let words = after.len() - after.trim_start().len();
            return Kind::Hash(hashes as u8, line.start + lead + hashes + words);
        }
    }
    if let Some(k) = at_section {
        let h = &sections[k];
        if h.span.end >= line.start + s.trim_end().len() {
            return Kind::Section(k);
        }
    }
    if s.starts_with('\t') {
        return Kind::TabLed;
    }
    let trimmed = s.trim();
    if trimmed.starts_with('|') {
        let rule = trimmed.trim_matches('|').split('|').all(|c| {
            let c = c.trim().trim_start_matches(':').trim_end_matches(':');
            !c.is_empty() && c.bytes().all(|b| b == b'-')
        });
        return if rule { Kind::PipeRule } else { Kind::Pipe };
    }
    if s.contains('\t') {
        return Kind::Tabbed;
    }
    if let Some(after) = rest.strip_prefix("> ") {
        let _ = after;
        return Kind::Quote(line.start + lead + 2);
    }
    for bullet in ["- ", "* ", "+ "] {
        if rest.starts_with(bullet) && !rest[2..].trim().is_empty() {
            return Kind::Item(None, line.start + lead + 2);
        }
    }
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let after = &rest[digits..];
        if (after.starts_with(". ") || after.starts_with(") ")) && !after[2..].trim().is_empty() {
            let n = rest[..digits].parse().ok();
            return Kind::Item(n, line.start + lead + digits + 2);
        }
    }
    Kind::Text
}

/// Renders `text` with its items marked, its task rows anchored and its headings (the
/// extractor's, in document order) as headings and contents.
pub fn render(text: &str, marks: &[Mark], tasks: &[usize], sections: &[Heading]) -> Rendered {
    let mut b = Blocks {
        text,
        pieces: Vec::new(),
        toc: Vec::new(),
        sections,
    };
    b.parse();
    let Blocks { pieces, toc, .. } = b;
    Rendered {
        html: weave(text, &pieces, marks, tasks),
        toc,
    }
}

/// The block pass.
struct Blocks<'a> {
    text: &'a str,
    pieces: Vec<Piece>,
    toc: Vec<TocEntry>,
    sections: &'a [Heading],
}

impl Blocks<'_> {
    fn block(&mut self, html: impl Into<String>) {
        self.pieces.push(Piece::Block(html.into()));
    }

    fn parse(&mut self) {
        let text = self.text;
        let lines = lines(text);
        // The extractor's headings by the line they start.
        let mut at_line: Vec<Option<usize>> = vec![None; lines.len()];
        {
            let mut k = 0;
            for (i, l) in lines.iter().enumerate() {
                while k < self.sections.len() && self.sections[k].span.start < l.start {
                    k += 1;
                }
                if k < self.sections.len() && self.sections[k].span.start == l.start {
                    at_line[i] = Some(k);
                }
            }
        }
        let kinds: Vec<Kind> = lines
            .iter()
            .zip(&at_line)
            .map(|(l, s)| kind_of(text, *l, self.sections, *s))
            .collect();
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i];
            match kinds[i] {
                Kind::Blank => i += 1,
                Kind::Hash(level, words) => {
                    let depth = at_line[i].map(|k| self.sections[k].level).unwrap_or(level);
                    let end = trim_closing_hashes(text, words, line.end);
                    let title = at_line[i]
                        .map(|k| self.sections[k].title.clone())
                        .unwrap_or_else(|| plain(&text[words..end]));
                    self.heading(depth, line.start, words, end, title);
                    i += 1;
                }
                Kind::Section(k) => {
                    let (depth, title) = (self.sections[k].level, self.sections[k].title.clone());
                    self.heading(depth, line.start, line.start, line.end, title);
                    i += 1;
                }
                Kind::Pipe | Kind::PipeRule => {
                    let n = run(&kinds, i, |k| matches!(k, Kind::Pipe | Kind::PipeRule));
                    self.pipe_table(&lines[i..i + n], &kinds[i..i + n]);
                    i += n;
                }
                Kind::Tabbed => {
                    let n = run(&kinds, i, |k| k == Kind::Tabbed);
                    if n >= 2 {
                        self.tab_table(&lines[i..i + n]);
                        i += n;
                    } else {
                        i += self.paragraphs(&lines, &kinds, &at_line, i);
                    }
                }
                Kind::TabLed => i += self.cell_table(&lines, &kinds, i),
                Kind::Item(..) => i += self.list(&lines, &kinds, i),
                Kind::Quote(_) => {
                    let n = run(&kinds, i, |k| matches!(k, Kind::Quote(_)));
                    self.block("<blockquote><p>");
                    for (k, l) in lines[i..i + n].iter().enumerate() {
                        if k > 0 {
                            self.soft_break(l.start - 1);
                        }
                        let Kind::Quote(words) = kinds[i + k] else {
                            unreachable!()
                        };
                        self.inline(words, l.end);
                    }
                    self.block("</p></blockquote>");
                    i += n;
                }
                Kind::Text => i += self.paragraphs(&lines, &kinds, &at_line, i),
            }
        }
    }

    fn heading(&mut self, depth: u8, at: usize, words: usize, end: usize, title: String) {
        let h = (depth + 1).clamp(2, 6);
        self.block(format!("<h{h}>"));
        self.inline(words, end);
        self.block(format!("</h{h}>"));
        self.toc.push(TocEntry {
            level: depth.max(1),
            at,
            title,
        });
    }

    /// Paragraphs from line `i` on, until a blank line or another kind of block; returns the
    /// lines taken.
    fn paragraphs(
        &mut self,
        lines: &[Line],
        kinds: &[Kind],
        at_line: &[Option<usize>],
        i: usize,
    ) -> usize {
        let mut n = 0;
        let mut open = false;
        while i + n < lines.len() {
            let k = kinds[i + n];
            // A lone tabbed line reads as text; any other block ends the paragraph.
            let text_like = k == Kind::Text
                || (k == Kind::Tabbed
                    && (i + n + 1 >= lines.len() || kinds[i + n + 1] != Kind::Tabbed));
            if !text_like || (n > 0 && k == Kind::Tabbed && !open) {
                break;
            }
            let l = lines[i + n];
            // A heading of the extractor's that opens the line: a new paragraph, its words bold.
            let run_in = at_line[i + n].map(|k| &self.sections[k]);
            if open && run_in.is_some() {
                self.block("</p>");
                open = false;
            }
            if open {
                self.soft_break(l.start - 1);
            } else {
                self.block("<p>");
                open = true;
            }
            match run_in {
                Some(h) if h.span.end > l.start && h.span.end < l.end => {
                    let (title, at, end) = (h.title.clone(), l.start, h.span.end);
                    self.pieces.push(Piece::Open("strong"));
                    self.inline(at, end);
                    self.pieces.push(Piece::Close("strong"));
                    self.inline(end, l.end);
                    self.toc.push(TocEntry {
                        level: h.level.max(1),
                        at,
                        title,
                    });
                }
                _ => self.inline(l.start, l.end),
            }
            n += 1;
            let s = self.text[l.start..l.end].trim_end();
            let next_opens = lines
                .get(i + n)
                .is_some_and(|next| opens_item(&self.text[next.start..next.end]));
            if s.ends_with(SENTENCE_END) || next_opens {
                self.block("</p>");
                open = false;
            }
        }
        if open {
            self.block("</p>");
        }
        n.max(1)
    }

    /// The line break before byte `at + 1` inside a paragraph: nothing between Chinese
    /// characters (a hard wrap), a space between words of other scripts.
    fn soft_break(&mut self, at: usize) {
        let before = self.text[..at].trim_end_matches('\r').chars().next_back();
        let after = self.text[at + 1..].chars().next();
        let wide = |c: Option<char>| c.is_none_or(|c| c as u32 >= 0x2E80);
        self.pieces
            .push(Piece::Inline(if wide(before) || wide(after) {
                ""
            } else {
                " "
            }));
    }

    fn list(&mut self, lines: &[Line], kinds: &[Kind], i: usize) -> usize {
        let Kind::Item(first, _) = kinds[i] else {
            unreachable!()
        };
        let ordered = first.is_some();
        match first {
            Some(n) if n != 1 => self.block(format!("<ol start=\"{n}\">")),
            Some(_) => self.block("<ol>"),
            None => self.block("<ul>"),
        }
        let mut n = 0;
        while i + n < lines.len() {
            let l = lines[i + n];
            match kinds[i + n] {
                Kind::Item(number, words) if number.is_some() == ordered => {
                    if n > 0 {
                        self.block("</li>");
                    }
                    self.block("<li>");
                    self.inline(words, l.end);
                }
                Kind::Text if n > 0 => {
                    self.soft_break(l.start - 1);
                    self.inline(l.start, l.end);
                }
                _ => break,
            }
            n += 1;
        }
        self.block(if ordered { "</li></ol>" } else { "</li></ul>" });
        n
    }

    fn table_open(&mut self) {
        self.block("<div class=\"scroll\"><table class=\"doc-table\">");
    }

    fn pipe_table(&mut self, lines: &[Line], kinds: &[Kind]) {
        self.table_open();
        let header = kinds.get(1) == Some(&Kind::PipeRule);
        for (k, l) in lines.iter().enumerate() {
            if kinds[k] == Kind::PipeRule {
                continue;
            }
            let cell = if header && k == 0 { "th" } else { "td" };
            self.block("<tr>");
            let s = &self.text[l.start..l.end];
            let from = l.start + (s.len() - s.trim_start().len()) + 1;
            let to = l.start + s.trim_end().len();
            let to = if self.text[from.min(to)..to].ends_with('|') && to > from {
                to - 1
            } else {
                to
            };
            let mut at = from;
            for part in self.text[from..to.max(from)].split('|') {
                self.block(format!("<{cell}>"));
                self.inline(at, at + part.len());
                self.block(format!("</{cell}>"));
                at += part.len() + 1;
            }
            self.block("</tr>");
        }
        self.block("</table></div>");
    }

    fn tab_table(&mut self, lines: &[Line]) {
        self.table_open();
        for (k, l) in lines.iter().enumerate() {
            let cell = if k == 0 { "th" } else { "td" };
            self.block("<tr>");
            let mut at = l.start;
            for part in self.text[l.start..l.end].split('\t') {
                self.block(format!("<{cell}>"));
                self.inline(at, at + part.len());
                self.block(format!("</{cell}>"));
                at += part.len() + 1;
            }
            self.block("</tr>");
        }
        self.block("</table></div>");
    }

    /// The cell-per-line layout from line `i`: rows separated by blank lines, as long as the
    /// next row opens with a tab. Returns the lines taken.
    fn cell_table(&mut self, lines: &[Line], kinds: &[Kind], i: usize) -> usize {
        self.table_open();
        let mut n = 0;
        let mut row = 0;
        loop {
            // One row: from a tab-led line to a blank line.
            let cell = if row == 0 { "th" } else { "td" };
            self.block("<tr>");
            let mut open = false;
            while i + n < lines.len() && kinds[i + n] != Kind::Blank {
                let l = lines[i + n];
                if self.text[l.start..l.end].starts_with('\t') {
                    if open {
                        self.block(format!("</{cell}>"));
                    }
                    self.block(format!("<{cell}>"));
                    open = true;
                    self.inline(l.start + 1, l.end);
                } else {
                    self.pieces.push(Piece::Inline("<br>"));
                    self.inline(l.start, l.end);
                }
                n += 1;
            }
            if open {
                self.block(format!("</{cell}>"));
            }
            self.block("</tr>");
            row += 1;
            // The next row, past blank lines, if it opens with a tab.
            let mut next = i + n;
            while next < lines.len() && kinds[next] == Kind::Blank {
                next += 1;
            }
            if next < lines.len() && kinds[next] == Kind::TabLed {
                n = next - i;
            } else {
                break;
            }
        }
        self.block("</table></div>");
        n
    }

    /// The inline content of bytes `from..to` (one line's, without its break).
    fn inline(&mut self, from: usize, to: usize) {
        if from >= to {
            return;
        }
        let text = self.text;
        // Tokens: formatting tags, `<br>`, and backslash escapes (whose backslash is hidden).
        enum Token {
            Open(&'static str),
            Close(&'static str),
            Break,
            Escape,
        }
        let mut tokens: Vec<(usize, usize, Token)> = Vec::new();
        let bytes = text.as_bytes();
        let mut k = from;
        while k < to {
            match bytes[k] {
                b'<' => {
                    if let Some((len, t)) = tag_at(&text[k..to]) {
                        tokens.push((k, k + len, t));
                        k += len;
                        continue;
                    }
                }
                b'\\' if k + 1 < to && bytes[k + 1].is_ascii_punctuation() => {
                    tokens.push((k, k + 1, Token::Escape));
                    k += 2;
                    continue;
                }
                _ => {}
            }
            k += 1;
        }
        fn tag_at(s: &str) -> Option<(usize, Token)> {
            let close = s.find('>')?;
            let inner = s[1..close].trim().to_ascii_lowercase();
            if matches!(inner.as_str(), "br" | "br/" | "br /") {
                return Some((close + 1, Token::Break));
            }
            let (closing, name) = match inner.strip_prefix('/') {
                Some(n) => (true, n.trim()),
                None => (false, inner.as_str()),
            };
            let tag = FORMATTING.iter().find(|t| **t == name)?;
            Some((
                close + 1,
                if closing {
                    Token::Close(tag)
                } else {
                    Token::Open(tag)
                },
            ))
        }
        // Formatting is taken only when closed in the same line, innermost first; the rest is
        // text.
        let mut matched = vec![false; tokens.len()];
        let mut stack: Vec<(usize, &'static str)> = Vec::new();
        for (n, (_, _, t)) in tokens.iter().enumerate() {
            match t {
                Token::Open(tag) => stack.push((n, tag)),
                Token::Close(tag) => {
                    if let Some(&(o, open)) = stack.last()
                        && open == *tag
                    {
                        stack.pop();
                        matched[o] = true;
                        matched[n] = true;
                    }
                }
                Token::Break | Token::Escape => matched[n] = true,
            }
        }
        let mut at = from;
        for (n, (s, e, t)) in tokens.iter().enumerate() {
            if !matched[n] {
                continue;
            }
            if at < *s {
                self.pieces.push(Piece::Text(at, *s));
            }
            match t {
                Token::Open(tag) => self.pieces.push(Piece::Open(tag)),
                Token::Close(tag) => self.pieces.push(Piece::Close(tag)),
                Token::Break => self.pieces.push(Piece::Inline("<br>")),
                Token::Escape => {}
            }
            at = *e;
        }
        if at < to {
            self.pieces.push(Piece::Text(at, to));
        }
    }
}

/// Whether a line opens an item of its own, so that the line before it ends its paragraph
/// though it ends no sentence: `第2行：…`, `第三条 …`, `一、…`, `（一）…`, `（1）…`, `1、…`,
/// `——…` (a work report's dashes).
fn opens_item(line: &str) -> bool {
    const NUMERALS: &str = "0123456789一二三四五六七八九十百零〇";
    let s = line.trim_start_matches([' ', '\u{3000}', '\t']);
    if s.starts_with("——") {
        return true;
    }
    let numeral = |c: char| NUMERALS.contains(c);
    let count = |s: &str| s.chars().take_while(|c| numeral(*c)).count();
    let after = |s: &str, n: usize| s.chars().skip(n).collect::<String>();
    if let Some(rest) = s.strip_prefix('第') {
        let n = count(rest);
        return n > 0
            && after(rest, n).starts_with(['章', '节', '条', '款', '项', '行', '部', '篇']);
    }
    if let Some(rest) = s.strip_prefix(['（', '(']) {
        let n = count(rest);
        return n > 0 && after(rest, n).starts_with(['）', ')']);
    }
    let n = count(s);
    n > 0 && after(s, n).starts_with(['、', '．'])
}

/// The length of a run of lines from `i` whose kinds pass `keep`.
fn run(kinds: &[Kind], i: usize, keep: impl Fn(Kind) -> bool) -> usize {
    kinds[i..].iter().take_while(|k| keep(**k)).count()
}

/// A heading's end without closing `#`s (`## 标题 ##`).
fn trim_closing_hashes(text: &str, from: usize, to: usize) -> usize {
    let s = text[from..to].trim_end();
    let without = s.trim_end_matches('#');
    if without.len() < s.len() && (without.is_empty() || without.ends_with([' ', '\t'])) {
        from + without.trim_end().len()
    } else {
        from + s.len()
    }
}

/// A heading's words without markup, for the contents.
fn plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            '\\' => {}
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// An open inline element: a formatting element, or an item's mark (its index).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Open {
    Format(&'static str),
    Mark(usize),
}

/// The weaving pass: the pieces in order, with every mark and anchor where its byte is.
fn weave(text: &str, pieces: &[Piece], marks: &[Mark], tasks: &[usize]) -> String {
    // Marks that can be shown: inside the text, on character boundaries, not overlapping.
    let mut order: Vec<usize> = (0..marks.len())
        .filter(|&k| {
            let s = marks[k].span;
            s.start < s.end
                && s.end <= text.len()
                && text.is_char_boundary(s.start)
                && text.is_char_boundary(s.end)
        })
        .collect();
    order.sort_by_key(|&k| (marks[k].span.start, std::cmp::Reverse(marks[k].span.end)));
    let mut shown: Vec<usize> = Vec::with_capacity(order.len());
    for k in order {
        if shown
            .last()
            .is_none_or(|&last| marks[k].span.start >= marks[last].span.end)
        {
            shown.push(k);
        }
    }
    // Anchors: each line's start, each task row's start, in byte order (a line's before a
    // task's at the same byte).
    let mut anchors: Vec<(usize, u8)> = std::iter::once((0, 0))
        .chain(text.match_indices('\n').map(|(k, _)| (k + 1, 0)))
        .chain(
            tasks
                .iter()
                .filter(|&&s| s <= text.len() && text.is_char_boundary(s))
                .map(|&s| (s, 1)),
        )
        .collect();
    anchors.sort_unstable();
    anchors.dedup();

    let mut w = Weaver {
        text,
        marks,
        shown,
        next_mark: 0,
        ids_given: 0,
        anchors,
        next_anchor: 0,
        stack: Vec::new(),
        out: String::with_capacity(text.len() * 2),
    };
    for p in pieces {
        match p {
            Piece::Block(html) => {
                w.close_all();
                w.out.push_str(html);
            }
            Piece::Open(tag) => {
                w.out.push('<');
                w.out.push_str(tag);
                w.out.push('>');
                w.stack.push(Open::Format(tag));
            }
            Piece::Close(tag) => w.close(Open::Format(tag)),
            Piece::Inline(html) => w.out.push_str(html),
            Piece::Text(a, b) => w.text(*a, *b),
        }
    }
    w.close_all();
    // Whatever is left after the last text: anchors and marks in hidden bytes at the end.
    w.settle(text.len() + 1);
    w.out
}

struct Weaver<'a> {
    text: &'a str,
    marks: &'a [Mark],
    /// The marks shown, in order, and the first not yet finished.
    shown: Vec<usize>,
    next_mark: usize,
    /// How many of the shown marks have had their id written (their first part).
    ids_given: usize,
    anchors: Vec<(usize, u8)>,
    next_anchor: usize,
    stack: Vec<Open>,
    out: String,
}

impl Weaver<'_> {
    fn open_mark(&mut self, k: usize) {
        let m = &self.marks[self.shown[k]];
        let id = if k >= self.ids_given {
            self.ids_given = k + 1;
            format!(" id=\"b{}\"", m.span.start)
        } else {
            String::new()
        };
        self.out.push_str(&format!(
            "<mark class=\"{}\"{id} title=\"{}\"><a href=\"{}\">",
            m.class,
            esc(&m.title),
            esc(&m.href)
        ));
        self.stack.push(Open::Mark(k));
    }

    fn close_one(&mut self, e: Open) {
        match e {
            Open::Mark(_) => self.out.push_str("</a></mark>"),
            Open::Format(tag) => {
                self.out.push_str("</");
                self.out.push_str(tag);
                self.out.push('>');
            }
        }
    }

    /// Closes `e` and what is open inside it, and opens those again (marks without their id).
    fn close(&mut self, e: Open) {
        let Some(at) = self.stack.iter().rposition(|x| *x == e) else {
            return;
        };
        let above: Vec<Open> = self.stack.drain(at + 1..).collect();
        for x in above.iter().rev() {
            self.close_one(*x);
        }
        self.stack.pop();
        self.close_one(e);
        for x in above {
            match x {
                Open::Mark(k) => self.open_mark(k),
                Open::Format(tag) => {
                    self.out.push_str(&format!("<{tag}>"));
                    self.stack.push(x);
                }
            }
        }
    }

    /// At a block's edge: everything inline closed; a mark still running opens again at the
    /// next text.
    fn close_all(&mut self) {
        while let Some(x) = self.stack.pop() {
            self.close_one(x);
        }
    }

    fn mark_open(&self) -> bool {
        self.stack.iter().any(|x| matches!(x, Open::Mark(_)))
    }

    /// Writes what stands before byte `upto` that has not been written: anchors, and marks that
    /// ended in hidden bytes without any text of theirs shown (empty, for their id).
    fn settle(&mut self, upto: usize) {
        loop {
            let anchor = self
                .anchors
                .get(self.next_anchor)
                .filter(|(p, _)| *p < upto)
                .copied();
            let gone = self
                .shown
                .get(self.next_mark)
                .map(|&k| self.marks[k].span)
                .filter(|s| s.end < upto && !self.mark_open());
            match (anchor, gone) {
                (Some((p, _)), Some(s)) if s.end <= p => self.skip_mark(),
                (Some((p, kind)), _) => {
                    self.anchor(p, kind);
                    self.next_anchor += 1;
                }
                (None, Some(_)) => self.skip_mark(),
                (None, None) => break,
            }
        }
    }

    fn skip_mark(&mut self) {
        let k = self.next_mark;
        if k >= self.ids_given {
            self.open_mark(k);
            self.close(Open::Mark(k));
        }
        self.next_mark += 1;
    }

    fn anchor(&mut self, p: usize, kind: u8) {
        if kind == 0 {
            self.out.push_str(&format!("<span id=\"p{p}\"></span>"));
        } else {
            self.out
                .push_str(&format!("<span class=\"task-mark\" id=\"t{p}\"></span>"));
        }
    }

    fn text(&mut self, a: usize, b: usize) {
        // A mark that ended in the hidden bytes before this text is closed there.
        if let Some(&k) = self.shown.get(self.next_mark)
            && self.marks[k].span.end <= a
            && self.stack.contains(&Open::Mark(self.next_mark))
        {
            self.close(Open::Mark(self.next_mark));
            self.next_mark += 1;
        }
        // Anchors at or before `a`, and marks that ended before it.
        self.settle(a + 1);
        let mut pos = a;
        while pos < b {
            let current = self.shown.get(self.next_mark).map(|&k| self.marks[k].span);
            let open = self.stack.contains(&Open::Mark(self.next_mark));
            if let Some(s) = current
                && s.start <= pos
                && !open
            {
                self.open_mark(self.next_mark);
            }
            let open = self.stack.contains(&Open::Mark(self.next_mark));
            let mut next = b;
            if let Some(&(p, _)) = self.anchors.get(self.next_anchor) {
                next = next.min(p);
            }
            if let Some(s) = current {
                next = next.min(if open { s.end } else { s.start });
            }
            self.out.push_str(&esc(&self.text[pos..next]));
            pos = next;
            // A mark that ends here is closed; anchors here come after it, a mark starting here
            // after them.
            if open && current.is_some_and(|s| s.end <= pos) {
                self.close(Open::Mark(self.next_mark));
                self.next_mark += 1;
            }
            if pos < b {
                while let Some(&(p, kind)) = self.anchors.get(self.next_anchor) {
                    if p > pos {
                        break;
                    }
                    self.anchor(p, kind);
                    self.next_anchor += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(start: usize, end: usize) -> Mark {
        Mark {
            span: Span::new(start, end),
            href: format!("/items/quantity/1/{start}"),
            class: "q target",
            title: "m".into(),
        }
    }

    fn html(text: &str, marks: &[Mark]) -> String {
        render(text, marks, &[], &[]).html
    }

    /// The HTML without its tags: what a reader sees.
    fn shown(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                _ if !in_tag => out.push(c),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn headings_paragraphs_and_contents() {
        let text = "# 天津市规划纲要\n\n## 第一章 总体要求\n\n全市地区生产总值增长4%左右。\n\n### 第一节 发展基础\n";
        let r = render(text, &[], &[], &[]);
        assert!(
            r.html
                .contains("<h2><span id=\"p0\"></span>天津市规划纲要</h2>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h3>"), "{}", r.html);
        assert!(r.html.contains("<h4>"), "{}", r.html);
        assert!(r.html.contains("<p><span id=\"p"), "{}", r.html);
        assert!(!shown(&r.html).contains('#'), "{}", r.html);
        let at = text.find("## 第一章").unwrap();
        assert_eq!(
            r.toc,
            vec![
                TocEntry {
                    level: 1,
                    at: 0,
                    title: "天津市规划纲要".into()
                },
                TocEntry {
                    level: 2,
                    at,
                    title: "第一章 总体要求".into()
                },
                TocEntry {
                    level: 3,
                    at: text.find("### ").unwrap(),
                    title: "第一节 发展基础".into()
                },
            ]
        );
    }

    #[test]
    fn sub_and_sup_are_kept_everything_else_escaped() {
        let h = html(
            "PM<sub>2.5</sub>年均浓度下降<script>alert(1)</script>，10<sup>4</sup>\n",
            &[],
        );
        assert!(h.contains("PM<sub>2.5</sub>"), "{h}");
        assert!(h.contains("10<sup>4</sup>"), "{h}");
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{h}");
        // A tag left open, one with attributes, and a stray closing tag are text.
        let h = html("a<sub>b 与 <b onclick=\"x\">c</b> 及 </sup>\n", &[]);
        assert!(h.contains("a&lt;sub&gt;b"), "{h}");
        assert!(
            h.contains("&lt;b onclick=&quot;x&quot;&gt;c&lt;/b&gt;"),
            "{h}"
        );
        assert!(h.contains("&lt;/sup&gt;"), "{h}");
        // Backslash escapes show their character.
        let h = html("注：\\*为五年年均数。\n", &[]);
        assert!(
            h.contains("注：*为五年年均数。") && !h.contains('\\'),
            "{h}"
        );
    }

    #[test]
    fn tables_three_ways() {
        let tabs = "序号\t指标\t2025年\n1\t地区生产总值增长（%）\t6*左右\n";
        let h = html(tabs, &[]);
        assert!(
            h.contains(
                "<table class=\"doc-table\"><tr><th><span id=\"p0\"></span>序号</th><th>指标</th>"
            ),
            "{h}"
        );
        assert!(h.contains("<td>6*左右</td>"), "{h}");
        let pipes = "| 指标 | 目标 |\n|---|:-:|\n| 粮食产量 | 250 |\n";
        let h = html(pipes, &[]);
        assert!(
            h.contains("指标 </th><th> 目标 </th>") && h.contains("<td> 250 </td>"),
            "{h}"
        );
        assert!(
            !shown(&h).contains('|') && !shown(&h).contains("---"),
            "{h}"
        );
        let cells = "\t序号\n\t责任单位\n\n\t1\n\t市财政局\n市税务局\n\n之后的正文。\n";
        let h = html(cells, &[]);
        assert!(h.contains("<tr><td><span id=\"p"), "{h}");
        assert!(h.contains("市财政局<br><span id=\"p"), "{h}");
        assert!(h.contains("</table></div><p>"), "{h}");
    }

    #[test]
    fn lists_and_paragraph_breaks() {
        let h = html("- 第一项\n- 第二项\n\n2. 劳动年龄人口\n3. 下一条\n", &[]);
        assert!(h.contains("<ul><li>"), "{h}");
        assert!(h.contains("<ol start=\"2\"><li>"), "{h}");
        assert!(!shown(&h).contains("- "), "{h}");
        // A hard wrap inside a sentence is joined; a line ending a sentence ends its paragraph.
        let h = html("全市地区生产\n总值增长4.3%。\n城镇调查失业率5.4%。\n", &[]);
        assert!(h.contains("生产<span id=\"p"), "{h}");
        assert_eq!(h.matches("<p>").count(), 2, "{h}");
    }

    #[test]
    fn a_line_before_a_numbered_item_ends_its_paragraph() {
        let rows = "第2行：天津市2023年粮食播种面积577.6万亩（总量），来源：统计公报\n第3行：天津市2023年城镇污水集中处理率95.5%（比重），来源：统计公报\n";
        assert_eq!(html(rows, &[]).matches("<p>").count(), 2);
        let items = "主要任务\n一、经济社会发展\n（一）稳增长\n1、扩大内需\n——经济运行整体向好\n";
        assert_eq!(html(items, &[]).matches("<p>").count(), 5);
        // A year or a figure at a line's start is no item: the hard wrap is joined.
        let wrapped = "地区生产总值增长\n2023年增长4.3%，高于\n3.8%的预期。\n";
        assert_eq!(html(wrapped, &[]).matches("<p>").count(), 1);
        assert!(!opens_item("2023年") && !opens_item("第一") && opens_item("第十二章 总则"));
    }

    #[test]
    fn marks_keep_their_byte_anchors() {
        let text = "## 目标\n\n全市地区生产总值增长4.3%。\n";
        let at = text.find("增长").unwrap();
        let end = text.find('。').unwrap();
        let h = render(text, &[mark(at, end)], &[text.find("全市").unwrap()], &[]).html;
        assert!(
            h.contains(&format!("<mark class=\"q target\" id=\"b{at}\" title=\"m\"><a href=\"/items/quantity/1/{at}\">增长4.3%</a></mark>")),
            "{h}"
        );
        assert!(
            h.contains(&format!(
                "<span class=\"task-mark\" id=\"t{}\"></span>",
                text.find("全市").unwrap()
            )),
            "{h}"
        );
        for (k, _) in text.match_indices('\n') {
            assert!(
                h.contains(&format!("id=\"p{}\"", k + 1)),
                "p{} in {h}",
                k + 1
            );
        }
    }

    #[test]
    fn a_mark_across_cells_is_closed_and_opened_again_with_one_id() {
        let text = "指标\t数值\n粮食产量\t250万吨\n";
        let a = text.find("产量").unwrap();
        let b = text.find("万吨").unwrap();
        let h = html(text, &[mark(a, b)]);
        assert_eq!(h.matches(&format!("id=\"b{a}\"")).count(), 1, "{h}");
        assert_eq!(h.matches("<mark").count(), 2, "{h}");
        assert_eq!(
            h.matches("<mark").count(),
            h.matches("</mark>").count(),
            "{h}"
        );
        // Within the formatting: a mark inside `<sub>` and one around it stay well nested.
        let text = "PM<sub>2.5</sub>浓度48微克。\n";
        let a = text.find("2.5").unwrap();
        let h = html(text, &[mark(0, a + 1)]);
        assert!(h.contains("PM<sub>2</sub></a></mark><sub>.5</sub>"), "{h}");
    }

    #[test]
    fn a_mark_in_hidden_bytes_keeps_its_id() {
        // A span over the `#`s alone: nothing of it is shown, its anchor is.
        let h = html("## 标题\n", &[mark(0, 2)]);
        assert!(h.contains("id=\"b0\""), "{h}");
    }

    #[test]
    fn the_extractors_headings() {
        let text = "一、2023年工作回顾\n经济运行整体向好。\n一、强化组织推动。各区要加强领导。\n";
        let second = text.find("一、强化").unwrap();
        let sections = [
            Heading {
                level: 1,
                span: Span::new(0, text.find('\n').unwrap()),
                title: "2023年工作回顾".into(),
            },
            Heading {
                level: 1,
                span: Span::new(second, second + "一、强化组织推动".len()),
                title: "强化组织推动".into(),
            },
        ];
        let r = render(text, &[], &[], &sections);
        assert!(
            r.html
                .starts_with("<h2><span id=\"p0\"></span>一、2023年工作回顾</h2>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(&format!(
                "<strong><span id=\"p{second}\"></span>一、强化组织推动</strong>。各区"
            )),
            "{}",
            r.html
        );
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[1].at, second);
    }
}
