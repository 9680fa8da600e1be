//! Several outputs from one run: `--output FORMAT=PATH`, `--step-summary`, `--github-output`.

mod common;

use common::*;
use std::process::Command;

fn privdiff(args: &[&str], env: &[(&str, &std::path::Path)]) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_privdiff"));
    cmd.args(args)
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_OUTPUT");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("privdiff runs")
}

#[test]
fn every_output_is_the_same_report_as_its_format_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan("ci-role-widened.json");
    let plan = plan.to_str().unwrap();
    let json = dir.path().join("r.json");
    let md = dir.path().join("r.md");
    let out = privdiff(
        &[
            "analyze",
            plan,
            "--format",
            "table",
            "--output",
            &format!("json={}", json.display()),
            "--output",
            &format!("markdown={}", md.display()),
            "--fail-on",
            "widened",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    for (format, path) in [("json", &json), ("markdown", &md)] {
        let alone = privdiff(
            &["analyze", plan, "--format", format, "--fail-on", "widened"],
            &[],
        );
        assert_eq!(std::fs::read(path).unwrap(), alone.stdout, "{format}");
    }
    assert!(String::from_utf8_lossy(&out.stdout).contains("widened"));
}

#[test]
fn an_output_replaces_a_symlink_instead_of_writing_through_it() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "precious\n").unwrap();
    let out = dir.path().join("report.md");
    std::os::unix::fs::symlink(&victim, &out).unwrap();
    let plan = plan("ci-role-widened.json");
    let spec = format!("markdown={}", out.display());
    let r = run(
        &["analyze", plan.to_str().unwrap(), "--output", &spec],
        None,
    );
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert!(!out.symlink_metadata().unwrap().file_type().is_symlink());
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .starts_with("**✅ Passes:** 1 medium finding, below the gate (fail-on: high)\n"));
    // Nothing is left behind beside it.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn a_bad_output_spec_or_unwritable_path_is_a_usage_error() {
    let plan = plan("ci-role-widened.json");
    let plan = plan.to_str().unwrap();
    for spec in ["json", "yaml=x.yaml", "json="] {
        let r = run(&["analyze", plan, "--output", spec], None);
        assert_eq!(r.code(), Some(2), "{spec}: {}", r.describe());
    }
    let r = run(
        &["analyze", plan, "--output", "json=/nonexistent-dir/r.json"],
        None,
    );
    clean_input_error(&r).unwrap();
    assert!(r.stderr().contains("cannot write /nonexistent-dir/r.json"));
}

#[test]
fn step_summary_and_github_output_append_to_the_runner_files() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let outputs = dir.path().join("outputs");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let plan = plan("ci-role-widened.json");
    let args = [
        "analyze",
        plan.to_str().unwrap(),
        "--step-summary",
        "--github-output",
        "--fail-on",
        "unverifiable",
    ];
    let out = privdiff(
        &args,
        &[
            ("GITHUB_STEP_SUMMARY", &summary),
            ("GITHUB_OUTPUT", &outputs),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("earlier step\n**⛔ Blocks this change:** "),
        "{text}"
    );
    let written = std::fs::read_to_string(&outputs).unwrap();
    assert!(written.contains("widened=1\n"), "{written}");
    assert!(written.contains("unverifiable=0\n"), "{written}");
    assert!(written.contains("gate=fail\n"), "{written}");
    // Outside Actions (the variables unset) both flags do nothing, and the run is the same.
    let out = privdiff(&args, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), text);
    assert_eq!(std::fs::read_to_string(&outputs).unwrap(), written);
    // Set but empty, as a runner never leaves them, they are ignored too.
    let empty = std::path::Path::new("");
    let out = privdiff(
        &args,
        &[("GITHUB_STEP_SUMMARY", empty), ("GITHUB_OUTPUT", empty)],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_comment_command_shares_the_analysis_flags_and_checks_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("r.sarif");
    let plan = plan("ci-role-widened.json");
    let plan = plan.to_str().unwrap();
    let output = format!("sarif={}", sarif.display());
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_privdiff"));
    cmd.args(["comment", "github", plan, "--dry-run", "--pr", "7"])
        .args(["--fail-on", "widened"])
        .args(["--output", &output])
        .env("GITHUB_REPOSITORY", "acme/app")
        .env_remove("GITHUB_TOKEN");
    let out = cmd.output().unwrap();
    // The gate decides the exit code; the dry run prints the body it would post.
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("<!-- privdiff:comment key=default -->\n**⛔ Blocks this change:** "));
    assert!(std::fs::read_to_string(&sarif)
        .unwrap()
        .contains("\"ruleId\": \"PD001\""));

    let r = run(
        &["comment", "gitlab", plan, "--dry-run", "--key", "x -->"],
        None,
    );
    assert_eq!(r.code(), Some(2), "{}", r.describe());
    assert!(r.stderr().contains("--key"), "{}", r.describe());
}

/// The table fits the width `COLUMNS` gives, and 100 columns without it (output to a pipe).
#[test]
fn the_table_fits_columns_and_100_columns_without() {
    let plan = plan("shared-role.json");
    let widest = |columns: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_privdiff"));
        cmd.arg("analyze").arg(&plan).env_remove("COLUMNS");
        if let Some(c) = columns {
            cmd.env("COLUMNS", c);
        }
        let out = cmd.output().expect("privdiff runs");
        assert_eq!(out.status.code(), Some(1));
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        assert!(
            text.contains("│ identity          ┆ aws_iam_role.app: widened"),
            "{text}"
        );
        text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
    };
    assert_eq!(widest(None), 100);
    assert!(widest(Some("72")) <= 72);
    // A value that is not a width is ignored.
    assert_eq!(widest(Some("wide")), 100);
}
