//! `plantrack extract`: one file to JSON or a readable outline.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use plantrack_extract::{Hints, Origin};
use plantrack_model::{DocumentKind, Extraction};

use crate::{HintArgs, UsageError};

/// Reads and extracts one file. Every failure to read names the file and the reason.
pub fn load(path: &Path, hints: &HintArgs) -> anyhow::Result<Extraction> {
    load_with_text(path, hints).map(|(_, x)| x)
}

/// Reads and extracts one file, returning the text its spans point into as well.
pub fn load_with_text(path: &Path, hints: &HintArgs) -> anyhow::Result<(String, Extraction)> {
    let name = path.display();
    let meta = std::fs::metadata(path).map_err(|e| UsageError(format!("{name}: {e}")))?;
    if meta.is_dir() {
        return Err(UsageError(format!("{name}: is a directory, not a document")).into());
    }
    if meta.len() > plantrack_read::MAX_BYTES {
        let e = plantrack_read::ReadError::TooLarge { size: meta.len() };
        return Err(UsageError(format!("{name}: {e}")).into());
    }
    if meta.len() >= READ_IN_HALVES {
        // A long text is read and extracted on two threads: the helper starts meanwhile.
        plantrack_join::warm();
    }
    let bytes = read_file(path, meta.len()).map_err(|e| UsageError(format!("{name}: {e}")))?;
    let source = plantrack_read::read_owned(bytes, path.file_name().and_then(|n| n.to_str()))
        .map_err(|e| UsageError(format!("{name}: {e}")))?;
    let kind = match &hints.kind {
        Some(k) => Some(DocumentKind::parse(k).ok_or_else(|| {
            let kinds: Vec<&str> = DocumentKind::ALL.iter().map(|k| k.as_str()).collect();
            UsageError(format!("--kind {k}: expected one of {}", kinds.join(", ")))
        })?),
        None => None,
    };
    let hints = Hints {
        kind,
        region: hints.region.clone(),
        year: hints.year,
        lexicon: language_rules(hints.lexicon.as_deref())?,
    };
    let origin = Origin {
        format: source.format.as_str(),
        encoding: source.encoding,
    };
    let extraction = plantrack_extract::extract(&source.text, origin, &hints);
    Ok((source.text, extraction))
}

/// Files from this long are read in two halves at once.
const READ_IN_HALVES: u64 = 1 << 20;

/// The bytes of the file at `path`, `size` long when it was looked at. A long file is read in
/// two halves at once, on two threads: the fresh memory each half is read into costs a page
/// fault per page, and the two threads take them together. A file whose length changed meanwhile
/// is read again whole.
fn read_file(path: &Path, size: u64) -> std::io::Result<Vec<u8>> {
    #[cfg(unix)]
    if size >= READ_IN_HALVES && std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2) {
        use std::os::unix::fs::FileExt;
        let file = std::fs::File::open(path)?;
        let n = usize::try_from(size).map_err(std::io::Error::other)?;
        let mut bytes = vec![0u8; n];
        let (head, tail) = bytes.split_at_mut(n / 2);
        let at = head.len() as u64;
        let (a, b) = plantrack_join::join(
            || file.read_exact_at(head, 0),
            || file.read_exact_at(tail, at),
        );
        let mut more = [0u8; 1];
        let whole =
            matches!((a, b), (Ok(()), Ok(()))) && matches!(file.read_at(&mut more, size), Ok(0));
        if whole {
            return Ok(bytes);
        }
    }
    std::fs::read(path)
}

/// The built-in language rules with the user's added, or `None` when the user added none; read
/// once per process, not once per ingested file (a process has one set of arguments).
/// The units' other names, (alias, name), from the built-in rules and the user's
/// (`--lexicon FILE`, `PLANTRACK_LEXICON`): the store keeps one unit under each.
pub(crate) fn unit_names(extra: Option<&Path>) -> anyhow::Result<plantrack_model::UnitNames> {
    Ok(match language_rules(extra)? {
        Some(l) => l.units().clone(),
        None => plantrack_extract::Lexicon::built_in().units().clone(),
    })
}

fn language_rules(
    extra: Option<&Path>,
) -> anyhow::Result<Option<std::sync::Arc<plantrack_extract::Lexicon>>> {
    type Rules = Result<Option<std::sync::Arc<plantrack_extract::Lexicon>>, String>;
    static RULES: std::sync::OnceLock<Rules> = std::sync::OnceLock::new();
    RULES
        .get_or_init(|| read_language_rules(extra).map_err(|e| e.to_string()))
        .clone()
        .map_err(|e| UsageError(e).into())
}

fn read_language_rules(
    extra: Option<&Path>,
) -> anyhow::Result<Option<std::sync::Arc<plantrack_extract::Lexicon>>> {
    let env = std::env::var_os("PLANTRACK_LEXICON").map(std::path::PathBuf::from);
    let paths: Vec<&Path> = [env.as_deref(), extra].into_iter().flatten().collect();
    if paths.is_empty() {
        return Ok(None);
    }
    let mut l = plantrack_extract::Lexicon::built_in().clone();
    for path in paths {
        let text = std::fs::read_to_string(path)
            .map_err(|e| UsageError(format!("{}: {e}", path.display())))?;
        l.extend(&text)
            .map_err(|e| UsageError(format!("{}: {e}", path.display())))?;
    }
    Ok(Some(std::sync::Arc::new(l)))
}

pub fn run(path: &Path, json: bool, hints: &HintArgs) -> anyhow::Result<ExitCode> {
    let extraction = load(path, hints)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if json {
        // Indented for a reader at a terminal; compact for a program (two thirds of the bytes).
        if stdout.is_terminal() {
            serde_json::to_writer_pretty(&mut out, &extraction)?;
        } else {
            write_json(&mut out, &extraction)?;
        }
        writeln!(out)?;
    } else {
        outline(&mut out, &extraction)?;
    }
    out.flush()?;
    // No more work for the helper thread: asleep, it takes no part in the memory given back
    // as the process ends (one interrupt to its processor for each part).
    plantrack_join::rest();
    // The process ends here: its memory goes with it, without freeing each item.
    std::mem::forget(extraction);
    Ok(ExitCode::SUCCESS)
}

/// Extractions with this many figures are written on two threads.
const PARALLEL_QUANTITIES: usize = 2_000;

/// The compact JSON of an extraction, byte for byte what `serde_json::to_writer` writes. For a
/// long text the second half of its figures and everything after them are written to memory
/// on another thread meanwhile: the JSON is a tenth of `plantrack extract`'s time.
fn write_json(out: &mut impl Write, x: &Extraction) -> anyhow::Result<()> {
    if x.quantities.len() < PARALLEL_QUANTITIES {
        serde_json::to_writer(out, x)?;
        return Ok(());
    }
    // Every field named: a field added to `Extraction` must be added here, in the order of the
    // struct's fields (serde's order, which the test compares byte for byte).
    let Extraction {
        document,
        sections,
        indicators,
        tasks,
        quantities,
        milestones,
        diagnostics,
    } = x;
    let (head, tail) = quantities.split_at(quantities.len() / 2);
    let later = || -> serde_json::Result<Vec<u8>> {
        // Room for about twice what a figure, a milestone and a diagnostic take on average
        // (memory not written is never touched, while growing would copy what was written), at
        // most 256 MiB at once.
        let room = tail.len() * 1024 + milestones.len() * 768 + diagnostics.len() * 256;
        let mut b = Vec::with_capacity(room.min(256 << 20));
        for q in tail {
            b.push(b',');
            serde_json::to_writer(&mut b, q)?;
        }
        b.extend_from_slice(b"],\"milestones\":");
        serde_json::to_writer(&mut b, milestones)?;
        b.extend_from_slice(b",\"diagnostics\":");
        serde_json::to_writer(&mut b, diagnostics)?;
        b.push(b'}');
        Ok(b)
    };
    let now = || -> anyhow::Result<()> {
        out.write_all(b"{\"document\":")?;
        serde_json::to_writer(&mut *out, document)?;
        out.write_all(b",\"sections\":")?;
        serde_json::to_writer(&mut *out, sections)?;
        out.write_all(b",\"indicators\":")?;
        serde_json::to_writer(&mut *out, indicators)?;
        out.write_all(b",\"tasks\":")?;
        serde_json::to_writer(&mut *out, tasks)?;
        out.write_all(b",\"quantities\":[")?;
        for (i, q) in head.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            serde_json::to_writer(&mut *out, q)?;
        }
        Ok(())
    };
    let (now, later) = plantrack_join::join(now, later);
    now?;
    out.write_all(&later?)?;
    Ok(())
}

/// The readable outline of `--format text`.
fn outline(out: &mut impl Write, x: &Extraction) -> std::io::Result<()> {
    let d = &x.document;
    writeln!(out, "{}", d.title.as_deref().unwrap_or("(no title)"))?;
    let region = match (&d.region, &d.region_parent) {
        (Some(r), Some(p)) => format!("{r} ({p})"),
        (Some(r), None) => r.clone(),
        _ => "?".into(),
    };
    let years = match (d.year, d.year_end) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        (Some(a), None) => a.to_string(),
        _ => "?".into(),
    };
    writeln!(
        out,
        "kind {}  region {region}  year {years}  read as {} ({})",
        d.kind.as_str(),
        d.format,
        d.encoding
    )?;
    if !x.sections.is_empty() {
        writeln!(out, "\nSections")?;
        for s in &x.sections {
            let indent = "  ".repeat(s.level as usize);
            let part = match s.part {
                Some(p) if s.parent.is_none_or(|i| x.sections[i].part != s.part) => format!(
                    "   [{} {}]",
                    match p.role {
                        plantrack_model::PartRole::Review => "review",
                        plantrack_model::PartRole::Plan => "plan",
                    },
                    p.year.map_or("?".into(), |y| y.to_string())
                ),
                _ => String::new(),
            };
            writeln!(out, "{indent}{} {}{part}", s.marker, s.title)?;
        }
    }
    if !x.indicators.is_empty() {
        writeln!(out, "\nIndicators")?;
        for i in &x.indicators {
            let fig = |f: &Option<plantrack_model::TableFigure>| {
                f.as_ref().map_or("-".to_string(), |f| {
                    format!(
                        "{} ({})",
                        f.text,
                        f.year.map_or("?".into(), |y| y.to_string())
                    )
                })
            };
            writeln!(
                out,
                "  {:>2}. {}{}  {} → {}  {}{}",
                i.seq,
                i.name,
                i.unit
                    .as_ref()
                    .map_or(String::new(), |u| format!("（{u}）")),
                fig(&i.baseline),
                fig(&i.target),
                match i.attribute {
                    Some(plantrack_model::Attribute::Binding) => "binding",
                    Some(plantrack_model::Attribute::Expected) => "expected",
                    None => "",
                },
                match i.aggregation {
                    Some(plantrack_model::Aggregation::FiveYearAverage) => ", five-year average",
                    Some(plantrack_model::Aggregation::FiveYearCumulative) =>
                        ", five-year cumulative",
                    None => "",
                }
            )?;
        }
    }
    if !x.tasks.is_empty() {
        writeln!(out, "\nTasks")?;
        let mut category = None;
        for t in &x.tasks {
            if t.category != category {
                category = t.category.clone();
                writeln!(out, "  {}", category.as_deref().unwrap_or(""))?;
            }
            writeln!(out, "  {:>4}. {}", t.seq, t.text)?;
            let units = if t.joint {
                format!("{} (joint)", t.units.join("、"))
            } else {
                let others: Vec<&str> = t
                    .units
                    .iter()
                    .filter(|u| Some(*u) != t.lead_unit.as_ref())
                    .map(String::as_str)
                    .collect();
                match (&t.lead_unit, others.is_empty()) {
                    (Some(l), true) => format!("lead {l}"),
                    (Some(l), false) => format!("lead {l}; with {}", others.join("、")),
                    (None, _) => others.join("、"),
                }
            };
            writeln!(
                out,
                "        due {} · leaders {} · {units}",
                t.deadline.as_deref().unwrap_or("-").replace('\n', " / "),
                t.leaders.join("、"),
            )?;
        }
    }
    if !x.quantities.is_empty() {
        writeln!(out, "\nQuantities")?;
        for q in &x.quantities {
            let role = match q.role {
                plantrack_model::QuantityRole::Target => "target",
                plantrack_model::QuantityRole::Actual if q.estimated => "estimate",
                plantrack_model::QuantityRole::Actual => "result",
            };
            let year = q.year.map_or("?".into(), |y| y.to_string());
            let upper = q.upper.map_or(String::new(), |u| format!("–{u}"));
            let qualifier = q
                .qualifier
                .map_or(String::new(), |v| format!(" {v:?}").to_lowercase());
            let region = match (&q.region, &x.document.region) {
                (Some(r), Some(d)) if r != d => format!("  [{r}]"),
                _ => String::new(),
            };
            writeln!(
                out,
                "  {role:<8} {year}  {}  {}{upper}{}{qualifier}  ({:?}){region}",
                q.metric,
                q.value,
                q.unit.as_deref().unwrap_or(""),
                q.measure
            )?;
        }
    }
    if !x.milestones.is_empty() {
        writeln!(out, "\nMilestones")?;
        for m in &x.milestones {
            let status = match m.status {
                Some(plantrack_model::MilestoneStatus::Done) => " (done)",
                Some(plantrack_model::MilestoneStatus::InProgress) => " (under way)",
                None => "",
            };
            writeln!(
                out,
                "  {:<8} {}  {} {}{status}{}",
                match m.role {
                    plantrack_model::QuantityRole::Target => "target",
                    plantrack_model::QuantityRole::Actual => "result",
                },
                m.year.map_or("?".into(), |y| y.to_string()),
                m.subject,
                m.event,
                m.due.as_ref().map_or(String::new(), |d| format!(" by {d}"))
            )?;
        }
    }
    if !x.diagnostics.is_empty() {
        writeln!(out, "\nDiagnostics")?;
        for d in &x.diagnostics {
            let at = d
                .span
                .map_or(String::new(), |s| format!(" at byte {}", s.start));
            writeln!(out, "  {:?}{at}: {}", d.severity, d.message)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_file_read_in_halves_is_the_file() {
        let dir = crate::bench_ingest::tempdir::TempDir::new().unwrap();
        // An odd length past the bound, so that the halves differ; every byte tells its place.
        let n = READ_IN_HALVES as usize * 3 + 7;
        let bytes: Vec<u8> = (0..n).map(|i| (i % 251) as u8).collect();
        let path = dir.path().join("long.txt");
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(read_file(&path, n as u64).unwrap(), bytes);
        // The length changed since it was looked at, longer or shorter: read again whole.
        assert_eq!(read_file(&path, n as u64 - 10).unwrap(), bytes);
        assert_eq!(read_file(&path, n as u64 + 10).unwrap(), bytes);
        // A short file, read whole.
        let short = dir.path().join("short.txt");
        std::fs::write(&short, "全市地区生产总值增长5%。").unwrap();
        assert_eq!(
            read_file(&short, 10).unwrap(),
            "全市地区生产总值增长5%。".as_bytes()
        );
    }

    /// The samples `copies` times over, each later copy's lines marked so that none repeats.
    fn long_text(copies: usize) -> String {
        let mut text = String::new();
        for k in 0..copies {
            for (_, sample) in crate::serve::SAMPLES {
                for line in sample.lines() {
                    text.push_str(line);
                    if k > 0 && !line.trim().is_empty() {
                        text.push_str(&format!("（{k}）"));
                    }
                    text.push('\n');
                }
            }
        }
        text
    }

    #[test]
    fn json_written_on_two_threads_is_serde_json_s() {
        for copies in [1, 5] {
            let text = long_text(copies);
            let x = plantrack_extract::extract(&text, Origin::default(), &Hints::default());
            let mut ours = Vec::new();
            write_json(&mut ours, &x).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(&x).unwrap(),
                "{copies} copies"
            );
            // Five copies are long enough to be written on two threads.
            assert!(copies == 1 || x.quantities.len() >= PARALLEL_QUANTITIES);
        }
    }
}
