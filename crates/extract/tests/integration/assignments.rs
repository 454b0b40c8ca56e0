//! Tasks assigned in prose (`1.…（牵头单位：X；配合单位：Y、Z）`), on a fixture written by hand in
//! the forms real offices use, with its expected tasks (`tests/fixtures/linjiang-2026-task-list.*`,
//! written together before the reader existed).

use std::path::Path;

use crate::accuracy::rows;

#[test]
fn every_task_of_a_list_with_its_units_leaders_and_deadline() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let text = dir.join("linjiang-2026-task-list.txt");
    let got = crate::extract_bytes(
        &std::fs::read(&text).unwrap(),
        "linjiang-2026-task-list.txt",
    );
    let want = rows(&dir.join("linjiang-2026-task-list.tsv"));
    let list = |f: &str| -> Vec<String> {
        if f == "-" {
            Vec::new()
        } else {
            f.split('|').map(str::to_string).collect()
        }
    };
    let mut wrong = Vec::new();
    for w in &want {
        let seq: u32 = w[0].parse().unwrap();
        let Some(t) = got.tasks.iter().find(|t| t.seq == seq) else {
            wrong.push(format!("task {seq} missing"));
            continue;
        };
        let fields = [
            (
                "category",
                t.category.clone().unwrap_or_default(),
                w[1].clone(),
            ),
            (
                "lead",
                t.lead_unit.clone().unwrap_or_default(),
                w[2].clone(),
            ),
            ("units", t.units.join("|"), list(&w[3]).join("|")),
            ("leaders", t.leaders.join("|"), list(&w[4]).join("|")),
            (
                "deadline",
                t.deadline.clone().unwrap_or_else(|| "-".into()),
                w[5].clone(),
            ),
        ];
        for (name, g, e) in fields {
            if g != e {
                wrong.push(format!("task {seq} {name}: {g:?}, want {e:?}"));
            }
        }
        if !t.text.starts_with(&w[6]) {
            wrong.push(format!("task {seq} text: {:?}", t.text));
        }
        // The span points at the task's text in the file.
        let original = std::fs::read_to_string(&text).unwrap();
        if original.get(t.span.start..t.span.end) != Some(t.text.as_str()) {
            wrong.push(format!("task {seq}: span does not hold its text"));
        }
    }
    assert_eq!(got.tasks.len(), want.len(), "tasks");
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert_eq!(got.document.kind, plantrack_model::DocumentKind::TaskTable);
    // Each task's figures are read once, as targets of the year.
    let investments = got
        .quantities
        .iter()
        .filter(|q| q.value == 1200.0 && q.unit.as_deref() == Some("亿元"))
        .count();
    assert_eq!(investments, 1);
}
