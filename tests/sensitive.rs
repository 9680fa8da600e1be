//! Values Terraform marks sensitive never appear in any output, for every provider: a marker is
//! written into one attribute of a fixture plan, the attribute is marked sensitive, and every
//! format (and every `--output` file, and the comment bot's dry run) is searched for it.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

const FORMATS: [&str; 6] = ["table", "markdown", "json", "sarif", "github", "gitlab"];

/// `file` with `attribute` of `address` set to `value` (after apply) and marked sensitive.
fn marked(
    dir: &Path,
    file: &str,
    address: &str,
    attribute: &str,
    value: Value,
) -> std::path::PathBuf {
    let mut p: Value = serde_json::from_slice(&std::fs::read(plan(file)).unwrap()).unwrap();
    let mut found = false;
    for rc in p["resource_changes"].as_array_mut().unwrap() {
        if rc["address"] == address {
            rc["change"]["after"][attribute] = value.clone();
            rc["change"]["after_sensitive"][attribute] = Value::Bool(true);
            found = true;
        }
    }
    assert!(found, "{file} has no {address}");
    let path = dir.join(format!("{}.json", address.replace('.', "-")));
    std::fs::write(&path, serde_json::to_vec(&p).unwrap()).unwrap();
    path
}

/// Runs every output of privdiff on `path` and fails if any of them holds `secret`.
fn never_printed(path: &Path, secret: &str) {
    let dir = tempfile::tempdir().unwrap();
    for format in FORMATS {
        let out = dir.path().join(format!("out.{format}"));
        let target = format!("{format}={}", out.display());
        let r = analyze(
            path,
            &[
                "--format",
                format,
                "--fail-on",
                "never",
                "--output",
                &target,
            ],
        );
        assert_eq!(r.code(), Some(0), "{}", r.describe());
        assert!(!r.stdout.is_empty(), "--format {format}: empty output");
        let written = std::fs::read_to_string(&out).unwrap();
        for (what, text) in [
            ("stdout", r.stdout()),
            ("stderr", r.stderr()),
            ("--output", written),
        ] {
            assert!(
                !text.contains(secret),
                "--format {format} {what} prints the sensitive {secret}: {text}"
            );
        }
    }
}

#[test]
fn a_sensitive_gcp_member_and_role_are_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    let member = "serviceAccount:SECRET-MEMBER-7@acme-prod.iam.gserviceaccount.com";
    let path = marked(
        dir.path(),
        "gcp-risks.json",
        "google_project_iam_member.admin_owner",
        "member",
        Value::String(member.into()),
    );
    never_printed(&path, "SECRET-MEMBER-7");
    let path = marked(
        dir.path(),
        "gcp-project-iam.json",
        "google_project_iam_member.ci_editor",
        "role",
        Value::String("projects/acme-prod/roles/SECRET-ROLE-8".into()),
    );
    never_printed(&path, "SECRET-ROLE-8");
    // A role privdiff expands, under a sensitive condition: neither the expression nor the
    // title may show, though the grant is compared.
    let condition = serde_json::json!([{
        "description": "", "expression": "request.time < timestamp(\"SECRET-EXPR-12\")",
        "title": "SECRET-TITLE-13"
    }]);
    let path = marked(
        dir.path(),
        "gcp-risks.json",
        "google_project_iam_member.temp_owner",
        "condition",
        condition,
    );
    never_printed(&path, "SECRET-EXPR-12");
    never_printed(&path, "SECRET-TITLE-13");
}

#[test]
fn a_sensitive_azure_principal_and_scope_are_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    let path = marked(
        dir.path(),
        "azure-risks.json",
        "azurerm_role_assignment.owner_up",
        "principal_id",
        Value::String("5ec2e7aa-0000-4000-8000-5ec2e7000009".into()),
    );
    never_printed(&path, "5ec2e7");
    let path = marked(
        dir.path(),
        "azure-risks.json",
        "azurerm_role_assignment.contributor_up",
        "scope",
        Value::String(
            "/subscriptions/00000000-aaaa-4bbb-8ccc-000000000001/resourceGroups/SECRET-RG-10"
                .into(),
        ),
    );
    never_printed(&path, "SECRET-RG-10");
}

#[test]
fn sensitive_kubernetes_subjects_are_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    let subjects = serde_json::json!([{
        "api_group": "", "kind": "ServiceAccount", "name": "SECRET-SA-11", "namespace": "ci"
    }]);
    let path = marked(
        dir.path(),
        "kubernetes-rbac.json",
        "kubernetes_cluster_role_binding_v1.ci_admin",
        "subject",
        subjects,
    );
    never_printed(&path, "SECRET-SA-11");
}
