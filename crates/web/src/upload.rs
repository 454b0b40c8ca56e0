//! Tables of figures uploaded on the web (`POST /documents/import`): what `plantrack import FILE`
//! does, for a signed-in supervisor. The web crate knows no file format: the conversion of the
//! file's bytes into a text and its results is an [`Importer`] the binary gives the app
//! ([`crate::App::set_importer`]), the same code as the command line's.
//!
//! The same refusals as the command line (a bad row named with its number, nothing of the file
//! stored) and the same idempotence: the file is stored as the document `upload/NAME`, so the
//! same file again changes nothing and a changed one replaces its rows. The store writes the
//! document and its audit event (who, the file, its rows) in one transaction.

use std::sync::Arc;

use axum::extract::{Multipart, State};
use axum::http::HeaderMap;
use axum::response::Response;
use plantrack_model::Extraction;
use plantrack_store::{ImportedBy, IngestOutcome};

use crate::workflow::{checked, see_other};
use crate::{App, Failure};

/// The largest upload taken.
pub const MAX_IMPORT: usize = 20 * 1024 * 1024;

/// Turns the bytes of an uploaded table of figures into the text its results point into and
/// the results, or says why it is refused (in Chinese, naming the row).
pub trait Importer: Send + Sync {
    fn import(&self, file: &str, bytes: &[u8]) -> Result<(String, Extraction), String>;
}

/// The name a file is stored under: its last path component (browsers send only that, but a
/// client may send a path), without control characters; `None` when nothing is left.
fn file_name(given: &str) -> Option<String> {
    let last = given.rsplit(['/', '\\']).next().unwrap_or("");
    let name: String = last.chars().filter(|c| !c.is_control()).take(120).collect();
    let name = name.trim().to_string();
    (!name.is_empty() && name != "." && name != "..").then_some(name)
}

/// The document an uploaded file is stored as.
pub fn source_of(file: &str) -> String {
    format!("upload/{file}")
}

/// `POST /documents/import`: a supervisor's table of figures, stored as results.
pub async fn import(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let done = async {
        let (mut csrf, mut file): (String, Option<(String, Vec<u8>)>) = (String::new(), None);
        while let Some(field) = form.next_field().await.map_err(failure)? {
            match field.name() {
                Some("csrf") => csrf = field.text().await.map_err(failure)?,
                Some("file") => {
                    let name = field.file_name().unwrap_or("").to_string();
                    let data = field.bytes().await.map_err(failure)?;
                    file = Some((name, data.to_vec()));
                }
                _ => {}
            }
        }
        let user = checked(&app, &headers, &csrf).await?;
        if !user.supervises() {
            return Err(Failure::Forbidden("只有督查员可以导入数据文件".into()));
        }
        let importer = app
            .importer
            .get()
            .ok_or_else(|| Failure::BadRequest("这个服务器没有启用数据文件导入".into()))?;
        let (given, bytes) = file.ok_or_else(|| Failure::BadRequest("没有选择文件".into()))?;
        let name = file_name(&given)
            .ok_or_else(|| Failure::BadRequest("没有选择文件，或文件没有名字".into()))?;
        if bytes.is_empty() {
            return Err(Failure::BadRequest(format!("{name}：文件是空的")));
        }
        let (text, extraction) = importer
            .import(&name, &bytes)
            .map_err(|e| Failure::BadRequest(format!("{name}：{e}；文件中的数据均未导入")))?;
        let source = source_of(&name);
        let by = ImportedBy {
            actor: &user.account.name,
            file: &name,
        };
        let outcome = app
            .data
            .store
            .ingest_as(&source, &text, &extraction, &by)
            .await?;
        let (id, how) = match outcome {
            IngestOutcome::Inserted { id } => (id, "inserted"),
            IngestOutcome::Replaced { id, .. } => (id, "replaced"),
            IngestOutcome::Unchanged { id } => (id, "unchanged"),
        };
        Ok(format!("/documents/{id}?imported={how}#import"))
    }
    .await;
    see_other(done)
}

fn failure(e: axum::extract::multipart::MultipartError) -> Failure {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        Failure::TooLarge(format!("上传的文件超过{}MB", MAX_IMPORT >> 20))
    } else {
        Failure::BadRequest(format!("上传失败：{e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn a_file_is_named_by_its_last_component() {
        assert_eq!(file_name("统计数据.csv").as_deref(), Some("统计数据.csv"));
        assert_eq!(
            file_name("C:\\Users\\li\\数据.xlsx").as_deref(),
            Some("数据.xlsx")
        );
        assert_eq!(file_name("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(file_name("a\u{0}b.csv").as_deref(), Some("ab.csv"));
        assert_eq!(file_name(""), None);
        assert_eq!(file_name("dir/"), None);
        assert_eq!(file_name(".."), None);
    }
}
