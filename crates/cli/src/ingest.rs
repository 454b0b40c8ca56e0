//! `plantrack ingest`: files and folders into the ledger, one transaction per document.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use plantrack_store::{IngestOutcome, Prepared, Store};

use crate::{HintArgs, UsageError};

/// File endings read when a folder is given; a file named explicitly is read whatever its name.
const DOCUMENT_ENDINGS: &[&str] = &["txt", "md", "markdown", "docx", "xlsx", "pdf"];

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let meta =
        std::fs::metadata(path).map_err(|e| UsageError(format!("{}: {e}", path.display())))?;
    if !meta.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| UsageError(format!("{}: {e}", path.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect(&entry, out)?;
        } else if entry
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.to_ascii_uppercase().starts_with("README"))
        {
            // A folder's README describes the documents; it is not one.
            continue;
        } else if entry
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| DOCUMENT_ENDINGS.contains(&x.to_ascii_lowercase().as_str()))
        {
            out.push(entry);
        }
    }
    Ok(())
}

#[derive(Default)]
struct Summary {
    inserted: usize,
    replaced: usize,
    unchanged: usize,
    failed: usize,
    tasks: usize,
    indicators: usize,
    quantities: usize,
    milestones: usize,
}

pub fn run(paths: &[PathBuf], db: &str, hints: &HintArgs) -> anyhow::Result<ExitCode> {
    let mut files = Vec::new();
    for p in paths {
        collect(p, &mut files)?;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let (store, known) = runtime.block_on(async {
        let store = Store::open(db)
            .await
            .with_context(|| format!("database {}", redact(db)))?
            .with_units(crate::extract::unit_names(hints.lexicon.as_deref())?);
        let known = store
            .content_hashes()
            .await
            .context("reading the stored documents")?;
        anyhow::Ok((store, known))
    })?;
    let progress = std::io::stderr().is_terminal();
    let mut s = Summary::default();
    let mut unreadable = false;
    // A pipeline: the next file is read, extracted and its search words split on another thread
    // (one core) while this one is written (the other); an unchanged file's words are not split.
    // The writer takes the files in order, and waits for the next one only when it has nothing
    // to write.
    let (send, receive) = std::sync::mpsc::sync_channel(2);
    let files = &files;
    let written = std::thread::scope(|scope| {
        scope.spawn(move || {
            for (i, file) in files.iter().enumerate() {
                let loaded = crate::extract::load_with_text(file, hints).map(|(text, x)| {
                    let source = std::fs::canonicalize(file)
                        .unwrap_or_else(|_| file.clone())
                        .display()
                        .to_string();
                    let hash = plantrack_store::content_hash(&text);
                    let unchanged = known.get(&source) == Some(&hash);
                    let prepared = (!unchanged).then(|| Prepared::hashed(&text, &x, hash));
                    (source, text, x, prepared)
                });
                if send.send((i, file, loaded)).is_err() {
                    break;
                }
            }
        });
        let result = runtime.block_on(async {
            while let Ok((i, file, loaded)) = receive.recv() {
                if progress {
                    const WIDTH: usize = 24;
                    let filled = (i * WIDTH) / files.len().max(1);
                    eprint!(
                        "\r\x1b[K[{}{}] {}/{} {}",
                        "#".repeat(filled),
                        "-".repeat(WIDTH - filled),
                        i + 1,
                        files.len(),
                        file.display()
                    );
                }
                let (source, text, extraction, prepared) = match loaded {
                    Ok(loaded) => loaded,
                    Err(e) => {
                        if progress {
                            eprint!("\r\x1b[K");
                        }
                        eprintln!("plantrack: {e:#}");
                        unreadable |= e.downcast_ref::<UsageError>().is_some();
                        s.failed += 1;
                        continue;
                    }
                };
                let outcome = match &prepared {
                    Some(p) => store.ingest_prepared(&source, &text, &extraction, p).await,
                    None => store.ingest(&source, &text, &extraction).await,
                }
                .with_context(|| format!("{}: writing to the database", file.display()))?;
                match outcome {
                    IngestOutcome::Inserted { .. } => s.inserted += 1,
                    IngestOutcome::Replaced { .. } => s.replaced += 1,
                    IngestOutcome::Unchanged { .. } => s.unchanged += 1,
                }
                if !matches!(outcome, IngestOutcome::Unchanged { .. }) {
                    s.tasks += extraction.tasks.len();
                    s.indicators += extraction.indicators.len();
                    s.quantities += extraction.quantities.len();
                    s.milestones += extraction.milestones.len();
                }
            }
            anyhow::Ok(())
        });
        // On an error the reader stops at its next file.
        drop(receive);
        result
    });
    if progress {
        eprint!("\r\x1b[K");
    }
    if written.is_ok() {
        runtime.block_on(crate::evaluations::refresh_after_write(
            &store,
            hints.lexicon.as_deref(),
        ));
    }
    runtime.block_on(store.close());
    written?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} documents: {} new, {} replaced, {} unchanged (skipped), {} unreadable",
        files.len(),
        s.inserted,
        s.replaced,
        s.unchanged,
        s.failed
    )?;
    writeln!(
        out,
        "written: {} tasks, {} indicators, {} quantities, {} milestones",
        s.tasks, s.indicators, s.quantities, s.milestones
    )?;
    Ok(if unreadable {
        ExitCode::from(2)
    } else if s.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A database URL without its password, for messages.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &creds[..colon],
                    &url[at..]
                ),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// `plantrack import FILE`: a table of figures as results, stored as one document (so that the
/// same file twice is unchanged and a changed one replaces its rows, in one transaction).
/// Why a table of figures could not be imported: it could not be read as CSV or XLSX, or a row
/// is wrong.
pub enum ImportError {
    Read(plantrack_read::ReadError),
    Row(plantrack_extract::import::ImportError),
}

/// A table of figures (CSV or XLSX bytes) as the text its results point into and the results:
/// what `plantrack import` stores, and what the web's upload stores (see [`WebImporter`]).
pub fn figures(
    bytes: &[u8],
    label: &str,
) -> Result<(String, plantrack_model::Extraction), ImportError> {
    let rows = plantrack_read::read_rows(bytes).map_err(ImportError::Read)?;
    plantrack_extract::import::results_from_rows(&rows, label).map_err(ImportError::Row)
}

/// The web's upload of tables of figures, the same conversion as the command line's; its
/// refusals in Chinese.
pub struct WebImporter;

impl plantrack_web::Importer for WebImporter {
    fn import(
        &self,
        file: &str,
        bytes: &[u8],
    ) -> Result<(String, plantrack_model::Extraction), String> {
        use plantrack_read::ReadError;
        figures(bytes, file).map_err(|e| match e {
            ImportError::Row(e) => e.to_string(),
            ImportError::Read(e) => match e {
                ReadError::Empty => "文件是空的".into(),
                ReadError::TooLarge { size } => format!("文件过大（{} MB）", size >> 20),
                ReadError::OverLimit { what, limit } => format!("超出读取限制：{what}（{limit}）"),
                ReadError::Undecodable { .. } | ReadError::NotChinese { .. } => {
                    "无法识别文件的文字编码，请存为UTF-8编码的CSV或XLSX文件".into()
                }
                ReadError::Corrupt { format, .. } => {
                    format!("{}文件已损坏或不完整", format.as_str().to_uppercase())
                }
                ReadError::Binary | ReadError::NoTextLayer => "不是CSV或XLSX文件".into(),
            },
        })
    }
}

pub fn import(file: &Path, db: &str) -> anyhow::Result<ExitCode> {
    let name = file.display();
    let bytes = std::fs::read(file).map_err(|e| UsageError(format!("{name}: {e}")))?;
    let label = file
        .file_name()
        .map_or_else(|| name.to_string(), |n| n.to_string_lossy().into_owned());
    let (text, extraction) = figures(&bytes, &label).map_err(|e| match e {
        ImportError::Read(e) => UsageError(format!("{name}: {e}")),
        ImportError::Row(e) => UsageError(format!("{name}: {e}; nothing of the file was imported")),
    })?;
    let source = std::fs::canonicalize(file)
        .unwrap_or_else(|_| file.to_path_buf())
        .display()
        .to_string();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let store = Store::open(db)
            .await
            .with_context(|| format!("database {}", redact(db)))?;
        let outcome = store
            .ingest(&source, &text, &extraction)
            .await
            .with_context(|| format!("{name}: writing to the database"))?;
        crate::evaluations::refresh_after_write(&store, None).await;
        store.close().await;
        let what = match outcome {
            IngestOutcome::Inserted { .. } => "imported",
            IngestOutcome::Replaced { .. } => "imported, replacing the file's earlier rows",
            IngestOutcome::Unchanged { .. } => "unchanged (imported already)",
        };
        println!("{label}: {} figures {what}", extraction.quantities.len());
        Ok(ExitCode::SUCCESS)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(
            super::redact("postgres://app:secret@db:5432/ledger"),
            "postgres://app:***@db:5432/ledger"
        );
        assert_eq!(super::redact("ledger.db"), "ledger.db");
    }
}
