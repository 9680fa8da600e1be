//! `privdiff rules` and `privdiff explain`, and for every rule a fixture plan that fires it and
//! one that does not.

mod common;

use common::*;

/// (code, a plan that fires it, a plan that does not). The plans that do not fire are near
/// misses where one exists: the same kind of change, made safely.
const CASES: &[(&str, &str, &str)] = &[
    ("PD001", "ci-role-widened.json", "equivalent-rewrite.json"),
    ("PD002", "trust-widened.json", "narrowed.json"),
    ("PD003", "unknown-policy.json", "ci-role-widened.json"),
    ("PD004", "created-deleted.json", "narrowed.json"),
    (
        "PD005",
        "resource-policies-storage.json",
        "public-access-block.json",
    ),
    ("PD006", "resource-policies-storage.json", "trust-oidc.json"),
    ("PD007", "trust-cross-account.json", "trust-oidc.json"),
    ("PD008", "trust-oidc.json", "trust-cross-account.json"),
    ("PD009", "trust-cross-account.json", "trust-oidc.json"),
    (
        "PD010",
        "public-access-block.json",
        "resource-policies-storage.json",
    ),
    ("PD011", "managed-attachments.json", "ci-role-widened.json"),
    ("PD012", "conditions.json", "ci-role-widened.json"),
    ("PD013", "notaction.json", "ci-role-widened.json"),
    ("PD014", "escalation.json", "escalation-quiet.json"),
    ("PD015", "escalation.json", "escalation-quiet.json"),
    ("PD016", "escalation.json", "escalation-quiet.json"),
    ("PD017", "exposure.json", "exposure-quiet.json"),
    ("PD018", "exposure.json", "exposure-quiet.json"),
    ("PD019", "exposure.json", "exposure-quiet.json"),
    ("PD020", "exposure.json", "exposure-quiet.json"),
    ("PD021", "escalation.json", "escalation-quiet.json"),
    (
        "PD022",
        "separation-of-duties.json",
        "escalation-quiet.json",
    ),
    (
        "PD024",
        "aws-credentials.json",
        "aws-resource-policies.json",
    ),
    ("PD025", "shared-role.json", "deploy-role.json"),
    ("PD026", "paths.json", "deploy-role.json"),
];

/// Rules about the config file rather than the plan: `tests/config.rs` fires each and not.
const CONFIG_RULES: &[&str] = &["PD023"];

fn codes(file: &str) -> Vec<String> {
    let r = analyze(&plan(file), &["--format", "json", "--fail-on", "never"]);
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    let report = r.json().unwrap_or_else(|e| panic!("{e}"));
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["code"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn every_rule_has_a_plan_that_fires_it_and_one_that_does_not() {
    let listed = run(&["rules"], None);
    assert_eq!(listed.code(), Some(0), "{}", listed.describe());
    let listed: Vec<String> = listed
        .stdout()
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|code| !CONFIG_RULES.contains(&code.as_str()))
        .collect();
    let covered: Vec<&str> = CASES.iter().map(|c| c.0).collect();
    assert_eq!(listed, covered, "every rule needs a case here");
    for (code, fires, quiet) in CASES {
        assert!(
            codes(fires).iter().any(|c| c == code),
            "{code} does not fire on {fires}"
        );
        assert!(
            !codes(quiet).iter().any(|c| c == code),
            "{code} fires on {quiet}"
        );
    }
}

#[test]
fn explain_prints_a_rule_and_refuses_an_unknown_code() {
    let r = run(&["explain", "pd006"], None);
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    let out = r.stdout();
    assert!(out.starts_with("# PD006 public-access\n"), "{out}");
    for section in [
        "## What it detects",
        "## Why it matters",
        "## Example",
        "## How to fix",
    ] {
        assert!(out.contains(section), "{section} missing:\n{out}");
    }
    let r = run(&["explain", "PD999\u{1b}[31m"], None);
    assert_eq!(r.code(), Some(2), "{}", r.describe());
    let err = r.stderr();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no rule") && !err.contains('\u{1b}'), "{err}");
}

/// The content rules (PD014–PD022) identity by identity: which ones each identity of the rule
/// fixtures fires, exactly. An empty list is a near miss that must stay quiet: a least-privilege
/// deploy role, a combination the identity already held, a fixed resource instead of any.
const BY_IDENTITY: &[(&str, &str, &[&str])] = &[
    ("escalation.json", "aws_iam_role.policy_admin", &["PD014"]),
    ("escalation.json", "aws_iam_role.self_editor", &["PD014"]),
    // `iam:UpdateAssumeRolePolicy` new, `sts:AssumeRole` from a policy that did not change.
    // Rewriting their trust, it can become fleet_launcher and hotfix, and do what they do.
    (
        "escalation.json",
        "aws_iam_role.trust_manager",
        &["PD014", "PD015", "PD016"],
    ),
    // `iam:PassRole` new, the Lambda actions from a policy that did not change. The role it
    // can pass, self_editor, may put a policy on itself: PD014 through the path.
    (
        "escalation.json",
        "aws_iam_role.lambda_deployer",
        &["PD014", "PD015"],
    ),
    ("escalation.json", "aws_iam_role.fleet_launcher", &["PD015"]),
    ("escalation.json", "aws_iam_role.hotfix", &["PD016"]),
    ("escalation.json", "aws_iam_role.sandbox", &["PD021"]),
    ("escalation-quiet.json", "aws_iam_role.orders_deployer", &[]),
    ("escalation-quiet.json", "aws_iam_role.bootstrap", &[]),
    ("escalation-quiet.json", "aws_iam_role.orders_hotfix", &[]),
    ("escalation-quiet.json", "aws_iam_role.legacy_launcher", &[]),
    ("escalation-quiet.json", "aws_iam_role.batch_launcher", &[]),
    ("escalation-quiet.json", "aws_iam_role.bounded", &[]),
    // It can now assume bucket_admin, which may set bucket policies.
    (
        "exposure.json",
        "aws_iam_role.ops_jump",
        &["PD017", "PD020"],
    ),
    ("exposure.json", "aws_iam_user.key_rotator", &["PD017"]),
    ("exposure.json", "aws_iam_role.config_reader", &["PD018"]),
    ("exposure.json", "aws_iam_role.param_reader", &["PD018"]),
    ("exposure.json", "aws_iam_role.analytics_export", &["PD019"]),
    ("exposure.json", "aws_iam_role.bucket_admin", &["PD020"]),
    ("exposure-quiet.json", "aws_iam_role.ci_image_push", &[]),
    ("exposure-quiet.json", "aws_iam_role.deploy_hop", &[]),
    ("exposure-quiet.json", "aws_iam_role.db_client", &[]),
    ("exposure-quiet.json", "aws_iam_role.artifact_fetcher", &[]),
    ("exposure-quiet.json", "aws_iam_role.site_publisher", &[]),
    (
        "separation-of-duties.json",
        "aws_iam_role.release_pipeline",
        &["PD022"],
    ),
    (
        "separation-of-duties.json",
        "aws_iam_role.ops_automation",
        &["PD022"],
    ),
    // `kms:Decrypt` arrives through a new group membership.
    (
        "separation-of-duties.json",
        "aws_iam_user.key_custodian",
        &["PD022"],
    ),
    (
        "separation-of-duties.json",
        "aws_iam_role.release_approver",
        &[],
    ),
    ("separation-of-duties.json", "aws_iam_group.key_users", &[]),
    // Administrator access says it all: no escalation route is listed beside it.
    ("managed-attachments.json", "aws_iam_role.ops_admin", &[]),
];

#[test]
fn content_rules_fire_on_the_identities_that_gained_them_and_no_others() {
    fired_exactly(BY_IDENTITY, |c| ("PD014".."PD023").contains(&c));
}

/// Checks that each identity of `table` fires exactly its listed codes among those `counted`.
fn fired_exactly(table: &[(&str, &str, &[&str])], counted: fn(&str) -> bool) {
    let mut reports = std::collections::BTreeMap::new();
    for (file, identity, expected) in table {
        let report = reports.entry(*file).or_insert_with(|| {
            let r = analyze(&plan(file), &["--format", "json", "--fail-on", "never"]);
            r.json().unwrap_or_else(|e| panic!("{file}: {e}"))
        });
        assert!(
            report["identities"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["address"] == *identity),
            "{file} has no {identity}"
        );
        let fired: Vec<&str> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["identity"] == *identity)
            .filter_map(|f| f["code"].as_str())
            .filter(|c| counted(c))
            .collect();
        assert_eq!(&fired, expected, "{file}: {identity}");
    }
}

#[test]
fn a_combination_names_each_request_and_the_grant_that_completed_it() {
    let r = analyze(
        &plan("escalation.json"),
        &["--format", "json", "--fail-on", "never"],
    );
    let report = r.json().unwrap();
    let f = finding(&report, "aws_iam_role.lambda_deployer", "PD015");
    let actions = request_actions(&f);
    assert_eq!(
        actions,
        [
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:InvokeFunction"
        ]
    );
    assert_eq!(
        f["requests"][0]["resource"],
        "arn:aws:iam::111122223333:role/<any-name>"
    );
    // Only the new policy completed it; the Lambda half was there before.
    assert_eq!(
        f["grants"],
        serde_json::json!(["aws_iam_role_policy.lambda_deployer_pass"])
    );
    assert_eq!(f["address"], "aws_iam_role_policy.lambda_deployer_pass");
}

/// The rules for GCP members (and, as they land, Azure principals and Kubernetes subjects):
/// which of PD006, PD011 and PD014–PD022 each fires, exactly, in code order. An empty list is a
/// near miss that must stay quiet.
const CLOUD_BY_IDENTITY: &[(&str, &str, &[&str])] = &[
    // Administrator access says it all: none of the routes it implies is listed beside it.
    // As owner of acme-prod it can also mint tokens for roaming-owner, owner of acme-dev: the
    // second PD011 is that path.
    (
        "gcp-risks.json",
        "serviceAccount:admin@acme-prod.iam.gserviceaccount.com",
        &["PD011", "PD011"],
    ),
    // Owner of another project already: owner of this one is still news.
    (
        "gcp-risks.json",
        "serviceAccount:roaming-owner@acme-prod.iam.gserviceaccount.com",
        &["PD011"],
    ),
    (
        "gcp-risks.json",
        "serviceAccount:temp-owner@acme-prod.iam.gserviceaccount.com",
        // Its own owner role under a time condition; through the owners it can now
        // impersonate, owner without one.
        &["PD011", "PD011"],
    ),
    (
        "gcp-risks.json",
        "serviceAccount:iam-admin@acme-prod.iam.gserviceaccount.com",
        &["PD014"],
    ),
    (
        "gcp-risks.json",
        "serviceAccount:impersonator@acme-prod.iam.gserviceaccount.com",
        // A token creator on the whole project can become its owners: that says it all.
        &["PD011", "PD017"],
    ),
    // Admin of one bucket: may share that bucket, not every bucket.
    (
        "gcp-risks.json",
        "serviceAccount:bucket-admin@acme-prod.iam.gserviceaccount.com",
        &["PD020"],
    ),
    // The identity running Terraform grants itself the project's IAM.
    (
        "gcp-risks.json",
        "serviceAccount:terraform@acme-prod.iam.gserviceaccount.com",
        &["PD014"],
    ),
    // `actAs` held before; the plan adds the compute half.
    (
        "gcp-risks.json",
        "serviceAccount:launcher@acme-prod.iam.gserviceaccount.com",
        // And so it can run compute as the project's owners.
        &["PD011", "PD015"],
    ),
    ("gcp-risks.json", "allAuthenticatedUsers", &["PD006"]),
    // roles/editor: act as any service account with compute to run, builds, service account
    // keys, and the service-account admin-and-user pair; not secret values, object data or
    // IAM policy changes, which editor does not have. But the keys it may create let it become
    // app and batch, which read secrets, and reporter, which reads every table: PD018 and
    // PD019 through those paths.
    (
        "gcp-project-iam.json",
        "serviceAccount:ci@acme-prod.iam.gserviceaccount.com",
        &["PD015", "PD016", "PD017", "PD018", "PD019", "PD022"],
    ),
    // roles/iam.serviceAccountUser on the whole project (CIS GCP 1.6).
    (
        "gcp-project-iam.json",
        "user:carol@acme.example",
        &["PD015"],
    ),
    (
        "gcp-project-iam.json",
        "serviceAccount:builder@acme-prod.iam.gserviceaccount.com",
        &["PD017"],
    ),
    // Its secret access loses its time condition.
    (
        "gcp-project-iam.json",
        "serviceAccount:batch@acme-prod.iam.gserviceaccount.com",
        &["PD018"],
    ),
    ("gcp-project-iam.json", "allUsers", &["PD006"]),
    (
        "gcp-project-iam.json",
        "serviceAccount:deployer@acme-prod.iam.gserviceaccount.com",
        &[],
    ),
    // Owner moved from a resource group up to the subscription.
    (
        "azure-risks.json",
        "principal:11111111-2222-4333-8444-000000000101",
        &["PD011"],
    ),
    // Contributor moved up: what it could do in one resource group, now in all of them.
    (
        "azure-risks.json",
        "principal:11111111-2222-4333-8444-000000000102",
        &["PD015", "PD016", "PD017"],
    ),
    (
        "azure-risks.json",
        "principal:11111111-2222-4333-8444-000000000103",
        &["PD014"],
    ),
    (
        "azure-risks.json",
        "principal:11111111-2222-4333-8444-000000000104",
        &["PD014"],
    ),
    (
        "azure-risks.json",
        "principal:11111111-2222-4333-8444-000000000105",
        &["PD019"],
    ),
    (
        "azure-risks.json",
        "principal:11111111-2222-4333-8444-000000000106",
        &[],
    ),
    (
        "azure-risks.json",
        "principal:11111111-2222-4333-8444-000000000107",
        &[],
    ),
    // Reader to Owner on a resource group: the resource group's administrator.
    (
        "azure-rbac.json",
        "principal:11111111-2222-4333-8444-000000000003",
        &["PD011"],
    ),
    // A new identity with Contributor on a resource group.
    (
        "azure-rbac.json",
        "azurerm_user_assigned_identity.deployer",
        &["PD015", "PD016", "PD017"],
    ),
    ("azure-rbac.json", "azurerm_linux_web_app.api", &["PD018"]),
    // Reader moved up to the subscription: wider, but nothing a rule names.
    ("azure-rbac.json", "azurerm_user_assigned_identity.ci", &[]),
    (
        "kubernetes-rbac.json",
        "system:serviceaccount:ci:deployer",
        &["PD011"],
    ),
    // `view` to `edit` in one namespace: edit impersonates the namespace's service accounts,
    // execs into its pods, requests their tokens and reads its secrets.
    (
        "kubernetes-rbac.json",
        "User:alice",
        &["PD014", "PD016", "PD017", "PD018"],
    ),
    ("kubernetes-rbac.json", "User:system:anonymous", &["PD006"]),
    (
        "kubernetes-rbac.json",
        "system:serviceaccount:shop:debugger",
        &["PD016"],
    ),
    // `view` from one namespace to the cluster: wider, but `view` reads no secrets.
    ("kubernetes-rbac.json", "Group:sre", &[]),
    (
        "kubernetes-manifest.json",
        "system:serviceaccount:monitoring:prometheus",
        &[],
    ),
    // Owner kept, a data role added: Owner's `*` never reached the data plane.
    (
        "azure-rbac.json",
        "principal:11111111-2222-4333-8444-000000000009",
        &[],
    ),
    (
        "gcp-risks.json",
        "serviceAccount:reader@acme-prod.iam.gserviceaccount.com",
        &[],
    ),
    (
        "gcp-risks.json",
        "serviceAccount:one-sa-user@acme-prod.iam.gserviceaccount.com",
        &[],
    ),
    (
        "gcp-risks.json",
        "serviceAccount:steady-owner@acme-prod.iam.gserviceaccount.com",
        &[],
    ),
];

#[test]
fn cloud_rules_fire_on_the_members_that_gained_them_and_no_others() {
    fired_exactly(CLOUD_BY_IDENTITY, |c| {
        c == "PD006" || c == "PD011" || ("PD014".."PD023").contains(&c)
    });
}

#[test]
fn a_gcp_finding_names_the_place_and_the_grant() {
    let r = analyze(
        &plan("gcp-risks.json"),
        &["--format", "json", "--fail-on", "never"],
    );
    let report = r.json().unwrap();
    let find = |who: &str, code: &str| {
        finding(
            &report,
            &format!("serviceAccount:{who}@acme-prod.iam.gserviceaccount.com"),
            code,
        )
    };
    let f = find("admin", "PD011");
    assert_eq!(f["severity"], "critical");
    assert_eq!(f["requests"][0]["action"], "*");
    assert_eq!(f["requests"][0]["resource"], "projects/acme-prod");
    assert_eq!(f["address"], "google_project_iam_member.admin_owner");
    // A conditional grant still grants; the example says under which condition.
    let f = find("temp-owner", "PD011");
    let context = f["requests"][0]["context"].as_object().unwrap();
    assert!(
        context.keys().any(|k| k.contains("2027-01-01")),
        "{context:?}"
    );
    let f = find("launcher", "PD015");
    assert_eq!(f["severity"], "high");
    let actions = request_actions(&f);
    assert_eq!(
        actions,
        ["iam.serviceAccounts.actAs", "compute.instances.create"]
    );
    assert_eq!(
        f["grants"].as_array().unwrap().len(),
        1,
        "only the new compute role completed it: {f}"
    );
    // Granted to everyone, one grant is one finding: public-access, not also a bare widening.
    let public = finding_codes(&report, "allAuthenticatedUsers");
    assert_eq!(public, ["PD006"]);
    // Bound on one bucket, the exposure is that bucket's, and said so.
    let f = find("bucket-admin", "PD020");
    assert_eq!(f["severity"], "medium");
    assert_eq!(
        f["requests"][0]["resource"],
        "projects/_/buckets/acme-shared-reports"
    );
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("the resource it is granted on"),
        "{message}"
    );
    // The identity running Terraform is named as such, by the data source that reads it.
    let me = "serviceAccount:terraform@acme-prod.iam.gserviceaccount.com";
    let id = identity(&report, me).unwrap();
    assert_eq!(id["kind"], "gcp_deploying_identity");
    assert_eq!(id["name"], "data.google_client_openid_userinfo.me");
    let others = identity(
        &report,
        "serviceAccount:admin@acme-prod.iam.gserviceaccount.com",
    )
    .unwrap();
    assert_eq!(others["kind"], "gcp_member");
}

#[test]
fn a_role_moved_up_the_azure_tree_is_graver_where_it_lands() {
    let r = analyze(
        &plan("azure-risks.json"),
        &["--format", "json", "--fail-on", "never"],
    );
    let report = r.json().unwrap();
    let find = |n: u32, code: &str| {
        finding(
            &report,
            &format!("principal:11111111-2222-4333-8444-{n:012}"),
            code,
        )
    };
    // Owner at the subscription is critical; the same on a resource group would be high.
    let f = find(101, "PD011");
    assert_eq!(f["severity"], "critical");
    assert_eq!(
        f["requests"][1]["action"],
        "Action:Microsoft.Authorization/roleAssignments/write"
    );
    assert_eq!(
        f["requests"][1]["resource"],
        "/subscriptions/00000000-aaaa-4bbb-8ccc-000000000001"
    );
    assert_eq!(find(103, "PD014")["severity"], "critical");
    assert_eq!(find(104, "PD014")["severity"], "high");
    // Contributor held these on app-rg before: the example is on the subscription.
    let f = find(102, "PD016");
    assert_eq!(
        f["requests"][0]["resource"],
        "/subscriptions/00000000-aaaa-4bbb-8ccc-000000000001"
    );
    // The gate fails on the critical findings by default.
    let gated = analyze(&plan("azure-risks.json"), &["--format", "json"]);
    assert_eq!(gated.code(), Some(1), "{}", gated.describe());
}

/// The finding of `code` on `identity` in a JSON report.
fn finding(report: &serde_json::Value, identity: &str, code: &str) -> serde_json::Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["identity"] == identity && f["code"] == code)
        .unwrap_or_else(|| panic!("{code} on {identity}"))
        .clone()
}
