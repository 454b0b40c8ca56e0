//! `plantrack bench-ingest`: documents per second into the ledger.
//!
//! First the five samples into a fresh database (the goal: under half a second on SQLite), then
//! `--synthetic N` documents shaped like the samples: each is a sample with its governments and
//! years rewritten (`天津市` → a generated city, `西青区` → a generated district, 2023 → another
//! year), so that every one is new content with the same density of tables, numbers and events.
//! Documents go in as `plantrack ingest` takes them: each is extracted and its search index's
//! words split on another thread while the one before is written. Reported: wall time,
//! documents/s and MB/s of text, and the time of extraction and word splitting (on the other
//! thread) as a share of the wall time.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use plantrack_extract::{Hints, Origin};
use plantrack_store::Store;

/// Syllables for generated place names: two make a name, so 400 cities and 400 districts.
const SYLLABLES: &[char] = &[
    '青', '山', '白', '河', '东', '西', '南', '北', '安', '平', '宁', '清', '泉', '林', '阳', '江',
    '海', '湖', '石', '云',
];

fn place(i: usize, suffix: char) -> String {
    let a = SYLLABLES[i % SYLLABLES.len()];
    let b = SYLLABLES[(i / SYLLABLES.len()) % SYLLABLES.len()];
    format!("{a}{b}{suffix}")
}

/// The `i`-th synthetic document: a sample with other governments and other years.
fn synthetic(samples: &[(String, String)], i: usize) -> (String, String) {
    let (name, text) = &samples[i % samples.len()];
    let city = place(i / samples.len(), '市');
    let district = place(i / samples.len() + 7, '区');
    let shift = (i / (samples.len() * 400)) as i32;
    let mut out = text
        .replace("天津市", &city)
        .replace("天津", &city[..city.len() - '市'.len_utf8()])
        .replace("西青区", &district);
    if shift > 0 {
        for year in (2019..=2026).rev() {
            out = out.replace(&format!("{year}年"), &format!("{}年", year + shift));
        }
    }
    (format!("synthetic/{i:06}/{name}"), out)
}

async fn fresh_store(db: Option<&str>) -> anyhow::Result<(Store, Option<tempdir::TempDir>)> {
    // Units filed as `plantrack ingest` files them.
    let units = plantrack_extract::Lexicon::built_in().units().clone();
    match db {
        Some(url) => {
            let store = Store::open(url).await?.with_units(units);
            for table in [
                "progress_reports",
                "documents",
                "units",
                "leaders",
                "regions",
            ] {
                store.clear(table).await?;
            }
            Ok((store, None))
        }
        None => {
            let dir = tempdir::TempDir::new()?;
            let store = Store::open(dir.path().join("bench.db").to_str().unwrap_or("bench.db"))
                .await?
                .with_units(units);
            Ok((store, Some(dir)))
        }
    }
}

/// A temporary folder removed on drop, without a crate for it.
pub(crate) mod tempdir {
    use std::path::{Path, PathBuf};

    pub struct TempDir(PathBuf);

    impl TempDir {
        pub fn new() -> std::io::Result<TempDir> {
            let p = std::env::temp_dir().join(format!(
                "plantrack-bench-{}-{}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos())
            ));
            std::fs::create_dir_all(&p)?;
            Ok(TempDir(p))
        }

        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

struct Tally {
    docs: usize,
    bytes: usize,
    extract: Duration,
    total: Duration,
}

impl Tally {
    fn report(&self, label: &str) {
        let secs = self.total.as_secs_f64().max(1e-9);
        println!(
            "{label:<34} {:>6} docs {:>8.1} MB {:>8.2} s {:>9.1} docs/s {:>7.2} MB/s  extraction and index words (other thread) {:>3.0}%",
            self.docs,
            self.bytes as f64 / 1e6,
            secs,
            self.docs as f64 / secs,
            self.bytes as f64 / 1e6 / secs,
            100.0 * self.extract.as_secs_f64() / secs
        );
    }
}

/// Ingests the documents as `plantrack ingest` does: extraction and the search index's words of
/// the next document on another thread while this one is written.
async fn ingest_all(
    store: &Store,
    docs: impl Iterator<Item = (String, String)> + Send + 'static,
) -> anyhow::Result<Tally> {
    let mut t = Tally {
        docs: 0,
        bytes: 0,
        extract: Duration::ZERO,
        total: Duration::ZERO,
    };
    let start = Instant::now();
    let (send, receive) = std::sync::mpsc::sync_channel(2);
    let producer = std::thread::spawn(move || {
        for (source, text) in docs {
            let e = Instant::now();
            let x = plantrack_extract::extract(&text, Origin::default(), &Hints::default());
            let prepared = plantrack_store::Prepared::of(&text, &x);
            if send.send((source, text, x, prepared, e.elapsed())).is_err() {
                break;
            }
        }
    });
    // The writer waits for the next document only when it has nothing to write.
    while let Ok((source, text, x, prepared, took)) = receive.recv() {
        t.extract += took;
        store
            .ingest_prepared(&source, &text, &x, &prepared)
            .await
            .with_context(|| source.clone())?;
        t.docs += 1;
        t.bytes += text.len();
    }
    producer
        .join()
        .map_err(|_| anyhow::anyhow!("the extraction thread panicked"))?;
    t.total = start.elapsed();
    Ok(t)
}

pub fn run(db: Option<&str>, synthetic_count: usize) -> anyhow::Result<ExitCode> {
    let dir = crate::bench::samples_dir();
    let mut samples = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    for p in paths {
        let bytes = std::fs::read(&p)?;
        let text = plantrack_read::read(&bytes, None)
            .map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?
            .text;
        samples.push((
            p.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            text,
        ));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let (store, _dir) = fresh_store(db).await?;
        println!(
            "ingest into {:?}, one transaction per document, one thread",
            store.backend()
        );
        let t = ingest_all(&store, samples.clone().into_iter()).await?;
        t.report("the five samples");
        if synthetic_count > 0 {
            let t = {
                let samples = samples.clone();
                ingest_all(
                    &store,
                    (0..synthetic_count).map(move |i| synthetic(&samples, i)),
                )
                .await?
            };
            t.report(&format!("{synthetic_count} synthetic region-years"));
        }
        let c = store.counts().await?;
        println!(
            "ledger: {} documents, {} tasks, {} quantities, {} milestones",
            c.documents, c.tasks, c.quantities, c.milestones
        );
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_documents_differ_and_keep_their_shape() {
        let samples = vec![("a.txt".to_string(), "天津市西青区2023年目标".to_string())];
        let (n0, t0) = synthetic(&samples, 0);
        let (n1, t1) = synthetic(&samples, 1);
        assert_ne!(n0, n1);
        assert_ne!(t0, t1);
        assert!(t0.ends_with("区2023年目标") && t0.contains('市'), "{t0}");
        let (_, late) = synthetic(&samples, 400);
        assert!(late.contains("2024年"), "{late}");
    }
}
