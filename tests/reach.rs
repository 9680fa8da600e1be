//! Who can reach it: the binary on the trust and resource policy fixtures, checked against
//! `testdata/plans/REACH.tsv` (the most exposed class and a concern per subject) and
//! `ABSENT.tsv` (resources that must not be reported: computed policies nobody configured).

mod common;

use common::*;
use serde_json::Value;
use std::collections::BTreeMap;

fn report(file: &str) -> Value {
    let r = analyze(&plan(file), &["--format", "json", "--fail-on", "never"]);
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    r.json().unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn by_file(rows: Vec<Vec<String>>) -> BTreeMap<String, Vec<Vec<String>>> {
    let mut out: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    for row in rows {
        out.entry(row[0].clone()).or_default().push(row);
    }
    out
}

#[test]
fn reach_matches_expected_tsv() {
    let path = plans_dir().join("REACH.tsv");
    let mut failures = Vec::new();
    for (file, rows) in by_file(read_tsv(&path, 4)) {
        let r = report(&file);
        let reach = r["reach"].as_array().cloned().unwrap_or_default();
        for row in rows {
            let (subject, class, concern) = (&row[1], &row[2], &row[3]);
            let entries: Vec<&Value> = reach
                .iter()
                .filter(|e| e["subject"].as_str() == Some(subject))
                .collect();
            let Some(first) = entries.first() else {
                failures.push(format!("{file}: no reach entry for {subject}"));
                continue;
            };
            // Entries are sorted most exposed first.
            if first["class"].as_str() != Some(class) {
                failures.push(format!(
                    "{file}: {subject}: expected class {class}, got {} ({})",
                    first["class"], first["principal"]
                ));
            }
            if concern != "-" {
                let found = entries.iter().any(|e| {
                    e["concerns"]
                        .as_array()
                        .is_some_and(|cs| cs.iter().any(|c| c["code"].as_str() == Some(concern)))
                });
                if !found {
                    failures.push(format!("{file}: {subject}: no concern {concern}"));
                }
            }
            // Every entry that widens by a statement proves it with a request.
            for e in &entries {
                let statement = e["actions"].as_array().is_some_and(|a| !a.is_empty());
                if statement && e["principal"] != "(sensitive)" && e["example"].is_null() {
                    failures.push(format!(
                        "{file}: {subject}: {} has no example",
                        e["principal"]
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn computed_policies_nobody_configured_are_not_reported() {
    let path = plans_dir().join("ABSENT.tsv");
    for (file, rows) in by_file(read_tsv(&path, 2)) {
        let r = report(&file);
        for row in rows {
            assert!(
                identity(&r, &row[1]).is_none(),
                "{file}: {} is reported: {}",
                row[1],
                identity(&r, &row[1]).unwrap()
            );
        }
    }
}
