//! `plantrack bench-serve`: latency and throughput of the web app's main pages and API endpoints,
//! on the demo data and on a synthetic ledger of national size.
//!
//! The server runs in this process on a two-thread runtime; the load comes from `--clients`
//! concurrent keep-alive HTTP/1.1 connections (a minimal client over TCP, so that no client
//! library's overhead is measured) on the same machine, each requesting the pages in turn for
//! `--seconds`. On the national ledger every request names a region drawn at random from all of
//! them, so most first requests for a region find nothing cached. Reported: requests/s, p50 and
//! p99 overall and per page, and, separately, the latency of a region's first (cold) request.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::http::enc;
use anyhow::Context;
use plantrack_extract::{Hints, Origin};
use plantrack_store::Store;

const SYLLABLES: &[char] = &[
    '青', '山', '白', '河', '东', '西', '南', '北', '安', '平', '宁', '清', '泉', '林', '阳', '江',
    '海', '湖', '石', '云',
];

/// The `i`-th generated name of three syllables (8,000 of them) with a suffix.
fn name(i: usize, suffix: char) -> String {
    let n = SYLLABLES.len();
    format!(
        "{}{}{}{suffix}",
        SYLLABLES[i % n],
        SYLLABLES[(i / n) % n],
        SYLLABLES[(i / n / n) % n]
    )
}

/// The region of the `r`-th synthetic city.
fn city(r: usize) -> String {
    name(r, '市')
}

/// Opens (or builds, the first time) a ledger of `regions` cities, each with the five documents
/// of the samples rewritten for it: a plan report, a work report, a five-year plan, a task table
/// and a district's report.
async fn national(path: &str, regions: usize) -> anyhow::Result<Store> {
    let store = Store::open(path)
        .await
        .context("opening the national ledger")?
        .with_units(plantrack_extract::Lexicon::built_in().units().clone());
    let want = (regions * crate::serve::SAMPLES.len()) as i64;
    let have = store.counts().await?.documents;
    if have == want {
        println!("national ledger {path}: {have} documents (reused)");
        return Ok(store);
    }
    for table in [
        "progress_reports",
        "documents",
        "units",
        "leaders",
        "regions",
        "evaluations",
    ] {
        store.clear(table).await?;
    }
    println!("national ledger {path}: building {want} documents of {regions} regions (once)…");
    let start = Instant::now();
    for r in 0..regions {
        let c = city(r);
        let stem = &c[..c.len() - '市'.len_utf8()];
        let district = name(r + 4000, '区');
        for (source, text) in crate::serve::SAMPLES {
            let text = text
                .replace("天津市", &c)
                .replace("天津", stem)
                .replace("西青区", &district);
            let x = plantrack_extract::extract(&text, Origin::default(), &Hints::default());
            store
                .ingest(&format!("national/{r:04}/{source}"), &text, &x)
                .await?;
        }
        if (r + 1) % 100 == 0 {
            println!(
                "  {} regions in {:.0} s",
                r + 1,
                start.elapsed().as_secs_f64()
            );
        }
    }
    Ok(store)
}

/// Computes the evaluations the web app reads (what waits, or everything when nothing is kept:
/// a ledger built before they were kept), as `plantrack ingest` does after its writes.
async fn keep_evaluations(store: &Store) -> anyhow::Result<()> {
    let ev = plantrack_views::Evaluator::new(
        plantrack_evaluate::Lexicon::built_in(),
        plantrack_evaluate::Supervision::default(),
    );
    let (kept, waiting) = store.evaluation_counts().await?;
    let started = Instant::now();
    let n = if kept == 0 {
        ev.rebuild(store, ev.today()).await?
    } else {
        ev.refresh(store, ev.today()).await?
    };
    let (kept, _) = store.evaluation_counts().await?;
    if n > 0 {
        println!(
            "  evaluations: {n} computed ({waiting} waiting before) in {:.1} s ({:.1} ms each); {kept} kept",
            started.elapsed().as_secs_f64(),
            started.elapsed().as_secs_f64() * 1000.0 / n as f64,
        );
    }
    Ok(())
}

/// One GET: its status.
async fn fetch(conn: &mut crate::http::Connection, path: &str) -> anyhow::Result<u16> {
    crate::http::get_status(conn, path).await
}

/// The pages of a load: (label, path for a region).
const PAGES: &[(&str, &str)] = &[
    ("overview", "/?year=2023&region={r}"),
    ("targets", "/targets?year=2023&region={r}"),
    ("plan", "/plan?region={r}"),
    ("tasks", "/tasks?year=2023&region={r}"),
    ("units", "/units?year=2023&region={r}"),
    ("api/targets", "/api/targets?year=2023&region={r}"),
    ("api/plan", "/api/plan?region={r}"),
    ("api/tasks", "/api/tasks?year=2023&region={r}"),
    ("api/scorecards", "/api/scorecards?year=2023&region={r}"),
];

/// The comparison of a province's cities, as a page and as JSON.
const COMPARISON: &[(&str, &str)] = &[
    ("compare", "/regions/{r}/compare?year=2023"),
    ("api/compare", "/api/regions/{r}/compare?year=2023"),
];

/// How many synthetic cities a synthetic province holds.
const CITIES_PER_PROVINCE: usize = 10;

/// The province of the `r`-th synthetic city.
fn province(r: usize) -> String {
    name(r / CITIES_PER_PROVINCE + 6000, '省')
}

/// The synthetic cities put under provinces, and the provinces under 全国, as an office's region
/// table would (`plantrack regions`).
async fn provinces(store: &Store, regions: usize) -> anyhow::Result<Vec<String>> {
    let mut rows: Vec<(String, Option<String>)> = Vec::new();
    let mut names = Vec::new();
    for r in 0..regions {
        let p = province(r);
        if !names.contains(&p) {
            rows.push((p.clone(), Some("全国".to_string())));
            names.push(p.clone());
        }
        rows.push((city(r), Some(p)));
    }
    store.load_regions(&rows).await?;
    Ok(names)
}

/// Serves the store and asks for the comparison of random provinces' cities: the first request
/// of a province evaluates each of its cities not asked before.
async fn serve_comparisons(
    store: Store,
    provinces: Vec<String>,
    clients: usize,
    seconds: u64,
) -> anyhow::Result<Scenario> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = plantrack_web::app(store, plantrack_evaluate::Lexicon::built_in());
    let server = tokio::spawn(plantrack_web::serve(listener, app));
    let mut s = load(addr, &provinces, COMPARISON, clients, seconds).await?;
    server.abort();
    s.name = "region-comparison".into();
    Ok(s)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let k = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[k].as_secs_f64() * 1000.0
}

/// One measured scenario, as `--json` reports it.
#[derive(serde::Serialize)]
pub struct Scenario {
    pub name: String,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub requests_per_s: f64,
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

async fn load(
    addr: std::net::SocketAddr,
    regions: &[String],
    pages: &'static [(&'static str, &'static str)],
    clients: usize,
    seconds: u64,
) -> anyhow::Result<Scenario> {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut handles = Vec::new();
    for c in 0..clients {
        let regions: Vec<String> = regions.iter().map(|r| enc(r)).collect();
        handles.push(tokio::spawn(async move {
            let mut conn = crate::http::connect(addr).await?;
            let mut seen: Vec<(usize, Duration)> = Vec::new();
            let mut started: Vec<Instant> = Vec::new();
            let mut rng = 0x9E37_79B9_7F4A_7C15u64 ^ (c as u64 + 1);
            let mut k = c;
            let mut errors = 0usize;
            while Instant::now() < deadline {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                let region = &regions[(rng % regions.len() as u64) as usize];
                let page = k % pages.len();
                k += 1;
                let path = pages[page].1.replace("{r}", region);
                let t = Instant::now();
                let status = fetch(&mut conn, &path).await?;
                if status != 200 {
                    errors += 1;
                }
                seen.push((page, t.elapsed()));
                started.push(t);
            }
            anyhow::Ok((seen, started, errors))
        }));
    }
    let start = Instant::now();
    let mut all: Vec<(usize, Duration)> = Vec::new();
    let mut times: Vec<(Instant, Duration)> = Vec::new();
    let mut errors = 0;
    for h in handles {
        let (seen, started, e) = h.await??;
        times.extend(started.iter().zip(&seen).map(|(t, (_, d))| (*t, *d)));
        all.extend(seen);
        errors += e;
    }
    let wall = start.elapsed().as_secs_f64();
    let mut lat: Vec<Duration> = all.iter().map(|(_, d)| *d).collect();
    lat.sort_unstable();
    println!(
        "  {} requests in {wall:.1} s: {:.0} requests/s, p50 {:.1} ms, p99 {:.1} ms, {errors} not 200",
        all.len(),
        all.len() as f64 / wall,
        percentile(&lat, 0.5),
        percentile(&lat, 0.99)
    );
    // Each second of the run apart: a slow start (nothing cached yet) is told from a steady tail.
    let mut by_second: Vec<Vec<Duration>> = Vec::new();
    for (t, d) in &times {
        let k = t.saturating_duration_since(start).as_secs() as usize;
        if by_second.len() <= k {
            by_second.resize(k + 1, Vec::new());
        }
        by_second[k].push(*d);
    }
    let seconds: Vec<String> = by_second
        .iter_mut()
        .map(|l| {
            l.sort_unstable();
            format!("{:.0}", percentile(l, 0.99))
        })
        .collect();
    println!("    p99 in each second (ms): {}", seconds.join(" "));
    for (i, (label, _)) in pages.iter().enumerate() {
        let mut l: Vec<Duration> = all
            .iter()
            .filter(|(p, _)| *p == i)
            .map(|(_, d)| *d)
            .collect();
        l.sort_unstable();
        println!(
            "    {label:<16} {:>6} requests  p50 {:>6.1} ms  p99 {:>6.1} ms",
            l.len(),
            percentile(&l, 0.5),
            percentile(&l, 0.99)
        );
    }
    if errors > 0 {
        anyhow::bail!("{errors} requests were not answered 200");
    }
    Ok(Scenario {
        name: String::new(),
        p50_ms: round2(percentile(&lat, 0.5)),
        p99_ms: round2(percentile(&lat, 0.99)),
        requests_per_s: round2(all.len() as f64 / wall),
    })
}

/// The first request for each of `n` regions, one at a time: nothing cached.
async fn cold(
    addr: std::net::SocketAddr,
    regions: &[String],
    n: usize,
) -> anyhow::Result<Scenario> {
    let started = Instant::now();
    let mut conn = crate::http::connect(addr).await?;
    let mut lat = Vec::new();
    for r in regions.iter().rev().take(n) {
        let t = Instant::now();
        let status = fetch(&mut conn, &format!("/targets?year=2023&region={}", enc(r))).await?;
        anyhow::ensure!(status == 200, "cold request answered {status}");
        lat.push(t.elapsed());
    }
    lat.sort_unstable();
    println!(
        "  first request of {} regions (nothing cached): p50 {:.1} ms, p99 {:.1} ms",
        lat.len(),
        percentile(&lat, 0.5),
        percentile(&lat, 0.99)
    );
    Ok(Scenario {
        name: "random-region-cold".into(),
        p50_ms: round2(percentile(&lat, 0.5)),
        p99_ms: round2(percentile(&lat, 0.99)),
        requests_per_s: round2(lat.len() as f64 / started.elapsed().as_secs_f64()),
    })
}

/// Serves the store and loads it; the scenarios measured, named after `name`: the first
/// request of many regions (when there are many), then `name` itself.
async fn serve_and_load(
    store: Store,
    regions: Vec<String>,
    clients: usize,
    seconds: u64,
    name: &str,
) -> anyhow::Result<Vec<Scenario>> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = plantrack_web::app(store, plantrack_evaluate::Lexicon::built_in());
    let server = tokio::spawn(plantrack_web::serve(listener, app));
    let mut out = Vec::new();
    if regions.len() > 100 {
        out.push(cold(addr, &regions, 200.min(regions.len())).await?);
    }
    let mut s = load(addr, &regions, PAGES, clients, seconds).await?;
    s.name = name.to_string();
    out.push(s);
    server.abort();
    Ok(out)
}

pub fn run(
    national_db: Option<&str>,
    regions: usize,
    clients: usize,
    seconds: u64,
    json: bool,
    prepare: bool,
) -> anyhow::Result<ExitCode> {
    let path = match national_db {
        Some(p) => p.to_string(),
        None if regions == 0 => String::new(),
        None => {
            let base =
                std::env::var_os("HOME").map_or_else(std::env::temp_dir, std::path::PathBuf::from);
            let d = base.join(".cache/plantrack");
            std::fs::create_dir_all(&d)?;
            d.join(format!("bench-national-{regions}.db"))
                .display()
                .to_string()
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    if prepare && regions > 0 {
        runtime.block_on(async {
            let store = national(&path, regions).await?;
            keep_evaluations(&store).await?;
            provinces(&store, regions).await?;
            keep_evaluations(&store).await
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    if regions > 0 {
        // The ledger is built and its evaluations kept by a process of its own, as `plantrack
        // ingest` and `plantrack serve` are separate in a deployment: a server measured in the
        // process that had just built 15,000 documents and kept 39,000 evaluations answered
        // random regions at p99 69 ms, and at 37 ms in a fresh process on the same file.
        let status = std::process::Command::new(std::env::current_exe()?)
            .args(["bench-serve", "--prepare", "--regions"])
            .arg(regions.to_string())
            .arg("--national-db")
            .arg(&path)
            .status()
            .context("preparing the national ledger")?;
        if !status.success() {
            anyhow::bail!("preparing the national ledger {path} failed ({status})");
        }
    }
    runtime.block_on(async {
        // The demo data: the five samples in a fresh database.
        // Removed when the benchmark ends, however it ends.
        let tmp = crate::bench_ingest::tempdir::TempDir::new()?;
        let dir = tmp.path();
        let demo = dir.join("demo.db");
        let store = Store::open(demo.to_str().unwrap_or("demo.db")).await?;
        for (source, text) in crate::serve::SAMPLES {
            let x = plantrack_extract::extract(text, Origin::default(), &Hints::default());
            store.ingest(source, text, &x).await?;
        }
        println!("demo data (5 documents), {clients} clients, {seconds} s:");
        let mut scenarios =
            serve_and_load(store, vec!["天津市".to_string()], clients, seconds, "demo").await?;

        if regions > 0 {
            let store = national(&path, regions).await?;
            keep_evaluations(&store).await?;
            let c = store.counts().await?;
            println!(
                "national ledger: {} regions' documents ({} documents, {} quantities, {} milestones, {} tasks), {clients} clients, {seconds} s:",
                regions, c.documents, c.quantities, c.milestones, c.tasks
            );
            let names: Vec<String> = (0..regions).map(city).collect();
            scenarios.extend(
                serve_and_load(store.clone(), names.clone(), clients, seconds, "random-region")
                    .await?,
            );
            // The usual case: most requests go to a few regions (a province's offices).
            let hot: Vec<String> = names.into_iter().take(100).collect();
            println!("national ledger, requests spread over 100 of the regions, {clients} clients, {seconds} s:");
            scenarios.extend(
                serve_and_load(store.clone(), hot, clients, seconds, "hot-100-regions").await?,
            );
            // A province's office looks across its cities.
            let provinces = provinces(&store, regions).await?;
            // The hierarchy changed: every kept evaluation is computed again, as after an
            // office loads its region table.
            keep_evaluations(&store).await?;
            println!(
                "national ledger, comparisons of the cities of {} provinces ({CITIES_PER_PROVINCE} each), {clients} clients, {seconds} s:",
                provinces.len()
            );
            scenarios.push(serve_comparisons(store, provinces, clients, seconds).await?);
        }
        if json {
            // The last line, for scripts: every scenario's latency and throughput.
            println!("{}", serde_json::json!({ "scenarios": scenarios }));
        }
        Ok(ExitCode::SUCCESS)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_names_are_distinct_regions() {
        let names: std::collections::HashSet<String> = (0..3000).map(city).collect();
        assert_eq!(names.len(), 3000);
        assert!(city(0).ends_with('市'));
    }
}
