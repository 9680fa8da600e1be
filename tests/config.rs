//! The config file, end to end: `--config FILE` and `./.privdiff.hcl`, what it does to the
//! report in every format, the gate it sets, PD023 firing and not, and its errors (exit 2).

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The day the tests run on, so that `expires` dates in fixtures never go stale.
const TODAY: &str = "2026-06-15";

fn config_file(name: &str) -> PathBuf {
    manifest_dir().join("testdata/config").join(name)
}

/// `privdiff analyze PLAN args...` in `dir` (the working directory), on [`TODAY`].
fn analyze_in(dir: &Path, plan_file: &str, args: &[&str]) -> Run {
    let plan = plan(plan_file);
    let mut all = vec!["analyze", plan.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = Command::new(env!("CARGO_BIN_EXE_privdiff"))
        .args(&all)
        .current_dir(dir)
        .env("PRIVDIFF_TODAY", TODAY)
        .env_remove("GITHUB_OUTPUT")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("privdiff runs");
    Run {
        status: out.status,
        stdout: out.stdout,
        stderr: out.stderr,
        what: format!("privdiff {}", all.join(" ")),
    }
}

/// A temporary working directory holding `.privdiff.hcl` with `text` (none when `None`).
fn workdir(text: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    if let Some(text) = text {
        std::fs::write(dir.path().join(".privdiff.hcl"), text).unwrap();
    }
    dir
}

fn json(run: &Run) -> Value {
    run.json().unwrap_or_else(|e| panic!("{e}"))
}

fn codes(report: &Value) -> Vec<&str> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect()
}

const IGNORE_PD001: &str = "ignore {\n  rule = \"PD001\"\n  identity = \"aws_iam_role.ci\"\n  reason = \"CI needs this until the Q2 migration\"\n  expires = \"2027-03-01\"\n}\n";

#[test]
fn the_file_in_the_working_directory_is_read() {
    let dir = workdir(Some("fail_on = \"medium\"\n"));
    let r = analyze_in(dir.path(), "ci-role-widened.json", &[]);
    assert_eq!(r.code(), Some(1), "{}", r.describe());
    // Without the file the default gate (high) lets a medium finding pass.
    let dir = workdir(None);
    let r = analyze_in(dir.path(), "ci-role-widened.json", &[]);
    assert_eq!(r.code(), Some(0), "{}", r.describe());
}

#[test]
fn fail_on_the_flag_wins_over_the_file() {
    let dir = workdir(Some("fail_on = \"medium\"\n"));
    let r = analyze_in(dir.path(), "ci-role-widened.json", &["--fail-on", "high"]);
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    let dir = workdir(Some("fail_on = \"never\"\n"));
    let r = analyze_in(dir.path(), "managed-attachments.json", &[]);
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    let r = analyze_in(
        dir.path(),
        "managed-attachments.json",
        &["--fail-on", "critical"],
    );
    assert_eq!(r.code(), Some(1), "{}", r.describe());
}

#[test]
fn an_ignored_finding_is_reported_suppressed_and_passes_the_gate() {
    let dir = workdir(Some(IGNORE_PD001));
    let r = analyze_in(
        dir.path(),
        "ci-role-widened.json",
        &["--format", "json", "--fail-on", "medium"],
    );
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    let report = json(&r);
    assert_eq!(report["schema_version"], "2.4");
    let f = &report["findings"][0];
    assert_eq!(f["code"], "PD001");
    assert_eq!(
        f["suppression"],
        serde_json::json!({"reason": "CI needs this until the Q2 migration", "expires": "2027-03-01", "ignore": 1})
    );
    // The verdict gates read the verdicts, which an ignore does not change.
    let r = analyze_in(
        dir.path(),
        "ci-role-widened.json",
        &["--fail-on", "widened"],
    );
    assert_eq!(r.code(), Some(1), "{}", r.describe());
}

#[test]
fn without_a_config_no_finding_has_a_suppression() {
    let r = analyze_in(
        workdir(None).path(),
        "trust-cross-account.json",
        &["--format", "json", "--fail-on", "never"],
    );
    let report = json(&r);
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f.get("suppression").is_none()));
}

#[test]
fn ignored_findings_in_every_format() {
    let dir = workdir(Some(IGNORE_PD001));
    let run = |format: &str| {
        let r = analyze_in(
            dir.path(),
            "ci-role-widened.json",
            &["--format", format, "--fail-on", "never"],
        );
        assert_eq!(r.code(), Some(0), "{}", r.describe());
        r
    };
    let sarif = json(&run("sarif"));
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "PD001");
    assert_eq!(
        result["suppressions"],
        serde_json::json!([{"kind": "external", "status": "accepted", "justification": "CI needs this until the Q2 migration"}])
    );
    let markdown = run("markdown").stdout();
    assert!(
        markdown.contains("\n1 finding, 1 of them ignored by the config file.\n"),
        "{markdown}"
    );
    assert!(markdown.contains(
        "| PD001 permissions-widened | medium | aws\\_iam\\_role.ci | CI needs this until the Q2 migration (ignore block 1, until 2027-03-01) |"
    ), "{markdown}");
    let table = run("table").stdout();
    assert!(
        table.contains("; 1 finding, 1 of them ignored\n"),
        "{table}"
    );
    assert!(table.contains("Ignored findings"), "{table}");
    assert!(table.contains("ignored: CI needs this"), "{table}");
    // Annotations and Code Quality have no way to mark a finding suppressed: it is left out.
    let github = run("github").stdout();
    assert_eq!(
        github,
        "privdiff: 0 findings, 1 ignored (2 identities analysed)\n"
    );
    assert_eq!(json(&run("gitlab")), serde_json::json!([]));
}

#[test]
fn github_output_counts_findings_not_ignored() {
    let dir = workdir(Some(IGNORE_PD001));
    let outputs = dir.path().join("outputs");
    let plan = plan("ci-role-widened.json");
    let out = Command::new(env!("CARGO_BIN_EXE_privdiff"))
        .args(["analyze", plan.to_str().unwrap(), "--github-output"])
        .current_dir(dir.path())
        .env("GITHUB_OUTPUT", &outputs)
        .env("PRIVDIFF_TODAY", TODAY)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let written = std::fs::read_to_string(&outputs).unwrap();
    assert_eq!(
        written,
        "widened=1\nunverifiable=0\nfindings=0\ngate=pass\n"
    );
}

#[test]
fn rule_blocks_disable_and_reclassify_findings() {
    let dir = workdir(Some(
        "rule \"PD007\" {\n  enabled = false\n}\nrule \"pd009\" {\n  severity = \"critical\"\n}\nrule \"PD006\" {\n  severity = \"low\"\n}\n",
    ));
    let r = analyze_in(
        dir.path(),
        "trust-cross-account.json",
        &["--format", "json"],
    );
    // PD009 is now critical: the default gate fails on it.
    assert_eq!(r.code(), Some(1), "{}", r.describe());
    let report = json(&r);
    assert!(!codes(&report).contains(&"PD007"));
    for f in report["findings"].as_array().unwrap() {
        match f["code"].as_str().unwrap() {
            "PD009" => assert_eq!(f["severity"], "critical"),
            "PD006" => assert_eq!(f["severity"], "low"),
            _ => {}
        }
    }
    let r = analyze_in(
        workdir(Some("rule \"PD009\" {\n  enabled = false\n}\nrule \"PD007\" {\n  enabled = false\n}\nrule \"PD006\" {\n  enabled = false\n}\n")).path(),
        "trust-cross-account.json",
        &[],
    );
    assert_eq!(
        r.code(),
        Some(0),
        "nothing high or above is left: {}",
        r.describe()
    );
}

#[test]
fn trusted_accounts_merge_with_the_flag() {
    let dir = workdir(Some("trusted_accounts = [\"444455556666\"]\n"));
    let r = analyze_in(
        dir.path(),
        "trust-cross-account.json",
        &["--format", "json", "--trusted-account", "999988887777"],
    );
    let report = json(&r);
    let classes: Vec<&str> = report["reach"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["class"].as_str().unwrap())
        .collect();
    assert_eq!(classes, ["public", "trusted-account", "trusted-account"]);
    assert!(!codes(&report).contains(&"PD007"));
}

#[test]
fn pd023_fires_for_an_expired_ignore_and_not_for_a_current_one() {
    let expired = config_file("ignore-expired.privdiff.hcl");
    let r = analyze_in(
        workdir(None).path(),
        "ci-role-widened.json",
        &[
            "--config",
            expired.to_str().unwrap(),
            "--format",
            "json",
            "--fail-on",
            "never",
        ],
    );
    let report = json(&r);
    assert_eq!(codes(&report), ["PD001", "PD023"]);
    let pd001 = &report["findings"][0];
    assert!(
        pd001.get("suppression").is_none(),
        "an expired ignore suppresses nothing"
    );
    let pd023 = &report["findings"][1];
    assert_eq!(pd023["severity"], "medium");
    assert_eq!(pd023["identity"], "aws_iam_role.ci");
    // Not repeated as a note: the table and the comment list it among the findings.
    assert!(report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| *n != pd023["message"]));
    let r = analyze_in(
        workdir(None).path(),
        "ci-role-widened.json",
        &["--config", expired.to_str().unwrap(), "--fail-on", "never"],
    );
    assert!(
        r.stdout().contains("PD023 ignore-expired"),
        "{}",
        r.describe()
    );
    let message = pd023["message"].as_str().unwrap();
    for part in [
        "ignore block 1",
        "rule PD001",
        "identity aws_iam_role.ci",
        "CI needs this until the Q2 migration",
        "2026-06-14",
    ] {
        assert!(message.contains(part), "{part} not in {message}");
    }
    // Both findings are medium now: a medium gate fails.
    let r = analyze_in(
        workdir(None).path(),
        "ci-role-widened.json",
        &["--config", expired.to_str().unwrap(), "--fail-on", "medium"],
    );
    assert_eq!(r.code(), Some(1), "{}", r.describe());

    let current = config_file("ignore-current.privdiff.hcl");
    let r = analyze_in(
        workdir(None).path(),
        "ci-role-widened.json",
        &[
            "--config",
            current.to_str().unwrap(),
            "--format",
            "json",
            "--fail-on",
            "medium",
        ],
    );
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    let report = json(&r);
    assert_eq!(codes(&report), ["PD001"]);
    assert!(report["findings"][0]["suppression"].is_object());
}

#[test]
fn an_ignore_that_matches_nothing_is_a_note() {
    let dir = workdir(Some(
        "ignore {\n  identity = \"aws_iam_role.nobody\"\n  reason = \"r\"\n}\n",
    ));
    let r = analyze_in(dir.path(), "ci-role-widened.json", &["--format", "json"]);
    let report = json(&r);
    assert_eq!(
        report["notes"],
        serde_json::json!([
            ".privdiff.hcl: ignore block 1 (identity aws_iam_role.nobody) matches no finding"
        ])
    );
}

#[test]
fn the_example_config_works_on_a_plan() {
    let example = config_file("example.privdiff.hcl");
    let r = analyze_in(
        workdir(None).path(),
        "ci-role-widened.json",
        &["--config", example.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    assert!(json(&r)["findings"][0]["suppression"].is_object());
}

#[test]
fn config_mistakes_are_one_line_errors_with_exit_2() {
    for (text, expected) in [
        (
            "fail_onn = \"high\"\n",
            ".privdiff.hcl: unknown field \"fail_onn\"",
        ),
        (
            "ignore {\n  rule = \"PD001\"\n}\n",
            ".privdiff.hcl: ignore block 1: \"reason\" is required",
        ),
        (
            "rule \"PD999\" {\n}\n",
            ".privdiff.hcl: rule \"PD999\": no such rule (see privdiff rules)",
        ),
        (
            "rule \"PD001\" {\n  enabled = \n}\n",
            ".privdiff.hcl: line ",
        ),
        (
            "fail_on = \"high\"\nfail_on = \"low\"\n",
            ".privdiff.hcl: line 2, column 1: \"fail_on\" is set twice",
        ),
    ] {
        let dir = workdir(Some(text));
        let r = analyze_in(dir.path(), "ci-role-widened.json", &[]);
        clean_input_error(&r).unwrap_or_else(|e| panic!("{text}: {e}"));
        let err = r.stderr();
        assert!(
            err.starts_with(&format!("privdiff: error: {expected}")),
            "{text}: {err}"
        );
        assert!(r.stdout.is_empty(), "nothing is written on a bad config");
    }
}

#[test]
fn a_missing_config_file_is_an_error_and_no_file_is_no_config() {
    let dir = workdir(None);
    let r = analyze_in(
        dir.path(),
        "ci-role-widened.json",
        &["--config", "nope.hcl"],
    );
    clean_input_error(&r).unwrap();
    let err = r.stderr();
    assert!(
        err.starts_with("privdiff: error: cannot read config file nope.hcl: "),
        "{err}"
    );
    // The cause is said once.
    assert_eq!(err.matches("os error").count(), 1, "{err}");
    let r = analyze_in(dir.path(), "ci-role-widened.json", &[]);
    assert_eq!(r.code(), Some(0), "{}", r.describe());
}

#[test]
fn a_bad_privdiff_today_is_an_error() {
    let plan = plan("ci-role-widened.json");
    let out = Command::new(env!("CARGO_BIN_EXE_privdiff"))
        .args(["analyze", plan.to_str().unwrap()])
        .current_dir(workdir(None).path())
        .env("PRIVDIFF_TODAY", "tomorrow")
        .output()
        .unwrap();
    let r = Run {
        status: out.status,
        stdout: out.stdout,
        stderr: out.stderr,
        what: "privdiff analyze with PRIVDIFF_TODAY=tomorrow".into(),
    };
    clean_input_error(&r).unwrap();
    assert!(r.stderr().contains("PRIVDIFF_TODAY"), "{}", r.describe());
}

#[test]
fn the_comment_command_takes_the_config_too() {
    let dir = workdir(Some("fail_on = \"medium\"\n"));
    let plan = plan("ci-role-widened.json");
    let example = config_file("ignore-current.privdiff.hcl");
    let comment = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_privdiff"))
            .args([
                "comment",
                "github",
                plan.to_str().unwrap(),
                "--dry-run",
                "--pr",
                "7",
            ])
            .args(extra)
            .current_dir(dir.path())
            .env("GITHUB_REPOSITORY", "acme/app")
            .env("PRIVDIFF_TODAY", TODAY)
            .env_remove("GITHUB_TOKEN")
            .output()
            .unwrap()
    };
    let out = comment(&[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = comment(&["--config", example.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let body = String::from_utf8_lossy(&out.stdout);
    assert!(
        body.contains("1 finding, 1 of them ignored by the config file."),
        "{body}"
    );
}

#[test]
fn a_sod_block_reports_the_combination_it_keeps_apart_at_its_own_severity() {
    let dir = workdir(Some(
        "sod \"deploy-and-pass\" {\n  actions  = [[\"lambda:Create*\"], [\"iam:PassRole\"]]\n  severity = \"low\"\n}\nsod \"deploy-and-decrypt\" {\n  actions = [[\"lambda:CreateFunction\"], [\"kms:Decrypt\"]]\n}\n",
    ));
    let r = analyze_in(dir.path(), "escalation-quiet.json", &["--format", "json"]);
    // Low is under the default gate.
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    let report = json(&r);
    let sod: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "PD022")
        .collect();
    assert_eq!(sod.len(), 1, "{sod:#?}");
    let f = sod[0];
    assert_eq!(f["identity"], "aws_iam_role.orders_deployer");
    assert_eq!(f["severity"], "low");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("sod \"deploy-and-pass\""),
        "{f}"
    );
    let actions = request_actions(f);
    assert_eq!(actions, ["lambda:CreateFunction", "iam:PassRole"]);
    // Without the block the same plan has no PD022.
    let r = analyze_in(
        workdir(None).path(),
        "escalation-quiet.json",
        &["--format", "json"],
    );
    assert!(!codes(&json(&r)).contains(&"PD022"));
}

#[test]
fn owners_come_from_tags_in_any_spelling_and_owner_tags_chooses_the_keys() {
    let owner = |report: &Value, address: &str| -> Option<(String, String)> {
        let o = &identity(report, address).unwrap()["owner"];
        Some((
            o["name"].as_str()?.to_string(),
            o["source"].as_str()?.to_string(),
        ))
    };
    let pair = |n: &str, s: &str| Some((n.to_string(), s.to_string()));
    let dir = workdir(None);
    let r = json(&analyze_in(
        dir.path(),
        "owners.json",
        &["--format", "json"],
    ));
    assert_eq!(
        owner(&r, "aws_iam_role.billing"),
        pair("ann@acme.example", "tag Owner")
    );
    // The resource's own tags before the provider's default tags.
    assert_eq!(
        owner(&r, "aws_iam_role.payments"),
        pair("payments", "tag team")
    );
    assert_eq!(
        owner(&r, "aws_iam_role.lake"),
        pair("data", "tag owning-team")
    );
    assert_eq!(owner(&r, "aws_iam_role.orphan"), None);
    // A sensitive tag is never read, so never printed.
    assert_eq!(owner(&r, "aws_iam_role.secretive"), None);
    // The config file's keys replace the defaults, in its order.
    let dir = workdir(Some("owner_tags = [\"TEAM\", \"owner\"]\n"));
    let r = json(&analyze_in(
        dir.path(),
        "owners.json",
        &["--format", "json"],
    ));
    assert_eq!(
        owner(&r, "aws_iam_role.payments"),
        pair("payments", "tag team")
    );
    assert_eq!(owner(&r, "aws_iam_role.lake"), None);
    // Every reviewer-facing format names it.
    let md = analyze_in(dir.path(), "owners.json", &["--format", "markdown"]).stdout();
    assert!(md.contains("Owner: payments (tag team)"), "{md}");
    let table = analyze_in(dir.path(), "owners.json", &[]).stdout();
    let block = table
        .split("│ identity ")
        .find(|b| b.contains("aws_iam_role.payments: created"))
        .expect("the role's block");
    assert!(
        block.contains("│ owner             ┆ payments (tag team)"),
        "{table}"
    );
    // A key that is not a string is refused.
    let dir = workdir(Some("owner_tags = [\"team\", 3]\n"));
    let r = analyze_in(dir.path(), "owners.json", &[]);
    if let Err(e) = clean_input_error(&r) {
        panic!("{e}: {}", r.describe());
    }
    assert!(r
        .stderr()
        .contains("\"owner_tags\" item 2 must be a string"));
}
