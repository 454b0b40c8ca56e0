//! The sample documents read into a ledger, as the store would hold them.

// Each test binary that includes this module uses a part of it.
#![allow(dead_code)]

use plantrack_model::{Extraction, Ledger};

/// A file read and extracted as `plantrack ingest` would, with no hints.
pub fn extract_file(path: &std::path::Path, name: &str) -> Extraction {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let src = plantrack_read::read(&bytes, Some(name)).unwrap();
    plantrack_extract::extract(
        &src.text,
        plantrack_extract::Origin {
            format: src.format.as_str(),
            encoding: src.encoding,
        },
        &Default::default(),
    )
}

pub fn samples(names: &[&str]) -> Ledger {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/tianjin");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut ledger = Ledger::default();
    for f in files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        if !names.iter().any(|n| name.starts_with(n)) {
            continue;
        }
        ledger.add(&name, extract_file(&f, &name));
    }
    ledger
}
