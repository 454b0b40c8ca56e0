//! The supervision office's bulletin (督查通报) on a year's key tasks: statuses by lead unit,
//! the overdue and unreported tasks named with their units and leaders, the units' ranking with
//! its rules, and what was urged.

use plantrack_evaluate::ranking::{PeerGroup, rank_units};
use plantrack_evaluate::{Date, Scope, TaskEvaluation, TaskStatus, evaluate_tasks, reconcile};
use plantrack_model::{Ledger, Moment};

use crate::doc::{Builder, Note, Report, Table, cell};
use crate::words::{items, num, status_zh, title_of};
use crate::{Options, Sources, region_of, subtitle};

const STATUSES: [TaskStatus; 6] = [
    TaskStatus::Completed,
    TaskStatus::OnTrack,
    TaskStatus::AtRisk,
    TaskStatus::Overdue,
    TaskStatus::Unreported,
    TaskStatus::NotStarted,
];

/// The note citing a task's row of its responsibility table.
fn task_note(ledger: &Ledger, t: &TaskEvaluation) -> Note {
    let doc = ledger.tasks[t.index].document;
    let text: String = t.task.text.chars().take(120).collect();
    let cut = if t.task.text.chars().count() > 120 {
        "…"
    } else {
        ""
    };
    Note {
        document: title_of(&ledger.documents[doc]),
        quote: format!("第{}项：{text}{cut}", t.seq),
        at: ledger.documents[doc].id.map(|id| (id, t.task.span.start)),
    }
}

fn date_zh(d: Date) -> String {
    format!("{}年{}月{}日", d.year, d.month, d.day)
}

/// The bulletin on the key tasks of `opt.year` as of `opt.as_of`.
pub fn bulletin(src: &Sources, opt: &Options) -> Report {
    let ledger = src.ledger;
    let region = region_of(ledger, opt.region.as_deref()).unwrap_or_default();
    let year = opt.year;
    let as_of = opt.as_of;
    let verdicts = reconcile(ledger, src.lexicon, &Scope { year, region: None });
    let evals: Vec<TaskEvaluation> = evaluate_tasks(ledger, &verdicts, as_of, src.supervision)
        .into_iter()
        .filter(|t| {
            t.plan_year == Some(year)
                && ledger.documents[ledger.tasks[t.index].document]
                    .region
                    .as_deref()
                    == Some(region.as_str())
        })
        .collect();
    let mut b = Builder::new(
        format!("关于{region}{year}年重点工作任务推进情况的督查通报"),
        subtitle(&region, opt),
    );
    let n = |s: TaskStatus| evals.iter().filter(|t| t.status == s).count();

    b.heading(1, "一、总体情况");
    if evals.is_empty() {
        b.paragraph(format!(
            "台账中没有{region}{year}年的重点工作任务。请先导入当年的重点工作任务责任分解表。"
        ));
        return b.finish();
    }
    let parts: Vec<String> = STATUSES
        .iter()
        .map(|s| format!("{}{}", status_zh(s.as_str()), items(n(*s))))
        .collect();
    b.paragraph(format!(
        "截至{}，{region}{year}年重点工作任务共{}：{}。完成率{}%。",
        date_zh(as_of),
        items(evals.len()),
        parts.join("，"),
        num(
            100.0 * n(TaskStatus::Completed) as f64 / evals.len() as f64,
            1
        )
    ));
    let silent = evals.iter().filter(|t| t.not_acknowledged).count();
    if silent > 0 {
        b.paragraph(format!(
            "其中{}任务尚无任何责任单位签收或反馈。",
            items(silent)
        ));
    }

    b.heading(1, "二、各牵头单位推进情况");
    // Each task's lead, once; the units with most tasks first, then by name.
    let leads: Vec<String> = evals.iter().map(lead_of).collect();
    let mut led: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for u in &leads {
        *led.entry(u.as_str()).or_default() += 1;
    }
    let mut units: Vec<(&str, usize)> = led.into_iter().collect();
    units.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut table = Table {
        caption: format!("表1 {year}年重点工作任务推进情况（按牵头单位）"),
        header: std::iter::once("牵头单位".to_string())
            .chain(std::iter::once("任务数".to_string()))
            .chain(STATUSES.iter().map(|s| status_zh(s.as_str()).to_string()))
            .collect(),
        widths: vec![24, 8, 8, 8, 8, 10, 10, 8],
        rows: Vec::new(),
    };
    for &(u, n) in &units {
        let mine: Vec<&TaskEvaluation> = evals
            .iter()
            .zip(&leads)
            .filter(|(_, l)| l.as_str() == u)
            .map(|(t, _)| t)
            .collect();
        let mut row = vec![cell(u, &[]), cell(n.to_string(), &[])];
        for s in STATUSES {
            row.push(cell(
                mine.iter().filter(|t| t.status == s).count().to_string(),
                &[],
            ));
        }
        table.rows.push(row);
    }
    b.table(table);

    b.heading(1, "三、逾期未完成和未按期反馈的任务");
    for (k, status) in [TaskStatus::Overdue, TaskStatus::Unreported]
        .into_iter()
        .enumerate()
    {
        let mine: Vec<&TaskEvaluation> = evals.iter().filter(|t| t.status == status).collect();
        b.heading(
            2,
            format!(
                "（{}）{}的任务（{}）",
                if k == 0 { "一" } else { "二" },
                status_zh(status.as_str()),
                items(mine.len())
            ),
        );
        if mine.is_empty() {
            b.paragraph("无。");
        }
        for t in mine {
            let text: String = t.task.text.chars().take(60).collect();
            let cut = if t.task.text.chars().count() > 60 {
                "…"
            } else {
                ""
            };
            b.text(format!("第{}项 {text}{cut}", t.seq));
            b.note(task_note(ledger, t));
            let due = t
                .final_due
                .map_or_else(|| t.task.deadline.clone().unwrap_or_default(), date_zh);
            b.text(format!(
                "（完成时限：{}；{}：{}；分管领导：{}）。{}",
                if due.is_empty() { "—".into() } else { due },
                if t.task.joint {
                    "责任单位"
                } else {
                    "牵头单位"
                },
                if t.task.joint {
                    t.task.units.join("、")
                } else {
                    lead_of(t)
                },
                if t.task.leaders.is_empty() {
                    "—".into()
                } else {
                    t.task.leaders.join("、")
                },
                t.reason_zh
            ));
            b.end_paragraph();
        }
    }

    b.heading(1, "四、责任单位排名");
    let rules = src.rules;
    let ranked: Vec<_> = rank_units(ledger, &evals, rules)
        .into_iter()
        .filter(|r| r.rank.is_some())
        .collect();
    b.paragraph(rules.describe_zh());
    if ranked.is_empty() {
        b.paragraph("没有可排名的责任单位。");
    }
    for group in [PeerGroup::Department, PeerGroup::District] {
        let mine: Vec<_> = ranked.iter().filter(|r| r.peer_group == group).collect();
        if mine.is_empty() {
            continue;
        }
        let mut table = Table {
            caption: format!("{}排名", group.zh()),
            header: ["名次", "单位", "牵头任务", "已完成", "完成率", "得分"]
                .map(String::from)
                .to_vec(),
            widths: vec![8, 30, 10, 10, 10, 10],
            rows: Vec::new(),
        };
        for r in mine {
            let c = &r.card;
            table.rows.push(vec![
                cell(r.rank.map_or("—".into(), |k| k.to_string()), &[]),
                cell(c.name.clone(), &[]),
                cell(c.led.to_string(), &[]),
                cell(
                    c.tasks.get("completed").copied().unwrap_or(0).to_string(),
                    &[],
                ),
                cell(format!("{}%", num(c.completion, 1)), &[]),
                cell(c.score.map_or("—".into(), |s| num(s, 1)), &[]),
            ]);
        }
        b.table(table);
    }

    b.heading(1, "五、催办情况");
    let urges: Vec<_> = ledger
        .urges
        .iter()
        .filter(|u| {
            Moment::parse(&u.item.urged_at)
                .map(|m| Date::of(m, src.supervision.zone))
                .is_some_and(|d| d <= as_of)
                && evals.iter().any(|t| {
                    t.seq == u.item.task_seq && ledger.tasks[t.index].document == u.document
                })
        })
        .collect();
    if urges.is_empty() {
        b.paragraph(format!("截至{}，没有催办记录。", date_zh(as_of)));
    }
    for u in urges {
        let when = Moment::parse(&u.item.urged_at)
            .map(|m| date_zh(Date::of(m, src.supervision.zone)))
            .unwrap_or_default();
        let open = evals.iter().any(|t| {
            t.seq == u.item.task_seq
                && ledger.tasks[t.index].document == u.document
                && t.urged.iter().any(|x| x == &u.item)
        });
        b.paragraph(format!(
            "{when}，{}催办{}第{}项任务：{}（{}）。",
            u.item.by.as_deref().unwrap_or("督查部门"),
            u.item.unit,
            u.item.task_seq,
            u.item.message,
            if open { "尚未反馈" } else { "已反馈" }
        ));
    }

    b.heading(1, "六、下一步工作要求");
    b.draft("对逾期未完成、未按期反馈任务的整改要求和下一步督查安排。");
    b.finish()
}

/// The unit that leads a task, or its units for a shared one.
fn lead_of(t: &TaskEvaluation) -> String {
    match &t.task.lead_unit {
        Some(u) => u.clone(),
        None if !t.task.units.is_empty() => t.task.units.join("、"),
        None => "未明确".into(),
    }
}
