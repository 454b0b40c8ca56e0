//! A table of figures an office keeps (from the statistics bureau, from its own spreadsheets) as
//! results: one figure a row, `地区,年份,指标,数值,单位,口径,来源` (or `region,year,metric,value,
//! unit,measure,source`). Each row becomes a result of its year and region, its sentence the
//! row as written, so that every verdict it gives cites the file and the row.
//!
//! A file is taken whole or not at all: the first bad row is named with its number and why.

use plantrack_model::{
    Aggregation, Direction, DocumentKind, DocumentMeta, Extraction, Measure, Quantity,
    QuantityRole, Span,
};

/// Why a table of figures was refused: its row (1 the header) and the reason, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub row: usize,
    pub reason: String,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "第{}行：{}", self.row, self.reason)
    }
}

impl std::error::Error for ImportError {}

/// The columns, by their Chinese and English names.
const COLUMNS: [(&str, &str); 7] = [
    ("地区", "region"),
    ("年份", "year"),
    ("指标", "metric"),
    ("数值", "value"),
    ("单位", "unit"),
    ("口径", "measure"),
    ("来源", "source"),
];

/// `口径` to the kind of figure, and whether it is a five-year average.
fn measure(word: &str) -> Option<(Measure, Option<Aggregation>)> {
    Some(match word {
        "" | "总量" | "level" => (Measure::Level, None),
        "增速" | "growth" => (Measure::GrowthRate, None),
        "新增" | "increment" => (Measure::Increment, None),
        "比重" | "share" => (Measure::Share, None),
        "累计" | "cumulative" => (Measure::Cumulative, None),
        "年均" | "average" => (Measure::GrowthRate, Some(Aggregation::FiveYearAverage)),
        _ => return None,
    })
}

/// The results of a table of figures, with the text their sentences point into (one line a
/// row). `label` names the file in the document's title.
pub fn results_from_rows(
    rows: &[Vec<String>],
    label: &str,
) -> Result<(String, Extraction), ImportError> {
    let header = rows.first().ok_or(ImportError {
        row: 1,
        reason: "表格是空的".into(),
    })?;
    let column = |(zh, en): (&str, &str)| {
        header
            .iter()
            .position(|h| h == zh || h.eq_ignore_ascii_case(en))
    };
    let at: Vec<Option<usize>> = COLUMNS.iter().map(|c| column(*c)).collect();
    for (k, (zh, en)) in COLUMNS.iter().enumerate().take(4) {
        if at[k].is_none() {
            return Err(ImportError {
                row: 1,
                reason: format!(
                    "表头缺少“{zh}”列（{en}）；应为 地区,年份,指标,数值,单位,口径,来源"
                ),
            });
        }
    }
    let cell = |row: &[String], k: usize| -> String {
        at[k]
            .and_then(|i| row.get(i))
            .map(|c| c.trim().to_string())
            .unwrap_or_default()
    };
    let mut text = String::new();
    let mut quantities = Vec::new();
    let (mut regions, mut years) = (Vec::new(), Vec::new());
    for (i, row) in rows.iter().enumerate().skip(1) {
        let n = i + 1;
        let bad = |reason: String| ImportError { row: n, reason };
        let region = cell(row, 0);
        let metric = cell(row, 2);
        if region.is_empty() {
            return Err(bad("地区为空".into()));
        }
        if metric.is_empty() {
            return Err(bad("指标为空".into()));
        }
        let year: i32 = cell(row, 1)
            .trim_end_matches('年')
            .parse()
            .ok()
            .filter(|y| (1949..=2100).contains(y))
            .ok_or_else(|| bad(format!("年份“{}”不是1949到2100之间的年份", cell(row, 1))))?;
        let raw = cell(row, 3);
        let value: f64 = raw
            .replace([',', '，'], "")
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| bad(format!("数值“{raw}”不是数字")))?;
        let unit = cell(row, 4);
        let word = cell(row, 5);
        let (measure, aggregation) = measure(&word).ok_or_else(|| {
            bad(format!(
                "口径“{word}”应为 总量、增速、新增、比重、累计 或 年均"
            ))
        })?;
        let source = cell(row, 6);
        // The row as its sentence: what the verdict shows, with the file and the row number.
        let line_start = text.len();
        let prefix = format!("第{n}行：{region}{year}年{metric}");
        text.push_str(&prefix);
        let value_start = text.len();
        text.push_str(&format!("{raw}{unit}"));
        let value_end = text.len();
        if !word.is_empty() {
            text.push_str(&format!("（{word}）"));
        }
        if !source.is_empty() {
            text.push_str(&format!("，来源：{source}"));
        }
        let sentence = Span {
            start: line_start,
            end: text.len(),
        };
        let row_text = text[line_start..].to_string();
        text.push('\n');
        let (scale, base) = crate::quantity::number::split_scale(&unit);
        // A fall is written as a decrease of its size, as a sentence says it (下降16.4%).
        let (direction, shown) = match measure {
            Measure::GrowthRate | Measure::PointChange if value < 0.0 => {
                (Some(Direction::Decrease), -value)
            }
            Measure::GrowthRate | Measure::PointChange => (Some(Direction::Increase), value),
            _ => (None, value),
        };
        quantities.push(Quantity {
            role: QuantityRole::Actual,
            year: Some(year),
            region: Some(region.clone()),
            metric,
            value: shown,
            unit: (!unit.is_empty()).then(|| unit.clone()),
            normalized: (shown * scale * 1e6).round() / 1e6,
            base_unit: (!base.is_empty()).then(|| base.to_string()),
            qualifier: None,
            upper: None,
            direction,
            measure,
            action: None,
            estimated: false,
            aggregation,
            text: row_text,
            span: Span {
                start: value_start,
                end: value_end,
            },
            sentence,
        });
        regions.push(region);
        years.push(year);
    }
    if quantities.is_empty() {
        return Err(ImportError {
            row: 2,
            reason: "表头之后没有数据行".into(),
        });
    }
    regions.sort();
    regions.dedup();
    years.sort_unstable();
    years.dedup();
    let extraction = Extraction {
        document: DocumentMeta {
            title: Some(format!("统计数据导入：{label}")),
            kind: DocumentKind::DataImport,
            region: (regions.len() == 1).then(|| regions[0].clone()),
            region_parent: None,
            year: years.first().copied().filter(|_| years.len() == 1),
            year_end: (years.len() > 1).then(|| years[years.len() - 1]),
            format: "table".into(),
            encoding: "UTF-8".into(),
        },
        sections: Vec::new(),
        indicators: Vec::new(),
        tasks: Vec::new(),
        quantities,
        milestones: Vec::new(),
        diagnostics: Vec::new(),
    };
    Ok((text, extraction))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(lines: &[&str]) -> Vec<Vec<String>> {
        lines
            .iter()
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn each_row_is_a_result_citing_itself() {
        let (text, x) = results_from_rows(
            &rows(&[
                "地区,年份,指标,数值,单位,口径,来源",
                "天津市,2023,粮食播种面积,577.6,万亩,总量,2023年统计公报",
                "天津市,2023,固定资产投资,-16.4,%,增速,",
            ]),
            "tianjin-2023.csv",
        )
        .unwrap();
        let q = &x.quantities;
        assert_eq!(q.len(), 2);
        assert_eq!(
            (
                q[0].value,
                q[0].normalized,
                q[0].base_unit.as_deref(),
                q[0].measure
            ),
            (577.6, 5_776_000.0, Some("亩"), Measure::Level)
        );
        assert_eq!(&text[q[0].span.start..q[0].span.end], "577.6万亩");
        assert_eq!(
            &text[q[0].sentence.start..q[0].sentence.end],
            "第2行：天津市2023年粮食播种面积577.6万亩（总量），来源：2023年统计公报"
        );
        // A fall is a decrease of its size.
        assert_eq!(
            (q[1].value, q[1].direction, q[1].measure),
            (16.4, Some(Direction::Decrease), Measure::GrowthRate)
        );
        assert_eq!(x.document.region.as_deref(), Some("天津市"));
        assert_eq!(x.document.year, Some(2023));
        assert!(q.iter().all(|q| q.role == QuantityRole::Actual));
    }

    #[test]
    fn english_headers_and_the_bad_rows_named() {
        let ok = rows(&["region,year,metric,value", "西青区,2024,地区生产总值,5.2"]);
        assert!(results_from_rows(&ok, "x.csv").is_ok());
        for (table, row, words) in [
            (vec!["地区,年份,指标"], 1, "数值"),
            (
                vec!["地区,年份,指标,数值", "天津市,二〇二三,GDP,5"],
                2,
                "年份",
            ),
            (
                vec![
                    "地区,年份,指标,数值",
                    "天津市,2023,GDP,5",
                    "天津市,2023,GDP,约五",
                ],
                3,
                "不是数字",
            ),
            (
                vec!["地区,年份,指标,数值,单位,口径", "天津市,2023,GDP,5,%,环比"],
                2,
                "口径",
            ),
            (vec!["地区,年份,指标,数值", ",2023,GDP,5"], 2, "地区为空"),
            (vec!["地区,年份,指标,数值"], 2, "没有数据行"),
        ] {
            let e = results_from_rows(&rows(&table), "x.csv").unwrap_err();
            assert_eq!(e.row, row, "{e}");
            assert!(e.to_string().contains(words), "{e}");
        }
    }
}
