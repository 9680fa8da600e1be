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
        let stdout = match format {
            "sarif" => without_rule_docs(&r.stdout()),
            _ => r.stdout(),
        };
        let written = match format {
            "sarif" => without_rule_docs(&written),
            _ => written,
        };
        for (what, text) in [
            ("stdout", stdout),
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

/// `file` with `old` replaced by `new` in every planned, prior and changed value (the
/// configuration keeps its own text, as it would for a value passed in a sensitive variable),
/// and each `(address, attribute)` marked sensitive on both sides.
fn renamed_sensitive(
    dir: &Path,
    file: &str,
    (old, new): (&str, &str),
    marks: &[(&str, &str)],
) -> std::path::PathBuf {
    let mut p: Value = serde_json::from_slice(&std::fs::read(plan(file)).unwrap()).unwrap();
    fn replace(v: &mut Value, old: &str, new: &str) {
        match v {
            Value::String(s) => *s = s.replace(old, new),
            Value::Array(items) => items.iter_mut().for_each(|x| replace(x, old, new)),
            Value::Object(map) => map.values_mut().for_each(|x| replace(x, old, new)),
            _ => {}
        }
    }
    // Every resource object of the plan that carries `address`: its change or its values.
    fn mark(v: &mut Value, address: &str, attribute: &str, found: &mut bool) {
        match v {
            Value::Array(items) => items
                .iter_mut()
                .for_each(|x| mark(x, address, attribute, found)),
            Value::Object(map) => {
                if map.get("address").and_then(Value::as_str) == Some(address) {
                    if let Some(change) = map.get_mut("change") {
                        for side in ["before", "after"] {
                            if change[side].is_object() {
                                change[format!("{side}_sensitive")][attribute] = true.into();
                                *found = true;
                            }
                        }
                    }
                    if map.contains_key("values") {
                        map.entry("sensitive_values")
                            .or_insert_with(|| serde_json::json!({}))[attribute] = true.into();
                    }
                }
                map.values_mut()
                    .for_each(|x| mark(x, address, attribute, found));
            }
            _ => {}
        }
    }
    for section in ["resource_changes", "planned_values", "prior_state"] {
        replace(&mut p[section], old, new);
        for (address, attribute) in marks {
            let mut found = false;
            mark(&mut p[section], address, attribute, &mut found);
            assert!(
                found || section != "resource_changes",
                "{file} changes no {address}"
            );
        }
    }
    let path = dir.join(format!("{}-{}.json", new.to_lowercase(), marks.len()));
    std::fs::write(&path, serde_json::to_vec(&p).unwrap()).unwrap();
    path
}

/// Whether some format prints `text`: the control that shows a marker would be seen if it were
/// not sensitive, so that [`never_printed`] tests something.
fn printed(path: &Path, text: &str) -> bool {
    FORMATS.iter().any(|format| {
        let r = analyze(path, &["--format", format, "--fail-on", "never"]);
        r.stdout().contains(text)
    })
}

/// The renamed plan prints `secret` with nothing marked, and never once `marks` are sensitive.
fn hidden_once_marked(file: &str, rename: (&str, &str), marks: &[(&str, &str)], secret: &str) {
    let dir = tempfile::tempdir().unwrap();
    let plain = renamed_sensitive(dir.path(), file, rename, &[]);
    assert!(
        printed(&plain, secret),
        "{file}: {secret} is not shown even when not sensitive"
    );
    never_printed(&renamed_sensitive(dir.path(), file, rename, marks), secret);
}

#[test]
fn a_sensitive_aws_role_name_and_arn_are_never_printed() {
    let marks = [
        ("aws_iam_role.ci", "name"),
        ("aws_iam_role.ci", "arn"),
        ("aws_iam_role.ci", "id"),
        ("aws_iam_role_policy.ci_artifacts", "role"),
        ("aws_iam_role_policy.ci_artifacts", "id"),
    ];
    let rename = ("ci-deploy", "SECRET-ROLE-21");
    hidden_once_marked("ci-role-widened.json", rename, &marks, "SECRET-ROLE-21");
    // Still analysed: the widening is found under the role's address.
    let dir = tempfile::tempdir().unwrap();
    let path = renamed_sensitive(dir.path(), "ci-role-widened.json", rename, &marks);
    let r = analyze(&path, &["--format", "json", "--fail-on", "never"]);
    let report = r.json().unwrap();
    let ci = identity(&report, "aws_iam_role.ci").expect("the role is still reported");
    assert_eq!(ci["verdict"], "widened", "{}", r.describe());
}

/// A SARIF log without its rules' documentation, which is privdiff's own text (it names
/// `policy/AdministratorAccess` in an example): the same in every log, whatever the plan, as
/// checked against another plan's.
fn without_rule_docs(sarif: &str) -> String {
    let mut log: Value = serde_json::from_str(sarif).unwrap();
    let other = analyze(&plan("equivalent-rewrite.json"), &["--format", "sarif"]);
    let other: Value = serde_json::from_str(&other.stdout()).unwrap();
    let rules = &mut log["runs"][0]["tool"]["driver"]["rules"];
    assert_eq!(*rules, other["runs"][0]["tool"]["driver"]["rules"]);
    *rules = Value::Null;
    log.to_string()
}

#[test]
fn a_sensitive_managed_policy_arn_is_never_printed() {
    hidden_once_marked(
        "managed-attachments.json",
        ("AdministratorAccess", "AdministratorAccess"),
        &[("aws_iam_role_policy_attachment.ops_admin", "policy_arn")],
        // The rule descriptions name the policy; its ARN is the plan's own text.
        "policy/AdministratorAccess",
    );
}

#[test]
fn a_sensitive_trust_policy_never_names_its_principals() {
    // Only this role's trust policy names the account; the fixture's other roles trust another.
    let file = "trust-cross-account.json";
    let dir = tempfile::tempdir().unwrap();
    let mut p: Value = serde_json::from_slice(&std::fs::read(plan(file)).unwrap()).unwrap();
    let mut changed = false;
    for rc in p["resource_changes"].as_array_mut().unwrap() {
        if rc["address"] == "aws_iam_role.partner_ingest" {
            let t = rc["change"]["after"]["assume_role_policy"]
                .as_str()
                .unwrap();
            rc["change"]["after"]["assume_role_policy"] =
                t.replace("444455556666", "987698769876").into();
            changed = true;
        }
    }
    assert!(changed);
    let plain = dir.path().join("plain.json");
    std::fs::write(&plain, serde_json::to_vec(&p).unwrap()).unwrap();
    assert!(printed(&plain, "987698769876"));
    for rc in p["resource_changes"].as_array_mut().unwrap() {
        if rc["address"] == "aws_iam_role.partner_ingest" {
            for side in ["before_sensitive", "after_sensitive"] {
                rc["change"][side]["assume_role_policy"] = true.into();
            }
        }
    }
    let marked = dir.path().join("marked.json");
    std::fs::write(&marked, serde_json::to_vec(&p).unwrap()).unwrap();
    never_printed(&marked, "987698769876");
}

#[test]
fn a_sensitive_bucket_and_its_policy_are_never_printed() {
    hidden_once_marked(
        "resource-policies-storage.json",
        ("acme-partner-drop", "SECRET-BUCKET-23"),
        &[
            ("aws_s3_bucket_policy.partner_drop", "bucket"),
            ("aws_s3_bucket_policy.partner_drop", "id"),
            ("aws_s3_bucket_policy.partner_drop", "policy"),
        ],
        "SECRET-BUCKET-23",
    );
}

#[test]
fn a_sensitive_user_name_is_never_printed() {
    hidden_once_marked(
        "groups.json",
        ("deploy-bot", "SECRET-USER-24"),
        &[
            ("aws_iam_user.deploy_bot", "name"),
            ("aws_iam_user.deploy_bot", "arn"),
            ("aws_iam_user.deploy_bot", "id"),
            ("aws_iam_user.deploy_bot", "unique_id"),
            ("aws_iam_user_group_membership.deploy_bot", "user"),
            ("aws_iam_user_group_membership.deploy_bot", "id"),
        ],
        "SECRET-USER-24",
    );
}
