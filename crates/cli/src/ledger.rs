//! `plantrack search` and `plantrack export`: reading the ledger back.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use plantrack_store::{QuantityRow, Store, TaskRow};
use serde_json::json;

use crate::{ExportFormat, ExportTable};

pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

pub fn search(db: &str, query: &str, limit: i64) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let store = Store::open(db).await.context("opening the database")?;
        let hits = store.search(query, limit).await?;
        store.close().await;
        let mut out = std::io::stdout().lock();
        if hits.is_empty() {
            writeln!(out, "no paragraph holds every word of {query:?}")?;
        }
        for h in &hits {
            let name = Path::new(&h.source)
                .file_name()
                .map_or(h.source.clone(), |n| n.to_string_lossy().into_owned());
            writeln!(
                out,
                "{name} · {} · bytes {}–{}\n    {}",
                h.section.as_deref().unwrap_or("(no section)"),
                h.start,
                h.end,
                h.snippet
            )?;
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// The columns of the task table, in the layout of a responsibility table.
const TASK_COLUMNS: [&str; 9] = [
    "文件",
    "序号",
    "主要任务",
    "重点工作",
    "完成时限",
    "分管领导",
    "牵头单位",
    "其他责任单位",
    "按职责分工负责",
];
const QUANTITY_COLUMNS: [&str; 10] = [
    "文件", "类型", "年份", "地区", "指标", "数值", "单位", "限定", "度量", "原文",
];

fn task_cells(t: &TaskRow) -> [String; 9] {
    [
        t.source.clone(),
        t.seq.to_string(),
        t.category.clone().unwrap_or_default(),
        t.text.clone(),
        t.deadline.clone().unwrap_or_default(),
        t.leaders.clone(),
        t.lead_unit.clone(),
        t.other_units.clone(),
        if t.joint { "是".into() } else { String::new() },
    ]
}

fn quantity_cells(q: &QuantityRow) -> [String; 10] {
    [
        q.source.clone(),
        q.role.clone(),
        q.year.map(|y| y.to_string()).unwrap_or_default(),
        q.region.clone().unwrap_or_default(),
        q.metric.clone(),
        q.value.to_string(),
        q.unit.clone().unwrap_or_default(),
        q.qualifier.clone().unwrap_or_default(),
        q.measure.clone(),
        q.sentence.clone(),
    ]
}

/// One CSV field, quoted when it must be (RFC 4180).
/// A cell quoted when it must be and never a formula (see [`plantrack_store::csv_cell`]).
fn csv_field(s: &str) -> String {
    plantrack_store::csv_cell(s)
}

fn write_csv<const N: usize>(
    out: &mut dyn Write,
    header: [&str; N],
    rows: impl Iterator<Item = [String; N]>,
) -> std::io::Result<()> {
    // A byte-order mark, so that spreadsheet programs read the UTF-8 as such.
    out.write_all("\u{feff}".as_bytes())?;
    writeln!(out, "{}", header.join(","))?;
    for row in rows {
        let line: Vec<String> = row.iter().map(|c| csv_field(c)).collect();
        writeln!(out, "{}", line.join(","))?;
    }
    Ok(())
}

pub fn export(
    db: &str,
    format: ExportFormat,
    table: ExportTable,
    out: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let (tasks, quantities) = runtime()?.block_on(async {
        let store = Store::open(db).await.context("opening the database")?;
        let tasks = store.task_rows().await?;
        let quantities = store.quantity_rows().await?;
        store.close().await;
        anyhow::Ok((tasks, quantities))
    })?;
    match format {
        ExportFormat::Xlsx => {
            let path = out.unwrap_or(Path::new("plantrack-ledger.xlsx"));
            let mut book = rust_xlsxwriter::Workbook::new();
            let bold = rust_xlsxwriter::Format::new().set_bold();
            let sheet = book.add_worksheet().set_name("重点工作")?;
            for (c, h) in TASK_COLUMNS.iter().enumerate() {
                sheet.write_string_with_format(0, c as u16, *h, &bold)?;
            }
            for (r, t) in tasks.iter().enumerate() {
                for (c, v) in task_cells(t).iter().enumerate() {
                    sheet.write_string(r as u32 + 1, c as u16, v)?;
                }
            }
            let sheet = book.add_worksheet().set_name("目标与结果")?;
            for (c, h) in QUANTITY_COLUMNS.iter().enumerate() {
                sheet.write_string_with_format(0, c as u16, *h, &bold)?;
            }
            for (r, q) in quantities.iter().enumerate() {
                for (c, v) in quantity_cells(q).iter().enumerate() {
                    if c == 5 {
                        sheet.write_number(r as u32 + 1, c as u16, q.value)?;
                    } else {
                        sheet.write_string(r as u32 + 1, c as u16, v)?;
                    }
                }
            }
            book.save(path)
                .with_context(|| format!("writing {}", path.display()))?;
            eprintln!(
                "wrote {} ({} tasks, {} quantities)",
                path.display(),
                tasks.len(),
                quantities.len()
            );
        }
        ExportFormat::Json | ExportFormat::Csv => {
            let mut sink: Box<dyn Write> = match out {
                Some(p) => Box::new(std::io::BufWriter::new(
                    std::fs::File::create(p).with_context(|| format!("writing {}", p.display()))?,
                )),
                None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            };
            if format == ExportFormat::Json {
                let tasks: Vec<_> = tasks
                    .iter()
                    .map(|t| {
                        json!({"source": t.source, "seq": t.seq, "category": t.category, "text": t.text,
                               "deadline": t.deadline, "leaders": t.leaders, "lead_unit": t.lead_unit,
                               "other_units": t.other_units, "joint": t.joint})
                    })
                    .collect();
                let quantities: Vec<_> = quantities
                    .iter()
                    .map(|q| {
                        json!({"source": q.source, "role": q.role, "year": q.year, "region": q.region,
                               "metric": q.metric, "value": q.value, "unit": q.unit,
                               "qualifier": q.qualifier, "measure": q.measure, "text": q.sentence})
                    })
                    .collect();
                serde_json::to_writer_pretty(
                    &mut sink,
                    &json!({"tasks": tasks, "quantities": quantities}),
                )?;
                writeln!(sink)?;
            } else if table == ExportTable::Tasks {
                write_csv(&mut sink, TASK_COLUMNS, tasks.iter().map(task_cells))?;
            } else {
                write_csv(
                    &mut sink,
                    QUANTITY_COLUMNS,
                    quantities.iter().map(quantity_cells),
                )?;
            }
            sink.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_quoting() {
        assert_eq!(super::csv_field("市财政局"), "市财政局");
        assert_eq!(super::csv_field("a,b"), "\"a,b\"");
        assert_eq!(super::csv_field("说\"好\""), "\"说\"\"好\"\"\"");
        assert_eq!(super::csv_field("一\n二"), "\"一\n二\"");
        // Never a formula in a spreadsheet; a plain negative number stays a number.
        assert_eq!(super::csv_field("=1+1"), "'=1+1");
        assert_eq!(super::csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(super::csv_field("-2+3"), "'-2+3");
        assert_eq!(super::csv_field("-2.5"), "-2.5");
    }
}
