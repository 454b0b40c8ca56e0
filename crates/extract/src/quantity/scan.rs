//! Cutting a paragraph into sentences and clauses.

use crate::lexicon::{EVENT_FLAG, Lexicon, NUMBER_FLAG, SENTENCE_END_FLAG};

/// Sentence ends.
pub(super) fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?')
}

/// Clause separators inside a sentence.
pub(crate) fn is_clause_sep(c: char) -> bool {
    matches!(c, '，' | '；' | '：' | ',' | ';' | ':')
}

/// A sentence of a paragraph and what a one-pass byte scan saw in it.
pub(crate) struct Scanned {
    pub start: usize,
    pub end: usize,
    /// An ASCII digit or a Chinese magnitude word (`百`, `千`, `万`, `亿`): a number may be here.
    pub maybe_number: bool,
    /// Where the characters that may start an event word are: `Scan::events` from `events.0`
    /// to `events.1`.
    events: (u32, u32),
}

impl Scanned {
    /// A character that starts an event word: a milestone may be here.
    pub fn maybe_event(&self) -> bool {
        self.events.0 < self.events.1
    }
}

/// The sentences of a paragraph, and where in each a character starts an event word.
pub(crate) struct Scan {
    pub sentences: Vec<Scanned>,
    /// Byte offsets in their sentence, sentence after sentence.
    events: Vec<u32>,
}

impl Scan {
    /// The byte offsets in `s` of the characters that may start an event word, in order.
    pub fn events(&self, s: &Scanned) -> &[u32] {
        self.events
            .get(s.events.0 as usize..s.events.1 as usize)
            .unwrap_or(&[])
    }
}

/// Splits a paragraph into sentences (`。！？!?`) in one pass over its bytes, noting which hold a
/// possible number or event, and where each character that may start an event word is, so that
/// nothing is read twice.
pub(crate) fn scan(lex: &Lexicon, p: &str) -> Scan {
    let flags = lex.char_flags();
    let b = p.as_bytes();
    let mut out = Vec::new();
    let mut events = Vec::new();
    let mut current = Scanned {
        start: 0,
        end: 0,
        maybe_number: false,
        events: (0, 0),
    };
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        let (len, ends) = if x < 0x80 {
            current.maybe_number |= x.is_ascii_digit();
            (1, x == b'!' || x == b'?')
        } else if (0xE0..0xF0).contains(&x) && i + 2 < b.len() {
            let cp = ((x as usize & 0x0F) << 12)
                | ((b[i + 1] as usize & 0x3F) << 6)
                | (b[i + 2] as usize & 0x3F);
            let f = flags[cp];
            // Most characters are none of these: one test.
            if f == 0 {
                i += 3;
                continue;
            }
            current.maybe_number |= f & NUMBER_FLAG != 0;
            if f & EVENT_FLAG != 0 {
                events.push((i - current.start) as u32);
            }
            (3, f & SENTENCE_END_FLAG != 0)
        } else if x >= 0xF0 {
            (4, false)
        } else if x >= 0xC0 {
            (2, false)
        } else {
            (1, false)
        };
        i = (i + len).min(b.len());
        if ends {
            current.end = i;
            current.events.1 = events.len() as u32;
            let next = Scanned {
                start: i,
                end: i,
                maybe_number: false,
                events: (events.len() as u32, events.len() as u32),
            };
            out.push(std::mem::replace(&mut current, next));
        }
    }
    if current.start < p.len() {
        current.end = p.len();
        current.events.1 = events.len() as u32;
        out.push(current);
    }
    out.retain(|s| !p[s.start..s.end].trim().is_empty());
    Scan {
        sentences: out,
        events,
    }
}
