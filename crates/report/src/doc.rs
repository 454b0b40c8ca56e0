//! A report as a document: headings, paragraphs, tables and drafts, each figure with a note
//! naming its source. What the reports build and what the renderers (DOCX, HTML, text) read.

/// Text as XML or HTML character data and attribute values: markup characters escaped, the
/// control characters XML 1.0 cannot hold dropped.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// One report, ready to render.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// The title line (公文标题).
    pub title: String,
    /// A line under the title: the region, the date of the data, that it is a draft.
    pub subtitle: String,
    pub blocks: Vec<Block>,
    /// The notes the blocks point to, numbered from 1 in order of first reference.
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A level-one (`一、`, 黑体) or level-two (`（一）`, 楷体) heading, numbering included.
    Heading(u8, String),
    Paragraph(Vec<Inline>),
    /// A sentence a person must write (reasons, outlook): marked in every rendering.
    Draft(String),
    Table(Table),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    /// A reference to `Report::notes[i]`.
    Note(usize),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub caption: String,
    pub header: Vec<String>,
    /// Relative column widths, one a column.
    pub widths: Vec<u32>,
    pub rows: Vec<Vec<Vec<Inline>>>,
}

/// Where a figure came from: the document by its title and the sentence (or the imported row).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Note {
    pub document: String,
    pub quote: String,
    /// The document's key in the store and the byte the item starts at, for a link to the viewer.
    pub at: Option<(i64, usize)>,
}

impl Note {
    /// The note as it is printed: `《标题》：“句子”`.
    pub fn text(&self) -> String {
        format!("《{}》：“{}”", self.document, self.quote)
    }
}

/// Builds a report block by block; notes are numbered once each.
#[derive(Debug, Default)]
pub struct Builder {
    report: Report,
    line: Vec<Inline>,
}

impl Builder {
    pub fn new(title: String, subtitle: String) -> Builder {
        Builder {
            report: Report {
                title,
                subtitle,
                ..Default::default()
            },
            line: Vec::new(),
        }
    }

    pub fn heading(&mut self, level: u8, text: impl Into<String>) {
        self.end_paragraph();
        self.report.blocks.push(Block::Heading(level, text.into()));
    }

    /// Text added to the paragraph being written.
    pub fn text(&mut self, text: impl AsRef<str>) {
        let text = text.as_ref();
        if text.is_empty() {
            return;
        }
        match self.line.last_mut() {
            Some(Inline::Text(t)) => t.push_str(text),
            _ => self.line.push(Inline::Text(text.to_string())),
        }
    }

    /// A note on what was just written.
    pub fn note(&mut self, note: Note) {
        let i = self.note_index(note);
        self.line.push(Inline::Note(i));
    }

    /// The paragraph being written, ended (nothing when empty).
    pub fn end_paragraph(&mut self) {
        if !self.line.is_empty() {
            let line = std::mem::take(&mut self.line);
            self.report.blocks.push(Block::Paragraph(line));
        }
    }

    pub fn paragraph(&mut self, text: impl AsRef<str>) {
        self.end_paragraph();
        self.text(text);
        self.end_paragraph();
    }

    pub fn draft(&mut self, text: impl Into<String>) {
        self.end_paragraph();
        self.report.blocks.push(Block::Draft(text.into()));
    }

    pub fn table(&mut self, table: Table) {
        self.end_paragraph();
        self.report.blocks.push(Block::Table(table));
    }

    /// The number of a note, the same for the same source and sentence.
    pub fn note_index(&mut self, note: Note) -> usize {
        if let Some(i) = self.report.notes.iter().position(|n| *n == note) {
            return i;
        }
        self.report.notes.push(note);
        self.report.notes.len() - 1
    }

    pub fn finish(mut self) -> Report {
        self.end_paragraph();
        self.report
    }
}

/// A table cell of text, with notes.
pub fn cell(text: impl Into<String>, notes: &[usize]) -> Vec<Inline> {
    let mut out = vec![Inline::Text(text.into())];
    out.extend(notes.iter().map(|&i| Inline::Note(i)));
    out
}

impl Report {
    /// The report as plain text, notes as `[n]` and listed at the end: what the golden tests
    /// compare and a person reviews.
    pub fn to_text(&self) -> String {
        let mut out = format!("{}\n{}\n", self.title, self.subtitle);
        let inline = |xs: &[Inline]| -> String {
            xs.iter()
                .map(|x| match x {
                    Inline::Text(t) => t.clone(),
                    Inline::Note(i) => format!("[{}]", i + 1),
                })
                .collect()
        };
        for b in &self.blocks {
            match b {
                Block::Heading(_, t) => out.push_str(&format!("\n{t}\n")),
                Block::Paragraph(xs) => out.push_str(&format!("{}\n", inline(xs))),
                Block::Draft(t) => out.push_str(&format!("【待撰写】{t}\n")),
                Block::Table(t) => {
                    out.push_str(&format!("{}\n", t.caption));
                    out.push_str(&format!("{}\n", t.header.join(" | ")));
                    for r in &t.rows {
                        let cells: Vec<String> = r.iter().map(|c| inline(c)).collect();
                        out.push_str(&format!("{}\n", cells.join(" | ")));
                    }
                }
            }
        }
        out.push_str("\n注释\n");
        for (i, n) in self.notes.iter().enumerate() {
            out.push_str(&format!("[{}] {}\n", i + 1, n.text()));
        }
        out
    }
}
