//! `plantrack report annual|midterm|bulletin`: a report drafted from the stored ledger, as text
//! on standard output, or a DOCX (GB/T 9704 layout) or printable HTML file with `--out`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use plantrack_evaluate::Date;
use plantrack_report::{Kind, Options, Sources};
use plantrack_store::{LedgerFilter, Store};

use crate::UsageError;
use crate::evaluate::{Common, lexicon, office_supervision, office_zone, rules};
use crate::ledger::runtime;

pub struct Request<'a> {
    pub kind: Kind,
    pub year: i32,
    pub region: Option<&'a str>,
    pub as_of: Option<&'a str>,
    pub out: Option<&'a Path>,
    pub rules: Option<&'a Path>,
}

/// The date a report speaks as of: the one asked for; otherwise today, and for a mid-term
/// evaluation no later than the end of its year.
fn as_of(r: &Request) -> anyhow::Result<Date> {
    if let Some(s) = r.as_of {
        return Date::parse(s)
            .ok_or_else(|| UsageError(format!("--as-of {s}: not a date (YYYY-MM-DD)")).into());
    }
    let today = Date::today_in(office_zone()?);
    Ok(match (r.kind, Date::new(r.year, 12, 31)) {
        (Kind::Midterm, Some(end)) if end < today => end,
        _ => today,
    })
}

pub fn report_cmd(c: &Common, r: &Request) -> anyhow::Result<ExitCode> {
    let format = match r.out.and_then(|p| p.extension()).and_then(|e| e.to_str()) {
        None if r.out.is_none() => None,
        Some(e) if e.eq_ignore_ascii_case("docx") => Some("docx"),
        Some(e) if e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm") => Some("html"),
        _ => {
            return Err(UsageError(format!(
                "--out {}: the report is written as .docx or .html",
                r.out.map(|p| p.display().to_string()).unwrap_or_default()
            ))
            .into());
        }
    };
    let lexicon = lexicon(c.lexicon)?;
    let rules = rules(r.rules)?;
    let supervision = office_supervision()?;
    let as_of = as_of(r)?;
    let (ledger, outlines) = runtime()?.block_on(async {
        let store = Store::open(c.db).await.context("opening the database")?;
        let ledger = store
            .ledger(&LedgerFilter::default())
            .await
            .context("reading the ledger")?;
        let outlines = store
            .outlines(&ledger.documents)
            .await
            .context("reading the documents' outlines")?;
        store.close().await;
        anyhow::Ok((ledger, outlines))
    })?;
    if let Some(region) = r.region
        && !ledger.regions.iter().any(|x| x.name == region)
    {
        let known: Vec<&str> = ledger.regions.iter().map(|x| x.name.as_str()).collect();
        return Err(UsageError(format!(
            "--region {region}: no such region in the ledger (it has {})",
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        ))
        .into());
    }
    let report = plantrack_report::build(
        r.kind,
        &Sources {
            ledger: &ledger,
            outlines: &outlines,
            lexicon: &lexicon,
            rules: &rules,
            supervision: &supervision,
        },
        &Options {
            year: r.year,
            region: r.region.map(str::to_string),
            as_of,
        },
    );
    let (Some(out), Some(format)) = (r.out, format) else {
        use std::io::Write;
        // A reader that stops early (`| head`) is no failure.
        return match std::io::stdout()
            .lock()
            .write_all(report.to_text().as_bytes())
        {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
            _ => Ok(ExitCode::SUCCESS),
        };
    };
    let bytes = match format {
        "docx" => plantrack_report::docx::render(&report).context("writing the DOCX")?,
        _ => plantrack_report::html::render(&report, None).into_bytes(),
    };
    // Written beside the target and renamed: never a half-written report under its name.
    let tmp = out.with_extension(format!("{format}.part"));
    std::fs::write(&tmp, &bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, out).with_context(|| format!("writing {}", out.display()))?;
    eprintln!(
        "{}: {}, {} notes ({} bytes)",
        out.display(),
        report.title,
        report.notes.len(),
        bytes.len()
    );
    Ok(ExitCode::SUCCESS)
}
