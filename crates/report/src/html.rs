//! A report as a printable page: A4 with the margins, fonts and line pitch of the DOCX, page
//! numbers `— 1 —` in the page's bottom margin when printed, notes numbered and listed at the
//! end, each linking back to its reference (and to the document viewer when `link` is given).

use crate::doc::{Block, Inline, Report, escape as esc};

const STYLE: &str = r#"
@page { size: A4; margin: 37mm 26mm 35mm 28mm;
  @bottom-center { content: "— " counter(page) " —"; font: 14pt "SimSun", "Songti SC", "Noto Serif CJK SC", serif; } }
html { background: #e8e8e8; }
body { margin: 0; color: #111; font: 16pt/28.95pt "FangSong_GB2312", "仿宋_GB2312", "FangSong", "STFangsong", "Noto Serif CJK SC", serif; }
main { box-sizing: border-box; width: 210mm; margin: 8mm auto; padding: 37mm 26mm 35mm 28mm; background: #fff; box-shadow: 0 0 4px #999; }
h1 { margin: 0; text-align: center; font: 22pt/28.95pt "方正小标宋简体", "FZXiaoBiaoSong-B05S", "STZhongsong", "Noto Serif CJK SC", serif; }
.subtitle { text-align: center; font-size: 12pt; line-height: 1.5; margin: 0 0 28.95pt; font-family: "楷体_GB2312", "KaiTi", "STKaiti", serif; }
h2 { margin: 0; text-indent: 2em; font: 16pt/28.95pt "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; }
h3 { margin: 0; text-indent: 2em; font: 16pt/28.95pt "楷体_GB2312", "KaiTi", "STKaiti", serif; }
p { margin: 0; text-indent: 2em; text-align: justify; }
p.draft { background: #fff3b0; }
sup { font-size: 9pt; line-height: 0; }
sup a { color: #1a4d8f; text-decoration: none; }
table { width: 100%; border-collapse: collapse; margin: 6pt 0 12pt; font-size: 12pt; line-height: 1.35; }
caption { font-family: "黑体", "SimHei", sans-serif; padding-bottom: 4pt; }
th, td { border: 1px solid #000; padding: 2pt 3pt; vertical-align: middle; }
th { font-family: "黑体", "SimHei", sans-serif; font-weight: normal; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.notes { margin-top: 28.95pt; font-size: 12pt; line-height: 1.5; }
.notes h2 { text-indent: 0; }
.notes li { margin-bottom: 2pt; }
.notes a { color: #1a4d8f; }
@media print { html { background: none; } main { width: auto; margin: 0; padding: 0; box-shadow: none; } }
"#;

/// The report as an HTML page. `link`, when given, makes each note a link to the document
/// viewer: `link(document id, byte)` gives its URL.
pub fn render(report: &Report, link: Option<&dyn Fn(i64, usize) -> String>) -> String {
    let mut refs = vec![0usize; report.notes.len()];
    let mut inline = |xs: &[Inline]| -> String {
        let mut out = String::new();
        for x in xs {
            match x {
                Inline::Text(t) => out.push_str(&esc(t)),
                Inline::Note(i) => {
                    refs[*i] += 1;
                    out.push_str(&format!(
                        r##"<sup><a href="#n{n}" id="r{n}-{k}">[{n}]</a></sup>"##,
                        n = i + 1,
                        k = refs[*i]
                    ));
                }
            }
        }
        out
    };
    let mut body = format!(
        "<h1>{}</h1>\n<p class=\"subtitle\">{}</p>\n",
        esc(&report.title),
        esc(&report.subtitle)
    );
    for b in &report.blocks {
        match b {
            Block::Heading(1, t) => body.push_str(&format!("<h2>{}</h2>\n", esc(t))),
            Block::Heading(_, t) => body.push_str(&format!("<h3>{}</h3>\n", esc(t))),
            Block::Paragraph(xs) => body.push_str(&format!("<p>{}</p>\n", inline(xs))),
            Block::Draft(t) => {
                body.push_str(&format!("<p class=\"draft\">【待撰写：{}】</p>\n", esc(t)))
            }
            Block::Table(t) => {
                body.push_str("<table>");
                if !t.caption.is_empty() {
                    body.push_str(&format!("<caption>{}</caption>", esc(&t.caption)));
                }
                body.push_str("<thead><tr>");
                for h in &t.header {
                    body.push_str(&format!("<th scope=\"col\">{}</th>", esc(h)));
                }
                body.push_str("</tr></thead><tbody>");
                for r in &t.rows {
                    body.push_str("<tr>");
                    for c in r {
                        body.push_str(&format!("<td>{}</td>", inline(c)));
                    }
                    body.push_str("</tr>");
                }
                body.push_str("</tbody></table>\n");
            }
        }
    }
    body.push_str("<section class=\"notes\"><h2>注释</h2><ol>\n");
    for (i, n) in report.notes.iter().enumerate() {
        let text = esc(&n.text());
        let text = match (link, n.at) {
            (Some(link), Some((doc, byte))) => {
                format!("<a href=\"{}\">{text}</a>", esc(&link(doc, byte)))
            }
            _ => text,
        };
        let back: String = (1..=refs[i])
            .map(|k| format!(" <a href=\"#r{}-{k}\" aria-label=\"返回正文\">↩</a>", i + 1))
            .collect();
        body.push_str(&format!("<li id=\"n{}\">{text}{back}</li>\n", i + 1));
    }
    body.push_str("</ol></section>");
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><link rel=\"icon\" href=\"data:,\"><title>{}</title><style>{STYLE}</style></head><body><main>\n{body}\n</main></body></html>\n",
        esc(&report.title)
    )
}
