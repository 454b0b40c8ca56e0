//! `plantrack bench-reports`: many reporters submitting progress reports at once.
//!
//! The web app runs in this process over the given database (a fresh SQLite file by default; a
//! `postgres://` URL gets a schema of its own, emptied first). `--reporters` accounts are made,
//! each bound to the lead unit of one task of the samples' responsibility table; each signs in
//! over HTTP and then submits reports to its task as fast as the server answers, for
//! `--seconds`. Afterwards the reports and audit events in the database are counted against the
//! submissions the server confirmed: no error and no lost write is the bar. Reported:
//! reports/s, p50 and p99 of a submission.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use plantrack_extract::{Hints, Origin};
use plantrack_store::Store;
use sqlx::Row;

use crate::http::{enc, request};

/// A store for the benchmark: a fresh SQLite file, or a fresh schema of the PostgreSQL database.
async fn fresh(db: Option<&str>, dir: &std::path::Path) -> anyhow::Result<Store> {
    match db {
        Some(url) if url.starts_with("postgres") => {
            let admin = Store::open(url).await?;
            for sql in [
                "DROP SCHEMA IF EXISTS plantrack_bench_reports CASCADE",
                "CREATE SCHEMA plantrack_bench_reports",
            ] {
                sqlx::query(sql).execute(admin.pool()).await?;
            }
            admin.close().await;
            let sep = if url.contains('?') { '&' } else { '?' };
            Ok(Store::open(&format!(
                "{url}{sep}options=-c%20search_path%3Dplantrack_bench_reports"
            ))
            .await?)
        }
        Some(path) => {
            let _ = std::fs::remove_file(path);
            Ok(Store::open(path).await?)
        }
        None => Ok(Store::open(dir.join("reports.db").to_str().unwrap_or("reports.db")).await?),
    }
}

pub fn run(db: Option<&str>, reporters: usize, seconds: u64) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        // Removed when the benchmark ends, however it ends.
        let tmp = crate::bench_ingest::tempdir::TempDir::new()?;
        let dir = tmp.path();
        let store = fresh(db, dir).await?;
        let (source, text) = crate::serve::SAMPLES[3];
        let x = plantrack_extract::extract(text, Origin::default(), &Hints::default());
        store.ingest(source, text, &x).await?;
        let doc: i64 = sqlx::query("SELECT id FROM documents")
            .fetch_one(store.pool())
            .await?
            .try_get(0)?;
        // One account per reporter, bound to the lead unit of a task (hashed once: the cost
        // measured is the reporting, not Argon2 at setup).
        let password = "bench-reporter-password";
        let hash = plantrack_web::auth::hash_password(password);
        let mut plan = Vec::new();
        for i in 0..reporters {
            let task = &x.tasks[i % x.tasks.len()];
            let unit = task.units.first().cloned().unwrap_or_default();
            let name = format!("reporter{i:04}");
            store
                .add_user(&name, &hash, "reporter", &[unit], "bench")
                .await?;
            plan.push((name, task.seq));
        }
        println!(
            "{:?}: {reporters} reporters, each on one of {} tasks, {seconds} s",
            store.backend(),
            x.tasks.len()
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let app = plantrack_web::app(store.clone(), plantrack_evaluate::Lexicon::built_in());
        let server = tokio::spawn(plantrack_web::serve(listener, app));

        // Everyone signs in first, then all start at once.
        let start_line = std::sync::Arc::new(tokio::sync::Barrier::new(reporters));
        let mut handles = Vec::new();
        for (name, seq) in plan {
            let start_line = start_line.clone();
            handles.push(tokio::spawn(async move {
                let mut conn = crate::http::connect(addr).await?;
                let form = format!("name={name}&password={password}");
                let a = request(&mut conn, "POST", "/login", None, Some(&form)).await?;
                anyhow::ensure!(a.status == 303, "{name}: sign-in answered {}", a.status);
                let cookie = a.cookie.context("no session cookie")?;
                let page = request(&mut conn, "GET", &format!("/tasks/{doc}/{seq}"), Some(&cookie), None).await?;
                let page = page.text();
                let at = page.find("name=\"csrf\" value=\"").context("no form")? + 19;
                let csrf = page[at..at + 32].to_string();
                start_line.wait().await;
                let began = Instant::now();
                let deadline = began + Duration::from_secs(seconds);
                let (mut ok, mut failed, mut lat) = (0usize, 0usize, Vec::new());
                let mut n = 0;
                while Instant::now() < deadline {
                    n += 1;
                    let form = format!(
                        "csrf={csrf}&status=on_track&percent=50&narrative={}",
                        enc(&format!("{name} 第{n}次报送进展"))
                    );
                    let t = Instant::now();
                    let a = request(&mut conn, "POST", &format!("/tasks/{doc}/{seq}/reports"), Some(&cookie), Some(&form)).await?;
                    lat.push(t.elapsed());
                    if a.status == 303 {
                        ok += 1;
                    } else {
                        failed += 1;
                    }
                }
                anyhow::Ok((ok, failed, lat, began.elapsed()))
            }));
        }
        let (mut ok, mut failed, mut lat) = (0usize, 0usize, Vec::new());
        // From the common start to the last reporter's last answer.
        let mut wall = 0f64;
        for h in handles {
            let (o, f, l, took) = h.await??;
            ok += o;
            failed += f;
            lat.extend(l);
            wall = wall.max(took.as_secs_f64());
        }
        server.abort();
        lat.sort_unstable();
        let pct = |p: f64| lat.get(((lat.len() as f64 - 1.0) * p).round() as usize).map_or(0.0, |d| d.as_secs_f64() * 1000.0);
        let stored: i64 = sqlx::query("SELECT COUNT(*) FROM progress_reports").fetch_one(store.pool()).await?.try_get(0)?;
        let audited: i64 = sqlx::query("SELECT COUNT(*) FROM audit_events WHERE action = 'report.submit'")
            .fetch_one(store.pool())
            .await?
            .try_get(0)?;
        println!(
            "  {ok} reports confirmed in {wall:.1} s: {:.0} reports/s, p50 {:.1} ms, p99 {:.1} ms; {failed} refused",
            ok as f64 / wall,
            pct(0.5),
            pct(0.99)
        );
        println!("  in the database: {stored} reports, {audited} audit events");
        store.close().await;
        anyhow::ensure!(failed == 0, "{failed} submissions were refused");
        anyhow::ensure!(
            stored as usize == ok && audited as usize == ok,
            "lost or extra writes: {ok} confirmed, {stored} stored, {audited} audited"
        );
        Ok(ExitCode::SUCCESS)
    })
}
