//! Full-text search over the documents' paragraphs.
//!
//! Chinese has no spaces between words, so neither SQLite's FTS5 tokenizer nor PostgreSQL's text
//! search can find `生产总值` in `全市地区生产总值增长4.3%` on their own. Each paragraph is split
//! into words by jieba (search mode, so that `地区生产总值` also yields `地区`, `生产`, `总值`),
//! the words are joined with spaces, and the engines index that: an FTS5 table on SQLite, a
//! `tsvector` of the `simple` configuration on PostgreSQL. A query is split the same way and every
//! word must match. This is the one place where the engines' SQL differs beyond the schema.

use std::sync::OnceLock;

use jieba_rs::Jieba;
use sqlx::{Any, Row, Transaction};

use crate::{Store, StoreError};

/// Words of planning documents that jieba's general dictionary splits apart.
const DOMAIN_WORDS: &[&str] = &[
    "地区生产总值",
    "国内生产总值",
    "规上工业",
    "高新技术企业",
    "科技型中小企业",
    "专精特新",
    "单项冠军",
    "京津冀",
    "民心工程",
    "社会消费品零售总额",
    "城镇调查失业率",
    "一般公共预算收入",
    "固定资产投资",
    "集装箱吞吐量",
    "责任单位",
    "牵头单位",
    "配合单位",
    "十四五",
    "口袋公园",
];

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(|| {
        let mut j = Jieba::new();
        for w in DOMAIN_WORDS {
            j.add_word(w, Some(100_000), None);
        }
        j
    })
}

/// Whether a word is worth indexing: it holds a letter, a digit or an ideograph.
fn is_word(w: &str) -> bool {
    w.chars().any(|c| c.is_alphanumeric())
}

/// The words of a text for the index: jieba's search mode, lower-cased, space-separated.
pub fn index_words(text: &str) -> String {
    let mut out = String::new();
    for t in jieba().cut_for_search(text, false) {
        if is_word(t.word) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&t.word.to_lowercase());
        }
    }
    out
}

/// The words of a query: jieba's precise mode, so that every word must be found.
pub fn query_words(query: &str) -> Vec<String> {
    let mut words: Vec<String> = jieba()
        .cut(query, false)
        .into_iter()
        .filter(|t| is_word(t.word))
        .map(|t| t.word.to_lowercase())
        .collect();
    words.dedup();
    words
}

/// One paragraph found.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub source: String,
    pub title: Option<String>,
    pub section: Option<String>,
    /// The paragraph around the first query word, about 120 characters.
    pub snippet: String,
    /// The paragraph's byte range in the document's text.
    pub start: i64,
    pub end: i64,
}

/// The innermost section whose extent holds byte `at`: from the last section that starts at or
/// before it, up its parents (extents nest, so the first that holds `at` is the innermost).
fn innermost_section(
    sections: &[plantrack_model::Section],
    at: usize,
) -> Option<&plantrack_model::Section> {
    let mut cursor = sections
        .partition_point(|s| s.extent.start <= at)
        .checked_sub(1);
    while let Some(i) = cursor {
        let s = &sections[i];
        if at < s.extent.end {
            return Some(s);
        }
        cursor = s.parent;
    }
    None
}

/// A paragraph in the search index: its byte range in the document's text, the title of the
/// innermost section holding it, and its words joined with spaces.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct IndexEntry {
    pub start: i64,
    pub stop: i64,
    pub section: Option<String>,
    pub words: String,
}

/// A document's entries of the search index, its words split by jieba: work done before the
/// ingest transaction (on another thread, while the previous document is written) so that the
/// transaction only writes. Made by [`Prepared::of`]; [`Store::ingest_prepared`] writes it.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    /// Each paragraph with words.
    entries: Vec<IndexEntry>,
    /// The SHA-256 of the text, which tells an unchanged document.
    pub(crate) hash: String,
    /// The length of the text it was made from.
    pub(crate) len: usize,
}

impl Prepared {
    /// The index entries of a document's text, one a line (paragraph) with words.
    pub fn of(text: &str, x: &plantrack_model::Extraction) -> Prepared {
        Prepared::hashed(text, x, crate::write::content_hash(text))
    }

    /// The same for a text whose [`crate::content_hash`] the caller has already taken (to tell
    /// an unchanged document), so that it is not taken again.
    pub fn hashed(text: &str, x: &plantrack_model::Extraction, hash: String) -> Prepared {
        let mut entries = Vec::new();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let body = line.trim_end_matches(['\n', '\r']);
            let words = index_words(body);
            if words.is_empty() {
                continue;
            }
            let section = innermost_section(&x.sections, start).map(|s| s.title.clone());
            entries.push(IndexEntry {
                start: start as i64,
                stop: (start + body.len()) as i64,
                section,
                words,
            });
        }
        Prepared {
            entries,
            hash,
            len: text.len(),
        }
    }
}

impl Store {
    /// Writes the search index of one document inside its ingest transaction.
    pub(crate) async fn index_document(
        &self,
        tx: &mut Transaction<'static, Any>,
        doc: i64,
        prepared: &Prepared,
    ) -> Result<(), StoreError> {
        self.backend
            .index_paragraphs(tx, doc, &prepared.entries)
            .await
    }

    /// Paragraphs that hold every word of `query`, best first.
    pub async fn search(&self, query: &str, limit: i64) -> Result<Vec<SearchHit>, StoreError> {
        let words = query_words(query);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let (sql, expr) = self.backend.search_query(&words);
        let rows = sqlx::query(sql)
            .bind(expr)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|r| {
                let text: String = r.try_get(5)?;
                let start: i64 = r.try_get(3)?;
                let end: i64 = r.try_get(4)?;
                let paragraph = text.get(start as usize..end as usize).unwrap_or("").trim();
                Ok(SearchHit {
                    source: r.try_get(0)?,
                    title: r.try_get(1)?,
                    section: r.try_get(2)?,
                    // Centred on the longest query word: the most telling, and the least likely
                    // to occur by chance elsewhere in the paragraph.
                    snippet: snippet(paragraph, longest_word(&words), 60),
                    start,
                    end,
                })
            })
            .collect()
    }
}

fn longest_word(words: &[String]) -> &str {
    words.iter().fold(&words[0], |best, w| {
        if w.chars().count() > best.chars().count() {
            w
        } else {
            best
        }
    })
}

/// About `radius` characters either side of the first occurrence of `word`.
fn snippet(paragraph: &str, word: &str, radius: usize) -> String {
    let lower = paragraph.to_lowercase();
    let at = lower
        .find(word)
        .filter(|_| lower.len() == paragraph.len())
        .unwrap_or(0);
    let before: Vec<(usize, char)> = paragraph[..at].char_indices().collect();
    let from = before.len().saturating_sub(radius);
    let start = before.get(from).map_or(at, |(i, _)| *i);
    let end = paragraph[at..]
        .char_indices()
        .nth(radius + word.chars().count())
        .map_or(paragraph.len(), |(i, _)| at + i);
    let mut s = String::new();
    if start > 0 {
        s.push('…');
    }
    s.push_str(&paragraph[start..end]);
    if end < paragraph.len() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_of_chinese_text() {
        let w = index_words("全市地区生产总值增长4.3%。");
        assert!(w.split(' ').any(|x| x == "地区生产总值"), "{w}");
        assert!(w.split(' ').any(|x| x == "生产"), "{w}");
        assert!(!w.contains('。'));
        assert_eq!(query_words("地区生产总值 增长"), ["地区生产总值", "增长"]);
        assert!(query_words("。，").is_empty());
    }

    #[test]
    fn snippets_center_on_the_word() {
        let p = "一二三四五六七八九十地区生产总值增长4.3%一二三四五六七八九十";
        assert_eq!(snippet(p, "地区生产总值", 3), "…八九十地区生产总值增长4…");
    }
}
