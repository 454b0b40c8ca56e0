//! `plantrack serve` and `plantrack demo`: the web app over a ledger; the demo first puts the
//! bundled samples into the default database (once: a second run finds them unchanged).

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use plantrack_extract::{Hints, Origin};
use plantrack_store::{IngestOutcome, Store};

use crate::UsageError;

/// The five sample documents, compiled in so that the demo needs nothing but the binary.
pub(crate) const SAMPLES: [(&str, &str); 5] = [
    (
        "samples/tianjin/000_0276bcfc0abf3456.txt",
        include_str!("../../../samples/tianjin/000_0276bcfc0abf3456.txt"),
    ),
    (
        "samples/tianjin/001_52f7147cf002561a.txt",
        include_str!("../../../samples/tianjin/001_52f7147cf002561a.txt"),
    ),
    (
        "samples/tianjin/002_2687c8db5fbcc50a.txt",
        include_str!("../../../samples/tianjin/002_2687c8db5fbcc50a.txt"),
    ),
    (
        "samples/tianjin/003_966d7ba61376989e.txt",
        include_str!("../../../samples/tianjin/003_966d7ba61376989e.txt"),
    ),
    (
        "samples/tianjin/004_313d8db390bab93c.txt",
        include_str!("../../../samples/tianjin/004_313d8db390bab93c.txt"),
    ),
];

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

async fn listen(addr: &str) -> anyhow::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| UsageError(format!("cannot listen on {addr}: {e}")).into())
}

async fn run_server(
    store: Store,
    lexicon: Option<&Path>,
    rules: Option<&Path>,
    addr: &str,
) -> anyhow::Result<ExitCode> {
    // Reports, acknowledgements and new tasks name units as users write them.
    let store = store.with_units(crate::extract::unit_names(lexicon)?);
    let lexicon = crate::evaluate::lexicon(lexicon)?;
    let rules = crate::evaluate::rules(rules)?;
    let supervision = crate::evaluate::office_supervision()?;
    if store.accounts().await?.is_empty() {
        println!(
            "plantrack: no accounts yet; the public pages work, and the first admin is made with \
             `plantrack user add NAME --role admin`"
        );
    }
    let listener = listen(addr).await?;
    // What writes of other processes left waiting is computed beside the first requests.
    {
        let (store, ev) = (
            store.clone(),
            plantrack_views::Evaluator::with_rules(
                lexicon.clone(),
                supervision.clone(),
                rules.clone(),
            ),
        );
        tokio::spawn(async move {
            if let Err(e) = ev.refresh(&store, ev.today()).await {
                eprintln!("plantrack: the waiting evaluations were not computed: {e}");
            }
        });
    }
    let local = listener.local_addr()?;
    println!("plantrack: serving http://{local}/ (Ctrl-C to stop)");
    let app = plantrack_web::app_with_rules(store, lexicon, rules, supervision);
    // Supervisors upload tables of figures on the web: the command line's conversion.
    app.set_importer(std::sync::Arc::new(crate::ingest::WebImporter));
    plantrack_web::serve(listener, app)
        .await
        .context("serving")?;
    Ok(ExitCode::SUCCESS)
}

pub fn serve(
    db: &str,
    addr: &str,
    lexicon: Option<&Path>,
    rules: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let store = Store::open(db).await.context("opening the database")?;
        run_server(store, lexicon, rules, addr).await
    })
}

pub fn demo(db: &str, addr: &str, lexicon: Option<&Path>) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let store = Store::open(db)
            .await
            .context("opening the database")?
            .with_units(crate::extract::unit_names(lexicon)?);
        let (mut new, mut same) = (0, 0);
        for (source, text) in SAMPLES {
            // Unchanged samples are found by their hash before anything is extracted.
            if store.has_content(source, text).await? {
                same += 1;
                continue;
            }
            let x = plantrack_extract::extract(text, Origin::default(), &Hints::default());
            match store.ingest(source, text, &x).await? {
                IngestOutcome::Unchanged { .. } => same += 1,
                _ => new += 1,
            }
        }
        println!(
            "plantrack: demo database {db}: {new} sample documents ingested, {same} already there"
        );
        crate::evaluations::refresh_after_write(&store, lexicon).await;
        run_server(store, lexicon, None, addr).await
    })
}
