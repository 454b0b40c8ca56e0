//! `plantrack reconcile`, `plan`, `tasks` and `scorecard`: the evaluations over the stored
//! ledger, as JSON for scripts or as tables for people.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use plantrack_evaluate::{
    Date, Evidence, IndicatorEvaluation, Lexicon, Rounds, Scope, Supervision, Tally,
    TaskEvaluation, Verdict, Zone, evaluate_plan, evaluate_tasks, reconcile,
};
use plantrack_model::{DocumentKind, Ledger};
use plantrack_store::{LedgerFilter, Store};

use crate::UsageError;
use crate::ledger::runtime;

/// What the evaluation commands share.
pub struct Common<'a> {
    pub db: &'a str,
    pub lexicon: Option<&'a Path>,
    pub json: bool,
}

/// The built-in lexicon with the user's rules added.
pub(crate) fn lexicon(extra: Option<&Path>) -> anyhow::Result<Lexicon> {
    let mut l = Lexicon::built_in();
    let env = std::env::var_os("PLANTRACK_LEXICON").map(std::path::PathBuf::from);
    for path in [env.as_deref(), extra].into_iter().flatten() {
        let text = std::fs::read_to_string(path)
            .map_err(|e| UsageError(format!("{}: {e}", path.display())))?;
        l.extend(&text)
            .map_err(|e| UsageError(format!("{}: {e}", path.display())))?;
    }
    Ok(l)
}

/// The office's clock: `PLANTRACK_TZ` (`Asia/Shanghai`, `UTC`, `+08:00`), `Asia/Shanghai` when
/// unset. A wrong value is refused rather than read as UTC.
pub(crate) fn office_zone() -> anyhow::Result<Zone> {
    match std::env::var("PLANTRACK_TZ") {
        Err(_) => Ok(Zone::default()),
        Ok(v) if v.trim().is_empty() => Ok(Zone::default()),
        Ok(v) => Zone::parse(&v).ok_or_else(|| {
            UsageError(format!(
                "PLANTRACK_TZ={v}: not a time zone plantrack knows (Asia/Shanghai, UTC, or an offset such as +08:00)"
            ))
            .into()
        }),
    }
}

/// The office's clock and its reporting rounds: PLANTRACK_ROUNDS is `monthly` (by the 25th, the
/// default), `monthly:20`, `quarterly[:DAY]` or dates `2024-03-25,2024-06-25`; a value plantrack
/// cannot read is refused, naming the variable.
pub(crate) fn office_supervision() -> anyhow::Result<Supervision> {
    let rounds = match std::env::var("PLANTRACK_ROUNDS") {
        Err(_) => Rounds::default(),
        Ok(v) if v.trim().is_empty() => Rounds::default(),
        Ok(v) => Rounds::parse(&v).ok_or_else(|| {
            UsageError(format!(
                "PLANTRACK_ROUNDS={v}: not reporting rounds plantrack knows (monthly, monthly:20, quarterly, quarterly:10, or dates such as 2024-03-25,2024-06-25)"
            ))
        })?,
    };
    Ok(Supervision {
        zone: office_zone()?,
        rounds,
    })
}

fn load(db: &str, filter: LedgerFilter) -> anyhow::Result<Ledger> {
    runtime()?.block_on(async {
        let store = Store::open(db).await.context("opening the database")?;
        let ledger = store.ledger(&filter).await.context("reading the ledger")?;
        store.close().await;
        Ok(ledger)
    })
}

fn as_of(date: Option<&str>) -> anyhow::Result<Date> {
    match date {
        None => Ok(Date::today_in(office_zone()?)),
        Some(s) => Date::parse(s)
            .ok_or_else(|| UsageError(format!("--as-of {s}: not a date (YYYY-MM-DD)")).into()),
    }
}

fn print_json<T: serde::Serialize>(v: &T) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, v)?;
    writeln!(out)?;
    Ok(ExitCode::SUCCESS)
}

/// Columns of CJK text line up when padded by display width (an ideograph takes two cells).
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum()
}

fn cut(s: &str, max: usize) -> String {
    let mut w = 0;
    let mut out = String::new();
    for c in s.chars() {
        let cw = width(c.encode_utf8(&mut [0; 4]));
        if w + cw > max.saturating_sub(1) && width(s) > max {
            out.push('…');
            return out;
        }
        w += cw;
        out.push(c);
    }
    out
}

fn table(out: &mut impl Write, header: &[&str], rows: &[Vec<String>]) -> std::io::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for r in rows {
        for (k, c) in r.iter().enumerate() {
            widths[k] = widths[k].max(width(c));
        }
    }
    let line =
        |out: &mut dyn Write, cells: &mut dyn Iterator<Item = &str>| -> std::io::Result<()> {
            let mut s = String::new();
            for (k, c) in cells.enumerate() {
                s.push_str(c);
                if k + 1 < widths.len() {
                    s.push_str(&" ".repeat(widths[k] - width(c) + 2));
                }
            }
            writeln!(out, "{}", s.trim_end())
        };
    line(out, &mut header.iter().copied())?;
    for r in rows {
        line(out, &mut r.iter().map(String::as_str))?;
    }
    Ok(())
}

fn name_of(source: &str) -> String {
    Path::new(source)
        .file_name()
        .map_or(source.to_string(), |n| n.to_string_lossy().into_owned())
}

fn place(e: &Evidence) -> String {
    format!("{}@{}", cut(&name_of(&e.document.source), 24), e.start())
}

pub fn reconcile_cmd(c: &Common, year: i32, region: Option<&str>) -> anyhow::Result<ExitCode> {
    let lexicon = lexicon(c.lexicon)?;
    let ledger = load(
        c.db,
        LedgerFilter {
            year: Some(year),
            region: region.map(str::to_string),
            ..Default::default()
        },
    )?;
    let verdicts = reconcile(&ledger, &lexicon, &Scope { year, region });
    if c.json {
        return print_json(&verdicts);
    }
    let mut out = std::io::stdout().lock();
    print_verdicts(&mut out, &verdicts)?;
    print_disagreements(&mut out, &verdicts)?;
    let t = Tally::of(&verdicts);
    writeln!(
        out,
        "\n{year}: {} targets — {} achieved, {} not achieved, {} without data",
        verdicts.len(),
        t.achieved,
        t.not_achieved,
        t.no_data
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The targets whose sources give different figures: the one taken (first in the lexicon's
/// `source_order`), then the others.
fn print_disagreements(out: &mut impl Write, verdicts: &[Verdict]) -> std::io::Result<()> {
    let torn: Vec<&Verdict> = verdicts
        .iter()
        .filter(|v| !v.disagreeing.is_empty())
        .collect();
    if torn.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "\nsources that disagree (the first taken, by source order):"
    )?;
    for v in torn {
        let (metric, target) = v.target.figure();
        let said = |e: &Evidence| {
            format!(
                "{} {} {}",
                e.document.kind.name_en(),
                place(e),
                e.figure().1
            )
        };
        let mut line = format!("  {} {target}: ", cut(&metric, 28));
        if let Some(a) = &v.actual {
            line.push_str(&said(a));
        }
        for o in &v.disagreeing {
            line.push_str("; ");
            line.push_str(&said(o));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn print_verdicts(out: &mut impl Write, verdicts: &[Verdict]) -> std::io::Result<()> {
    let rows: Vec<Vec<String>> = verdicts
        .iter()
        .map(|v| {
            let (metric, target) = v.target.figure();
            let (result_metric, result) =
                v.actual.as_ref().map(Evidence::figure).unwrap_or_default();
            let result = if v.actual.is_some() && result_metric != metric {
                format!("{result} ({})", cut(&result_metric, 14))
            } else {
                result
            };
            vec![
                v.status.as_str().to_string(),
                v.region.clone().unwrap_or_default(),
                cut(&metric, 28),
                cut(&target, 20),
                cut(&result, 30),
                place(&v.target),
                v.actual.as_ref().map(place).unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    table(
        out,
        &[
            "status",
            "region",
            "metric",
            "target",
            "result",
            "target source",
            "result source",
        ],
        &rows,
    )
}

pub fn plan_cmd(
    c: &Common,
    document: Option<&str>,
    region: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let lexicon = lexicon(c.lexicon)?;
    let ledger = load(
        c.db,
        LedgerFilter {
            region: region.map(str::to_string),
            ..Default::default()
        },
    )?;
    let plans: Vec<usize> = (0..ledger.documents.len())
        .filter(|&i| {
            let d = &ledger.documents[i];
            ledger.indicators.iter().any(|x| x.document == i)
                && (d.kind == DocumentKind::FiveYearPlan || document.is_some())
                && document.is_none_or(|s| d.source.contains(s))
        })
        .collect();
    if plans.is_empty() {
        return Err(UsageError(match document {
            Some(s) => format!("no document matching {s:?} with an indicator table in the ledger"),
            None => "no five-year plan with an indicator table in the ledger".into(),
        })
        .into());
    }
    let evals: Vec<IndicatorEvaluation> = plans
        .iter()
        .flat_map(|&p| evaluate_plan(&ledger, &lexicon, p))
        .collect();
    if c.json {
        return print_json(&evals);
    }
    let mut out = std::io::stdout().lock();
    let fmt = |v: Option<(i32, f64)>| v.map_or("-".into(), |(y, v)| format!("{v} ({y})"));
    let rows: Vec<Vec<String>> = evals
        .iter()
        .map(|e| {
            vec![
                e.indicator.seq.to_string(),
                cut(&e.indicator.name, 30),
                e.indicator.unit.clone().unwrap_or_default(),
                fmt(e.baseline),
                e.indicator
                    .target
                    .as_ref()
                    .map_or("-".into(), |t| cut(&t.text, 14)),
                e.observations
                    .last()
                    .map_or("-".into(), |o| format!("{} ({})", o.value, o.year)),
                e.ratio.map_or("-".into(), |r| format!("{r:.2}")),
                e.projection.map_or("-".into(), |p| format!("{p}")),
                e.status.as_str().to_string(),
            ]
        })
        .collect();
    table(
        &mut out,
        &[
            "#",
            "indicator",
            "unit",
            "baseline",
            "target",
            "latest",
            "ratio",
            "projection",
            "status",
        ],
        &rows,
    )?;
    for e in evals.iter().filter(|e| !e.observations.is_empty()) {
        writeln!(
            out,
            "\n{} {}: {}",
            e.indicator.seq, e.indicator.name, e.reason
        )?;
        for o in &e.observations {
            writeln!(
                out,
                "  {} {} ← {}: {}",
                o.year,
                o.value,
                name_of(&o.evidence.document.source),
                o.evidence.excerpt(80)
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The tasks of a year with their verdicts: the targets of that year are reconciled first.
fn task_evaluations(
    c: &Common,
    year: i32,
    today: Date,
) -> anyhow::Result<(Ledger, Vec<Verdict>, Vec<TaskEvaluation>)> {
    let lexicon = lexicon(c.lexicon)?;
    let ledger = load(
        c.db,
        LedgerFilter {
            year: Some(year),
            region: None,
            ..Default::default()
        },
    )?;
    let verdicts = reconcile(&ledger, &lexicon, &Scope { year, region: None });
    let tasks = evaluate_tasks(&ledger, &verdicts, today, &office_supervision()?);
    Ok((ledger, verdicts, tasks))
}

pub struct TaskFilter<'a> {
    pub status: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub leader: Option<&'a str>,
}

pub fn tasks_cmd(
    c: &Common,
    year: i32,
    as_of_date: Option<&str>,
    f: &TaskFilter,
) -> anyhow::Result<ExitCode> {
    let today = as_of(as_of_date)?;
    const STATUSES: [&str; 6] = [
        "not_started",
        "on_track",
        "at_risk",
        "unreported",
        "overdue",
        "completed",
    ];
    if let Some(s) = f.status
        && !STATUSES.contains(&s)
    {
        return Err(UsageError(format!("--status {s}: one of {}", STATUSES.join(", "))).into());
    }
    let (_, _, all) = task_evaluations(c, year, today)?;
    let shown: Vec<&TaskEvaluation> = all
        .iter()
        .filter(|t| f.status.is_none_or(|s| t.status.as_str() == s))
        .filter(|t| f.unit.is_none_or(|u| t.task.units.iter().any(|x| x == u)))
        .filter(|t| {
            f.leader
                .is_none_or(|l| t.task.leaders.iter().any(|x| x == l))
        })
        .collect();
    if c.json {
        return print_json(&shown);
    }
    let mut out = std::io::stdout().lock();
    let rows: Vec<Vec<String>> = shown
        .iter()
        .map(|t| {
            vec![
                t.seq.to_string(),
                t.status.as_str().to_string(),
                t.final_due.map_or("-".into(), |d| d.to_string()),
                cut(t.task.units.first().map_or("", String::as_str), 18),
                cut(&t.task.text, 40),
                cut(&t.reason, 60),
            ]
        })
        .collect();
    table(
        &mut out,
        &["#", "status", "due", "lead unit", "task", "why"],
        &rows,
    )?;
    writeln!(
        out,
        "\n{} of {} tasks shown, as of {today}",
        shown.len(),
        all.len()
    )?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScoreBy {
    Unit,
    Leader,
    Region,
}

impl ScoreBy {
    fn as_str(self) -> &'static str {
        match self {
            ScoreBy::Unit => "unit",
            ScoreBy::Leader => "leader",
            ScoreBy::Region => "region",
        }
    }
}

/// The built-in assessment rules with the office's file, if given, over them.
pub(crate) fn rules(file: Option<&Path>) -> anyhow::Result<plantrack_evaluate::Rules> {
    let mut r = plantrack_evaluate::Rules::built_in();
    let env = std::env::var_os("PLANTRACK_RULES").map(std::path::PathBuf::from);
    for path in [env.as_deref(), file].into_iter().flatten() {
        let text = std::fs::read_to_string(path)
            .map_err(|e| UsageError(format!("{}: {e}", path.display())))?;
        r.extend(&text)
            .map_err(|e| UsageError(format!("{}: {e}", path.display())))?;
    }
    Ok(r)
}

pub fn scorecard_cmd(
    c: &Common,
    year: i32,
    by: ScoreBy,
    as_of_date: Option<&str>,
    save: bool,
    rules_file: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let today = as_of(as_of_date)?;
    let rules = rules(rules_file)?;
    let (ledger, verdicts, evals) = task_evaluations(c, year, today)?;
    // Ranked among their peers, groups and units of few tasks listed without a rank.
    let ranked: Vec<plantrack_evaluate::ranking::Ranked> = match by {
        ScoreBy::Unit => plantrack_evaluate::ranking::rank_units(&ledger, &evals, &rules),
        ScoreBy::Leader => plantrack_evaluate::ranking::rank_leaders(&evals, &rules),
        ScoreBy::Region => plantrack_evaluate::ranking::rank_regions(&ledger, &verdicts, &evals),
    };
    if save {
        runtime()?.block_on(async {
            let store = Store::open(c.db).await.context("opening the database")?;
            let rows: Vec<plantrack_store::ScorecardRow> = ranked
                .iter()
                .map(|r| (&r.card, r))
                .map(|(s, r)| plantrack_store::ScorecardRow {
                    rank: r.rank.map(|k| k as i64),
                    peer_group: Some(r.peer_group.as_str().to_string()),
                    unreported: s.tasks.get("unreported").copied().unwrap_or(0) as i64,
                    name: s.name.clone(),
                    led: s.led as i64,
                    cooperating: s.cooperating as i64,
                    completed: s.tasks.get("completed").copied().unwrap_or(0) as i64,
                    overdue: s.tasks.get("overdue").copied().unwrap_or(0) as i64,
                    at_risk: s.tasks.get("at_risk").copied().unwrap_or(0) as i64,
                    achieved: s.targets.achieved as i64,
                    not_achieved: s.targets.not_achieved as i64,
                    no_data: s.targets.no_data as i64,
                    completion: s.completion,
                    achievement: s.achievement,
                    score: s.score,
                })
                .collect();
            store
                .save_scorecards(year, &today.to_string(), by.as_str(), &rows)
                .await
                .context("saving the scorecards")?;
            store.close().await;
            anyhow::Ok(())
        })?;
    }
    if c.json {
        return print_json(&ranked);
    }
    let mut out = std::io::stdout().lock();
    let rows: Vec<Vec<String>> = ranked
        .iter()
        .map(|r| {
            let s = &r.card;
            let n = |k: &str| s.tasks.get(k).copied().unwrap_or(0).to_string();
            vec![
                r.rank.map_or("-".into(), |k| k.to_string()),
                r.peer_group.as_str().to_string(),
                cut(&s.name, 30),
                s.led.to_string(),
                s.cooperating.to_string(),
                n("completed"),
                n("overdue"),
                n("at_risk"),
                format!(
                    "{}/{}/{}",
                    s.targets.achieved, s.targets.not_achieved, s.targets.no_data
                ),
                format!("{:.1}", s.completion),
                s.achievement.map_or("-".into(), |a| format!("{a:.1}")),
                s.score.map_or("-".into(), |a| format!("{a:.1}")),
            ]
        })
        .collect();
    table(
        &mut out,
        &[
            "rank",
            "peers",
            by.as_str(),
            "led",
            "cooperating",
            "completed",
            "overdue",
            "at risk",
            "targets ✓/✗/?",
            "completion %",
            "achievement %",
            "score",
        ],
        &rows,
    )?;
    if by != ScoreBy::Region {
        writeln!(out, "\n{}", rules.describe())?;
    }
    writeln!(
        out,
        "\n{year}, as of {today}{}",
        if save {
            "; saved in the store (table scorecards)"
        } else {
            ""
        }
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `plantrack remind`: the digest of due and overdue items per unit.
pub fn remind_cmd(
    c: &Common,
    year: i32,
    as_of_date: Option<&str>,
    within: i64,
    unit: Option<&str>,
    csv: bool,
) -> anyhow::Result<ExitCode> {
    let today = as_of(as_of_date)?;
    let (_, _, evals) = task_evaluations(c, year, today)?;
    let zone = office_supervision()?.zone;
    let mut digest = plantrack_evaluate::reminders(&evals, today, within, zone);
    if let Some(u) = unit {
        digest.retain(|k, _| k == u);
    }
    if c.json {
        return print_json(&digest);
    }
    let mut out = std::io::stdout().lock();
    if csv {
        // One row an item, for a spreadsheet: the digest as an office sends it to its units.
        out.write_all("\u{feff}".as_bytes())?;
        writeln!(out, "单位,角色,事项,日期,天数,序号,完成时限或催办意见,任务")?;
        for (unit, items) in &digest {
            for r in items {
                let kind = match r.kind {
                    plantrack_evaluate::ReminderKind::Overdue
                        if r.status == plantrack_evaluate::TaskStatus::Unreported =>
                    {
                        "逾期未反馈"
                    }
                    plantrack_evaluate::ReminderKind::Overdue => "逾期未完成",
                    plantrack_evaluate::ReminderKind::MilestonePassed => "节点已过",
                    plantrack_evaluate::ReminderKind::DueSoon => "即将到期",
                    plantrack_evaluate::ReminderKind::Urged => "被催办",
                };
                let role = match r.role {
                    "lead" => "牵头",
                    "joint" => "共同牵头",
                    _ => "配合",
                };
                let cells = [
                    unit.as_str(),
                    role,
                    kind,
                    &r.date.to_string(),
                    &r.days.to_string(),
                    &r.seq.to_string(),
                    &r.statement,
                    &r.task,
                ];
                let line: Vec<String> =
                    cells.iter().map(|c| plantrack_store::csv_cell(c)).collect();
                writeln!(out, "{}", line.join(","))?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    if digest.is_empty() {
        writeln!(
            out,
            "nothing due within {within} days and nothing overdue, as of {today}"
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    for (unit, items) in &digest {
        writeln!(out, "{unit} ({} items)", items.len())?;
        for r in items {
            let when = match r.kind {
                plantrack_evaluate::ReminderKind::Overdue => {
                    format!("overdue since {} ({} days)", r.date, -r.days)
                }
                plantrack_evaluate::ReminderKind::MilestonePassed => {
                    format!("milestone passed {}", r.date)
                }
                plantrack_evaluate::ReminderKind::DueSoon => {
                    format!("due {} (in {} days)", r.date, r.days)
                }
                plantrack_evaluate::ReminderKind::Urged => format!("urged on {}", r.date),
            };
            writeln!(
                out,
                "  #{:<4} {:<11} {when}: {} — {}",
                r.seq,
                r.role,
                cut(&r.statement, 30),
                cut(&r.task, 40)
            )?;
        }
    }
    writeln!(out, "\n{} units, as of {today}", digest.len())?;
    Ok(ExitCode::SUCCESS)
}
