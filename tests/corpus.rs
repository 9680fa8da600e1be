//! Runs `privdiff` on every real plan in `../shared/corpus/` (plans written by others, kept outside
//! the project). Each must either be analysed (exit 0, JSON on stdout) or be rejected cleanly
//! (exit 2, one line on stderr); never a panic or a signal.

mod common;

use common::*;
use std::path::{Path, PathBuf};

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

#[test]
fn corpus_plans_are_analysed_or_cleanly_rejected() {
    let dir = manifest_dir().join("../shared/corpus");
    if !dir.is_dir() {
        println!("corpus folder {} is absent: skipping", dir.display());
        return;
    }
    let mut files = Vec::new();
    json_files(&dir, &mut files);
    files.sort();
    if files.is_empty() {
        println!(
            "corpus folder {} has no *.json files: skipping",
            dir.display()
        );
        return;
    }

    let (mut analysed, mut rejected, mut identities) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    for file in &files {
        let name = file
            .strip_prefix(&dir)
            .unwrap_or(file)
            .display()
            .to_string();
        let r = analyze(file, &["--format", "json", "--fail-on", "never"]);
        match r.code() {
            Some(0) => match r.json() {
                Ok(report) => {
                    analysed += 1;
                    identities += report["identities"].as_array().map_or(0, Vec::len);
                }
                Err(e) => failures.push(format!("{name}: exit 0 but {e}")),
            },
            Some(2) => match clean_input_error(&r) {
                Ok(()) => {
                    rejected += 1;
                    println!("rejected {name}: {}", r.stderr().trim_end());
                }
                Err(e) => failures.push(format!("{name}: {e}")),
            },
            Some(101) => failures.push(format!("{name}: PANIC: {}", r.describe())),
            None => failures.push(format!("{name}: killed by a signal: {}", r.describe())),
            Some(_) => failures.push(format!("{name}: unexpected exit code: {}", r.describe())),
        }
    }
    println!(
        "corpus: {} files, {analysed} analysed ({identities} identities), {rejected} rejected, {} failed",
        files.len(),
        failures.len()
    );
    // The corpus holds dozens of AWS roles, users and groups: finding none would mean the
    // extraction silently stopped reading real plans.
    assert!(
        identities >= 30,
        "only {identities} identities found in the corpus"
    );
    assert!(
        failures.is_empty(),
        "{} of {} corpus files failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}
