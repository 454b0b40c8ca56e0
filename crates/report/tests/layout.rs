//! The DOCX a report is written as, checked against GB/T 9704—2012 from its own XML: paper,
//! margins, the line grid (22 lines of 28 characters), fonts and sizes of title, body and
//! headings, footnotes and the `— 1 —` page numbers; and read back by plantrack's DOCX reader.

use std::io::Read;

use plantrack_report::{Block, Inline, Note, Report, Table};

fn sample() -> Report {
    Report {
        title: "天津市2023年国民经济和社会发展计划执行情况监测报告".into(),
        subtitle: "天津市 · 数据截至2024年3月1日 · 草稿".into(),
        blocks: vec![
            Block::Heading(1, "一、总体情况".into()),
            Block::Paragraph(vec![
                Inline::Text("地区生产总值增长4.3%".into()),
                Inline::Note(0),
                Inline::Text("，高于4%左右的预期目标0.3个百分点 & <完成>。".into()),
            ]),
            Block::Heading(2, "（一）经济发展".into()),
            Block::Draft("未完成目标的原因分析。".into()),
            Block::Table(Table {
                caption: "表1 目标完成情况".into(),
                header: vec!["序号".into(), "指标".into(), "结果".into()],
                widths: vec![1, 4, 2],
                rows: vec![vec![
                    vec![Inline::Text("1".into())],
                    vec![Inline::Text("地区生产总值".into())],
                    vec![Inline::Text("增长4.3%".into()), Inline::Note(0)],
                ]],
            }),
        ],
        notes: vec![Note {
            document: "天津市2024年政府工作报告".into(),
            quote: "全市地区生产总值增长4.3%。".into(),
            at: Some((2, 11381)),
        }],
    }
}

fn part(docx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The value of attribute `attr` of the first element `tag` in `xml`.
fn attr(xml: &str, tag: &str, attr: &str) -> f64 {
    let at = xml
        .find(&format!("<{tag} "))
        .unwrap_or_else(|| panic!("no {tag}"));
    let el = &xml[at..at + xml[at..].find('>').unwrap()];
    let key = format!("{attr}=\"");
    let v = &el[el
        .find(&key)
        .unwrap_or_else(|| panic!("no {attr} on {tag}"))
        + key.len()..];
    v[..v.find('"').unwrap()].parse().unwrap()
}

/// The XML of the style with `id`.
fn style<'a>(styles: &'a str, id: &str) -> &'a str {
    let at = styles
        .find(&format!("w:styleId=\"{id}\""))
        .unwrap_or_else(|| panic!("no style {id}"));
    &styles[at..at + styles[at..].find("</w:style>").unwrap()]
}

const TWIPS_PER_MM: f64 = 1440.0 / 25.4;

#[test]
fn the_page_is_gb_t_9704() {
    let docx = plantrack_report::docx::render(&sample()).unwrap();
    let doc = part(&docx, "word/document.xml");
    let mm = |v: f64| v / TWIPS_PER_MM;
    let (w, h) = (attr(&doc, "w:pgSz", "w:w"), attr(&doc, "w:pgSz", "w:h"));
    assert!(
        (mm(w) - 210.0).abs() < 0.5 && (mm(h) - 297.0).abs() < 0.5,
        "A4"
    );
    let top = attr(&doc, "w:pgMar", "w:top");
    let bottom = attr(&doc, "w:pgMar", "w:bottom");
    let left = attr(&doc, "w:pgMar", "w:left");
    let right = attr(&doc, "w:pgMar", "w:right");
    assert!((mm(top) - 37.0).abs() <= 1.0, "天头 37 mm ± 1");
    assert!((mm(left) - 28.0).abs() <= 1.0, "订口 28 mm ± 1");
    let (text_w, text_h) = (mm(w - left - right), mm(h - top - bottom));
    assert!((text_w - 156.0).abs() <= 1.0, "版心宽 156 mm, is {text_w}");
    assert!((text_h - 225.0).abs() <= 1.0, "版心高 225 mm, is {text_h}");
    // 22 lines a page on the grid.
    let pitch = attr(&doc, "w:docGrid", "w:linePitch");
    assert_eq!(((h - top - bottom) / pitch).floor(), 22.0);
    // 28 characters a line: the 16 pt body character plus the grid's spacing (1/4096 pt).
    let styles = part(&docx, "word/styles.xml");
    let body_pt = attr(style(&styles, "Normal"), "w:sz", "w:val") / 2.0;
    assert_eq!(body_pt, 16.0, "3号 = 16 pt");
    let char_space = attr(&doc, "w:docGrid", "w:charSpace");
    let char_pitch_twips = (body_pt + char_space / 4096.0) * 20.0;
    assert_eq!(((w - left - right) / char_pitch_twips).round(), 28.0);
    assert!(doc.contains(r#"w:docGrid w:type="linesAndChars""#));
}

#[test]
fn fonts_and_sizes_follow_the_standard() {
    let docx = plantrack_report::docx::render(&sample()).unwrap();
    let styles = part(&docx, "word/styles.xml");
    let east_asia = |id: &str| {
        let s = style(&styles, id);
        let k = "w:eastAsia=\"";
        let v = &s[s.find(k).unwrap() + k.len()..];
        v[..v.find('"').unwrap()].to_string()
    };
    assert_eq!(east_asia("Title"), "方正小标宋简体");
    assert_eq!(
        attr(style(&styles, "Title"), "w:sz", "w:val"),
        44.0,
        "2号 = 22 pt"
    );
    assert_eq!(east_asia("Body"), "仿宋_GB2312");
    assert_eq!(east_asia("Heading1"), "黑体");
    assert_eq!(east_asia("Heading2"), "楷体_GB2312");
    // Exact line spacing on the grid's pitch.
    let doc = part(&docx, "word/document.xml");
    assert_eq!(
        attr(style(&styles, "Normal"), "w:spacing", "w:line"),
        attr(&doc, "w:docGrid", "w:linePitch")
    );
}

#[test]
fn page_numbers_are_dashed_and_alternate_sides() {
    let docx = plantrack_report::docx::render(&sample()).unwrap();
    let settings = part(&docx, "word/settings.xml");
    assert!(settings.contains("<w:evenAndOddHeaders/>"));
    for (name, side) in [("word/footer1.xml", "right"), ("word/footer2.xml", "left")] {
        let f = part(&docx, name);
        assert!(f.contains(&format!(r#"<w:jc w:val="{side}"/>"#)), "{name}");
        let text: String = f
            .split("<w:t")
            .skip(1)
            .map(|t| &t[t.find('>').unwrap() + 1..t.find("</w:t>").unwrap()])
            .collect();
        assert_eq!(text, "— 1 —", "{name}");
        assert!(f.contains(" PAGE "));
    }
    let doc = part(&docx, "word/document.xml");
    assert!(doc.contains(r#"w:footerReference w:type="default""#));
    assert!(doc.contains(r#"w:footerReference w:type="even""#));
}

#[test]
fn every_note_is_a_footnote_naming_the_document_and_quoting_it() {
    let docx = plantrack_report::docx::render(&sample()).unwrap();
    let doc = part(&docx, "word/document.xml");
    let notes = part(&docx, "word/footnotes.xml");
    // The note is referenced twice (text and table): two footnotes, ids 1 and 2.
    assert_eq!(doc.matches("<w:footnoteReference ").count(), 2);
    for id in [1, 2] {
        assert!(doc.contains(&format!(r#"<w:footnoteReference w:id="{id}"/>"#)));
        assert!(notes.contains(&format!(r#"<w:footnote w:id="{id}">"#)));
    }
    assert_eq!(
        notes
            .matches("《天津市2024年政府工作报告》：“全市地区生产总值增长4.3%。”")
            .count(),
        2
    );
    // Text is escaped, never markup.
    assert!(doc.contains("0.3个百分点 &amp; &lt;完成&gt;。"));
}

#[test]
fn the_docx_reads_back_through_plantracks_reader() {
    let docx = plantrack_report::docx::render(&sample()).unwrap();
    let source = plantrack_read::read(&docx, Some("report.docx")).unwrap();
    let text = source.text;
    for expected in [
        "天津市2023年国民经济和社会发展计划执行情况监测报告",
        "一、总体情况",
        "地区生产总值增长4.3%，高于4%左右的预期目标0.3个百分点 & <完成>。",
        "【待撰写：未完成目标的原因分析。】",
        "地区生产总值",
        "增长4.3%",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }
}

#[test]
fn the_html_page_escapes_links_and_numbers_its_notes() {
    let link = |doc: i64, byte: usize| format!("/documents/{doc}#b{byte}");
    let html = plantrack_report::html::render(&sample(), Some(&link));
    assert!(html.contains("&amp; &lt;完成&gt;"));
    assert!(html.contains(r##"<a href="#n1" id="r1-1">[1]</a>"##));
    assert!(html.contains(r##"<a href="#n1" id="r1-2">[1]</a>"##));
    assert!(html.contains(r#"<a href="/documents/2#b11381">《天津市2024年政府工作报告》"#));
    assert!(html.contains("size: A4"));
    assert!(html.contains(r#"content: "— " counter(page) " —""#));
    let plain = plantrack_report::html::render(&sample(), None);
    assert!(!plain.contains("/documents/"));
}
