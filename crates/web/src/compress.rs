//! Compressed responses: brotli or gzip, as the browser's `Accept-Encoding` prefers, for text
//! (pages, JSON, CSV, the stylesheet and scripts) of 1 KB or more.
//!
//! Pages are rendered whole before they are sent, so the body is compressed in one piece. The
//! static assets never change while the server runs: each is compressed once, on its first
//! request, and kept. A compressed answer says `Vary: Accept-Encoding` and carries its ETag as a
//! weak one (`W/"p…"`): the bytes differ from the uncompressed answer's, the page does not, and
//! `If-None-Match` compares tags weakly, so a browser's copy is still answered `304`.

use std::io::Write;
use std::sync::OnceLock;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Bodies smaller than this are sent as they are: compressing them saves less than it costs.
const MIN_SIZE: usize = 1024;

/// brotli's quality: 5 compresses pages nearly as well as 11 at a small part of its time.
const BROTLI_QUALITY: u32 = 5;
const BROTLI_WINDOW: u32 = 22;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
}

impl Encoding {
    fn name(self) -> &'static str {
        match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gzip",
        }
    }

    /// The encoding a request accepts: brotli before gzip when both are as welcome; none for
    /// `identity`, an absent header, or `q=0`.
    pub fn accepted(headers: &HeaderMap) -> Option<Encoding> {
        let accept = headers.get(header::ACCEPT_ENCODING)?.to_str().ok()?;
        let mut best: Option<(Encoding, f32)> = None;
        for part in accept.split(',') {
            let mut bits = part.split(';');
            let name = bits.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = bits
                .filter_map(|b| b.trim().strip_prefix("q="))
                .find_map(|v| v.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let enc = match name.as_str() {
                "br" => Encoding::Brotli,
                "gzip" | "x-gzip" => Encoding::Gzip,
                _ => continue,
            };
            if q <= 0.0 {
                continue;
            }
            let better = match best {
                None => true,
                Some((b, bq)) => q > bq || (q == bq && enc == Encoding::Brotli && b != enc),
            };
            if better {
                best = Some((enc, q));
            }
        }
        best.map(|(e, _)| e)
    }

    pub fn compress(self, body: &[u8]) -> Vec<u8> {
        match self {
            Encoding::Gzip => {
                let mut e = flate2::write::GzEncoder::new(
                    Vec::with_capacity(body.len() / 4),
                    flate2::Compression::new(6),
                );
                // Writing to a Vec does not fail.
                e.write_all(body).expect("gzip into memory");
                e.finish().expect("gzip into memory")
            }
            Encoding::Brotli => {
                let mut out = Vec::with_capacity(body.len() / 4);
                {
                    let mut w = brotli::CompressorWriter::new(
                        &mut out,
                        4096,
                        BROTLI_QUALITY,
                        BROTLI_WINDOW,
                    );
                    w.write_all(body).expect("brotli into memory");
                }
                out
            }
        }
    }
}

/// Whether a type of content is worth compressing (text; never images, PDFs or XLSX, which
/// are compressed already).
fn compressible(headers: &HeaderMap) -> bool {
    let Some(t) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let t = t.split(';').next().unwrap_or("").trim();
    t.starts_with("text/")
        || matches!(
            t,
            "application/json" | "application/javascript" | "image/svg+xml"
        )
}

fn add_vary(headers: &mut HeaderMap) {
    let has = headers
        .get_all(header::VARY)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.to_ascii_lowercase().contains("accept-encoding"));
    if !has {
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
}

/// A strong ETag made weak (`"p1"` → `W/"p1"`).
fn weaken(headers: &mut HeaderMap) {
    if let Some(tag) = headers.get(header::ETAG).and_then(|v| v.to_str().ok())
        && tag.starts_with('"')
        && let Ok(weak) = HeaderValue::from_str(&format!("W/{tag}"))
    {
        headers.insert(header::ETAG, weak);
    }
}

/// The middleware: compresses the answer when the request accepts it and the answer is worth
/// it.
pub async fn layer(req: Request, next: Next) -> Response {
    let encoding = Encoding::accepted(req.headers());
    let head = req.method() == Method::HEAD;
    let resp = next.run(req).await;
    if !resp.status().is_success() && !resp.status().is_client_error() {
        return resp;
    }
    if !compressible(resp.headers()) || resp.headers().contains_key(header::CONTENT_ENCODING) {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    add_vary(&mut parts.headers);
    let (Some(encoding), false) = (encoding, head) else {
        return Response::from_parts(parts, body);
    };
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(_) => return Response::from_parts(parts, Body::empty()),
    };
    if bytes.len() < MIN_SIZE {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let packed = encoding.compress(&bytes);
    parts.headers.insert(
        header::CONTENT_ENCODING,
        HeaderValue::from_static(encoding.name()),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    weaken(&mut parts.headers);
    Response::from_parts(parts, Body::from(packed))
}

/// A static asset, compressed once for each encoding on its first request.
pub struct Asset {
    pub body: &'static str,
    pub kind: &'static str,
    pub gzip: OnceLock<Vec<u8>>,
    pub brotli: OnceLock<Vec<u8>>,
}

impl Asset {
    pub const fn new(body: &'static str, kind: &'static str) -> Asset {
        Asset {
            body,
            kind,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
        }
    }

    pub fn respond(&'static self, headers: &HeaderMap) -> Response {
        let encoding = Encoding::accepted(headers).filter(|_| self.body.len() >= MIN_SIZE);
        let mut r = match encoding {
            None => self.body.into_response(),
            Some(e) => {
                let cell = match e {
                    Encoding::Gzip => &self.gzip,
                    Encoding::Brotli => &self.brotli,
                };
                let packed = cell.get_or_init(|| e.compress(self.body.as_bytes()));
                let mut r = packed.as_slice().into_response();
                r.headers_mut()
                    .insert(header::CONTENT_ENCODING, HeaderValue::from_static(e.name()));
                r
            }
        };
        let h = r.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(self.kind));
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=86400"),
        );
        add_vary(h);
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(v: &str) -> Option<Encoding> {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
        Encoding::accepted(&h)
    }

    #[test]
    fn the_browsers_choice() {
        assert_eq!(accept("gzip, deflate, br, zstd"), Some(Encoding::Brotli));
        assert_eq!(accept("gzip"), Some(Encoding::Gzip));
        assert_eq!(accept("br;q=0.5, gzip"), Some(Encoding::Gzip));
        assert_eq!(accept("br;q=0, gzip;q=0"), None);
        assert_eq!(accept("identity"), None);
        assert_eq!(Encoding::accepted(&HeaderMap::new()), None);
    }

    #[test]
    fn both_round_trip() {
        let text = "全市地区生产总值增长4.3%。".repeat(200);
        let gz = Encoding::Gzip.compress(text.as_bytes());
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut out)
            .unwrap();
        assert_eq!(out, text);
        assert!(gz.len() < text.len() / 10);
        let br = Encoding::Brotli.compress(text.as_bytes());
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut brotli::Decompressor::new(&br[..], 4096), &mut out)
            .unwrap();
        assert_eq!(out, text.as_bytes());
    }
}
