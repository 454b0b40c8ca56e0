//! The five-year plan's mid-term (or final) evaluation: the plan's indicator table with each
//! indicator's latest value, status and projection, the indicators that need acceleration with
//! their required and actual rates (binding ones first), and the key tasks' progress.

use plantrack_evaluate::{
    IndicatorEvaluation, Scope, TaskStatus, TrajectoryStatus, evaluate_plan, evaluate_tasks,
    reconcile,
};
use plantrack_model::{Attribute, DocumentKind, Indicator, Ledger};

use crate::annual::ordinal;
use crate::doc::{Builder, Note, Report, Table, cell};
use crate::words::{items, num, status_zh, title_of};
use crate::{Options, Sources, region_of, subtitle};

fn attribute_zh(a: Option<Attribute>) -> &'static str {
    match a {
        Some(Attribute::Binding) => "约束性",
        Some(Attribute::Expected) => "预期性",
        None => "—",
    }
}

/// The five-year plan of the region whose years hold `year`: the latest one starting at or
/// before it, with an indicator table.
fn plan_of(ledger: &Ledger, region: &str, year: i32) -> Option<usize> {
    (0..ledger.documents.len())
        .filter(|&d| {
            let doc = &ledger.documents[d];
            doc.kind == DocumentKind::FiveYearPlan
                && doc.region.as_deref() == Some(region)
                && doc.year.is_some_and(|y| y <= year)
                && ledger.indicators.iter().any(|i| i.document == d)
        })
        .max_by_key(|&d| ledger.documents[d].year)
}

/// The note citing an indicator's row of the plan's table.
fn row_note(ledger: &Ledger, plan: usize, i: &Indicator) -> Note {
    let f = |x: &Option<plantrack_model::TableFigure>| {
        x.as_ref().map_or("—".to_string(), |f| f.text.clone())
    };
    Note {
        document: title_of(&ledger.documents[plan]),
        quote: format!(
            "主要指标表第{}项：{}{}，{}，{}，{}",
            i.seq,
            i.name,
            i.unit
                .as_deref()
                .map_or(String::new(), |u| format!("（{u}）")),
            f(&i.baseline),
            f(&i.target),
            attribute_zh(i.attribute)
        ),
        at: ledger.documents[plan].id.map(|id| (id, i.span.start)),
    }
}

/// A rate of change in percent (`0.0935` → `9.35%`).
fn rate(r: f64) -> String {
    format!("{}%", num(100.0 * r, 2))
}

/// The mid-term evaluation as of the end of `opt.year` (the final evaluation when that is the
/// plan's last year).
pub fn midterm(src: &Sources, opt: &Options) -> Report {
    let region = region_of(src.ledger, opt.region.as_deref()).unwrap_or_default();
    let year = opt.year;
    // Only what was known by the end of the year is evidence.
    let mut known = src.ledger.clone();
    known
        .quantities
        .retain(|q| q.item.year.is_none_or(|y| y <= year));
    known
        .milestones
        .retain(|m| m.item.year.is_none_or(|y| y <= year));
    let ledger = &known;
    let Some(plan) = plan_of(ledger, &region, year) else {
        let mut b = Builder::new(
            format!("{region}五年规划纲要实施中期评估报告"),
            subtitle(&region, opt),
        );
        b.heading(1, "一、总体情况");
        b.paragraph(format!(
            "台账中没有{region}含主要指标表、覆盖{year}年的五年规划纲要。请先导入规划纲要。"
        ));
        return b.finish();
    };
    let plan_title = title_of(&ledger.documents[plan]);
    let first = ledger.documents[plan].year.unwrap_or(year);
    let last = first + 4;
    let word = if year >= last {
        "总结评估"
    } else {
        "中期评估"
    };
    let mut b = Builder::new(
        format!("《{plan_title}》实施情况{word}报告"),
        subtitle(&region, opt),
    );
    let mut evals = evaluate_plan(ledger, src.lexicon, plan);
    // Binding indicators first, each group in the table's order.
    evals.sort_by_key(|e| {
        (
            e.indicator.attribute != Some(Attribute::Binding),
            e.indicator.seq,
        )
    });
    let count = |s: TrajectoryStatus| evals.iter().filter(|e| e.status == s).count();
    let binding = evals
        .iter()
        .filter(|e| e.indicator.attribute == Some(Attribute::Binding))
        .count();

    b.heading(1, "一、总体评估");
    let statuses = [
        TrajectoryStatus::TargetAchieved,
        TrajectoryStatus::OnTrack,
        TrajectoryStatus::NeedsAcceleration,
        TrajectoryStatus::LimitedProgress,
        TrajectoryStatus::Deterioration,
        TrajectoryStatus::NotAvailable,
    ];
    let parts: Vec<String> = statuses
        .iter()
        .filter(|s| count(**s) > 0)
        .map(|s| format!("{}{}", status_zh(s.as_str()), items(count(*s))))
        .collect();
    b.paragraph(format!(
        "《{plan_title}》设定主要指标{}（约束性{}、预期性{}）。按{first}—{year}年台账数据评估：{}。",
        items(evals.len()),
        items(binding),
        items(evals.len() - binding),
        parts.join("，")
    ));
    let binding_bad: Vec<&IndicatorEvaluation> = evals
        .iter()
        .filter(|e| e.indicator.attribute == Some(Attribute::Binding) && lagging(e))
        .collect();
    if binding_bad.is_empty() {
        b.paragraph("约束性指标中没有需加快推进、进展有限或倒退的指标。");
    } else {
        let names: Vec<String> = binding_bad
            .iter()
            .map(|e| e.indicator.name.clone())
            .collect();
        b.paragraph(format!("约束性指标中，{}需要重点关注。", names.join("、")));
    }
    b.draft("规划实施总体成效、面临的形势和存在的主要问题。");

    b.heading(1, "二、主要指标完成情况");
    let mut table = Table {
        caption: format!("表1 《{plan_title}》主要指标完成情况"),
        header: [
            "类别".to_string(),
            "指标".into(),
            "单位".into(),
            format!("{}年", first - 1),
            format!("{last}年"),
            "属性".into(),
            "最新值".into(),
            "评估结论".into(),
            format!("{last}年预测"),
        ]
        .to_vec(),
        widths: vec![8, 26, 7, 9, 10, 7, 12, 9, 10],
        rows: Vec::new(),
    };
    let mut by_seq: Vec<&IndicatorEvaluation> = evals.iter().collect();
    by_seq.sort_by_key(|e| e.indicator.seq);
    for e in &by_seq {
        let i = &e.indicator;
        let row = b.note_index(row_note(ledger, plan, i));
        let latest = match e.observations.last() {
            Some(o) => {
                let n = b.note_index(crate::words::note_of(&o.evidence));
                cell(format!("{}（{}年）", num(o.value, 2), o.year), &[n])
            }
            None => cell("—", &[]),
        };
        let text = |f: &Option<plantrack_model::TableFigure>| {
            f.as_ref().map_or("—".to_string(), |f| f.text.clone())
        };
        table.rows.push(vec![
            cell(i.category.clone().unwrap_or_default(), &[]),
            cell(i.name.clone(), &[row]),
            cell(i.unit.clone().unwrap_or_default(), &[]),
            cell(text(&i.baseline), &[]),
            cell(text(&i.target), &[]),
            cell(attribute_zh(i.attribute), &[]),
            latest,
            cell(status_zh(e.status.as_str()), &[]),
            cell(
                e.projection
                    .map_or("—".into(), |p| num(p, e.precision as usize)),
                &[],
            ),
        ]);
    }
    b.table(table);
    b.paragraph("注：〔 〕内为五年累计数，带*的为五年年均数；预测为按已观测的年均变化推算到规划末年的数值，保留与指标相同的小数位。");

    b.heading(1, "三、需要加快推进的指标");
    let lagging_ones: Vec<&IndicatorEvaluation> = evals.iter().filter(|e| lagging(e)).collect();
    if lagging_ones.is_empty() {
        b.paragraph("有数据的指标中没有需加快推进、进展有限或倒退的指标。");
    }
    for (k, e) in lagging_ones.iter().enumerate() {
        let i = &e.indicator;
        let unit = i.unit.clone().unwrap_or_default();
        b.heading(
            2,
            format!(
                "（{}）{}（{}）",
                ordinal(k + 1),
                i.name,
                attribute_zh(i.attribute)
            ),
        );
        let baseline = e
            .baseline
            .map_or("—".into(), |(y, v)| format!("{y}年{}{unit}", num(v, 2)));
        let target = e
            .target
            .map_or("—".into(), |(y, v)| format!("{y}年{}{unit}", num(v, 2)));
        b.text(format!("基期{baseline}，目标{target}"));
        let row = row_note(ledger, plan, i);
        b.note(row);
        if let Some(o) = e.observations.last() {
            b.text(format!("；{}年为{}{unit}", o.year, num(o.value, 2)));
            b.note(crate::words::note_of(&o.evidence));
        }
        if let (Some(obs), Some(req)) = (e.cagr_observed, e.cagr_required) {
            b.text(format!(
                "；实际年均变化{}，实现目标需年均{}",
                rate(obs),
                rate(req)
            ));
        }
        if let Some(r) = e.ratio {
            b.text(format!("；进度比（实际进度与所需进度之比）为{}", num(r, 2)));
        }
        b.text(format!("，评估为“{}”。", status_zh(e.status.as_str())));
        b.end_paragraph();
        b.paragraph(format!("评估依据：{}", e.reason_zh));
        b.draft(format!("{}进展滞后的原因和加快推进的措施。", i.name));
    }

    b.heading(1, "四、重点任务进展情况");
    let as_of = opt.as_of;
    let verdicts = reconcile(src.ledger, src.lexicon, &Scope { year, region: None });
    let tasks: Vec<_> = evaluate_tasks(src.ledger, &verdicts, as_of, src.supervision)
        .into_iter()
        .filter(|t| {
            t.plan_year == Some(year)
                && src.ledger.documents[src.ledger.tasks[t.index].document]
                    .region
                    .as_deref()
                    == Some(region.as_str())
        })
        .collect();
    if tasks.is_empty() {
        b.paragraph(format!(
            "台账中没有{region}{year}年的重点工作任务责任分解表。"
        ));
    } else {
        let n = |s: TaskStatus| tasks.iter().filter(|t| t.status == s).count();
        b.paragraph(format!(
            "截至{}年{}月{}日，{year}年重点工作任务{}，已完成{}，正常推进{}，有风险{}，逾期未完成{}，未按期反馈{}，未开始{}。",
            as_of.year,
            as_of.month,
            as_of.day,
            items(tasks.len()),
            items(n(TaskStatus::Completed)),
            items(n(TaskStatus::OnTrack)),
            items(n(TaskStatus::AtRisk)),
            items(n(TaskStatus::Overdue)),
            items(n(TaskStatus::Unreported)),
            items(n(TaskStatus::NotStarted)),
        ));
        let mut categories: Vec<String> = Vec::new();
        for t in &tasks {
            let c = t.task.category.clone().unwrap_or_else(|| "其他".into());
            if !categories.contains(&c) {
                categories.push(c);
            }
        }
        let mut table = Table {
            caption: format!("表2 {year}年重点工作任务进展（按主要任务）"),
            header: [
                "主要任务",
                "任务数",
                "已完成",
                "正常推进",
                "有风险",
                "逾期未完成",
                "未按期反馈",
                "未开始",
            ]
            .map(String::from)
            .to_vec(),
            widths: vec![30, 8, 8, 8, 8, 9, 9, 8],
            rows: Vec::new(),
        };
        for c in &categories {
            let mine: Vec<_> = tasks
                .iter()
                .filter(|t| t.task.category.as_deref().unwrap_or("其他") == c)
                .collect();
            let n = |s: TaskStatus| mine.iter().filter(|t| t.status == s).count().to_string();
            table.rows.push(vec![
                cell(c.clone(), &[]),
                cell(mine.len().to_string(), &[]),
                cell(n(TaskStatus::Completed), &[]),
                cell(n(TaskStatus::OnTrack), &[]),
                cell(n(TaskStatus::AtRisk), &[]),
                cell(n(TaskStatus::Overdue), &[]),
                cell(n(TaskStatus::Unreported), &[]),
                cell(n(TaskStatus::NotStarted), &[]),
            ]);
        }
        b.table(table);
    }

    b.heading(1, "五、推进规划实施的对策建议");
    b.draft(format!(
        "{}年规划实施的重点和对策建议。",
        (year + 1).min(last)
    ));
    b.finish()
}

/// Needs acceleration, limited progress or deterioration.
fn lagging(e: &IndicatorEvaluation) -> bool {
    matches!(
        e.status,
        TrajectoryStatus::NeedsAcceleration
            | TrajectoryStatus::LimitedProgress
            | TrajectoryStatus::Deterioration
    )
}
