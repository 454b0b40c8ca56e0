//! `plantrack bench`: extraction throughput, next to a plain byte scan of the same text.
//!
//! The byte scan (counting line breaks and summing bytes, one pass) is the floor any extractor
//! pays to look at every byte once; the ratio between the two says how far extraction is from that
//! limit on this machine. Each figure is the best of `runs` repetitions, single-threaded.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use plantrack_extract::{Hints, Origin};

use crate::UsageError;

/// The samples shipped with the repository.
pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/tianjin")
}

fn inputs(files: &[PathBuf]) -> anyhow::Result<Vec<(String, String)>> {
    let mut paths: Vec<PathBuf> = files.to_vec();
    if paths.is_empty() {
        let dir = samples_dir();
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| UsageError(format!("{}: {e}", dir.display())))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        entries.sort();
        paths = entries;
    }
    let mut out = Vec::new();
    for p in paths {
        let bytes = std::fs::read(&p).map_err(|e| UsageError(format!("{}: {e}", p.display())))?;
        let source = plantrack_read::read(&bytes, None)
            .map_err(|e| UsageError(format!("{}: {e}", p.display())))?;
        out.push((p.display().to_string(), source.text));
    }
    Ok(out)
}

fn best(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs.max(1))
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn byte_scan(text: &str) -> usize {
    let mut lines = 0usize;
    let mut sum = 0usize;
    for &b in text.as_bytes() {
        lines += (b == b'\n') as usize;
        sum = sum.wrapping_add(b as usize);
    }
    std::hint::black_box(lines.wrapping_add(sum))
}

fn mbps(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64().max(1e-9)
}

pub fn run(files: &[PathBuf], copies: usize, runs: usize) -> anyhow::Result<ExitCode> {
    let docs = inputs(files)?;
    let hints = Hints::default();
    let extract = |text: &str| {
        let x = plantrack_extract::extract(text, Origin::default(), &hints);
        std::hint::black_box(x.sections.len() + x.tasks.len() + x.indicators.len());
    };
    println!("extract throughput, best of {runs} runs, one thread");
    println!(
        "{:<48} {:>10} {:>12} {:>12} {:>8}",
        "input", "bytes", "extract MB/s", "scan MB/s", "ratio"
    );
    let row = |name: &str, text: &str| {
        let e = best(runs, || extract(text));
        let s = best(runs, || {
            byte_scan(text);
        });
        let (em, sm) = (mbps(text.len(), e), mbps(text.len(), s));
        println!(
            "{name:<48} {:>10} {em:>12.1} {sm:>12.1} {:>7.0}×",
            text.len(),
            sm / em
        );
    };
    let mut all = String::new();
    for (name, text) in &docs {
        let short = Path::new(name)
            .file_name()
            .map_or(name.clone(), |n| n.to_string_lossy().into_owned());
        row(&short, text);
        all.push_str(text);
        all.push('\n');
    }
    row("all samples", &all);
    // Each copy's lines are marked with its number: a text printed twice over is read once
    // (the extractor drops the repeat), and the large run is to measure a large text.
    let big = distinct_copies(&all, copies.max(1));
    row(&format!("all samples ×{copies} (one text)"), &big);
    Ok(ExitCode::SUCCESS)
}

/// `copies` copies of `text`, every non-blank line of the k-th (k ≥ 1) ending in `（k）` so that
/// no copy repeats another.
pub(crate) fn distinct_copies(text: &str, copies: usize) -> String {
    let mut out = String::with_capacity(text.len() * copies + copies * text.len() / 8);
    for k in 0..copies {
        for line in text.split_inclusive('\n') {
            let (body, end) = match line.strip_suffix('\n') {
                Some(b) => (b, "\n"),
                None => (line, ""),
            };
            out.push_str(body);
            if k > 0 && !body.trim().is_empty() {
                out.push_str(&format!("（{k}）"));
            }
            out.push_str(end);
        }
    }
    out
}
