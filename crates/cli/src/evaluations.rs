//! `plantrack evaluations refresh|rebuild`, and the refresh that follows every write of the
//! command line: the evaluations kept in the store (`plantrack-views`) computed now, so that the
//! web app reads them instead of evaluating on its first request.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use plantrack_store::Store;
use plantrack_views::Evaluator;

use crate::ingest::redact;

/// The evaluator the web app uses: the lexicon (`PLANTRACK_LEXICON`, `--lexicon`), the
/// office's clock and rounds, and its scoring rules (`PLANTRACK_RULES`).
pub(crate) fn evaluator(lexicon: Option<&Path>) -> anyhow::Result<Evaluator> {
    Ok(Evaluator::with_rules(
        crate::evaluate::lexicon(lexicon)?,
        crate::evaluate::office_supervision()?,
        crate::evaluate::rules(None)?,
    ))
}

/// Computes what the writes just made wait for, saying so on standard error. The documents are
/// written whatever happens here: on a failure the web app computes what it needs when asked.
pub(crate) async fn refresh_after_write(store: &Store, lexicon: Option<&Path>) {
    let started = Instant::now();
    let result = match evaluator(lexicon) {
        Ok(ev) => ev
            .refresh(store, ev.today())
            .await
            .map_err(anyhow::Error::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(0) => {}
        Ok(n) => eprintln!(
            "{n} evaluations computed and kept ({:.1} s)",
            started.elapsed().as_secs_f64()
        ),
        Err(e) => eprintln!(
            "warning: the evaluations were not computed ({e:#}); the web app computes them when asked"
        ),
    }
}

/// `plantrack evaluations refresh|rebuild`.
pub fn run(rebuild: bool, db: &str, lexicon: Option<&Path>) -> anyhow::Result<ExitCode> {
    let ev = evaluator(lexicon)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let store = Store::open(db)
            .await
            .with_context(|| format!("database {}", redact(db)))?;
        let started = Instant::now();
        let today = ev.today();
        let n = if rebuild {
            ev.rebuild(&store, today).await
        } else {
            ev.refresh(&store, today).await
        }
        .context("computing the evaluations")?;
        store.close().await;
        println!(
            "{n} evaluations {} ({:.1} s), task statuses as of {today}",
            if rebuild { "rebuilt" } else { "computed" },
            started.elapsed().as_secs_f64()
        );
        Ok(ExitCode::SUCCESS)
    })
}
