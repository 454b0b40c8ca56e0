//! The yearly report on plan execution: the year's targets against the results reported a
//! year later, by the plan documents' own sections, the targets not achieved, the targets the
//! region set for its districts, and a table of all targets.

use plantrack_evaluate::reconcile::Item;
use plantrack_evaluate::{Scope, TargetStatus, Verdict, reconcile};
use plantrack_model::{DocumentKind, Ledger, Section};

use crate::doc::{Builder, Report, Table, cell};
use crate::words::{conclusion_zh, figure, note_of, share, subject, title_of, verdict_sentence};
use crate::{Options, Sources, region_of, subtitle};

/// Chinese ordinals for headings: `一`…`二十`.
pub(crate) fn ordinal(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].into(),
        10 => "十".into(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    }
}

/// The document a verdict's target was read from (an index into the ledger's documents).
fn target_document(ledger: &Ledger, v: &Verdict) -> usize {
    match v.target.item {
        Item::Quantity(_) => ledger.quantities[v.target.index].document,
        Item::Milestone(_) => ledger.milestones[v.target.index].document,
    }
}

/// The outermost section of a document that holds byte `at`.
fn group_of(outline: &[Section], at: usize) -> Option<usize> {
    outline
        .iter()
        .enumerate()
        .filter(|(_, s)| s.extent.start <= at && at < s.extent.end)
        .min_by_key(|(i, s)| (s.level, *i))
        .map(|(i, _)| i)
}

/// The 主要任务 (category) of the task whose row holds byte `at` of document `d`, with the
/// position of its first task (categories in the table's order).
fn task_category(ledger: &Ledger, d: usize, at: usize) -> Option<(usize, String)> {
    let row = ledger
        .tasks
        .iter()
        .filter(|t| t.document == d && t.item.span.start <= at)
        .max_by_key(|t| t.item.span.start)?;
    let category = row.item.category.clone()?;
    let title = strip_ordinal(&category).to_string();
    let first = ledger
        .tasks
        .iter()
        .position(|t| t.document == d && t.item.category.as_ref() == Some(&category))?;
    Some((first, title))
}

/// A heading's text without the numbering it was written with (`一、`, `（二）`, `3.`): the
/// report numbers its own headings.
fn strip_ordinal(s: &str) -> &str {
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十百零".contains(c);
    let t = s.trim_start_matches(['（', '(']);
    let digits = t.trim_start_matches(numeral);
    if digits.len() == t.len() {
        return s;
    }
    let rest = digits.trim_start_matches(['）', ')', '、', '.', '．', ' ']);
    if rest.len() == digits.len() || rest.is_empty() {
        s
    } else {
        rest
    }
}

/// The order plan documents are read in: the work report (the government's own statement of
/// the year's targets, headline figures first) and the task table split from it, then the
/// annual plan report's detail, then the rest.
fn kind_rank(kind: DocumentKind) -> u8 {
    match kind {
        DocumentKind::WorkReport => 0,
        DocumentKind::TaskTable => 1,
        DocumentKind::AnnualPlanReport => 2,
        DocumentKind::FiveYearPlan => 3,
        _ => 4,
    }
}

/// Whether a target's metric is one kept down (its target a ceiling).
fn lower(src: &Sources, v: &Verdict) -> bool {
    src.lexicon.lower_is_better(&subject(&v.target))
}

struct Group<'v> {
    title: String,
    verdicts: Vec<&'v Verdict>,
}

/// The report on the execution of year `opt.year`'s plan.
pub fn annual(src: &Sources, opt: &Options) -> Report {
    let ledger = src.ledger;
    let region = region_of(ledger, opt.region.as_deref()).unwrap_or_default();
    let year = opt.year;
    let all = reconcile(
        ledger,
        src.lexicon,
        &Scope {
            year,
            region: Some(&region),
        },
    );
    let (vague, own): (Vec<&Verdict>, Vec<&Verdict>) = all
        .iter()
        .filter(|v| !v.cascade && v.region.as_deref() == Some(region.as_str()))
        .partition(|v| v.vague);
    // The targets the region set for the regions below it.
    let children: Vec<String> = ledger
        .regions
        .iter()
        .filter(|r| r.parent.as_deref() == Some(region.as_str()))
        .map(|r| r.name.clone())
        .collect();
    let cascade: Vec<Verdict> = children
        .iter()
        .flat_map(|c| {
            reconcile(
                ledger,
                src.lexicon,
                &Scope {
                    year,
                    region: Some(c),
                },
            )
        })
        .filter(|v| v.cascade && !v.vague)
        .collect();

    let mut b = Builder::new(
        format!("{region}{year}年国民经济和社会发展计划执行情况监测报告"),
        subtitle(&region, opt),
    );
    let count = |s: TargetStatus| own.iter().filter(|v| v.status == s).count();
    let (achieved, not, none) = (
        count(TargetStatus::Achieved),
        count(TargetStatus::NotAchieved),
        count(TargetStatus::NoData),
    );
    let documents: Vec<String> = {
        let mut docs: Vec<usize> = own.iter().map(|v| target_document(ledger, v)).collect();
        docs.sort_by_key(|&d| (kind_rank(ledger.documents[d].kind), d));
        docs.dedup();
        docs.iter()
            .map(|&d| format!("《{}》", title_of(&ledger.documents[d])))
            .collect()
    };

    b.heading(1, "一、总体情况");
    if own.is_empty() {
        b.paragraph(format!(
            "台账中没有{region}{year}年的可量化目标。请先导入当年的政府工作报告、计划报告或重点工作责任分解表。"
        ));
    } else {
        b.text(format!(
            "{year}年，{}共设定{region}可量化目标{}项。对照{}年文件报告和统计数据，已完成{achieved}项，未完成{not}项，尚无结果数据{none}项；有结果数据的目标中完成{}。",
            documents.join("、"),
            own.len(),
            year + 1,
            share(achieved, achieved + not),
        ));
        if !vague.is_empty() {
            b.text(format!(
                "另有{}项目标表述笼统（如“{}{}”），无法对照结果，未计入，列于表1之末。",
                vague.len(),
                subject(&vague[0].target),
                figure(&vague[0].target)
            ));
        }
        b.end_paragraph();
    }

    b.heading(1, "二、主要目标完成情况");
    let groups = groups(src, &own);
    for (k, g) in groups.iter().enumerate() {
        b.heading(2, format!("（{}）{}", ordinal(k + 1), g.title));
        let judged: Vec<&&Verdict> = g
            .verdicts
            .iter()
            .filter(|v| v.status != TargetStatus::NoData)
            .collect();
        for (i, v) in judged.iter().enumerate() {
            verdict_sentence(&mut b, v, lower(src, v));
            b.text(if i + 1 == judged.len() { "。" } else { "；" });
        }
        b.end_paragraph();
        let waiting: Vec<&&Verdict> = g
            .verdicts
            .iter()
            .filter(|v| v.status == TargetStatus::NoData)
            .collect();
        if !waiting.is_empty() {
            b.text(format!("尚无结果数据的目标{}项：", waiting.len()));
            for (i, v) in waiting.iter().enumerate() {
                b.text(format!("{}（{}）", subject(&v.target), figure(&v.target)));
                b.note(note_of(&v.target));
                b.text(if i + 1 == waiting.len() { "。" } else { "、" });
            }
            b.end_paragraph();
        }
    }
    if groups.is_empty() {
        b.paragraph("无。");
    }

    b.heading(1, "三、未完成的目标及原因");
    let failed: Vec<&&Verdict> = own
        .iter()
        .filter(|v| v.status == TargetStatus::NotAchieved)
        .collect();
    if failed.is_empty() {
        b.paragraph("有结果数据的目标均已完成。");
    }
    for (i, v) in failed.iter().enumerate() {
        b.text(format!("{}. ", i + 1));
        verdict_sentence(&mut b, v, lower(src, v));
        b.text("。");
        b.end_paragraph();
        b.paragraph(format!("判定依据：{}", v.reason_zh));
        b.draft(format!(
            "{}未完成目标的原因分析和下一步措施。",
            subject(&v.target)
        ));
    }

    b.heading(1, "四、对下级地区设定目标的完成情况");
    if cascade.is_empty() {
        b.paragraph(format!("台账中没有{region}为下级地区设定的{year}年目标。"));
    }
    for child in &children {
        let mine: Vec<&Verdict> = cascade
            .iter()
            .filter(|v| v.region.as_deref() == Some(child))
            .collect();
        if mine.is_empty() {
            continue;
        }
        b.text(format!("{child}："));
        for (i, v) in mine.iter().enumerate() {
            verdict_sentence(&mut b, v, lower(src, v));
            b.text(if i + 1 == mine.len() { "。" } else { "；" });
        }
        b.end_paragraph();
    }

    b.heading(1, "五、目标完成情况一览表");
    let mut table = Table {
        caption: format!("表1 {region}{year}年目标完成情况"),
        header: ["序号", "地区", "指标", "目标", "结果", "结论"]
            .map(String::from)
            .to_vec(),
        widths: vec![6, 10, 24, 18, 22, 10],
        rows: Vec::new(),
    };
    // Every target of the year: the region's, those it set for its districts, and last those
    // too vague to judge, so that none goes unnamed.
    let listed = groups
        .iter()
        .flat_map(|g| g.verdicts.iter().copied())
        .chain(cascade.iter())
        .chain(vague.iter().copied());
    for (i, v) in listed.enumerate() {
        let t = b.note_index(note_of(&v.target));
        let result = match &v.actual {
            Some(a) => {
                let n = b.note_index(note_of(a));
                cell(figure(a), &[n])
            }
            None => cell("—", &[]),
        };
        table.rows.push(vec![
            cell((i + 1).to_string(), &[]),
            cell(v.region.clone().unwrap_or_default(), &[]),
            cell(subject(&v.target), &[]),
            cell(figure(&v.target), &[t]),
            result,
            cell(
                if v.vague {
                    "表述笼统，不作判断"
                } else {
                    conclusion_zh(v.status)
                },
                &[],
            ),
        ]);
    }
    b.table(table);

    b.heading(1, "六、形势分析和下一步工作");
    b.draft(format!(
        "结合{}年经济运行形势，分析目标完成情况的主要原因，提出下一步工作安排。",
        year + 1
    ));
    b.finish()
}

/// The region's own verdicts by the document and the outermost section their target was read
/// from, documents in reading order, sections in document order.
fn groups<'v>(src: &Sources, own: &[&'v Verdict]) -> Vec<Group<'v>> {
    let ledger = src.ledger;
    let mut keyed: Vec<((u8, usize, usize), &'v Verdict, String)> = own
        .iter()
        .map(|v| {
            let d = target_document(ledger, v);
            let outline = src.outlines.get(d).map_or(&[][..], |o| o.as_slice());
            let at = v.target.start();
            // A responsibility table's targets go by the 主要任务 of their row; a report's by
            // its outermost section.
            let (s, title) = match (task_category(ledger, d, at), group_of(outline, at)) {
                (Some((k, category)), _) => (k, category),
                (None, Some(s)) => (s, outline[s].title.clone()),
                (None, None) => (usize::MAX, title_of(&ledger.documents[d])),
            };
            ((kind_rank(ledger.documents[d].kind), d, s), *v, title)
        })
        .collect();
    keyed.sort_by_key(|(k, v, _)| (*k, v.target.start()));
    let mut out: Vec<((u8, usize, usize), Group<'v>)> = Vec::new();
    for (k, v, title) in keyed {
        match out.last_mut() {
            Some((last, g)) if *last == k => g.verdicts.push(v),
            _ => out.push((
                k,
                Group {
                    title,
                    verdicts: vec![v],
                },
            )),
        }
    }
    out.into_iter().map(|(_, g)| g).collect()
}

#[cfg(test)]
mod tests {
    use super::{ordinal, strip_ordinal};

    #[test]
    fn headings_are_renumbered_not_doubled() {
        assert_eq!(
            strip_ordinal("一、经济社会发展主要预期目标"),
            "经济社会发展主要预期目标"
        );
        assert_eq!(
            strip_ordinal("（十二）持续增进民生福祉"),
            "持续增进民生福祉"
        );
        assert_eq!(strip_ordinal("3.重大项目"), "重大项目");
        // Numbers that are names, not numbering, stay.
        assert_eq!(strip_ordinal("十四五规划重点任务"), "十四五规划重点任务");
        assert_eq!(strip_ordinal("5G网络建设"), "5G网络建设");
        assert_eq!(strip_ordinal("11号线建设"), "11号线建设");
        assert_eq!(ordinal(15), "十五");
        assert_eq!(ordinal(22), "二十二");
    }
}
