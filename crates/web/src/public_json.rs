//! The public JSON: every value serialised straight to bytes (no tree of `serde_json::Value`s
//! in between), with each `source` cut to its file name (a server's paths are nobody's
//! business) and the document's display title written beside it as `title`.
//!
//! A `serde_json` [`Formatter`] does it as the bytes are written: it follows the objects being
//! written, catches a string under the key `source`, writes its file name instead, and gives
//! the object its document's title — replacing the value of a `title` key written after it (a
//! document's own title line), else added at the object's end. A `source` that names no
//! document (a kind of document, `work_report`) is left as it is and adds no title.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CharEscape, Formatter};

/// `value` as the public JSON, with `titles` (display titles by source).
pub fn to_vec<T: Serialize + ?Sized>(
    value: &T,
    titles: &HashMap<String, String>,
) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(4096);
    let mut ser = serde_json::Serializer::with_formatter(
        &mut out,
        Public {
            titles,
            objects: Vec::new(),
            key: None,
            spare: Vec::new(),
            source: None,
            replacing: None,
        },
    );
    value.serialize(&mut ser)?;
    Ok(out)
}

/// An object being written.
#[derive(Default)]
struct Object {
    /// The key of the member being written, once read.
    key: String,
    /// The display title of its `source`, not written yet.
    title: Option<String>,
    /// Whether it wrote a `title` member already.
    has_title: bool,
}

struct Public<'a> {
    titles: &'a HashMap<String, String>,
    objects: Vec<Object>,
    /// The key being read, while a key is written.
    key: Option<String>,
    /// Emptied strings to read keys into again: a response writes thousands of keys, and a
    /// string made for each was a tenth of its writing.
    spare: Vec<String>,
    /// The `source` string being read (not written as it comes).
    source: Option<String>,
    /// While a `title` value is replaced (nothing of it written): the depth of the object it
    /// belongs to, so that the members of a value that is itself an object do not end it.
    replacing: Option<usize>,
}

impl Public<'_> {
    /// Whether the value about to be written is the member `name` of the current object.
    fn member_is(&self, name: &str) -> bool {
        self.key.is_none() && self.objects.last().is_some_and(|o| o.key == name)
    }

    /// Writes structure, unless a `title` value is being replaced.
    fn put<W: ?Sized + Write>(&self, w: &mut W, bytes: &[u8]) -> io::Result<()> {
        if self.replacing.is_some() {
            Ok(())
        } else {
            w.write_all(bytes)
        }
    }

    fn text(&mut self) -> Option<&mut String> {
        self.key.as_mut().or(self.source.as_mut())
    }
}

fn escape(e: &CharEscape) -> char {
    match e {
        CharEscape::Quote => '"',
        CharEscape::ReverseSolidus => '\\',
        CharEscape::Solidus => '/',
        CharEscape::Backspace => '\u{8}',
        CharEscape::FormFeed => '\u{c}',
        CharEscape::LineFeed => '\n',
        CharEscape::CarriageReturn => '\r',
        CharEscape::Tab => '\t',
        CharEscape::AsciiControl(b) => *b as char,
    }
}

/// Every write of a scalar goes through here: nothing is written while a `title` is replaced.
macro_rules! scalar {
    ($($name:ident($t:ty)),* $(,)?) => {
        $(
            fn $name<W: ?Sized + Write>(&mut self, w: &mut W, v: $t) -> io::Result<()> {
                if self.replacing.is_some() {
                    return Ok(());
                }
                serde_json::ser::CompactFormatter.$name(w, v)
            }
        )*
    };
}

impl Formatter for Public<'_> {
    scalar!(
        write_bool(bool),
        write_i8(i8),
        write_i16(i16),
        write_i32(i32),
        write_i64(i64),
        write_i128(i128),
        write_u8(u8),
        write_u16(u16),
        write_u32(u32),
        write_u64(u64),
        write_u128(u128),
        write_f32(f32),
        write_f64(f64),
        write_number_str(&str),
        write_raw_fragment(&str),
    );

    fn write_null<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        if self.replacing.is_some() {
            return Ok(());
        }
        w.write_all(b"null")
    }

    fn begin_string<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        if self.replacing.is_some() {
            return Ok(());
        }
        if self.member_is("source") {
            self.source = Some(String::new());
            return Ok(());
        }
        w.write_all(b"\"")
    }

    fn end_string<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        if self.replacing.is_some() {
            return Ok(());
        }
        if let Some(source) = self.source.take() {
            let name = plantrack_store::file_name(&source);
            serde_json::to_writer(&mut *w, name)?;
            if let Some(o) = self.objects.last_mut() {
                o.title = self.titles.get(&source).cloned();
            }
            return Ok(());
        }
        w.write_all(b"\"")
    }

    fn write_string_fragment<W: ?Sized + Write>(&mut self, w: &mut W, s: &str) -> io::Result<()> {
        if self.replacing.is_some() {
            return Ok(());
        }
        let captured = self.source.is_some();
        if let Some(t) = self.text() {
            t.push_str(s);
        }
        if captured {
            return Ok(());
        }
        w.write_all(s.as_bytes())
    }

    fn write_char_escape<W: ?Sized + Write>(&mut self, w: &mut W, e: CharEscape) -> io::Result<()> {
        if self.replacing.is_some() {
            return Ok(());
        }
        let captured = self.source.is_some();
        if let Some(t) = self.text() {
            t.push(escape(&e));
        }
        if captured {
            return Ok(());
        }
        serde_json::ser::CompactFormatter.write_char_escape(w, e)
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        // A key's value of any other kind is never a `source` to cut.
        if let Some(o) = self.objects.last_mut()
            && self.key.is_none()
            && o.key == "source"
        {
            o.key.clear();
        }
        self.put(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.put(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if first { Ok(()) } else { self.put(w, b",") }
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.objects.push(Object {
            key: self.spare.pop().unwrap_or_default(),
            ..Object::default()
        });
        self.put(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        if let Some(mut o) = self.objects.pop() {
            o.key.clear();
            self.spare.push(std::mem::take(&mut o.key));
            if let Some(title) = o.title
                && !o.has_title
                && self.replacing.is_none()
            {
                w.write_all(br#","title":"#)?;
                serde_json::to_writer(&mut *w, &title)?;
            }
        }
        self.put(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.key = Some(self.spare.pop().unwrap_or_default());
        if first { Ok(()) } else { self.put(w, b",") }
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        let mut key = self.key.take().unwrap_or_default();
        if let Some(o) = self.objects.last_mut() {
            if key == "title" {
                o.has_title = true;
            }
            std::mem::swap(&mut o.key, &mut key);
        }
        // The object's last key, its string emptied for the next.
        key.clear();
        self.spare.push(key);
        Ok(())
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.put(w, b":")?;
        // A document's own title after its source: the display title instead.
        if self.replacing.is_none()
            && let Some(o) = self.objects.last()
            && o.key == "title"
            && o.title.is_some()
        {
            self.replacing = Some(self.objects.len());
        }
        Ok(())
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        if self.replacing == Some(self.objects.len()) {
            self.replacing = None;
            if let Some(o) = self.objects.last_mut()
                && let Some(title) = o.title.take()
            {
                serde_json::to_writer(&mut *w, &title)?;
            }
        }
        if let Some(o) = self.objects.last_mut() {
            o.key.clear();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(v: &serde_json::Value) -> serde_json::Value {
        let titles: HashMap<String, String> = [(
            "/srv/docs/天津市2024.txt".to_string(),
            "天津市2024年政府工作报告".to_string(),
        )]
        .into();
        let bytes = to_vec(v, &titles).unwrap();
        serde_json::from_slice(&bytes).expect("valid JSON")
    }

    #[test]
    fn sources_are_file_names_with_their_titles() {
        let v = serde_json::json!({
            "items": [
                {"metric": "地区生产总值", "source": "/srv/docs/天津市2024.txt", "value": 6.5},
                {"source": "/srv/docs/unknown.txt", "note": "a \"quoted\"\nline"},
            ],
            "kind": {"source": "work_report"},
        });
        let p = public(&v);
        assert_eq!(p["items"][0]["source"], "天津市2024.txt");
        assert_eq!(p["items"][0]["title"], "天津市2024年政府工作报告");
        assert_eq!(p["items"][0]["value"], 6.5);
        // A document not known: its file name, no title.
        assert_eq!(p["items"][1]["source"], "unknown.txt");
        assert!(p["items"][1].get("title").is_none());
        assert_eq!(p["items"][1]["note"], "a \"quoted\"\nline");
        // A source that is a kind of document stays as it is.
        assert_eq!(p["kind"]["source"], "work_report");
        assert!(p["kind"].get("title").is_none());
    }

    #[test]
    fn a_title_of_any_shape_is_replaced_whole() {
        let v = serde_json::json!([
            {"source": "/srv/docs/天津市2024.txt", "title": {"main": "x", "parts": [1, {"a": null}]}, "z": 1},
            {"source": "/srv/docs/天津市2024.txt", "title": [1, 2], "z": 2},
        ]);
        let p = public(&v);
        for (k, item) in p.as_array().unwrap().iter().enumerate() {
            assert_eq!(item["title"], "天津市2024年政府工作报告");
            assert_eq!(item["z"], k + 1);
        }
    }

    #[test]
    fn a_documents_own_title_gives_way_to_its_display_title() {
        #[derive(Serialize)]
        struct Doc {
            source: &'static str,
            title: Option<&'static str>,
            year: i32,
            nested: Vec<Inner>,
        }
        #[derive(Serialize)]
        struct Inner {
            source: Option<&'static str>,
            title: &'static str,
        }
        let d = Doc {
            source: "/srv/docs/天津市2024.txt",
            title: None,
            year: 2024,
            nested: vec![Inner {
                source: None,
                title: "其他",
            }],
        };
        let titles: HashMap<String, String> = [(
            "/srv/docs/天津市2024.txt".to_string(),
            "天津市2024年政府工作报告".to_string(),
        )]
        .into();
        let text = String::from_utf8(to_vec(&d, &titles).unwrap()).unwrap();
        assert_eq!(
            text,
            r#"{"source":"天津市2024.txt","title":"天津市2024年政府工作报告","year":2024,"nested":[{"source":null,"title":"其他"}]}"#
        );
    }
}
