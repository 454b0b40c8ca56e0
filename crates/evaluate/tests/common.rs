//! The sample documents read into a ledger, as the store would hold them.

use plantrack_model::Ledger;

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
        let bytes = std::fs::read(&f).unwrap();
        let src = plantrack_read::read(&bytes, Some(&name)).unwrap();
        let x = plantrack_extract::extract(
            &src.text,
            plantrack_extract::Origin {
                format: src.format.as_str(),
                encoding: src.encoding,
            },
            &Default::default(),
        );
        ledger.add(&name, x);
    }
    ledger
}
