//! Who acts as each identity and what its new grants reach, read from the plan: the fixtures of
//! `testdata/generate/workloads.py`, through the real binary.

mod common;

use common::*;
use serde_json::Value;

fn report(file: &str) -> Value {
    let r = analyze(&plan(file), &["--format", "json", "--fail-on", "never"]);
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    r.json().unwrap_or_else(|e| panic!("{e}"))
}

fn strings(v: &Value, field: &str) -> Vec<String> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|x| x[field].as_str().expect(field).to_string())
        .collect()
}

fn severity_of(report: &Value, subject: &str, code: &str) -> Option<String> {
    report["findings"]
        .as_array()?
        .iter()
        .find(|f| f["identity"] == subject && f["code"] == code)
        .map(|f| f["severity"].as_str().unwrap_or_default().to_string())
}

#[test]
fn the_deploy_role_names_its_repository_environment_team_and_buckets() {
    let r = report("deploy-role.json");
    let role = identity(&r, "aws_iam_role.ci_deploy").expect("the role");
    assert_eq!(
        role["used_by"]["callers"],
        serde_json::json!(["GitHub Actions: repo acme/app, environment production"])
    );
    assert_eq!(role["owner"]["name"], "platform");
    let reaches = &role["added"][0]["reaches"];
    assert_eq!(reaches["count"], 3);
    assert_eq!(
        strings(&reaches["resources"], "name"),
        [
            "acme-artifacts",
            "acme-payroll-exports",
            "acme-customer-pii"
        ]
    );
    // The queue is the plan's too, but `s3:*` does not act on it.
    assert!(!reaches.to_string().contains("jobs"));
    assert_eq!(severity_of(&r, "aws_iam_role.ci_deploy", "PD025"), None);
}

#[test]
fn a_role_two_functions_and_a_new_instance_share_is_a_widened_shared_role() {
    let r = report("shared-role.json");
    let app = identity(&r, "aws_iam_role.app").expect("the role");
    let used = &app["used_by"];
    assert_eq!(used["workloads_before"], 2);
    assert_eq!(
        strings(&used["workloads"], "address"),
        [
            "aws_instance.worker",
            "aws_lambda_function.invoice_renderer",
            "aws_lambda_function.orders_api"
        ]
    );
    assert_eq!(used["workloads"][0]["via"], "instance profile worker");
    let reaches = &app["added"][0]["reaches"];
    assert_eq!(
        strings(&reaches["resources"], "name"),
        ["orders-archive", "orders"]
    );
    // One step above the widening's own medium findings.
    assert_eq!(
        severity_of(&r, "aws_iam_role.app", "PD025").as_deref(),
        Some("high")
    );
    // One function alone does not make a shared role.
    let solo = identity(&r, "aws_iam_role.solo").expect("the other role");
    assert_eq!(solo["used_by"]["workloads_before"], 1);
    assert_eq!(severity_of(&r, "aws_iam_role.solo", "PD025"), None);
}

#[test]
fn gcp_and_azure_identities_list_their_workloads_and_callers() {
    let r = report("gcp-shared-service-account.json");
    let sa = "serviceAccount:app@acme-prod.iam.gserviceaccount.com";
    let used = &identity(&r, sa).expect("the service account")["used_by"];
    assert_eq!(
        used["callers"],
        serde_json::json!(["workload identity pool github: repository acme/app"])
    );
    assert_eq!(
        strings(&used["workloads"], "address"),
        [
            "google_cloud_run_v2_service.orders",
            "google_compute_instance.web"
        ]
    );
    assert_eq!(used["workloads_before"], 1);
    assert_eq!(severity_of(&r, sa, "PD025").as_deref(), Some("critical"));

    let r = report("azure-shared-identity.json");
    let address = "azurerm_user_assigned_identity.app";
    let used = &identity(&r, address).expect("the identity")["used_by"];
    assert_eq!(
        strings(&used["workloads"], "kind"),
        ["virtual machine", "web app"]
    );
    assert_eq!(used["workloads_before"], 1);
    assert!(severity_of(&r, address, "PD025").is_some());
}
