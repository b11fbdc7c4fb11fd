//! Tidy checks over the repository's Rust sources, run with `cargo test`: every file starts
//! with a `//!` line, and non-test code has no `unwrap()` / `expect(` (input must become a
//! typed error, and in the browser a panic kills the app).

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            if !matches!(p.file_name().and_then(|n| n.to_str()), Some("target" | "node_modules")) {
                rust_files(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn every_file_starts_with_a_doc_line() {
    let mut files = Vec::new();
    rust_files(&root().join("crates"), &mut files);
    rust_files(&root().join("web"), &mut files);
    assert!(files.len() > 10);
    let missing: Vec<_> = files
        .iter()
        .filter(|f| !fs::read_to_string(f).is_ok_and(|t| t.starts_with("//!")))
        .collect();
    assert!(missing.is_empty(), "files without a //! first line: {missing:?}");
}

#[test]
fn no_unwrap_or_expect_outside_tests() {
    let mut files = Vec::new();
    for dir in ["crates/crossquote/src", "crates/crossquote-cli/src", "web/src"] {
        rust_files(&root().join(dir), &mut files);
    }
    let mut found = Vec::new();
    for f in &files {
        let text = fs::read_to_string(f).unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            if line.contains("#[cfg(test)]") {
                break; // test modules sit at the bottom of a file
            }
            if (line.contains(".unwrap()") || line.contains(".expect(")) && !line.contains("// ok:")
            {
                found.push(format!("{}:{}: {}", f.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "unwrap/expect in non-test code:\n{}", found.join("\n"));
}
