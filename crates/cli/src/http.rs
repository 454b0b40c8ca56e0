//! A minimal HTTP/1.1 client over one keep-alive TCP connection, for the benchmarks: no client
//! library's overhead is measured, only the server's.

use anyhow::Context;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

pub type Connection = BufReader<TcpStream>;

pub async fn connect(addr: std::net::SocketAddr) -> anyhow::Result<Connection> {
    Ok(BufReader::new(TcpStream::connect(addr).await?))
}

/// A response: its status, the session cookie it sets, its body (as sent: the load of a
/// benchmark reads no more of it than it needs).
pub struct Answer {
    pub status: u16,
    pub cookie: Option<String>,
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as text.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }
}

/// One request on the connection; `form` is sent url-encoded.
pub async fn request(
    conn: &mut Connection,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    form: Option<&str>,
) -> anyhow::Result<Answer> {
    let (status, length, cookie) = send(conn, method, path, cookie, form).await?;
    let mut body = vec![0u8; length];
    conn.read_exact(&mut body).await?;
    Ok(Answer {
        status,
        cookie,
        body,
    })
}

/// A GET whose body is read and dropped as it comes (a benchmark's load, which must cost the
/// machine as little as it can): its status.
pub async fn get_status(conn: &mut Connection, path: &str) -> anyhow::Result<u16> {
    let (status, mut length, _) = send(conn, "GET", path, None, None).await?;
    let mut chunk = [0u8; 16 * 1024];
    while length > 0 {
        let n = length.min(chunk.len());
        conn.read_exact(&mut chunk[..n]).await?;
        length -= n;
    }
    Ok(status)
}

/// Sends a request and reads the head of its answer: status, body length, session cookie.
async fn send(
    conn: &mut Connection,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    form: Option<&str>,
) -> anyhow::Result<(u16, usize, Option<String>)> {
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: bench\r\nConnection: keep-alive\r\n");
    if let Some(c) = cookie {
        req.push_str(&format!("Cookie: {c}\r\n"));
    }
    if let Some(f) = form {
        req.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            f.len()
        ));
    }
    req.push_str("\r\n");
    if let Some(f) = form {
        req.push_str(f);
    }
    conn.get_mut().write_all(req.as_bytes()).await?;
    let mut line = String::new();
    conn.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("bad status line {line:?}"))?;
    let (mut length, mut set_cookie) = (0usize, None);
    loop {
        line.clear();
        conn.read_line(&mut line).await?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse()?;
            } else if k.eq_ignore_ascii_case("set-cookie") {
                set_cookie = v.trim().split(';').next().map(str::to_string);
            }
        }
    }
    Ok((status, length, set_cookie))
}

/// Percent-encodes a query or form value.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
