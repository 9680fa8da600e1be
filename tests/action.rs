//! The GitHub Action (`action.yml`) and the GitLab template, run locally step by step with the
//! runner's environment files in temporary directories (see `common/runner.rs`).

mod common;
// The comment bot's own fake API; this file uses only part of it.
#[allow(dead_code)]
#[path = "comment/fake.rs"]
mod fake;

use common::runner::{binary_dir, path_with, repo_root, Job};
use fake::{Fake, Flavor, TOKEN};
use serde_json::Value;
use std::path::Path;

fn fixture(name: &str) -> std::path::PathBuf {
    repo_root().join("testdata/plans").join(name)
}

#[test]
fn a_widened_plan_fails_the_step_with_outputs_summary_sarif_and_annotations() {
    let mut job = Job::new();
    job.set("GITHUB_EVENT_NAME", "push");
    job.put(&fixture("ci-role-widened.json"), "plan.json");
    let run = job.run_action(
        &[
            ("plan-json", "plan.json"),
            ("sarif-file", "out/privdiff.sarif"),
            ("fail-on", "widened"),
        ],
        "unused-token",
    );
    assert_eq!(run.status, 1, "{}", run.describe());
    assert_eq!(run.outputs["widened"], "1", "{}", run.describe());
    assert_eq!(run.outputs["unverifiable"], "0");
    assert_ne!(run.outputs["findings"], "0");
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&run.outputs["report-json"]).unwrap())
            .unwrap();
    assert_eq!(report["summary"]["widened"], 1);
    assert!(
        run.step_summary.starts_with(
            "**⛔ Blocks this change:** 1 identity widened or created (fail-on: widened)"
        ),
        "{}",
        run.step_summary
    );
    // No comment on a push: a notice says so and nothing reaches an API.
    assert!(run
        .stdout
        .contains("::notice title=privdiff::not a pull_request event"));
    // Annotations are workflow commands on stdout, then the gate's error.
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with("::warning ") || l.starts_with("::error ")),
        "{}",
        run.describe()
    );
    assert!(run
        .stdout
        .lines()
        .last()
        .unwrap()
        .starts_with("::error title=privdiff::the gate failed (fail-on: widened)"));
}

#[test]
fn annotations_and_sarif_point_at_the_tf_lines_in_the_working_directory() {
    let mut job = Job::new();
    job.set("GITHUB_EVENT_NAME", "push");
    job.put_dir(&repo_root().join("testdata/tf"), "infra");
    let run = job.run_action(
        &[
            ("plan-json", "infra/plan.json"),
            ("working-directory", "infra"),
            ("sarif-file", "privdiff.sarif"),
            ("fail-on", "widened"),
        ],
        "t",
    );
    assert_eq!(run.status, 1, "{}", run.describe());
    // The widening is the policy of a role in a nested module called with for_each and count.
    let annotation = "::warning file=infra/modules/inner/main.tf,line=24,endLine=36,";
    assert!(run.stdout.contains(annotation), "{}", run.describe());
    assert!(
        run.stderr
            .contains("infra/broken.tf: skipped, not valid HCL"),
        "{}",
        run.describe()
    );
    let sarif: Value = serde_json::from_str(
        &std::fs::read_to_string(job.workspace.path().join("privdiff.sarif")).unwrap(),
    )
    .unwrap();
    let location = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "infra/modules/inner/main.tf"
    );
    assert_eq!(location["region"]["startLine"], 24);
}

/// The lines GitHub's runner would run as workflow commands: those starting with `::`, except
/// between `::stop-commands::TOKEN` and `::TOKEN::`.
fn live_commands(stdout: &str) -> Vec<&str> {
    let mut stopped: Option<String> = None;
    let mut out = Vec::new();
    for line in stdout.lines().map(str::trim_start) {
        match &stopped {
            Some(token) if line == format!("::{token}::") => stopped = None,
            Some(_) => {}
            None => {
                if let Some(token) = line.strip_prefix("::stop-commands::") {
                    stopped = Some(token.to_string());
                } else if line.starts_with("::") {
                    out.push(line);
                }
            }
        }
    }
    out
}

#[test]
fn names_in_the_plan_never_become_workflow_commands() {
    let mut job = Job::new();
    job.set("GITHUB_EVENT_NAME", "push");
    let plan = std::fs::read_to_string(fixture("ci-role-widened.json"))
        .unwrap()
        .replace("\"aws_iam_role.ci\"", "\"::add-mask::aws_iam_role.ci\"");
    std::fs::write(job.workspace.path().join("plan.json"), plan).unwrap();
    let run = job.run_action(&[("plan-json", "plan.json"), ("fail-on", "widened")], "t");
    assert_eq!(run.status, 1, "{}", run.describe());
    // privdiff's own output runs with commands stopped (a second guard: no line of it starts
    // with plan text either), and the table still quotes the address.
    assert!(run.stdout.contains("\n::stop-commands::privdiff-"));
    assert!(
        run.stdout.contains("::add-mask::aws_iam_role.ci"),
        "{}",
        run.describe()
    );
    let live = live_commands(&run.stdout);
    assert!(!live.is_empty());
    for line in live {
        assert!(
            line.starts_with("::warning file=")
                || line.starts_with("::warning title=PD")
                || line.starts_with("::notice title=privdiff::")
                || line.starts_with("::error title=privdiff::"),
            "{line}"
        );
        // The runner takes the first `::` after the command as the start of its message, so
        // the escaped properties hold the name, and the message may quote it harmlessly.
        let (command, _message) = line[2..].split_once("::").unwrap();
        if command.contains("add-mask") {
            assert!(command.contains("title=PD001 permissions-widened%3A %3A%3Aadd-mask%3A%3A"));
        }
    }
}

#[test]
fn an_unchanged_plan_passes_and_fail_on_never_passes_a_widened_one() {
    let mut job = Job::new();
    job.set("GITHUB_EVENT_NAME", "push");
    job.put(&fixture("equivalent-rewrite.json"), "plan.json");
    let run = job.run_action(&[("plan-json", "plan.json")], "t");
    assert_eq!(run.status, 0, "{}", run.describe());
    assert_eq!(run.outputs["widened"], "0");

    job.put(&fixture("ci-role-widened.json"), "plan.json");
    let run = job.run_action(&[("plan-json", "plan.json"), ("fail-on", "never")], "t");
    assert_eq!(run.status, 0, "{}", run.describe());
    assert_eq!(run.outputs["widened"], "1");
}

#[test]
fn without_fail_on_the_gate_is_the_config_files_else_high() {
    let mut job = Job::new();
    job.set("GITHUB_EVENT_NAME", "push");
    // One PD001 finding, medium: below the default gate.
    job.put(&fixture("ci-role-widened.json"), "plan.json");
    let run = job.run_action(&[("plan-json", "plan.json")], "t");
    assert_eq!(run.status, 0, "{}", run.describe());
    assert_eq!(run.outputs["widened"], "1");
    // The workspace's .privdiff.hcl sets the gate when the input does not.
    std::fs::write(
        job.workspace.path().join(".privdiff.hcl"),
        "fail_on = \"medium\"\n",
    )
    .unwrap();
    let run = job.run_action(&[("plan-json", "plan.json")], "t");
    assert_eq!(run.status, 1, "{}", run.describe());
    assert!(run
        .stdout
        .contains("::error title=privdiff::the gate failed (fail-on: .privdiff.hcl, else high)"));
    // The input wins over the file.
    let run = job.run_action(&[("plan-json", "plan.json"), ("fail-on", "high")], "t");
    assert_eq!(run.status, 0, "{}", run.describe());
}

#[test]
fn a_saved_plan_is_read_with_terraform_show_in_the_working_directory() {
    let mut job = Job::new();
    job.set("GITHUB_EVENT_NAME", "push");
    job.put(&fixture("ci-role-widened.json"), "infra/plan.json");
    std::fs::write(job.workspace.path().join("infra/plan.out"), "saved plan").unwrap();
    // A fake `terraform` that prints the JSON of the saved plan it is asked to show.
    let bin = job.runner.path().join("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let fake = bin.join("terraform");
    std::fs::write(
        &fake,
        "#!/usr/bin/env bash\n[ \"$1 $2 $3\" = 'show -json plan.out' ] || exit 9\ncat plan.json\n",
    )
    .unwrap();
    make_executable(&fake);
    job.set("PATH", path_with(&[bin, binary_dir()]));
    let run = job.run_action(
        &[
            ("working-directory", "infra"),
            ("plan-file", "plan.out"),
            ("fail-on", "widened"),
        ],
        "t",
    );
    assert_eq!(run.status, 1, "{}", run.describe());
    assert_eq!(run.outputs["widened"], "1");

    let run = job.run_action(&[("working-directory", "infra")], "t");
    assert_eq!(run.status, 2, "{}", run.describe());
    assert!(run
        .stdout
        .contains("set either 'plan-json', or 'plan-file'"));
}

#[test]
fn a_version_installs_the_release_binary_after_checking_its_checksum() {
    let mut job = Job::new();
    job.set("GITHUB_EVENT_NAME", "push");
    // Nothing named privdiff on PATH: the install step must fetch the release.
    job.set("PATH", path_with(&[]));
    let version = env!("CARGO_PKG_VERSION");
    let target = match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => "x86_64-unknown-linux-gnu",
        ("linux", "aarch64") => "aarch64-unknown-linux-gnu",
        _ => return, // the release layout is only built for these here
    };
    let releases = job.runner.path().join("releases");
    let dir = releases.join(format!("v{version}"));
    std::fs::create_dir_all(&dir).unwrap();
    let asset = dir.join(format!("privdiff-{target}.tar.gz"));
    let status = std::process::Command::new("tar")
        .arg("-czf")
        .arg(&asset)
        .arg("-C")
        .arg(binary_dir())
        .arg("privdiff")
        .status()
        .unwrap();
    assert!(status.success());
    let sum = std::process::Command::new("sha256sum")
        .arg(&asset)
        .output()
        .unwrap();
    let checksum = dir.join(format!("privdiff-{target}.tar.gz.sha256"));
    std::fs::write(&checksum, &sum.stdout).unwrap();
    job.set(
        "PRIVDIFF_RELEASES_URL",
        format!("file://{}", releases.display()),
    );
    job.put(&fixture("equivalent-rewrite.json"), "plan.json");

    let run = job.run_action(&[("plan-json", "plan.json"), ("version", version)], "t");
    assert_eq!(run.status, 0, "{}", run.describe());
    let installed = Path::new(&run.env["PRIVDIFF_BIN"]);
    assert!(installed.starts_with(job.runner.path()), "{installed:?}");
    assert_eq!(run.outputs["widened"], "0");

    // A tampered download is refused.
    std::fs::remove_dir_all(job.runner.path().join(format!("privdiff-{version}"))).unwrap();
    std::fs::write(&checksum, format!("{} x\n", "0".repeat(64))).unwrap();
    let run = job.run_action(&[("plan-json", "plan.json"), ("version", version)], "t");
    assert_eq!(run.status, 1, "{}", run.describe());
    assert!(
        run.stdout.contains("checksum mismatch"),
        "{}",
        run.describe()
    );
}

#[test]
fn releases_come_from_the_repository_the_action_runs_from() {
    let version = env!("CARGO_PKG_VERSION");
    let job = Job::new();
    // A `curl` that records what it was asked for and fails, so nothing reaches the network.
    let bin = job.runner.path().join("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let asked = job.runner.path().join("curl-args");
    std::fs::write(
        bin.join("curl"),
        format!(
            "#!/usr/bin/env bash\necho \"$@\" >>'{}'\nexit 22\n",
            asked.display()
        ),
    )
    .unwrap();
    make_executable(&bin.join("curl"));
    let install = repo_root().join("ci/github/install.sh");
    let run = |action_path: &str| {
        std::process::Command::new("bash")
            .arg(&install)
            .env_clear()
            .env("PATH", path_with(std::slice::from_ref(&bin)))
            .env("PRIVDIFF_VERSION", version)
            .env("GITHUB_ACTION_PATH", action_path)
            .env("RUNNER_TEMP", job.runner.path())
            .output()
            .unwrap()
    };
    // As `uses: acme/privdiff@v1` installs it.
    let out = run("/home/runner/work/_actions/acme/privdiff/v1");
    assert_eq!(out.status.code(), Some(1));
    let url = format!("https://github.com/acme/privdiff/releases/download/v{version}/privdiff-");
    assert!(std::fs::read_to_string(&asked).unwrap().contains(&url));
    // As `uses: ./` runs it: no repository to fetch from, and it says so.
    let out = run(repo_root().to_str().unwrap());
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("cannot tell which repository's releases hold privdiff"),
        "{said}"
    );
}

#[test]
fn the_gitlab_template_writes_the_code_quality_report() {
    let job = Job::new();
    job.put(&fixture("ci-role-widened.json"), "plan.json");
    let run = job.run_gitlab_template(&[
        ("PRIVDIFF_COMMENT", "false"),
        ("PRIVDIFF_FAIL_ON", "widened"),
    ]);
    assert_eq!(run.status, 1, "{}", run.describe());
    let quality: Value = serde_json::from_str(
        &std::fs::read_to_string(job.workspace.path().join("gl-code-quality-report.json")).unwrap(),
    )
    .unwrap();
    assert!(!quality.as_array().unwrap().is_empty());
    let md = std::fs::read_to_string(job.workspace.path().join("privdiff-report.md")).unwrap();
    assert!(
        md.contains("PD001 permissions-widened"),
        "no repository, no link: {md}"
    );
    // An address given links each code to its page.
    let run = job.run_gitlab_template(&[
        ("PRIVDIFF_COMMENT", "false"),
        ("PRIVDIFF_RULES_URL", "https://docs.example.com/rules"),
    ]);
    assert_eq!(run.status, 0, "{}", run.describe());
    let md = std::fs::read_to_string(job.workspace.path().join("privdiff-report.md")).unwrap();
    assert!(md.contains("[PD001](https://docs.example.com/rules/PD001.md) permissions-widened"));
}

#[test]
fn on_a_pull_request_the_action_keeps_one_sticky_comment() {
    let fake = Fake::start(Flavor::GitHub);
    let foreign = fake.seed(
        "someone-else",
        "<!-- privdiff:comment key=default -->\nquoted by a reviewer",
    );
    let mut job = Job::new();
    let event = job.runner.path().join("event.json");
    std::fs::write(&event, r#"{"pull_request": {"number": 7}}"#).unwrap();
    job.set("GITHUB_EVENT_NAME", "pull_request")
        .set("GITHUB_EVENT_PATH", event.display().to_string())
        .set("GITHUB_REPOSITORY", "acme/app")
        .set("GITHUB_API_URL", fake.url.clone());
    job.put(&fixture("ci-role-widened.json"), "plan.json");
    for run in 0..2 {
        let result = job.run_action(&[("plan-json", "plan.json"), ("fail-on", "widened")], TOKEN);
        assert_eq!(result.status, 1, "run {run}: {}", result.describe());
        assert!(!result.stdout.contains(TOKEN) && !result.stderr.contains(TOKEN));
        let mine = fake.mine();
        assert_eq!(mine.len(), 1, "run {run}: {mine:?}");
        assert!(mine[0].body.starts_with(
            "<!-- privdiff:comment key=default -->\n**⛔ Blocks this change:** 1 identity widened or created \
             (fail-on: widened)\n\n**privdiff:** 1 identity widened"
        ));
    }
    let writes: Vec<String> = fake.writes().iter().map(|w| w.method.clone()).collect();
    assert_eq!(writes, ["POST", "PATCH"], "created once, then updated");
    let comments = fake.comments();
    assert!(comments
        .iter()
        .any(|c| c.id == foreign && c.body.ends_with("quoted by a reviewer")));

    // A second plan with its own key keeps its own comment.
    job.put(&fixture("equivalent-rewrite.json"), "plan.json");
    let result = job.run_action(
        &[("plan-json", "plan.json"), ("comment-key", "staging")],
        TOKEN,
    );
    assert_eq!(result.status, 0, "{}", result.describe());
    assert_eq!(fake.mine().len(), 2);

    // A token the API rejects fails the step with a clear message and no token in sight.
    let result = job.run_action(&[("plan-json", "plan.json")], "not-the-token");
    assert_eq!(result.status, 2, "{}", result.describe());
    assert!(
        result.stderr.contains("GITHUB_TOKEN was rejected"),
        "{}",
        result.describe()
    );
    assert!(!result.stderr.contains("not-the-token"));
}

#[test]
fn the_gitlab_template_keeps_one_merge_request_note() {
    let fake = Fake::start(Flavor::GitLab);
    let mut job = Job::new();
    job.set("CI_API_V4_URL", format!("{}/api/v4", fake.url))
        .set("CI_PROJECT_ID", "group/project")
        .set("CI_MERGE_REQUEST_IID", "7")
        .set("GITLAB_TOKEN", TOKEN)
        .set("PRIVDIFF_REPOSITORY", "acme/privdiff");
    job.put(&fixture("ci-role-widened.json"), "plan.json");
    for run in 0..2 {
        let result = job.run_gitlab_template(&[("PRIVDIFF_FAIL_ON", "widened")]);
        assert_eq!(result.status, 1, "run {run}: {}", result.describe());
        assert_eq!(fake.mine().len(), 1, "run {run}");
    }
    assert!(fake.mine()[0]
        .body
        .contains("**privdiff:** 1 identity widened"));
    // The codes link to the pages of the release that ran, from the repository it came from.
    let page = format!(
        "[PD001](https://github.com/acme/privdiff/blob/v{}/docs/rules/PD001.md)",
        env!("CARGO_PKG_VERSION")
    );
    assert!(
        fake.mine()[0].body.contains(&page),
        "{}",
        fake.mine()[0].body
    );
    assert!(job
        .workspace
        .path()
        .join("gl-code-quality-report.json")
        .exists());
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn role_catalogs_given_to_the_action_expand_the_roles_they_hold() {
    let mut job = Job::new();
    job.set("GITHUB_EVENT_NAME", "push");
    // serviceAccount:dns@… is granted roles/dns.zoneSteward, newer than privdiff's catalog.
    job.put(&fixture("gcp-project-iam.json"), "plan.json");
    let inputs = [("plan-json", "plan.json"), ("fail-on", "never")];
    let run = job.run_action(&inputs, "t");
    assert_eq!(run.status, 0, "{}", run.describe());
    let without: usize = run.outputs["unverifiable"].parse().unwrap();
    std::fs::write(
        job.workspace.path().join("gcp-roles.json"),
        r#"{"name": "roles/dns.zoneSteward", "includedPermissions": ["dns.managedZones.create", "dns.changes.create"]}"#,
    )
    .unwrap();
    let with = [
        ("plan-json", "plan.json"),
        ("fail-on", "never"),
        ("gcp-roles", "gcp-roles.json"),
    ];
    let run = job.run_action(&with, "t");
    assert_eq!(run.status, 0, "{}", run.describe());
    let now: usize = run.outputs["unverifiable"].parse().unwrap();
    assert_eq!(now + 1, without, "{}", run.describe());
    // A catalog that is not one stops the step as an input error.
    std::fs::write(job.workspace.path().join("azure-roles.json"), "[1, 2]").unwrap();
    let bad = [
        ("plan-json", "plan.json"),
        ("azure-roles", "azure-roles.json"),
    ];
    let run = job.run_action(&bad, "t");
    assert_eq!(run.status, 2, "{}", run.describe());
    // So does a names file that is not a name map.
    std::fs::write(job.workspace.path().join("names.json"), "[1, 2]").unwrap();
    let bad = [
        ("plan-json", "plan.json"),
        ("principal-names", "names.json"),
    ];
    let run = job.run_action(&bad, "t");
    assert_eq!(run.status, 2, "{}", run.describe());
    assert!(
        run.describe().contains("--principal-names"),
        "{}",
        run.describe()
    );
}

#[test]
fn rule_codes_link_to_the_pages_of_the_release_that_ran() {
    let widened = |job: &mut Job, inputs: &[(&str, &str)]| {
        job.set("GITHUB_EVENT_NAME", "push");
        job.put(&fixture("ci-role-widened.json"), "plan.json");
        let mut all = vec![("plan-json", "plan.json"), ("sarif-file", "privdiff.sarif")];
        all.extend_from_slice(inputs);
        let run = job.run_action(&all, "unused-token");
        assert_eq!(run.status, 0, "{}", run.describe());
        let sarif = std::fs::read_to_string(job.workspace.path().join("privdiff.sarif")).unwrap();
        (run.step_summary, sarif)
    };
    let release = "https://github.com/acme/privdiff/blob/v1.2.0/docs/rules/PD001.md";
    // `uses: acme/privdiff@v1.2.0`, whether the runner fills the expressions or not.
    for expressions in [true, false] {
        let mut job = Job::new();
        job.uses("acme/privdiff", "v1.2.0", expressions);
        let (summary, sarif) = widened(&mut job, &[]);
        assert!(
            summary.contains(&format!("[PD001]({release}) permissions-widened")),
            "{summary}"
        );
        assert!(sarif.contains(&format!("\"helpUri\": \"{release}\"")));
    }
    // An address given wins.
    let mut job = Job::new();
    job.uses("acme/privdiff", "v1.2.0", true);
    let (summary, sarif) = widened(
        &mut job,
        &[("rules-url", "https://docs.example.com/privdiff/{code}/")],
    );
    assert!(summary.contains("[PD001](https://docs.example.com/privdiff/PD001/)"));
    assert!(sarif.contains("\"helpUri\": \"https://docs.example.com/privdiff/PD001/\""));
    // `uses: ./` names no release: plain codes, no helpUri.
    let (summary, sarif) = widened(&mut Job::new(), &[]);
    assert!(summary.contains("PD001 permissions-widened"), "{summary}");
    assert!(!sarif.contains("helpUri"));
}
