//! Values known only after apply, through the binary: what the plan knows is judged, and the
//! rest by its worst case, so the gate fails where a reviewer would stop the change. The plan is
//! `gcp-unknowns.json` (see `testdata/generate/unknowns.py`).

mod common;

use common::*;
use serde_json::Value;

fn report() -> (Value, Option<i32>) {
    let r = analyze(&plan("gcp-unknowns.json"), &["--format", "json"]);
    let code = r.code();
    (r.json().unwrap_or_else(|e| panic!("{e}")), code)
}

/// The codes and severities of the findings on `subject`.
fn findings(report: &Value, subject: &str) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["identity"] == subject)
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn has(report: &Value, subject: &str, code: &str, severity: &str) -> bool {
    findings(report, subject).contains(&(code.to_string(), severity.to_string()))
}

#[test]
fn the_default_gate_fails_on_what_unknowns_could_hide() {
    let (_, code) = report();
    assert_eq!(
        code,
        Some(1),
        "owner on an unknown project and a public key ring fail the gate"
    );
}

#[test]
fn a_grant_on_a_resource_named_after_apply_is_judged_with_its_role() {
    let (r, _) = report();
    let dev = identity(&r, "user:dev@acme.example").expect("dev");
    assert_eq!(dev["verdict"], "widened", "{dev:#}");
    assert!(
        dev["unknown"].as_array().is_none_or(|u| u.is_empty()),
        "{dev:#}"
    );
    assert_eq!(
        dev["witness"]["resource"],
        "projects/⟨project from google_project.sandbox, known after apply⟩"
    );
    let notes: Vec<&str> = dev["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(
        notes.iter().any(|n| n.starts_with(
            "the project of google_project_iam_member.sandbox_owner is known only after apply"
        )),
        "{notes:?}"
    );
    assert!(
        has(&r, "user:dev@acme.example", "PD011", "critical"),
        "{r:#}"
    );
    // A folder the plan creates: every rule its editor role fires.
    assert!(has(&r, "group:team@acme.example", "PD015", "high"), "{r:#}");
}

#[test]
fn members_known_after_apply_are_one_member_that_gains_the_grant() {
    let (r, _) = report();
    let who = "(members of google_project_iam_member.ci_runner known after apply)";
    let m = identity(&r, who).expect("placeholder member");
    assert_eq!(m["verdict"], "widened", "{m:#}");
    assert!(has(&r, who, "PD017", "high"), "{r:#}");
}

#[test]
fn anything_granted_to_everyone_is_a_finding_even_a_role_privdiff_cannot_expand() {
    let (r, _) = report();
    // A role from the complete catalog: judged by what it grants. Encrypting with the key is
    // more than looking at it, so critical, as a public key policy allowing it is for AWS.
    let all = identity(&r, "allUsers").expect("allUsers");
    assert_eq!(all["verdict"], "widened", "{all:#}");
    assert!(has(&r, "allUsers", "PD006", "critical"), "{r:#}");
    // A role newer than the catalog: its worst case is everything.
    let signed_in = identity(&r, "allAuthenticatedUsers").expect("allAuthenticatedUsers");
    assert_eq!(signed_in["verdict"], "unverifiable", "{signed_in:#}");
    assert!(
        has(&r, "allAuthenticatedUsers", "PD006", "critical"),
        "{r:#}"
    );
}

/// The "not analysed" notes of `not-analysed.json`, in the order the plan lists them.
const NOT_ANALYSED: [&str; 3] = [
    "aws_iam_signing_certificate.ci",
    "aws_ses_identity_policy.mail",
    "google_storage_bucket_acl.assets",
];

#[test]
fn resources_that_carry_access_privdiff_does_not_read_are_named_in_every_format() {
    let file = plan("not-analysed.json");
    let json = analyze(&file, &["--format", "json"]).json().unwrap();
    let notes: Vec<&str> = json["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .filter(|n| n.starts_with("not analysed: "))
        .collect();
    assert_eq!(notes.len(), NOT_ANALYSED.len(), "{notes:#?}");
    for (note, address) in notes.iter().zip(NOT_ANALYSED) {
        assert!(
            note.starts_with(&format!("not analysed: {address} (create)")),
            "{note}"
        );
    }
    // Nothing for what grants no access, what did not change, or what privdiff reads.
    for quiet in [
        "scale_out",
        "aws_ses_identity_policy.old",
        "aws_sqs_queue",
        "aws_iam_role",
    ] {
        assert!(
            !notes.iter().any(|n| n.contains(quiet)),
            "{quiet}: {notes:#?}"
        );
    }
    for format in ["table", "markdown", "github", "sarif"] {
        let out = analyze(&file, &["--format", format]).stdout();
        for address in NOT_ANALYSED {
            let shown = match format {
                "markdown" => address.replace('_', "\\_"),
                _ => address.to_string(),
            };
            assert!(out.contains(&shown), "{format} lacks {address}:\n{out}");
        }
    }
    let github = analyze(&file, &["--format", "github"]).stdout();
    assert!(
        github.contains("::notice title=privdiff::not analysed: aws_iam_signing_certificate.ci"),
        "{github}"
    );
    let sarif: Value =
        serde_json::from_str(&analyze(&file, &["--format", "sarif"]).stdout()).unwrap();
    let told = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert_eq!(
        told.as_array().map(Vec::len),
        Some(NOT_ANALYSED.len()),
        "{sarif:#}"
    );
    assert_eq!(told[0]["level"], "note");
}

#[test]
fn a_document_known_in_part_is_judged_by_what_is_known_and_the_worst_case_of_the_rest() {
    let r = analyze(&plan("aws-partly-known.json"), &["--format", "json"]);
    assert_eq!(r.code(), Some(1), "a public bucket policy fails the gate");
    let report = r.json().unwrap();
    let worker = identity(&report, "aws_iam_role.worker").expect("worker");
    assert_eq!(worker["verdict"], "widened", "{worker:#}");
    assert_eq!(worker["witness"]["action"], "sqs:SendMessage");
    let note = worker["notes"][0].as_str().unwrap();
    assert!(
        note.starts_with("data.aws_iam_policy_document.worker is known only in part"),
        "{note}"
    );
    assert!(
        note.contains("statement 1: resources known after apply, taken as any"),
        "{note}"
    );
    assert!(
        note.contains(
            "statement 2: a Deny whose resources are known after apply, taken to deny nothing"
        ),
        "{note}"
    );
    let site = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["address"] == "aws_s3_bucket.site")
        .expect("the bucket");
    assert_eq!(site["verdict"], "created", "{site:#}");
    assert!(
        has(&report, "aws_s3_bucket.site", "PD006", "critical"),
        "{report:#}"
    );
}

#[test]
fn an_unverifiable_scope_is_as_severe_as_what_could_be_true() {
    // `Resource = aws_s3_bucket.new.arn`: only a name of the plan's own bucket is unknown.
    let names = analyze(&plan("unknown-policy.json"), &["--format", "json"])
        .json()
        .unwrap();
    let exporter = identity(&names, "aws_iam_role.exporter").expect("exporter");
    assert_eq!(exporter["unknown_bound"], "names", "{exporter:#}");
    assert!(
        has(&names, "aws_iam_role.exporter", "PD003", "low"),
        "{names:#}"
    );
    // A policy document from a data source read at apply could hold anything.
    let any = analyze(&plan("gcp-project-iam.json"), &["--format", "json"])
        .json()
        .unwrap();
    let auditors = identity(&any, "group:auditors@acme.example").expect("auditors");
    assert_eq!(auditors["unknown_bound"], "anything", "{auditors:#}");
    assert!(
        has(&any, "group:auditors@acme.example", "PD003", "high"),
        "{any:#}"
    );
    // Known, but the rewritten condition cannot be compared.
    let who = "serviceAccount:reporter@acme-prod.iam.gserviceaccount.com";
    assert!(has(&any, who, "PD003", "medium"), "{any:#}");
}

#[test]
fn an_azure_scope_known_after_apply_is_the_id_of_the_resource_the_configuration_names() {
    let r = analyze(&plan("azure-unknowns.json"), &["--format", "json"]);
    assert_eq!(r.code(), Some(1), "Owner on the new group fails the gate");
    let report = r.json().unwrap();
    let pid = |n: u32| format!("principal:11111111-2222-4333-8444-{n:012}");
    // The group's id, spelled from its name and the provider's subscription.
    let owner = identity(&report, &pid(101)).expect("owner");
    assert_eq!(owner["verdict"], "widened", "{owner:#}");
    assert_eq!(
        owner["witness"]["resource"],
        "/subscriptions/00000000-aaaa-4bbb-8ccc-000000000001/resourceGroups/rg-sandbox"
    );
    assert!(has(&report, &pid(101), "PD011", "high"), "{report:#}");
    // A resource's id stands under its group as a name of its own.
    let data = identity(&report, &pid(102)).expect("data");
    assert_eq!(data["verdict"], "widened", "{data:#}");
    let scope = data["added"][0]["resources"][0].as_str().unwrap();
    assert!(
        scope.starts_with(
            "/subscriptions/00000000-aaaa-4bbb-8ccc-000000000001/resourceGroups/rg-sandbox/providers/⟨id of azurerm_storage_account.data, known after apply⟩"
        ),
        "{scope}"
    );
    // A built-in role outside the curated table, from the embedded catalog.
    let dns = identity(&report, &pid(104)).expect("dns");
    assert_eq!(dns["verdict"], "widened", "{dns:#}");
    assert!(
        dns["added"][0]["actions"]
            .to_string()
            .contains("Microsoft.Network/dnsZones/*"),
        "{dns:#}"
    );
    // A scope from a module output could be anything.
    let elsewhere = identity(&report, &pid(103)).expect("elsewhere");
    assert_eq!(elsewhere["verdict"], "unverifiable");
    assert!(has(&report, &pid(103), "PD003", "high"), "{report:#}");
}

#[test]
fn a_condition_value_the_plan_makes_after_apply_is_a_pin_not_anything() {
    let r = analyze(&plan("aws-partly-known.json"), &["--format", "json"]);
    let report = r.json().unwrap();
    let f = identity(&report, "aws_lambda_function.nightly").expect("nightly");
    assert_eq!(f["verdict"], "widened", "{f:#}");
    let context = f["witness"]["context"].to_string();
    assert!(
        context.contains("⟨source_arn from aws_cloudwatch_event_rule.nightly, known after apply⟩"),
        "{context}"
    );
    // It is a source condition: no safeguard is missing.
    assert!(
        !findings(&report, "aws_lambda_function.nightly")
            .iter()
            .any(|(code, _)| code == "PD009" || code == "PD003"),
        "{report:#}"
    );
    let notes = f["notes"].to_string();
    assert!(
        notes.contains("source_arn is a value of aws_cloudwatch_event_rule.nightly"),
        "{notes}"
    );
}
