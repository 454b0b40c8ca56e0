//! `/reports/{annual|midterm|bulletin}`: the report drafts of `plantrack-report` for signed-in
//! users, as a printable page (`format=html`, the default; every note links to its sentence in
//! the document viewer) or a DOCX download (`format=docx`), for the page's year and region.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use plantrack_evaluate::Date;
use plantrack_report::{Kind, Options, Sources};
use plantrack_store::LedgerFilter;

use crate::pages::{Page, scope};
use crate::{Failure, error_page};

pub async fn report(
    axum::extract::Path(kind): axum::extract::Path<String>,
    Page {
        app,
        p,
        uri,
        headers,
    }: Page,
) -> Response {
    let answer = async {
        let kind = Kind::parse(&kind).ok_or(Failure::NotFound)?;
        let s = scope(&app, &p, &headers).await?;
        if s.user.is_none() {
            return Err(Failure::Unauthorized);
        }
        let as_of = match p.as_of.as_deref() {
            Some(d) => Date::parse(d)
                .ok_or_else(|| Failure::BadRequest(format!("as_of={d}：日期应为 YYYY-MM-DD")))?,
            // A mid-term evaluation speaks as of its year's end once that has passed.
            None => match (kind, Date::new(s.year, 12, 31)) {
                (Kind::Midterm, Some(end)) if end < s.today => end,
                _ => s.today,
            },
        };
        let docx = match p.format.as_deref() {
            None | Some("html") => false,
            Some("docx") => true,
            Some(other) => {
                return Err(Failure::BadRequest(format!(
                    "format={other}：报告可下载为 docx 或 html"
                )));
            }
        };
        let store = &app.data.store;
        let ledger = store.ledger(&LedgerFilter::default()).await?;
        let outlines = store.outlines(&ledger.documents).await?;
        let report = plantrack_report::build(
            kind,
            &Sources {
                ledger: &ledger,
                outlines: &outlines,
                lexicon: &app.data.lexicon,
                rules: &app.data.rules,
                supervision: &app.data.supervision,
            },
            &Options {
                year: s.year,
                region: Some(s.region.clone()),
                as_of,
            },
        );
        let mut r = if docx {
            let bytes = plantrack_report::docx::render(&report)
                .map_err(|e| Failure::Internal(format!("docx: {e}")))?;
            let mut r = bytes.into_response();
            let name = format!("{}.docx", report.title);
            let h = r.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                ),
            );
            h.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!(
                    "attachment; filename=\"plantrack-{}-{}.docx\"; filename*=UTF-8''{}",
                    kind.as_str(),
                    s.year,
                    crate::util::enc(&name)
                ))
                .map_err(|e| Failure::Internal(e.to_string()))?,
            );
            r
        } else {
            let link = |doc: i64, byte: usize| format!("/documents/{doc}#b{byte}");
            let html = plantrack_report::html::render(&report, Some(&link));
            ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
        };
        r.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        Ok(r)
    };
    match answer.await {
        Ok(r) => r,
        Err(Failure::Unauthorized) => {
            let next = uri
                .path_and_query()
                .map_or(uri.path().to_string(), |x| x.to_string());
            Redirect::to(&crate::util::href("/login", &[("next", &next)])).into_response()
        }
        Err(f) => error_page(f),
    }
}
