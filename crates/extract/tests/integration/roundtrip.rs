//! The same documents in other clothes: the responsibility table of sample 003 written as DOCX
//! (with vertically merged category cells) and as XLSX (with merged title and category ranges),
//! samples re-encoded in GB18030, and printed copies (hard-wrapped, with page footers). Each must
//! give what the UTF-8 text gives.

use plantrack_model::{Extraction, Span, Task};

use crate::{extract_bytes, extract_sample};

/// A task without its span (spans point into different texts).
fn essence(t: &Task) -> Task {
    Task {
        span: Span::default(),
        ..t.clone()
    }
}

/// The table rows as a clerk would type them: (seq, category, task, deadline lines, leaders,
/// units cell lines).
fn table_rows(x: &Extraction) -> Vec<[Vec<String>; 6]> {
    x.tasks
        .iter()
        .map(|t| {
            let units = if t.joint {
                vec![format!("{}按职责分工负责", t.units.join("、"))]
            } else {
                t.units.clone()
            };
            [
                vec![t.seq.to_string()],
                t.category.iter().cloned().collect(),
                vec![t.text.clone()],
                t.deadline
                    .iter()
                    .flat_map(|d| d.lines().map(str::to_owned))
                    .collect(),
                t.leaders.clone(),
                units,
            ]
        })
        .collect()
}

const HEADER: [&str; 6] = [
    "序号",
    "主要任务",
    "重点工作",
    "完成时限",
    "分管市领导",
    "责任单位",
];
const FOOTNOTE: &str =
    "注：除文中有单独表述外，其他每项工作责任单位列第一位的为牵头单位，其他为配合单位。";

fn docx(rows: &[[Vec<String>; 6]]) -> Vec<u8> {
    use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow, VMergeType};
    let para = |s: &str| Paragraph::new().add_run(Run::new().add_text(s));
    let cell = |lines: &[String]| {
        let mut c = TableCell::new();
        for l in lines {
            c = c.add_paragraph(para(l));
        }
        if lines.is_empty() {
            c = c.add_paragraph(Paragraph::new());
        }
        c
    };
    let mut table_rows = vec![TableRow::new(
        HEADER.iter().map(|h| cell(&[h.to_string()])).collect(),
    )];
    for (i, r) in rows.iter().enumerate() {
        let same_category = i > 0 && rows[i - 1][1] == r[1];
        let mut cells: Vec<TableCell> = r.iter().map(|c| cell(c)).collect();
        cells[1] = cell(&r[1]).vertical_merge(if same_category {
            VMergeType::Continue
        } else {
            VMergeType::Restart
        });
        table_rows.push(TableRow::new(cells));
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    Docx::new()
        .add_paragraph(para("天津市人民政府关于切实做好2023年市政府重点工作的通知"))
        .add_paragraph(para("各区人民政府，市政府各委、办、局："))
        .add_paragraph(para("2023年市政府重点工作责任分解表"))
        .add_table(Table::new(table_rows))
        .add_paragraph(para(FOOTNOTE))
        .build()
        .pack(&mut buf)
        .unwrap();
    buf.into_inner()
}

fn xlsx(rows: &[[Vec<String>; 6]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let plain = rust_xlsxwriter::Format::new();
    sheet
        .merge_range(0, 0, 0, 5, "2023年市政府重点工作责任分解表", &plain)
        .unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    let mut r = 0;
    while r < rows.len() {
        // Category cells of consecutive rows are merged into one range.
        let mut end = r;
        while end + 1 < rows.len() && rows[end + 1][1] == rows[r][1] {
            end += 1;
        }
        let category = rows[r][1].join("\n");
        let (first, last) = (r as u32 + 2, end as u32 + 2);
        if first == last {
            sheet.write_string(first, 1, &category).unwrap();
        } else {
            sheet
                .merge_range(first, 1, last, 1, &category, &plain)
                .unwrap();
        }
        for (k, row) in rows.iter().enumerate().take(end + 1).skip(r) {
            for c in [0usize, 2, 3, 4, 5] {
                sheet
                    .write_string(k as u32 + 2, c as u16, row[c].join("\n"))
                    .unwrap();
            }
        }
        r = end + 1;
    }
    let last = rows.len() as u32 + 2;
    sheet
        .merge_range(last, 0, last, 5, FOOTNOTE, &plain)
        .unwrap();
    book.save_to_buffer().unwrap()
}

#[test]
fn docx_and_xlsx_copies_of_the_task_table_give_the_same_tasks() {
    let text = extract_sample("003");
    let rows = table_rows(&text);
    let want: Vec<_> = text.tasks.iter().map(essence).collect();
    assert_eq!(want.len(), 160);

    let from_docx = extract_bytes(&docx(&rows), "table.docx");
    assert_eq!(from_docx.document.format, "docx");
    assert_eq!(
        from_docx.tasks.iter().map(essence).collect::<Vec<_>>(),
        want
    );

    let from_xlsx = extract_bytes(&xlsx(&rows), "table.xlsx");
    assert_eq!(from_xlsx.document.format, "xlsx");
    assert_eq!(
        from_xlsx.tasks.iter().map(essence).collect::<Vec<_>>(),
        want
    );
}

#[test]
fn gb18030_copies_give_the_same_extraction() {
    for prefix in ["000", "001", "002", "003", "004"] {
        let path = crate::sample_path(prefix);
        let text = std::fs::read_to_string(&path).unwrap();
        let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&text);
        assert!(!unmappable);
        let mut from_gb = extract_bytes(&bytes, "copy.txt");
        assert_eq!(from_gb.document.encoding, "gb18030", "{prefix}");
        from_gb.document.encoding = "UTF-8".into();
        assert_eq!(from_gb, extract_sample(prefix), "{prefix}");
    }
}

#[test]
fn crlf_copies_give_the_same_items() {
    for prefix in ["000", "002", "003"] {
        let text = std::fs::read_to_string(crate::sample_path(prefix)).unwrap();
        let crlf = text.replace('\n', "\r\n");
        let a = extract_sample(prefix);
        let b = extract_bytes(crlf.as_bytes(), "copy.txt");
        assert_eq!(
            a.tasks.iter().map(essence).collect::<Vec<_>>(),
            b.tasks.iter().map(essence).collect::<Vec<_>>(),
            "{prefix}"
        );
        assert_eq!(a.indicators.len(), b.indicators.len(), "{prefix}");
        let titles = |x: &Extraction| {
            x.sections
                .iter()
                .map(|s| s.title.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(titles(&a), titles(&b), "{prefix}");
        assert_eq!(a.document, b.document, "{prefix}");
    }
}

/// A copy as `pdftotext` leaves a printed document: every paragraph hard-wrapped at `width`
/// characters, and a page's footer (`— 3 —`) with blank lines around it every `page` lines.
fn as_printed(text: &str, width: usize, page: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.contains('\t') || line.starts_with('#') || line.chars().count() <= width {
            lines.push(line.to_string());
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        lines.extend(chars.chunks(width).map(|c| c.iter().collect::<String>()));
    }
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i > 0 && i % page == 0 {
            out.push_str(&format!("\n— {} —\n\n", i / page));
        }
        out.push_str(l);
        out.push('\n');
    }
    out
}

#[test]
fn printed_copies_with_page_footers_give_the_same_quantities() {
    let heldout = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/heldout/jiangzhou-2024-work-report.txt");
    let texts = [
        std::fs::read_to_string(crate::sample_path("001")).unwrap(),
        std::fs::read_to_string(heldout).unwrap(),
    ];
    let figures = |x: &Extraction| {
        x.quantities
            .iter()
            .map(|q| {
                (
                    q.role,
                    q.year,
                    q.region.clone(),
                    q.metric.clone(),
                    q.value.to_string(),
                    q.unit.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    for text in &texts {
        let printed = as_printed(text, 38, 12);
        assert!(printed.contains("— 3 —"));
        let a = extract_bytes(text.as_bytes(), "a.txt");
        let b = extract_bytes(printed.as_bytes(), "printed.txt");
        assert_eq!(figures(&a), figures(&b));
        assert_eq!(a.document.region, b.document.region);
    }
}
