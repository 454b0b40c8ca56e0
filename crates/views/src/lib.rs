//! The evaluations kept in the store: a region's year (its targets' verdicts, its tasks'
//! statuses and the scorecards of its units, leaders and regions, ranked by the office's rules)
//! and its five-year plans (their indicators), computed when what they depend on changes and
//! read back instead of evaluating on each request.
//!
//! The store marks an evaluation waiting in the transaction of any write that touches it (a
//! document ingested, replaced or imported; a progress report, review, urge or extension; the
//! regions' hierarchy). [`Evaluator::refresh`] computes what waits (after an ingest), and a read
//! that finds nothing kept computes and keeps it. A body is kept with the part of the ledger it
//! was computed from, so a read is one row; it is kept only if nothing it depends on was written
//! while it was computed (the row's generation). [`Evaluator::rebuild`] computes everything
//! from scratch: the incremental path must give the same bodies.
//!
//! Task statuses depend on the day as well: a body keeps those of the office's day it was
//! computed on; a read for another day evaluates the tasks (and ranks the scorecards) again
//! from the kept ledger and verdicts (the verdicts do not depend on the day), and keeps the result when that day is the
//! office's today.
//!
//! Architecture invariant: the evaluations themselves are `plantrack-evaluate`'s (pure); this
//! crate only decides when they run and keeps what they give. It knows no HTTP and no SQL.

use plantrack_evaluate::compare::{RegionComparison, compare_region};
use plantrack_evaluate::ranking::{self, Ranked};
use plantrack_evaluate::stored::{StoredIndicator, StoredVerdict};
use plantrack_evaluate::{
    Date, IndicatorEvaluation, Lexicon, Rules, Scope, Supervision, TaskEvaluation, Verdict,
    evaluate_plan, evaluate_tasks, reconcile,
};
use plantrack_model::Ledger;
use plantrack_store::{EvaluationKey, EvaluationKind, LedgerFilter, Store, StoreError};
use serde::{Deserialize, Serialize};

pub use plantrack_store::EvaluationKey as Key;

/// The evaluations of one year in one region.
#[derive(Debug, Clone, PartialEq)]
pub struct YearView {
    pub year: i32,
    pub region: String,
    pub today: Date,
    pub ledger: Ledger,
    pub verdicts: Vec<Verdict>,
    pub tasks: Vec<TaskEvaluation>,
}

/// A year's scorecards, ranked: they follow from its tasks' statuses (and so from the day) and
/// its verdicts, by the office's scoring rules.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Scorecards {
    pub units: Vec<Ranked>,
    pub leaders: Vec<Ranked>,
    pub regions: Vec<Ranked>,
}

impl Scorecards {
    fn of(
        ledger: &Ledger,
        verdicts: &[Verdict],
        tasks: &[TaskEvaluation],
        rules: &Rules,
    ) -> Scorecards {
        Scorecards {
            units: ranking::rank_units(ledger, tasks, rules),
            leaders: ranking::rank_leaders(tasks, rules),
            regions: ranking::rank_regions(ledger, verdicts, tasks),
        }
    }
}

impl YearView {
    /// A task of the view by its document's key and its number.
    pub fn task(&self, doc: i64, seq: u32) -> Option<&TaskEvaluation> {
        self.tasks.iter().find(|e| {
            e.seq == seq
                && self.ledger.documents[self.ledger.tasks[e.index].document].id == Some(doc)
        })
    }
}

/// The five-year plans of one region, evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanView {
    /// The part of the region's ledger the evaluations refer to: its documents, indicators,
    /// quantities and milestones (no tasks).
    pub ledger: Ledger,
    pub evals: Vec<IndicatorEvaluation>,
}

/// A year's body as kept: three lines of JSON, its [`Scorecards`], its comparison line (the
/// region's [`RegionComparison`]), then this. Its task evaluations are kept without their task
/// (an empty one in its place), which the kept ledger holds at their `index`: a task is not
/// written twice.
///
/// Lines, so that each is read alone: the pages of a year read the last, the scorecards' pages
/// the first, a comparison of the regions under a parent the second of each. A city's scorecards
/// are a quarter of its year's body (their scoring explained in words for each unit), which the
/// year's pages neither decode nor hold; its comparison line is a few hundred bytes of its
/// 350 KB.
#[derive(Serialize, Deserialize)]
struct KeptYear {
    ledger: Ledger,
    verdicts: Vec<StoredVerdict>,
    tasks: Vec<TaskEvaluation>,
}

/// A year's body's three lines: its scorecards, its comparison line, and the rest
/// ([`KeptYear`]). (Compact JSON holds no line break: one in a string is written `\n`.) The
/// body's text is checked as UTF-8 whole (`Body::text`, vectorised) and decoded `from_str`:
/// `from_slice` checks each string it decodes, one at a time, which cost a twentieth of the
/// server's time.
struct YearLines<'a> {
    scorecards: &'a str,
    comparison: &'a str,
    rest: &'a str,
}

fn year_lines(body: &str) -> Option<YearLines<'_>> {
    let mut lines = body.splitn(3, '\n');
    Some(YearLines {
        scorecards: lines.next()?,
        comparison: lines.next()?,
        rest: lines.next()?,
    })
}

/// A plan's body as kept.
#[derive(Serialize, Deserialize)]
struct KeptPlan {
    ledger: Ledger,
    plan: Vec<StoredIndicator>,
}

/// The form of the bodies: raised whenever what an evaluation gives changes, so that bodies
/// kept by an earlier build are computed again.
const FORMAT: u32 = 7;

/// Computes, keeps and reads the evaluations of one store.
#[derive(Debug, Clone)]
pub struct Evaluator {
    pub lexicon: Lexicon,
    pub supervision: Supervision,
    /// How scorecards are scored and ranked.
    pub rules: Rules,
    /// What a body depends on besides the ledger: the build, the form, the lexicon, the clock,
    /// the scoring rules.
    basis: String,
}

impl Evaluator {
    /// An evaluator scoring by the built-in rules.
    pub fn new(lexicon: Lexicon, supervision: Supervision) -> Evaluator {
        Evaluator::with_rules(lexicon, supervision, Rules::built_in())
    }

    pub fn with_rules(lexicon: Lexicon, supervision: Supervision, rules: Rules) -> Evaluator {
        let basis = format!(
            "{}/{FORMAT}/{:016x}/{:?}/{:016x}",
            env!("CARGO_PKG_VERSION"),
            lexicon.fingerprint(),
            supervision,
            fnv1a(format!("{rules:?}").as_bytes())
        );
        Evaluator {
            lexicon,
            supervision,
            rules,
            basis,
        }
    }

    /// The office's day.
    pub fn today(&self) -> Date {
        Date::today_in(self.supervision.zone)
    }

    /// The evaluations of `year` in `region` with task statuses as of `today`.
    pub async fn year(
        &self,
        store: &Store,
        year: i32,
        region: &str,
        today: Date,
    ) -> Result<YearView, StoreError> {
        let key = EvaluationKey::year(year, region);
        if let Some(kept) = store.kept_evaluation(&key).await?
            && kept.basis == self.basis
            && let Some(lines) = kept.body.as_ref().and_then(|b| year_lines(b.text()?))
            && let Ok(mut k) = serde_json::from_str::<KeptYear>(lines.rest)
            && k.tasks
                .iter_mut()
                .all(|e| match k.ledger.tasks.get(e.index) {
                    Some(t) => {
                        e.task = t.item.clone();
                        true
                    }
                    None => false,
                })
            && let Some(verdicts) = k
                .verdicts
                .iter()
                .map(|v| v.verdict(&k.ledger))
                .collect::<Option<Vec<_>>>()
        {
            let tasks = if kept.as_of == today.to_string() {
                k.tasks
            } else {
                let tasks = evaluate_tasks(&k.ledger, &verdicts, today, &self.supervision);
                if today == self.today() {
                    let scorecards = Scorecards::of(&k.ledger, &verdicts, &tasks, &self.rules);
                    let body = year_body(region, &k.ledger, &verdicts, &tasks, &scorecards);
                    store
                        .keep_evaluation(
                            &key,
                            kept.generation,
                            &self.basis,
                            &today.to_string(),
                            &body,
                        )
                        .await?;
                }
                tasks
            };
            return Ok(YearView {
                year,
                region: region.to_string(),
                today,
                ledger: k.ledger,
                verdicts,
                tasks,
            });
        }
        self.compute_year(store, &key, today, today == self.today())
            .await
    }

    /// The ranked scorecards of `year` in `region` as of `today`, read alone from the kept
    /// body (its first line) when it holds that day's; `None` when it does not, and they are to
    /// be ranked from the year's view ([`Evaluator::scorecards`]).
    pub async fn year_scorecards(
        &self,
        store: &Store,
        year: i32,
        region: &str,
        today: Date,
    ) -> Result<Option<Scorecards>, StoreError> {
        self.year_line(store, year, region, today, |l| l.scorecards)
            .await
    }

    /// The comparison line of `region` in `year` as of `today`, read alone from the kept body
    /// (its second line) when it holds that day's; `None` when it does not, and the line is to
    /// be drawn from the year's view ([`Evaluator::comparison`]).
    pub async fn year_comparison(
        &self,
        store: &Store,
        year: i32,
        region: &str,
        today: Date,
    ) -> Result<Option<RegionComparison>, StoreError> {
        self.year_line(store, year, region, today, |l| l.comparison)
            .await
    }

    /// One line of the kept body of `year` in `region`, decoded, when the body holds `today`'s.
    async fn year_line<T: serde::de::DeserializeOwned>(
        &self,
        store: &Store,
        year: i32,
        region: &str,
        today: Date,
        line: for<'a> fn(&YearLines<'a>) -> &'a str,
    ) -> Result<Option<T>, StoreError> {
        let key = EvaluationKey::year(year, region);
        let Some(kept) = store.kept_evaluation(&key).await? else {
            return Ok(None);
        };
        if kept.basis != self.basis || kept.as_of != today.to_string() {
            return Ok(None);
        }
        Ok(kept
            .body
            .as_ref()
            .and_then(|b| year_lines(b.text()?))
            .and_then(|l| serde_json::from_str::<T>(line(&l)).ok()))
    }

    /// The comparison line of a year's view: what its kept body's second line holds when the
    /// view is of the day it was kept on.
    pub fn comparison(&self, view: &YearView) -> RegionComparison {
        compare_region(&view.ledger, &view.region, &view.verdicts, &view.tasks)
    }

    /// The scorecards of a year's view, ranked by the evaluator's rules: what its kept body's
    /// first line holds when the view is of the day it was kept on.
    pub fn scorecards(&self, view: &YearView) -> Scorecards {
        Scorecards::of(&view.ledger, &view.verdicts, &view.tasks, &self.rules)
    }

    /// Evaluates a year from the ledger, keeping it when `keep`.
    async fn compute_year(
        &self,
        store: &Store,
        key: &EvaluationKey,
        today: Date,
        keep: bool,
    ) -> Result<YearView, StoreError> {
        // The generation is read before the ledger: a write in between refuses the body.
        let generation = store.evaluation_generation(key).await?;
        let ledger = store
            .ledger(&LedgerFilter {
                year: Some(key.year),
                region: Some(key.region.clone()),
                ..Default::default()
            })
            .await?;
        let verdicts = reconcile(
            &ledger,
            &self.lexicon,
            &Scope {
                year: key.year,
                region: Some(&key.region),
            },
        );
        let tasks = evaluate_tasks(&ledger, &verdicts, today, &self.supervision);
        if keep {
            let scorecards = Scorecards::of(&ledger, &verdicts, &tasks, &self.rules);
            let body = year_body(&key.region, &ledger, &verdicts, &tasks, &scorecards);
            store
                .keep_evaluation(key, generation, &self.basis, &today.to_string(), &body)
                .await?;
        }
        Ok(YearView {
            year: key.year,
            region: key.region.clone(),
            today,
            ledger,
            verdicts,
            tasks,
        })
    }

    /// The five-year plans of `region`, evaluated.
    pub async fn plan(&self, store: &Store, region: &str) -> Result<PlanView, StoreError> {
        let key = EvaluationKey::plan(region);
        if let Some(kept) = store.kept_evaluation(&key).await?
            && kept.basis == self.basis
            && let Some(body) = kept.body.as_ref().and_then(|b| b.text())
            && let Ok(k) = serde_json::from_str::<KeptPlan>(body)
            && let Some(evals) = k
                .plan
                .iter()
                .map(|e| e.evaluation(&k.ledger))
                .collect::<Option<Vec<_>>>()
        {
            return Ok(PlanView {
                ledger: k.ledger,
                evals,
            });
        }
        self.compute_plan(store, &key).await
    }

    async fn compute_plan(
        &self,
        store: &Store,
        key: &EvaluationKey,
    ) -> Result<PlanView, StoreError> {
        let generation = store.evaluation_generation(key).await?;
        let ledger = store
            .ledger(&LedgerFilter {
                year: None,
                region: Some(key.region.clone()),
                ..Default::default()
            })
            .await?;
        let evals: Vec<IndicatorEvaluation> = (0..ledger.documents.len())
            .filter(|&i| {
                ledger.documents[i].region.as_deref() == Some(key.region.as_str())
                    && ledger.indicators.iter().any(|x| x.document == i)
            })
            .flat_map(|i| evaluate_plan(&ledger, &self.lexicon, i))
            .collect();
        let mut plan: Vec<StoredIndicator> = evals.iter().map(StoredIndicator::of).collect();
        let ledger = plan_part(ledger, &mut plan);
        let body = serde_json::to_string(&KeptPlanRef {
            ledger: &ledger,
            plan: &plan,
        })
        .expect("an evaluation serialises");
        store
            .keep_evaluation(key, generation, &self.basis, "", &body)
            .await?;
        // The evaluations as they read back from the part kept: their evidence where it is in it.
        let evals = plan
            .iter()
            .map(|e| e.evaluation(&ledger))
            .collect::<Option<Vec<_>>>()
            .expect("the part of the ledger kept holds every piece of evidence");
        Ok(PlanView { ledger, evals })
    }

    /// Computes and keeps one evaluation (task statuses as of `today`).
    pub async fn compute(
        &self,
        store: &Store,
        key: &EvaluationKey,
        today: Date,
    ) -> Result<(), StoreError> {
        match key.kind {
            EvaluationKind::Year => {
                self.compute_year(store, key, today, true).await?;
            }
            EvaluationKind::Plan => {
                self.compute_plan(store, key).await?;
            }
        }
        Ok(())
    }

    /// Computes what waits (touched by a write since it was computed) and what was kept by an
    /// evaluator of another basis (a new build, lexicon, clock or scoring rules); returns how
    /// many.
    pub async fn refresh(&self, store: &Store, today: Date) -> Result<usize, StoreError> {
        let keys = store.evaluations_to_refresh(&self.basis).await?;
        self.compute_all(store, keys, today).await
    }

    /// Forgets everything kept and computes every evaluation the ledger holds something for;
    /// returns how many.
    pub async fn rebuild(&self, store: &Store, today: Date) -> Result<usize, StoreError> {
        store.forget_evaluations().await?;
        let keys = store.evaluation_keys().await?;
        self.compute_all(store, keys, today).await
    }

    /// Computes `keys`, a few at a time: the engine reads one ledger while another evaluates.
    async fn compute_all(
        &self,
        store: &Store,
        keys: Vec<EvaluationKey>,
        today: Date,
    ) -> Result<usize, StoreError> {
        const AT_ONCE: usize = 4;
        let n = keys.len();
        let keys = std::sync::Arc::new(std::sync::Mutex::new(keys));
        let mut workers = tokio::task::JoinSet::new();
        for _ in 0..AT_ONCE.min(n) {
            let (ev, store, keys) = (self.clone(), store.clone(), keys.clone());
            workers.spawn(async move {
                loop {
                    let next = keys.lock().unwrap_or_else(|e| e.into_inner()).pop();
                    let Some(k) = next else {
                        return Ok::<_, StoreError>(());
                    };
                    ev.compute(&store, &k, today).await?;
                }
            });
        }
        while let Some(done) = workers.join_next().await {
            done.map_err(|e| StoreError::Refused(format!("an evaluation stopped: {e}")))??;
        }
        Ok(n)
    }
}

/// What a plan's evaluations refer to in the ledger: its documents, its indicators and the
/// quantities and milestones they cite (`plan`'s references moved to where those are in the
/// part). The rest — the region's tasks and their supervision, the other figures of every year
/// (of a synthetic city's 172 quantities and 67 milestones, its plan cites 5 and none) — is
/// neither kept in its body nor held with its view.
fn plan_part(ledger: Ledger, plan: &mut [StoredIndicator]) -> Ledger {
    fn pick<T: Clone>(list: &[T], kept: &[usize]) -> Vec<T> {
        kept.iter().map(|&i| list[i].clone()).collect()
    }
    let mut quantities: Vec<Option<usize>> = vec![None; ledger.quantities.len()];
    let mut milestones: Vec<Option<usize>> = vec![None; ledger.milestones.len()];
    let (mut kept_q, mut kept_m) = (Vec::new(), Vec::new());
    for c in plan.iter_mut().flat_map(StoredIndicator::cited_mut) {
        let (at, kept) = match c.kind {
            "quantity" => (&mut quantities, &mut kept_q),
            _ => (&mut milestones, &mut kept_m),
        };
        // Each item cited is kept once, in the order first cited.
        if let Some(slot) = at.get_mut(c.index) {
            c.index = *slot.get_or_insert_with(|| {
                kept.push(c.index);
                kept.len() - 1
            });
        }
    }
    Ledger {
        quantities: pick(&ledger.quantities, &kept_q),
        milestones: pick(&ledger.milestones, &kept_m),
        documents: ledger.documents,
        regions: ledger.regions,
        indicators: ledger.indicators,
        ..Ledger::default()
    }
}

/// The same bodies, serialised from borrowed parts.
#[derive(Serialize)]
struct KeptYearRef<'a> {
    ledger: &'a Ledger,
    verdicts: Vec<StoredVerdict>,
    tasks: &'a [TaskEvaluation],
}

#[derive(Serialize)]
struct KeptPlanRef<'a> {
    ledger: &'a Ledger,
    plan: &'a [StoredIndicator],
}

fn year_body(
    region: &str,
    ledger: &Ledger,
    verdicts: &[Verdict],
    tasks: &[TaskEvaluation],
    scorecards: &Scorecards,
) -> String {
    let line = compare_region(ledger, region, verdicts, tasks);
    let tasks: Vec<TaskEvaluation> = tasks
        .iter()
        .map(|e| TaskEvaluation {
            task: Default::default(),
            ..e.clone()
        })
        .collect();
    let mut body = serde_json::to_vec(scorecards).expect("an evaluation serialises");
    body.push(b'\n');
    serde_json::to_writer(&mut body, &line).expect("an evaluation serialises");
    body.push(b'\n');
    serde_json::to_writer(
        &mut body,
        &KeptYearRef {
            ledger,
            verdicts: verdicts.iter().map(StoredVerdict::of).collect(),
            tasks: &tasks,
        },
    )
    .expect("an evaluation serialises");
    String::from_utf8(body).expect("JSON is UTF-8")
}

/// A fingerprint of the scoring rules for the basis, the same in every process and build
/// (the standard library's hasher promises neither).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}
