//! `privdiff::locate` on the Terraform tree in testdata/tf and its plan (written by
//! testdata/generate/locate.py). Cargo runs tests from the package root, so `testdata/tf` is
//! also the path locations are expected to start with.

use privdiff::locate::{has_sources, Sources};
use privdiff::report::Location;
use std::path::Path;

const DIR: &str = "testdata/tf";

fn plan_bytes() -> Vec<u8> {
    std::fs::read(Path::new(DIR).join("plan.json")).unwrap()
}

fn at(file: &str, line: usize, end_line: usize) -> Option<Location> {
    Some(Location {
        file: format!("{DIR}/{file}"),
        line,
        end_line,
    })
}

#[test]
fn every_planned_resource_is_located_except_in_the_missing_module() {
    let bytes = plan_bytes();
    let plan = privdiff::plan::load(&bytes).unwrap();
    let (sources, warnings) = Sources::load(Path::new(DIR), &plan).unwrap();
    assert_eq!(
        warnings,
        [
            "testdata/tf/broken.tf: skipped, not valid HCL (line 3, column 9)",
            "testdata/tf/modules/gone: skipped, the directory of module.gone does not exist",
        ]
    );
    let addresses = plan.resource_changes.iter().map(|r| &r.address);
    let addresses = addresses.chain(plan.prior_state.iter().map(|r| &r.address));
    for a in addresses {
        let found = sources.find(a);
        assert_eq!(
            found.is_none(),
            a.starts_with("module.gone."),
            "{a}: {found:?}"
        );
    }
}

#[test]
fn each_kind_of_address_finds_its_block() {
    let bytes = plan_bytes();
    let plan = privdiff::plan::load(&bytes).unwrap();
    let (s, _) = Sources::load(Path::new(DIR), &plan).unwrap();
    let cases = [
        // The override file sorts first but the block lives in iam.tf.
        ("aws_iam_role.admin", at("iam.tf", 1, 4)),
        ("aws_iam_user.bot[1]", at("iam.tf", 6, 10)),
        ("data.aws_iam_policy_document.assume", at("iam.tf", 12, 20)),
        ("aws_iam_group.ops", at("groups.tf.json", 4, 7)),
        (
            r#"module.ci["web"].aws_iam_role.ci"#,
            at("modules/ci/main.tf", 10, 13),
        ),
        (
            r#"module.ci["app"].data.aws_iam_policy_document.ci_trust"#,
            at("modules/ci/data.tf", 1, 9),
        ),
        // modules/inner/main.tf has CRLF line endings.
        (
            r#"module.ci["app"].module.inner.aws_iam_role.deployer[0]"#,
            at("modules/inner/main.tf", 11, 22),
        ),
        (
            r#"module.ci["web"].module.inner.aws_iam_role_policy.deployer[0]"#,
            at("modules/inner/main.tf", 24, 36),
        ),
        (
            "module.remote.aws_iam_policy.this",
            at(".terraform/modules/remote/main.tf", 1, 11),
        ),
        (
            "module.remote.module.sub.aws_iam_role.sub",
            at(".terraform/modules/remote/modules/sub/main.tf", 1, 7),
        ),
        ("module.gone.aws_iam_role.gone", None),
        ("aws_iam_role.broken", None),
        ("external:aws_iam_role/admin", None),
    ];
    for (address, expected) in cases {
        assert_eq!(s.find(address), expected, "{address}");
    }
}

#[test]
fn the_widened_role_is_located_in_the_report() {
    let bytes = plan_bytes();
    let plan = privdiff::plan::load(&bytes).unwrap();
    let mut report = privdiff::analyze::analyze(
        &plan,
        &privdiff::compare::Limits::default(),
        &Default::default(),
    )
    .unwrap();
    let (s, _) = Sources::load(Path::new(DIR), &plan).unwrap();
    report.locate(|a| s.find(a));
    let widened: Vec<_> = report
        .identities
        .iter()
        .filter(|i| i.verdict == privdiff::model::Verdict::Widened)
        .collect();
    assert_eq!(widened.len(), 1);
    assert_eq!(
        widened[0].address,
        r#"module.ci["app"].module.inner.aws_iam_role.deployer[0]"#
    );
    assert_eq!(widened[0].location, at("modules/inner/main.tf", 11, 22));
}

#[test]
fn the_directory_given_is_kept_as_written_but_normalised() {
    let bytes = plan_bytes();
    let plan = privdiff::plan::load(&bytes).unwrap();
    let cwd = std::env::current_dir().unwrap();
    for dir in [
        "./testdata/tf".into(),
        "testdata/generate/../tf/".into(),
        cwd.join(DIR),
    ] {
        let (s, _) = Sources::load(&dir, &plan).unwrap();
        assert_eq!(
            s.find("aws_iam_role.admin"),
            at("iam.tf", 1, 4),
            "{}",
            dir.display()
        );
    }
}

#[test]
fn a_directory_that_cannot_be_read_is_a_usage_error() {
    let bytes = plan_bytes();
    let plan = privdiff::plan::load(&bytes).unwrap();
    assert!(Sources::load(Path::new("testdata/no-such-dir"), &plan).is_err());
    assert!(Sources::load(&Path::new(DIR).join("iam.tf"), &plan).is_err());
    assert!(has_sources(Path::new(DIR)));
    assert!(!has_sources(Path::new("testdata/tf/modules")));
}

/// Copies the tree at `from` to `to`.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn codeowners_names_the_owner_of_the_file_that_declares_an_identity() {
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    std::fs::create_dir(repo.path().join(".github")).unwrap();
    std::fs::write(
        repo.path().join(".github/CODEOWNERS"),
        "*  @acme/all\n/infra/modules/inner/ @acme/platform @ann\n",
    )
    .unwrap();
    let infra = repo.path().join("infra");
    copy_tree(Path::new(DIR), &infra);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_privdiff"))
        .args([
            "analyze",
            "plan.json",
            "--format",
            "json",
            "--fail-on",
            "never",
        ])
        .args(["--source-dir", "."])
        .current_dir(&infra)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let deployer = report["identities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["address"] == r#"module.ci["app"].module.inner.aws_iam_role.deployer[0]"#)
        .unwrap();
    assert_eq!(deployer["owner"]["name"], "@acme/platform, @ann");
    assert_eq!(
        deployer["owner"]["source"],
        ".github/CODEOWNERS for modules/inner/main.tf"
    );
}
