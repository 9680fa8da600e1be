//! What an identity can newly become: the paths of `testdata/generate/paths.py`, through the
//! real binary.

mod common;

use common::*;
use serde_json::Value;

fn report() -> Value {
    let r = analyze(
        &plan("paths.json"),
        &["--format", "json", "--fail-on", "never"],
    );
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    r.json().unwrap_or_else(|e| panic!("{e}"))
}

fn paths<'r>(report: &'r Value, address: &str) -> &'r [Value] {
    identity(report, address)
        .unwrap_or_else(|| panic!("no {address}"))
        .get("paths")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn findings<'r>(report: &'r Value, subject: &str) -> Vec<&'r Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["identity"] == subject)
        .collect()
}

#[test]
fn a_trust_edit_makes_the_ci_runner_an_administrator() {
    let r = report();
    assert_eq!(r["schema_version"], "2.4");
    let runner = identity(&r, "aws_iam_role.ci_runner").unwrap();
    assert_eq!(
        runner["verdict"], "unchanged",
        "its own policies did not change"
    );
    let p = paths(&r, "aws_iam_role.ci_runner");
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(p[0]["target"], "aws_iam_role.deploy_admin");
    assert_eq!(
        p[0]["opened_by"],
        serde_json::json!(["aws_iam_role.deploy_admin"])
    );
    let hop = &p[0]["hops"][0];
    assert_eq!(hop["edge"], "assume-role");
    assert_eq!(hop["request"]["action"], "sts:AssumeRole");
    assert_eq!(
        hop["request"]["resource"],
        "arn:aws:iam::111122223333:role/deploy-admin"
    );
    assert_eq!(
        hop["request"]["principal"],
        "AWS:arn:aws:iam::111122223333:role/ci-runner"
    );
    assert_eq!(
        p[0]["gained"][0]["source"],
        "arn:aws:iam::aws:policy/AdministratorAccess"
    );
    let found = findings(&r, "aws_iam_role.ci_runner");
    let admin = found
        .iter()
        .find(|f| f["code"] == "PD011")
        .expect("PD011 through the path");
    assert_eq!(admin["severity"], "critical");
    assert_eq!(admin["address"], "aws_iam_role.deploy_admin");
    let message = admin["message"].as_str().unwrap();
    assert!(
        message.contains("can now become aws_iam_role.deploy_admin"),
        "{message}"
    );
    assert!(message.contains("administrator access"), "{message}");
    // The role it becomes leads on to the account-trusting analytics role, but an administrator
    // already has athena:*: nothing more to report, and no PD026 beside the PD011.
    assert!(found.iter().all(|f| f["code"] != "PD026"), "{found:#?}");
}

#[test]
fn a_path_that_existed_before_stays_quiet() {
    let r = report();
    // ci_runner could become deploy_reader before and still can: no path to it.
    let p = paths(&r, "aws_iam_role.ci_runner");
    assert!(p
        .iter()
        .all(|p| p["target"] != "aws_iam_role.deploy_reader"));
    assert!(paths(&r, "aws_iam_role.deploy_reader").is_empty());
    assert!(paths(&r, "aws_iam_role.analytics").is_empty());
}

#[test]
fn a_callers_own_new_permission_opens_a_path_to_an_account_trusting_role() {
    let r = report();
    let p = paths(&r, "aws_iam_role.reporting");
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(p[0]["target"], "aws_iam_role.analytics");
    assert_eq!(
        p[0]["opened_by"],
        serde_json::json!(["aws_iam_role_policy.reporting"])
    );
    let f = findings(&r, "aws_iam_role.reporting");
    let opened = f.iter().find(|f| f["code"] == "PD026").expect("PD026");
    assert_eq!(opened["severity"], "medium");
    assert_eq!(opened["address"], "aws_iam_role_policy.reporting");
    assert!(opened["message"].as_str().unwrap().contains("athena"));
}

#[test]
fn a_cycle_is_followed_once_and_reports_what_is_new() {
    let r = report();
    // cycle_a could already become cycle_b; now cycle_b can become cycle_a too.
    assert!(paths(&r, "aws_iam_role.cycle_a").is_empty());
    let p = paths(&r, "aws_iam_role.cycle_b");
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(p[0]["target"], "aws_iam_role.cycle_a");
    assert_eq!(p[0]["hops"].as_array().unwrap().len(), 1);
    assert!(p[0]["gained"][0]["actions"]
        .as_array()
        .unwrap()
        .contains(&Value::from("dynamodb:*")));
}

#[test]
fn the_comment_and_the_table_show_the_path_under_the_identity_that_gains() {
    let md = analyze(&plan("paths.json"), &["--format", "markdown"]).stdout();
    assert!(
        md.contains(
            "#### aws\\_iam\\_role.ci\\_runner: unchanged itself, can become 1 more identity"
        ),
        "{md}"
    );
    assert!(md.contains("**Can now become:** aws\\_iam\\_role.deploy\\_admin (opened by aws\\_iam\\_role.deploy\\_admin), gaining administrator access"));
    assert!(md.contains("**Can now become aws\\_iam\\_role.deploy\\_admin**"));
    let table = analyze(&plan("paths.json"), &[]).stdout();
    assert!(table.contains("aws_iam_role.ci_runner: unchanged itself, can become 1 more identity"));
    assert!(table.contains("can now become"));
}

#[test]
fn a_trust_naming_a_caller_in_its_account_needs_nothing_of_its_policies_but_their_limits() {
    let r = report();
    // solo has no sts:AssumeRole of its own: the trust naming it suffices, as IAM evaluates it.
    let p = paths(&r, "aws_iam_role.solo");
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(p[0]["target"], "aws_iam_role.queues");
    assert_eq!(
        p[0]["opened_by"],
        serde_json::json!(["aws_iam_role.queues"])
    );
    // Its own Deny, and a role's permissions boundary, still apply.
    assert!(paths(&r, "aws_iam_role.denied").is_empty());
    assert!(paths(&r, "aws_iam_role.bounded").is_empty());
}

#[test]
fn passing_an_administrator_role_to_a_new_function_names_the_role() {
    let r = report();
    let p = paths(&r, "aws_iam_role.builder");
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(p[0]["target"], "aws_iam_role.lambda_admin");
    assert_eq!(
        p[0]["opened_by"],
        serde_json::json!(["aws_iam_role_policy.builder"])
    );
    let hop = &p[0]["hops"][0];
    assert_eq!(hop["edge"], "pass-role");
    assert_eq!(hop["via"], "pass it to a new Lambda function and run it");
    assert_eq!(hop["request"]["action"], "iam:PassRole");
    assert_eq!(
        hop["request"]["resource"],
        "arn:aws:iam::111122223333:role/lambda-admin"
    );
    assert_eq!(
        hop["request"]["context"]["iam:PassedToService"],
        "lambda.amazonaws.com"
    );
    let with: Vec<&str> = hop["with"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["action"].as_str().unwrap())
        .collect();
    assert_eq!(with, ["lambda:CreateFunction", "lambda:InvokeFunction"]);
    let admin = findings(&r, "aws_iam_role.builder")
        .into_iter()
        .find(|f| f["code"] == "PD011")
        .expect("PD011 through the pass");
    let message = admin["message"].as_str().unwrap();
    assert!(
        message.contains("passes aws_iam_role.lambda_admin to a new Lambda function"),
        "{message}"
    );
    // lambda-reader could be passed before: no path to it.
    assert!(p
        .iter()
        .all(|p| p["target"] != "aws_iam_role.lambda_reader"));
}

#[test]
fn an_identity_that_became_an_administrator_itself_gains_nothing_through_a_path() {
    // ops_admin gets AdministratorAccess in this plan and may then assume the auditor role and
    // pass the deployer role: what it holds itself is reported on it, not as paths.
    let r = analyze(
        &plan("managed-attachments.json"),
        &["--format", "json", "--fail-on", "never"],
    );
    let r = r.json().unwrap();
    assert!(paths(&r, "aws_iam_role.ops_admin").is_empty());
    assert!(findings(&r, "aws_iam_role.ops_admin")
        .iter()
        .any(|f| f["code"] == "PD011"));
}

fn report_of(file: &str) -> Value {
    let r = analyze(&plan(file), &["--format", "json", "--fail-on", "never"]);
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    r.json().unwrap_or_else(|e| panic!("{e}"))
}

/// The one path of `address`, to `target`, by a single hop of `edge`; and its finding.
fn one_hop<'r>(r: &'r Value, address: &str, target: &str, edge: &str) -> (&'r Value, Value) {
    let p = paths(r, address);
    assert_eq!(p.len(), 1, "{address}: {p:#?}");
    assert_eq!(p[0]["target"], target);
    assert_eq!(p[0]["hops"].as_array().unwrap().len(), 1);
    assert_eq!(p[0]["hops"][0]["edge"], edge);
    let found: Vec<&Value> = findings(r, address)
        .into_iter()
        .filter(|f| f["code"] == "PD011" || f["code"] == "PD026")
        .filter(|f| f["message"].as_str().unwrap().contains("can now become"))
        .collect();
    assert_eq!(found.len(), 1, "{address}: {found:#?}");
    assert_eq!(found[0]["through"], target);
    (&p[0], found[0].clone())
}

#[test]
fn an_access_key_or_a_rewritten_trust_is_a_way_to_become_another() {
    let r = report();
    let (p, f) = one_hop(
        &r,
        "aws_iam_role.key_minter",
        "aws_iam_user.release_bot",
        "create-key",
    );
    assert_eq!(p["hops"][0]["request"]["action"], "iam:CreateAccessKey");
    assert_eq!(
        p["hops"][0]["request"]["resource"],
        "arn:aws:iam::111122223333:user/release-bot"
    );
    assert_eq!(
        p["opened_by"],
        serde_json::json!(["aws_iam_role_policy.key_minter"])
    );
    assert_eq!(f["code"], "PD026");
    assert!(p["gained"][0]["actions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a.as_str().unwrap().starts_with("ecr:")));

    let (p, f) = one_hop(
        &r,
        "aws_iam_role.trust_editor",
        "aws_iam_role.lambda_admin",
        "rewrite-trust",
    );
    assert_eq!(
        p["hops"][0]["request"]["action"],
        "iam:UpdateAssumeRolePolicy"
    );
    assert_eq!(p["administrator"], true);
    assert_eq!(f["code"], "PD011");
    assert_eq!(f["severity"], "critical");
}

#[test]
fn a_token_creator_on_an_owner_service_account_makes_the_caller_an_owner() {
    let r = report_of("paths-gcp.json");
    let ci = "serviceAccount:ci@acme-prod.iam.gserviceaccount.com";
    let (p, f) = one_hop(
        &r,
        ci,
        "serviceAccount:owner-sa@acme-prod.iam.gserviceaccount.com",
        "impersonate",
    );
    let request = &p["hops"][0]["request"];
    assert!(request["action"]
        .as_str()
        .unwrap()
        .starts_with("iam.serviceAccounts."));
    assert_eq!(
        request["resource"],
        "projects/acme-prod/serviceAccounts/owner-sa@acme-prod.iam.gserviceaccount.com"
    );
    assert_eq!(
        p["opened_by"],
        serde_json::json!(["google_service_account_iam_member.ci_token_creator"])
    );
    assert_eq!(p["administrator"], true);
    assert_eq!(f["code"], "PD011");
    assert!(f["message"]
        .as_str()
        .unwrap()
        .contains("administrator access: roles/owner"));

    // A token creator before the change: the path existed.
    assert!(paths(
        &r,
        "serviceAccount:deployer@acme-prod.iam.gserviceaccount.com"
    )
    .is_empty());
    // A key for a service account whose role the caller holds already: nothing to gain.
    assert!(paths(
        &r,
        "serviceAccount:auditor@acme-prod.iam.gserviceaccount.com"
    )
    .is_empty());

    // actAs on one service account, with compute the caller could already create.
    let (p, f) = one_hop(
        &r,
        "serviceAccount:builder@acme-prod.iam.gserviceaccount.com",
        "serviceAccount:runtime-sa@acme-prod.iam.gserviceaccount.com",
        "run-as",
    );
    let hop = &p["hops"][0];
    assert_eq!(hop["request"]["action"], "iam.serviceAccounts.actAs");
    assert_eq!(hop["with"][0]["action"], "run.services.create");
    assert_eq!(
        p["opened_by"],
        serde_json::json!(["google_service_account_iam_member.builder_acts_as_runtime"]),
        "the compute it could create before did not open the path"
    );
    assert_eq!(f["code"], "PD026");
}

#[test]
fn a_pod_in_a_namespace_runs_as_its_cluster_admin_service_account() {
    let r = report_of("paths-kubernetes.json");
    let runner = "system:serviceaccount:ci:runner";
    let p = paths(&r, runner);
    let targets: Vec<&str> = p.iter().map(|p| p["target"].as_str().unwrap()).collect();
    assert_eq!(
        targets,
        [
            "system:serviceaccount:build:image-builder",
            "system:serviceaccount:build:publisher"
        ]
    );
    let hop = &p[0]["hops"][0];
    assert_eq!(hop["edge"], "run-as");
    assert_eq!(hop["request"]["action"], "core:pods:create");
    assert_eq!(hop["request"]["resource"], "namespaces/build/example");
    assert_eq!(p[0]["administrator"], true);
    let codes: Vec<&str> = findings(&r, runner)
        .iter()
        .filter(|f| f["message"].as_str().unwrap().contains("can now become"))
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["PD011", "PD026"]);

    // Could start pods in build before: quiet.
    assert!(paths(&r, "system:serviceaccount:ops:operator").is_empty());

    let (p, f) = one_hop(
        &r,
        "User:dana",
        "system:serviceaccount:build:publisher",
        "impersonate",
    );
    assert_eq!(
        p["hops"][0]["request"]["resource"],
        "namespaces/build/publisher"
    );
    assert_eq!(f["code"], "PD026");
    assert!(p["gained"][0]["actions"]
        .as_array()
        .unwrap()
        .contains(&Value::from("core:secrets:get")));
    // What the path gains is judged by the rules of a direct grant: reading build's secrets.
    let secrets = findings(&r, "User:dana")
        .into_iter()
        .find(|f| f["code"] == "PD018")
        .expect("PD018 through the path");
    let message = secrets["message"].as_str().unwrap();
    assert!(
        message.contains("by becoming system:serviceaccount:build:publisher"),
        "{message}"
    );
    assert_eq!(secrets["address"], "kubernetes_role_binding_v1.dana");
    assert_eq!(
        secrets["requests"][0]["action"],
        "core:serviceaccounts:impersonate"
    );
    assert_eq!(secrets["requests"][1]["action"], "core:secrets:get");
    // The runner can become cluster-admin: its PD011 says it all, and publisher's secrets are
    // not listed beside it.
    assert!(!findings(&r, runner)
        .iter()
        .any(|f| f["message"].as_str().unwrap().contains("by becoming")));
}

#[test]
fn an_identity_operator_can_attach_an_owner_identity_to_a_vm() {
    let r = report_of("paths-azure.json");
    let pipeline = "principal:11111111-2222-4333-8444-000000000051";
    let (p, f) = one_hop(
        &r,
        pipeline,
        "azurerm_user_assigned_identity.ops_admin",
        "run-as",
    );
    let hop = &p["hops"][0];
    assert_eq!(
        hop["request"]["action"],
        "Action:Microsoft.ManagedIdentity/userAssignedIdentities/assign/action"
    );
    assert!(hop["request"]["resource"]
        .as_str()
        .unwrap()
        .ends_with("/userassignedidentities/ops-admin"));
    assert_eq!(
        hop["with"][0]["action"],
        "Action:Microsoft.Compute/virtualMachines/write"
    );
    assert_eq!(
        p["opened_by"],
        serde_json::json!(["azurerm_role_assignment.pipeline_identity"])
    );
    assert_eq!(p["administrator"], true);
    assert_eq!(f["code"], "PD011");
    // Held both roles before: the path existed.
    assert!(paths(&r, "principal:11111111-2222-4333-8444-000000000052").is_empty());
}
