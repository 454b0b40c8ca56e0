//! What the pages and the API show: the evaluations kept in the store (`plantrack-views`: read
//! as one row, computed and kept when missing), held in memory per (year, region, date) and per
//! region for plans until the store's version changes (a document added, replaced or removed, a
//! report or an urge). One query per request at most checks that.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use plantrack_evaluate::compare::RegionComparison;
use plantrack_evaluate::{Date, Lexicon};
use plantrack_model::{DocumentKind, DocumentRef, Ledger, Region};
use plantrack_store::{LedgerFilter, Store, StoreError};
use plantrack_views::Evaluator;
use tokio::sync::OnceCell;

pub use plantrack_views::{PlanView, Scorecards, YearView};

/// What every page needs for its selectors.
pub struct Meta {
    pub years: Vec<i32>,
    pub regions: Vec<Region>,
    /// Regions by parent (`None`: the top level), for the region selector.
    pub children: HashMap<Option<String>, Vec<String>>,
    /// Each region's parent.
    pub parents: HashMap<String, String>,
    pub documents: Vec<DocumentRef>,
    /// Each document's display title by its source, made once per version of the store (the
    /// public JSON puts it beside every `source`).
    pub titles: HashMap<String, String>,
    pub default_year: Option<i32>,
    pub default_region: Option<String>,
}

/// What a year's evaluations are held by: its year, region and day.
type YearKey = (i32, String, Date);

/// Where a part of a year is had from when the year's view is held.
#[derive(Clone, Copy)]
enum Prefer {
    /// Drawn from the view: cheaper than reading the store (the comparison line).
    Held,
    /// Read from the kept body all the same (the scorecards).
    Kept,
}

/// A cached evaluation, or the one being computed.
type Slot<T> = Arc<OnceCell<Arc<T>>>;

#[derive(Default)]
struct Cache {
    version: Option<i64>,
    /// When the store's version was last read.
    checked: Option<std::time::Instant>,
    meta: Option<Slot<Meta>>,
    years: Views<YearKey, YearView>,
    /// A year's scorecards alone, for the pages that show nothing else of it.
    scorecards: Views<YearKey, Scorecards>,
    /// A year's comparison line alone, for the comparisons of the regions under a parent.
    comparisons: Views<YearKey, RegionComparison>,
    plans: Views<String, PlanView>,
    /// Public answers (no session) by what decides them.
    answers: Answers,
}

/// The public answers kept, in two generations: new answers go into the young one; when it
/// holds half the budget it becomes the old one and the old one is let go. An answer asked for
/// again is found in either (and moved up from the old). Nothing is dropped under the lock: a
/// generation let go is returned to be dropped after it (dropping thousands of page-sized
/// buffers at once, under the lock every request takes, stalled them all).
#[derive(Default)]
struct Answers {
    young: HashMap<String, Arc<Answer>>,
    old: HashMap<String, Arc<Answer>>,
    young_bytes: usize,
}

impl Answers {
    fn get(&mut self, key: &str) -> Option<Arc<Answer>> {
        if let Some(a) = self.young.get(key) {
            return Some(a.clone());
        }
        let (key, a) = self.old.remove_entry(key)?;
        self.young_bytes += a.size(&key);
        self.young.insert(key, a.clone());
        Some(a)
    }

    /// Keeps an answer; returns the generation let go, if one was.
    fn keep(&mut self, key: String, answer: Arc<Answer>) -> Option<HashMap<String, Arc<Answer>>> {
        self.young_bytes += answer.size(&key);
        self.young.insert(key, answer);
        if self.young_bytes <= MAX_ANSWER_BYTES / 2 {
            return None;
        }
        self.young_bytes = 0;
        let young = std::mem::take(&mut self.young);
        Some(std::mem::replace(&mut self.old, young))
    }
}

/// A public answer as sent: what any visitor asking the same on the same day of the same
/// version of the store is sent.
pub struct Answer {
    pub headers: axum::http::HeaderMap,
    pub body: axum::body::Bytes,
}

/// The public answers kept, at most, in bytes (both generations).
const MAX_ANSWER_BYTES: usize = 128 << 20;

impl Answer {
    fn size(&self, key: &str) -> usize {
        self.body.len() + key.len()
    }
}

/// The store, the lexicon and the cache of evaluations.
pub struct Data {
    pub store: Store,
    pub lexicon: Lexicon,
    /// How units and leaders are scored.
    pub rules: plantrack_evaluate::Rules,
    /// The office's clock and reporting rounds.
    pub supervision: plantrack_evaluate::Supervision,
    /// Computes and keeps the evaluations (with the same lexicon and clock).
    evaluator: Evaluator,
    cache: Mutex<Cache>,
    /// How long a read of the store's version is trusted: a document ingested by another
    /// process shows after at most this long.
    recheck: std::time::Duration,
}

/// How many evaluations are held at most, of each kind: enough for every year and plan of a
/// thousand regions. A decoded year or plan holds hundreds of kilobytes (a server holding 6,000
/// of a national ledger's grew past 2 GB). Past this many, the one held longest is let go as
/// another comes in, one at a time: the memory it held is reused by the next rather than all of
/// it handed back and fresh pages asked of the system, zeroed, for every view decoded after
/// (which, measured on the national ledger, cost more than the decoding). Held fewer (256), a
/// thousand regions' views never all stay and pages decode again and again: 1,052 requests/s
/// against 5,442 on a thousand regions (`plantrack bench-serve --regions 1000`).
const MAX_CACHED: usize = 4096;

/// Evaluations held, oldest first out.
struct Views<K, T> {
    slots: HashMap<K, Slot<T>>,
    order: std::collections::VecDeque<K>,
}

impl<K, T> Default for Views<K, T> {
    fn default() -> Self {
        Views {
            slots: HashMap::new(),
            order: std::collections::VecDeque::new(),
        }
    }
}

impl<K: std::hash::Hash + Eq + Clone, T> Views<K, T> {
    /// The slot of a key, made when missing, and the slot let go to make room, if one was: to
    /// be dropped once the lock is released.
    fn slot(&mut self, key: K) -> (Slot<T>, Option<Slot<T>>) {
        if let Some(s) = self.slots.get(&key) {
            return (s.clone(), None);
        }
        let gone = if self.order.len() >= MAX_CACHED {
            self.order.pop_front().and_then(|k| self.slots.remove(&k))
        } else {
            None
        };
        let s: Slot<T> = Default::default();
        self.slots.insert(key.clone(), s.clone());
        self.order.push_back(key);
        (s, gone)
    }
}

impl Meta {
    /// The key of the document read from `source` (0 when there is none).
    pub fn doc_id(&self, source: &str) -> i64 {
        self.documents
            .iter()
            .find(|d| d.source == source)
            .and_then(|d| d.id)
            .unwrap_or(0)
    }

    /// The year and region a document plans for (where its tasks are evaluated).
    pub fn plan_of(&self, doc: i64) -> Option<(i32, String)> {
        let d = self.documents.iter().find(|d| d.id == Some(doc))?;
        Some((d.year?, d.region.clone()?))
    }

    /// The regions a selector offers from `current`: its parents, itself, its children, and the
    /// top level and its siblings when they are few. A national ledger has thousands of regions;
    /// the regions page lists them all.
    pub fn nearby(&self, current: &str) -> Vec<String> {
        const FEW: usize = 60;
        let parent_of = |name: &str| self.parents.get(name).cloned();
        let mut out: Vec<String> = Vec::new();
        let mut chain = Vec::new();
        let mut at = parent_of(current);
        while let Some(p) = at {
            if chain.contains(&p) {
                break;
            }
            at = parent_of(&p);
            chain.push(p);
        }
        chain.reverse();
        let few = |list: Option<&Vec<String>>| {
            list.filter(|l| l.len() <= FEW).cloned().unwrap_or_default()
        };
        out.extend(few(self.children.get(&None)));
        out.extend(chain.iter().cloned());
        out.push(current.to_string());
        out.extend(few(self.children.get(&chain.last().cloned())));
        out.extend(few(self.children.get(&Some(current.to_string()))));
        let mut seen = std::collections::HashSet::new();
        out.retain(|r| !r.is_empty() && seen.insert(r.clone()));
        out
    }
}

impl Data {
    pub fn new(store: Store, lexicon: Lexicon) -> Data {
        let supervision = plantrack_evaluate::Supervision::default();
        Data {
            store,
            evaluator: Evaluator::new(lexicon.clone(), supervision.clone()),
            lexicon,
            rules: plantrack_evaluate::Rules::built_in(),
            supervision,
            cache: Mutex::new(Cache::default()),
            recheck: std::time::Duration::from_millis(250),
        }
    }

    /// On the office's clock and reporting rounds.
    pub fn with_supervision(mut self, supervision: plantrack_evaluate::Supervision) -> Data {
        self.supervision = supervision;
        self.evaluator = self.evaluator();
        self
    }

    /// Scoring by the office's rules.
    pub fn with_rules(mut self, rules: plantrack_evaluate::Rules) -> Data {
        self.rules = rules;
        self.evaluator = self.evaluator();
        self
    }

    fn evaluator(&self) -> Evaluator {
        Evaluator::with_rules(
            self.lexicon.clone(),
            self.supervision.clone(),
            self.rules.clone(),
        )
    }

    /// Reads the store's version on every request (tests that ingest and look at once).
    pub fn always_recheck(mut self) -> Data {
        self.recheck = std::time::Duration::ZERO;
        self
    }

    /// The next request reads the store's version again (this process has just written).
    pub fn recheck_now(&self) {
        self.cache().checked = None;
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The store's version; drops the cache when it changed. Returns it for ETags.
    pub async fn version(&self) -> Result<i64, StoreError> {
        {
            let c = self.cache();
            if let (Some(v), Some(at)) = (c.version, c.checked)
                && at.elapsed() < self.recheck
            {
                return Ok(v);
            }
        }
        let v = self.store.version().await?;
        let stale = {
            let mut c = self.cache();
            let checked = Some(std::time::Instant::now());
            c.checked = checked;
            (c.version != Some(v)).then(|| {
                std::mem::replace(
                    &mut *c,
                    Cache {
                        version: Some(v),
                        checked,
                        ..Cache::default()
                    },
                )
            })
        };
        // Dropped here, once the lock is released.
        drop(stale);
        Ok(v)
    }

    pub async fn meta(&self) -> Result<Arc<Meta>, StoreError> {
        // Made once per version of the store: requests arriving meanwhile wait for it (a
        // national ledger's documents and regions are read once, not once per request).
        let cell = self
            .cache()
            .meta
            .get_or_insert_with(Default::default)
            .clone();
        let m = cell.get_or_try_init(|| self.make_meta()).await?;
        Ok(m.clone())
    }

    async fn make_meta(&self) -> Result<Arc<Meta>, StoreError> {
        let years = self.store.target_years().await?;
        let regions = self.store.regions().await?;
        let documents = self.store.documents().await?;
        // The default region: the one that issued the most documents, a parent before its
        // children.
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for d in &documents {
            if let Some(r) = &d.region {
                *counts.entry(r.as_str()).or_default() += 1;
            }
        }
        let default_region = regions
            .iter()
            .filter(|r| counts.contains_key(r.name.as_str()))
            .max_by_key(|r| {
                (
                    r.parent.is_none(),
                    counts[r.name.as_str()],
                    std::cmp::Reverse(r.name.clone()),
                )
            })
            .map(|r| r.name.clone());
        // The default year: the latest with both targets and a later review, else the latest.
        // A statistical bulletin or an imported table reports on its own year.
        let reviewed = |y: i32| {
            documents.iter().any(|d| match d.kind {
                DocumentKind::TaskTable => false,
                DocumentKind::StatisticalBulletin | DocumentKind::DataImport => d.year == Some(y),
                _ => d.year == Some(y + 1),
            })
        };
        let default_year = years
            .iter()
            .rev()
            .find(|&&y| reviewed(y))
            .or(years.last())
            .copied();
        let mut children: HashMap<Option<String>, Vec<String>> = HashMap::new();
        let mut parents = HashMap::new();
        for r in &regions {
            if let Some(p) = &r.parent {
                parents.insert(r.name.clone(), p.clone());
            }
            children
                .entry(r.parent.clone())
                .or_default()
                .push(r.name.clone());
        }
        let titles = documents
            .iter()
            .map(|d| (d.source.clone(), d.display_title()))
            .collect();
        let m = Arc::new(Meta {
            years,
            children,
            parents,
            regions,
            titles,
            documents,
            default_year,
            default_region,
        });
        Ok(m)
    }

    /// A document with its text and every item read from it.
    pub async fn document(
        &self,
        id: i64,
    ) -> Result<Option<(plantrack_model::DocumentRef, String, Ledger)>, StoreError> {
        let Some((d, text)) = self.store.document(id).await? else {
            return Ok(None);
        };
        let ledger = self
            .store
            .ledger(&LedgerFilter {
                document: Some(id),
                ..Default::default()
            })
            .await?;
        Ok(Some((d, text, ledger)))
    }

    pub async fn year(
        &self,
        year: i32,
        region: &str,
        today: Date,
    ) -> Result<Arc<YearView>, StoreError> {
        let (cell, gone) = self.cache().years.slot((year, region.to_string(), today));
        drop(gone);
        fill(cell, || {
            self.evaluator.year(&self.store, year, region, today)
        })
        .await
    }

    /// The scorecards of `year` in `region` as of `today`: held, else read alone from the kept
    /// body (its first line), else ranked from the year's view. Read rather than ranked even
    /// when the view is held: ranking a city's units cost 4.6 times reading its body and
    /// decoding the line (`perf` on `plantrack bench-serve --regions 3000`).
    pub async fn scorecards(
        &self,
        year: i32,
        region: &str,
        today: Date,
    ) -> Result<Arc<Scorecards>, StoreError> {
        self.year_part(
            (year, region.to_string(), today),
            |c| &mut c.scorecards,
            || {
                self.evaluator
                    .year_scorecards(&self.store, year, region, today)
            },
            Evaluator::scorecards,
            Prefer::Kept,
        )
        .await
    }

    /// The comparison line of `region` in `year` as of `today` (see [`Data::year_part`]; in the
    /// kept body, its second line: a province's first look across its cities reads their lines,
    /// not their years).
    pub async fn comparison(
        &self,
        year: i32,
        region: &str,
        today: Date,
    ) -> Result<Arc<RegionComparison>, StoreError> {
        self.year_part(
            (year, region.to_string(), today),
            |c| &mut c.comparisons,
            || {
                self.evaluator
                    .year_comparison(&self.store, year, region, today)
            },
            Evaluator::comparison,
            Prefer::Held,
        )
        .await
    }

    /// A part of a year kept apart in its body: read alone from the kept body (`read`) or
    /// drawn from the year's view when it is held, as `prefer` says, and else drawn from the
    /// year's view read or evaluated.
    async fn year_part<T, Read, Fut>(
        &self,
        key: YearKey,
        slots: fn(&mut Cache) -> &mut Views<YearKey, T>,
        read: Read,
        draw: fn(&Evaluator, &YearView) -> T,
        prefer: Prefer,
    ) -> Result<Arc<T>, StoreError>
    where
        Read: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Option<T>, StoreError>>,
    {
        let held = {
            let c = self.cache();
            c.years.slots.get(&key).and_then(|s| s.get().cloned())
        };
        let (year, region, today) = (key.0, key.1.clone(), key.2);
        let (cell, gone) = slots(&mut self.cache()).slot(key);
        drop(gone);
        fill(cell, || async {
            if let (Some(v), Prefer::Held) = (&held, prefer) {
                return Ok(draw(&self.evaluator, v));
            }
            // A store that fails the read while the view is held: drawn from the view, as it
            // would have been.
            match read().await {
                Ok(Some(part)) => return Ok(part),
                Err(e) if held.is_none() => return Err(e),
                Ok(None) | Err(_) => {}
            }
            let view = match held {
                Some(v) => v,
                None => self.year(year, &region, today).await?,
            };
            Ok(draw(&self.evaluator, &view))
        })
        .await
    }

    /// A public answer kept for `key` since the store's version last changed.
    pub fn answer(&self, key: &str) -> Option<Arc<Answer>> {
        self.cache().answers.get(key)
    }

    /// Keeps a public answer (`version`: the store's version it was made from; an answer made
    /// across a change of version is not kept).
    pub fn keep_answer(&self, version: i64, key: String, answer: Answer) {
        let let_go = {
            let mut c = self.cache();
            if c.version != Some(version) {
                return;
            }
            c.answers.keep(key, Arc::new(answer))
        };
        // Dropped here, once the lock is released.
        drop(let_go);
    }

    pub async fn plan(&self, region: &str) -> Result<Arc<PlanView>, StoreError> {
        let (cell, gone) = self.cache().plans.slot(region.to_string());
        drop(gone);
        fill(cell, || self.evaluator.plan(&self.store, region)).await
    }
}

/// The value of a slot, made by `make` the first time: one evaluation per key at a time,
/// requests arriving while it runs wait for it.
async fn fill<T, F, Fut>(cell: Slot<T>, make: F) -> Result<Arc<T>, StoreError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<T, StoreError>>,
{
    let v = cell
        .get_or_try_init(|| async { Ok::<_, StoreError>(Arc::new(make().await?)) })
        .await?;
    Ok(v.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(bytes: usize) -> Arc<Answer> {
        Arc::new(Answer {
            headers: axum::http::HeaderMap::new(),
            body: axum::body::Bytes::from(vec![b'x'; bytes]),
        })
    }

    #[test]
    fn views_let_go_of_the_oldest_past_the_bound() {
        let mut v: Views<usize, u8> = Views::default();
        let first = v.slot(0).0;
        for k in 1..MAX_CACHED {
            assert!(v.slot(k).1.is_none());
        }
        // Asked again, a key held is the same slot and lets nothing go.
        let (again, gone) = v.slot(0);
        assert!(Arc::ptr_eq(&first, &again) && gone.is_none());
        // One more key lets go of the oldest (0), and only of it.
        let (_, gone) = v.slot(MAX_CACHED);
        assert!(Arc::ptr_eq(&gone.unwrap(), &first));
        assert_eq!(v.slots.len(), MAX_CACHED);
        assert!(!v.slots.contains_key(&0) && v.slots.contains_key(&1));
    }

    #[test]
    fn answers_age_in_two_generations() {
        let mut a = Answers::default();
        let half = MAX_ANSWER_BYTES / 2;
        assert!(a.keep("first".into(), answer(half / 2)).is_none());
        // Past half the budget the young generation becomes the old one; nothing is let go yet.
        let let_go = a.keep("second".into(), answer(half / 2 + 1)).unwrap();
        assert!(let_go.is_empty());
        // Asked again, an answer moves up from the old generation.
        assert!(a.get("first").is_some());
        // The next turn lets go of what was not asked again: second, not first.
        let let_go = a.keep("third".into(), answer(half / 2)).unwrap();
        let gone: Vec<&String> = let_go.keys().collect();
        assert_eq!(gone, ["second"]);
        assert!(a.get("first").is_some() && a.get("third").is_some());
        assert!(a.get("second").is_none());
    }
}
