//! Extraction on the bundled samples: field-by-field expectations, golden JSON, and the same
//! tables read from DOCX, XLSX and GB18030 copies.

mod accuracy;
mod assignments;
mod bulletins;
mod corpus;
mod excerpts;
mod expected;
mod golden;
mod paragraphs;
mod roundtrip;

use std::path::{Path, PathBuf};

use plantrack_extract::{Hints, Origin};
use plantrack_model::Extraction;

pub fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/tianjin")
}

/// The sample whose file name starts with `prefix` (`"003"`).
pub fn sample_path(prefix: &str) -> PathBuf {
    let dir = samples();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    names.sort();
    names.remove(0)
}

/// Reads bytes the way `plantrack extract` does and extracts them.
pub fn extract_bytes(bytes: &[u8], name: &str) -> Extraction {
    let source = plantrack_read::read(bytes, Some(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    plantrack_extract::extract(
        &source.text,
        Origin {
            format: source.format.as_str(),
            encoding: source.encoding,
        },
        &Hints::default(),
    )
}

pub fn extract_sample(prefix: &str) -> Extraction {
    let path = sample_path(prefix);
    extract_bytes(&std::fs::read(&path).unwrap(), &path.to_string_lossy())
}
