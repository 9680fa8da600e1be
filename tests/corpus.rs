//! Runs `privdiff` on every real plan in `../shared/corpus/` (plans written by others, kept outside
//! the project). Each must either be analysed (exit 0, JSON on stdout) or be rejected cleanly
//! (exit 2, one line on stderr); never a panic or a signal. Without the folder the test says it
//! skipped, and fails under `CI` (`tests/common/optional.rs`).

mod common;

use common::*;
use std::path::Path;

#[test]
fn corpus_plans_are_analysed_or_cleanly_rejected() {
    let Some(dir) = optional::shared("corpus") else {
        return;
    };
    let files = files_under(&dir, "json");
    if files.is_empty() {
        optional::skip(&format!("{} has no *.json files", dir.display()));
        return;
    }

    let (mut analysed, mut rejected, mut identities) = (0usize, 0usize, 0usize);
    let mut findings = 0usize;
    let mut failures = Vec::new();
    let out = tempfile::tempdir().unwrap();
    let sarif = out.path().join("r.sarif");
    let gitlab = out.path().join("r.gitlab.json");
    let github = out.path().join("r.github.txt");
    let outputs = [
        format!("sarif={}", sarif.display()),
        format!("gitlab={}", gitlab.display()),
        format!("github={}", github.display()),
    ];
    for file in &files {
        let name = file
            .strip_prefix(&dir)
            .unwrap_or(file)
            .display()
            .to_string();
        let mut args = vec!["--format", "json", "--fail-on", "never"];
        for o in &outputs {
            args.extend(["--output", o]);
        }
        let r = analyze(file, &args);
        match r.code() {
            Some(0) => match r.json() {
                Ok(report) => {
                    analysed += 1;
                    identities += report["identities"].as_array().map_or(0, Vec::len);
                    findings += report["findings"].as_array().map_or(0, Vec::len);
                    if let Err(e) = same_findings(&report, &sarif, &gitlab, &github) {
                        failures.push(format!("{name}: {e}"));
                    }
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
        "corpus: {} files, {analysed} analysed ({identities} identities, {findings} findings), {rejected} rejected, {} failed",
        files.len(),
        failures.len()
    );
    // The corpus holds dozens of AWS roles, users and groups: finding none would mean the
    // extraction silently stopped reading real plans.
    assert!(
        identities >= 30,
        "only {identities} identities found in the corpus"
    );
    // ...and the SARIF, Code Quality and annotation outputs are compared on real findings.
    assert!(findings >= 10, "only {findings} findings in the corpus");
    assert!(
        failures.is_empty(),
        "{} of {} corpus files failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}

/// The CI formats written beside the JSON report carry one entry per finding.
fn same_findings(
    report: &serde_json::Value,
    sarif: &Path,
    gitlab: &Path,
    github: &Path,
) -> Result<(), String> {
    let findings = report["findings"].as_array().map_or(0, Vec::len);
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
    let json = |p: &Path| -> Result<serde_json::Value, String> {
        serde_json::from_str(&read(p)?).map_err(|e| format!("{}: {e}", p.display()))
    };
    let results = json(sarif)?["runs"][0]["results"]
        .as_array()
        .map_or(usize::MAX, Vec::len);
    let issues = json(gitlab)?.as_array().map_or(usize::MAX, Vec::len);
    let annotations = read(github)?
        .lines()
        .filter(|l| l.starts_with("::") && !l.contains(" title=privdiff::"))
        .count();
    if (results, issues, annotations) != (findings, findings, findings) {
        return Err(format!(
            "{findings} findings, but {results} SARIF results, {issues} Code Quality issues, \
             {annotations} annotations"
        ));
    }
    Ok(())
}
