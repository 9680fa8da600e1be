//! Golden files: the exact output users see for a few plans, in each format. A change in
//! analysis or rendering shows up here as a reviewable diff. To accept new output after
//! reviewing it: `PRIVDIFF_UPDATE_SNAPSHOTS=1 cargo test --test snapshots`.

mod common;

use common::*;

const CASES: &[(&str, &str, &str)] = &[
    ("ci-role-widened.json", "table", "txt"),
    ("ci-role-widened.json", "markdown", "md"),
    ("ci-role-widened.json", "json", "json"),
    ("trust-widened.json", "markdown", "md"),
    ("trust-widened.json", "table", "txt"),
    ("unknown-policy.json", "markdown", "md"),
    ("sensitive-policy.json", "markdown", "md"),
    ("more-grants.json", "table", "txt"),
    ("more-grants.json", "json", "json"),
    ("typed-conditions.json", "markdown", "md"),
    ("typed-delta.json", "markdown", "md"),
    ("ci-role-widened.json", "sarif", "json"),
    ("ci-role-widened.json", "github", "txt"),
    ("ci-role-widened.json", "gitlab", "json"),
    ("unknown-policy.json", "sarif", "json"),
    ("created-deleted.json", "gitlab", "json"),
    ("hostile-names.json", "github", "txt"),
    ("resource-policies-storage.json", "table", "txt"),
    ("resource-policies-storage.json", "markdown", "md"),
    ("resource-policies-compute.json", "sarif", "json"),
    ("trust-oidc.json", "markdown", "md"),
    ("trust-cross-account.json", "json", "json"),
    ("public-access-block.json", "markdown", "md"),
    ("resource-policies-judged.json", "markdown", "md"),
    ("gcp-project-iam.json", "markdown", "md"),
    ("gcp-project-iam.json", "json", "json"),
    ("azure-rbac.json", "markdown", "md"),
    ("azure-rbac.json", "json", "json"),
    ("kubernetes-rbac.json", "markdown", "md"),
    ("kubernetes-rbac.json", "json", "json"),
    ("deploy-role.json", "markdown", "md"),
    ("deploy-role.json", "table", "txt"),
    ("shared-role.json", "markdown", "md"),
    ("shared-role.json", "json", "json"),
    ("gcp-shared-service-account.json", "markdown", "md"),
    ("azure-shared-identity.json", "table", "txt"),
];

#[test]
fn rendered_output_matches_the_golden_files() {
    let mut outputs = Vec::new();
    for (plan_file, format, ext) in CASES {
        let r = analyze(
            &plan(plan_file),
            &["--format", format, "--fail-on", "never"],
        );
        assert_eq!(r.code(), Some(0), "{}", r.describe());
        let name = format!("{}-{format}.{ext}", plan_file.trim_end_matches(".json"));
        let actual = r.stdout();
        // The tool version is in the JSON report; keep the golden files valid across releases.
        let mut actual = actual.replace(env!("CARGO_PKG_VERSION"), "VERSION");
        // So are the embedded data's sources; keep them valid across `scripts/update-aws-data`.
        for s in privdiff::catalog::sources() {
            let quoted = |v: &str| format!("\"{v}\"");
            actual = actual
                .replace(&quoted(s.version), "\"DATA_VERSION\"")
                .replace(&quoted(s.date), "\"DATA_DATE\"");
        }
        outputs.push((format!("tests/snapshots/{name}"), actual));
    }
    golden::check_all(outputs);
}

/// The README's example comment is abridged from what privdiff prints for the plan it names:
/// every line it shows is a line of the real comment.
#[test]
fn the_readme_example_comment_is_real() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let example = readme
        .split("```markdown\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README shows a comment");
    let r = analyze(&plan("deploy-role.json"), &["--format", "markdown"]);
    assert_eq!(r.code(), Some(1), "{}", r.describe());
    let comment = r.stdout();
    let lines: Vec<&str> = comment.lines().collect();
    for line in example.lines().filter(|l| *l != "...") {
        assert!(
            lines.contains(&line),
            "the README shows a line privdiff does not print: {line}"
        );
    }
}
