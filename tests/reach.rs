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

/// The notes of subject `address` in a report.
fn notes_of(r: &Value, address: &str) -> Vec<String> {
    let subject = identity(r, address).unwrap_or_else(|| panic!("no subject {address}"));
    subject["notes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect()
}

/// The reach entries and the findings about subject `address`.
fn about<'a>(r: &'a Value, address: &str) -> (Vec<&'a Value>, Vec<&'a Value>) {
    let of = |list: &str, key: &str| -> Vec<&'a Value> {
        r[list]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e[key].as_str() == Some(address))
            .collect()
    };
    (of("reach", "subject"), of("findings", "identity"))
}

#[test]
fn resource_policies_are_judged_on_their_own_resource() {
    let r = report("resource-policies-judged.json");
    // Each part that cannot apply to the subject is named in a note, and reported nowhere else.
    let cases = [
        (
            "aws_s3_bucket.exports",
            "names arn:aws:s3:::acme-partner-exports/*, not this bucket: AWS refuses such a policy at apply (MalformedPolicy: Policy has invalid resource), so it grants nothing here",
        ),
        (
            "aws_s3_bucket.staging",
            "names arn:aws:s3:::acme-prod/*, not this bucket",
        ),
        (
            "aws_s3_bucket.logs",
            "names ec2:*, which is not an action of S3: a bucket policy decides only S3 requests, so it is ignored",
        ),
        (
            "aws_s3_bucket.media",
            "names s3:GetBucket, which is not an action of S3 (privdiff's catalog of AWS actions has no match for it); it grants nothing here",
        ),
        (
            "aws_kms_key.orders",
            "not this key: a key policy decides only requests on its own key, so it grants nothing here",
        ),
    ];
    for (subject, note) in cases {
        let notes = notes_of(&r, subject);
        assert!(
            notes.iter().any(|n| n.contains(note)),
            "{subject}: no note {note:?} in {notes:?}"
        );
        let (reach, findings) = about(&r, subject);
        assert!(reach.is_empty(), "{subject}: {reach:?}");
        let grants: Vec<_> = findings.iter().filter(|f| f["code"] != "PD004").collect();
        assert!(grants.is_empty(), "{subject}: {grants:?}");
    }
    // `Action: "*"` on this bucket's objects and another bucket's: S3 actions on this bucket.
    let (reach, _) = about(&r, "aws_s3_bucket.shared");
    assert_eq!(reach.len(), 1, "{reach:?}");
    assert_eq!(reach[0]["class"], "foreign-account");
    assert_eq!(reach[0]["actions"], serde_json::json!(["s3:*"]));
    assert_eq!(
        reach[0]["resources"],
        serde_json::json!(["arn:aws:s3:::acme-shared/*"])
    );
    let notes = notes_of(&r, "aws_s3_bucket.shared");
    assert!(
        notes
            .iter()
            .any(|n| n.contains("also names arn:aws:s3:::acme-shared-archive/*")),
        "{notes:?}"
    );
}

#[test]
fn the_own_account_is_learned_from_a_role_the_plan_reads() {
    let r = report("own-account-evidence.json");
    let (reach, findings) = about(&r, "aws_s3_bucket.reports");
    assert_eq!(reach.len(), 1, "{reach:?}");
    assert_eq!(reach[0]["class"], "own-account");
    assert!(
        findings.iter().all(|f| f["code"] != "PD007"),
        "{findings:?}"
    );
    // The account of a principal is judged, not learned: the partner's stays foreign.
    let (reach, _) = about(&r, "aws_s3_bucket.partner_feed");
    assert_eq!(reach[0]["class"], "foreign-account");
    let notes = r["notes"].as_array().cloned().unwrap_or_default();
    assert!(
        notes.iter().all(|n| !n
            .as_str()
            .unwrap_or("")
            .starts_with("no resource in this plan names its AWS account")),
        "{notes:?}"
    );
}
