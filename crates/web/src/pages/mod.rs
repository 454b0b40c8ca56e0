//! The HTML pages: server-rendered, one template each, with the charts as data for `app.js`.
//! One module a family of pages; this one holds what they share: the query, the scope, the
//! layout.

mod documents;
mod ledger;
mod plan;
mod scorecards;
mod tasks;

pub use documents::*;
pub use ledger::*;
pub use plan::*;
pub use scorecards::*;
pub use tasks::*;

use std::sync::Arc;

use askama::Template;
use axum::extract::Query;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use plantrack_evaluate::Date;
use serde::Deserialize;

use crate::data::Meta;
use crate::i18n::{Words, words};
use crate::util::href;
use crate::views::lang_param;
use crate::{App, Failure};

/// What every page handler takes from its request: the app, the query, the path asked for
/// and the headers (the session's cookie among them). A query that does not parse is answered
/// with the site's error page, in Chinese, rather than axum's plain text.
pub struct Page {
    pub app: Arc<App>,
    pub p: Params,
    pub uri: Uri,
    pub headers: HeaderMap,
}

impl axum::extract::FromRequestParts<Arc<App>> for Page {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        app: &Arc<App>,
    ) -> Result<Page, Response> {
        let Query(p) = Query::<Params>::from_request_parts(parts, app)
            .await
            .map_err(|e| {
                crate::error_page(Failure::BadRequest(format!(
                    "网址中的查询参数有误：{}",
                    e.body_text()
                )))
            })?;
        Ok(Page {
            app: app.clone(),
            p,
            uri: parts.uri.clone(),
            headers: parts.headers.clone(),
        })
    }
}

/// The query parameters every page understands.
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    pub year: Option<i32>,
    pub region: Option<String>,
    pub lang: Option<String>,
    pub status: Option<String>,
    pub q: Option<String>,
    pub category: Option<String>,
    pub unit: Option<String>,
    pub leader: Option<String>,
    pub due: Option<String>,
    pub as_of: Option<String>,
    pub format: Option<String>,
    pub by: Option<String>,
    pub next: Option<String>,
    /// A document's key: the targets it sets (`/targets`).
    pub doc: Option<String>,
    /// The page of a long list, from 1.
    pub page: Option<String>,
    /// What became of a file just imported: `inserted`, `replaced` or `unchanged`.
    pub imported: Option<String>,
}

impl Params {
    pub fn t(&self) -> &'static Words {
        words(self.lang.as_deref())
    }
}

pub struct Nav {
    pub overview: String,
    pub warnings: String,
    pub targets: String,
    pub plan: String,
    pub tasks: String,
    pub units: String,
    pub leaders: String,
    pub regions: String,
    pub documents: String,
    pub search: String,
}

/// What the base template shows around every page.
pub struct Layout {
    pub t: &'static Words,
    pub title: String,
    pub active: &'static str,
    pub nav: Nav,
    pub lang_href: String,
    pub selectors: bool,
    pub charts: bool,
    pub years: Vec<i32>,
    pub regions: Vec<String>,
    pub year: i32,
    pub region: String,
    /// The signed-in user's name and role.
    pub user: Option<(String, String)>,
    pub csrf: String,
    pub login_href: String,
}

impl Layout {
    /// The link to a report draft of the page's year and region (`annual`, `midterm`,
    /// `bulletin`) as `docx` or `html`.
    pub fn report(&self, kind: &str, format: &str) -> String {
        href(
            &format!("/reports/{kind}"),
            &[
                ("year", &self.year.to_string()),
                ("region", &self.region),
                ("format", format),
            ],
        )
    }
}

/// The year, region and date a page is for: from the query, else the ledger's defaults.
pub struct Scope {
    pub user: Option<crate::auth::User>,
    pub meta: Arc<Meta>,
    pub year: i32,
    pub region: String,
    pub today: Date,
}

pub async fn scope(app: &App, p: &Params, headers: &HeaderMap) -> Result<Scope, Failure> {
    let user = crate::current_user(app, headers).await?;
    let meta = app.data.meta().await?;
    let year = p
        .year
        .or(meta.default_year)
        .unwrap_or_else(|| Date::today_in(app.data.supervision.zone).year);
    let region = p
        .region
        .clone()
        .filter(|r| !r.is_empty())
        .or_else(|| meta.default_region.clone())
        .unwrap_or_default();
    let today = match p.as_of.as_deref().filter(|s| !s.is_empty()) {
        None => Date::today_in(app.data.supervision.zone),
        Some(s) => Date::parse(s)
            .ok_or_else(|| Failure::BadRequest(format!("as_of {s}: not a date (YYYY-MM-DD)")))?,
    };
    Ok(Scope {
        user,
        meta,
        year,
        region,
        today,
    })
}

pub(crate) fn layout(
    t: &'static Words,
    s: &Scope,
    uri: &Uri,
    title: String,
    active: &'static str,
) -> Layout {
    let y = s.year.to_string();
    let lang = lang_param(t.lang);
    let at = |path: &str| href(path, &[("year", &y), ("region", &s.region), ("lang", lang)]);
    // The same page in the other language.
    let mut pairs: Vec<(String, String)> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|kv| !kv.is_empty() && !kv.starts_with("lang="))
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k.to_string(), v.to_string())
        })
        .collect();
    if t.lang == "zh" {
        pairs.push(("lang".into(), "en".into()));
    }
    let q: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let lang_href = if q.is_empty() {
        uri.path().to_string()
    } else {
        format!("{}?{}", uri.path(), q.join("&"))
    };
    let mut years = s.meta.years.clone();
    if !years.contains(&s.year) {
        years.push(s.year);
        years.sort_unstable();
    }
    Layout {
        t,
        title,
        active,
        nav: Nav {
            overview: at("/"),
            warnings: at("/warnings"),
            targets: at("/targets"),
            plan: at("/plan"),
            tasks: at("/tasks"),
            units: at("/units"),
            leaders: at("/leaders"),
            regions: at("/regions"),
            documents: href("/documents", &[("lang", lang)]),
            search: href("/search", &[("lang", lang)]),
        },
        lang_href,
        selectors: true,
        charts: false,
        years,
        regions: s.meta.nearby(&s.region),
        year: s.year,
        region: s.region.clone(),
        user: s.user.as_ref().map(|u| {
            (
                u.account.name.clone(),
                crate::i18n::role(t, &u.account.role).to_string(),
            )
        }),
        csrf: s.user.as_ref().map(|u| u.csrf.clone()).unwrap_or_default(),
        login_href: href("/login", &[("next", uri.path()), ("lang", lang)]),
    }
}

fn render(t: impl Template) -> Result<String, Failure> {
    t.render()
        .map_err(|e| Failure::Internal(format!("template: {e}")))
}

/// The links of a page's CSV, XLSX and JSON downloads, with its filters.
pub(crate) fn downloads(path: &str, s: &Scope, p: &Params) -> (String, String, String) {
    let y = s.year.to_string();
    let mk = |format: &str| {
        href(
            path,
            &[
                ("year", &y),
                ("region", &s.region),
                ("status", p.status.as_deref().unwrap_or("")),
                ("q", p.q.as_deref().unwrap_or("")),
                ("category", p.category.as_deref().unwrap_or("")),
                ("unit", p.unit.as_deref().unwrap_or("")),
                ("leader", p.leader.as_deref().unwrap_or("")),
                ("due", p.due.as_deref().unwrap_or("")),
                ("as_of", p.as_of.as_deref().unwrap_or("")),
                ("by", p.by.as_deref().unwrap_or("")),
                ("doc", p.doc.as_deref().unwrap_or("")),
                ("format", format),
            ],
        )
    };
    (mk("csv"), mk("xlsx"), mk(""))
}

/// A stored moment (seconds since the epoch) on the office's clock: `2024-03-05 10:12`.
pub(crate) fn when(secs: &str, zone: plantrack_evaluate::Zone) -> String {
    match plantrack_model::Moment::parse(secs) {
        Some(m) => Date::minute_at(m.secs(), zone),
        None => secs.to_string(),
    }
}
