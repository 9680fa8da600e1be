//! Azure RBAC end to end: witnesses on Azure scopes, `--azure-roles`, sensitive principals.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

const SUB: &str = "/subscriptions/00000000-aaaa-4bbb-8ccc-000000000001";
const VENDOR: &str = "principal:11111111-2222-4333-8444-000000000010";

fn report(file: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json", "--fail-on", "never"];
    args.extend_from_slice(extra);
    let r = analyze(file, &args);
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    r.json().unwrap_or_else(|e| panic!("{e}"))
}

fn witness(report: &Value, address: &str) -> (String, String) {
    let id = identity(report, address).unwrap_or_else(|| panic!("no {address}"));
    let w = &id["witness"];
    let s = |k: &str| {
        w[k].as_str()
            .unwrap_or_else(|| panic!("{id:#}"))
            .to_string()
    };
    (s("action"), s("resource"))
}

fn roles_file(dir: &Path, text: &str) -> String {
    let path = dir.join("roles.json");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn moving_an_assignment_to_the_subscription_is_witnessed_on_the_subscription() {
    let r = report(&plan("azure-rbac.json"), &[]);
    let (action, resource) = witness(&r, "azurerm_user_assigned_identity.ci");
    assert!(action.starts_with("Action:Microsoft."), "{action}");
    assert!(action.ends_with("/read"), "{action}");
    assert_eq!(resource, SUB);
    let ci = identity(&r, "azurerm_user_assigned_identity.ci").unwrap();
    assert_eq!(ci["kind"], "azure_user_assigned_identity");
}

#[test]
fn owner_to_reader_and_back_are_witnessed_by_authorization_writes() {
    let r = report(&plan("azure-rbac.json"), &[]);
    let (action, _) = witness(&r, "principal:11111111-2222-4333-8444-000000000003");
    assert_eq!(
        action,
        "Action:Microsoft.Authorization/roleAssignments/write"
    );
    // Owner's `*` is no data action: the added data role is the widening.
    let (action, _) = witness(&r, "principal:11111111-2222-4333-8444-000000000009");
    assert_eq!(
        action,
        "DataAction:Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
    );
}

#[test]
fn a_custom_role_losing_a_not_action_shows_the_subtraction() {
    let r = report(&plan("azure-rbac.json"), &[]);
    let (action, _) = witness(&r, "principal:11111111-2222-4333-8444-000000000008");
    assert_eq!(action, "Action:Microsoft.Compute/virtualMachines/write");
    let id = identity(&r, "principal:11111111-2222-4333-8444-000000000008").unwrap();
    assert_eq!(
        id["added"][0]["except_actions"],
        serde_json::json!(["Action:Microsoft.Compute/virtualMachines/delete"])
    );
}

#[test]
fn a_role_file_expands_a_role_no_table_has() {
    let dir = tempfile::tempdir().unwrap();
    let file = roles_file(
        dir.path(),
        r#"[{"roleName": "Vendor Storage", "name": "7d2f4b1c-0000-4aaa-8bbb-123456789abc",
             "roleType": "CustomRole", "assignableScopes": ["/"],
             "permissions": [{"actions": ["Microsoft.Storage/storageAccounts/listKeys/action"],
                              "notActions": [], "dataActions": [], "notDataActions": []}]}]"#,
    );
    let without = report(&plan("azure-rbac.json"), &[]);
    assert_eq!(
        identity(&without, VENDOR).unwrap()["verdict"],
        "unverifiable"
    );
    let with = report(&plan("azure-rbac.json"), &["--azure-roles", &file]);
    assert_eq!(identity(&with, VENDOR).unwrap()["verdict"], "widened");
    let (action, _) = witness(&with, VENDOR);
    assert_eq!(
        action,
        "Action:Microsoft.Storage/storageAccounts/listKeys/action"
    );
}

#[test]
fn a_role_file_takes_precedence_over_the_builtin_table() {
    let dir = tempfile::tempdir().unwrap();
    // A single object, as saved from `az role definition list --name Reader`[0].
    let file = roles_file(
        dir.path(),
        r#"{"roleName": "Reader", "name": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
            "permissions": [{"actions": ["Microsoft.Network/*/read"]}]}"#,
    );
    let r = report(&plan("azure-rbac.json"), &["--azure-roles", &file]);
    let (action, resource) = witness(&r, "azurerm_user_assigned_identity.ci");
    assert!(action.starts_with("Action:Microsoft.Network/"), "{action}");
    assert_eq!(resource, SUB);
}

#[test]
fn the_complete_catalog_loads_as_a_role_file() {
    let Some(path) = optional::shared("catalogs/azure-role-definitions.json") else {
        return;
    };
    let r = report(
        &plan("azure-rbac.json"),
        &["--azure-roles", path.to_str().unwrap()],
    );
    for (address, verdict) in [
        ("azurerm_user_assigned_identity.ci", "widened"),
        ("principal:11111111-2222-4333-8444-000000000004", "narrowed"),
        (
            "principal:11111111-2222-4333-8444-000000000007",
            "unchanged",
        ),
    ] {
        assert_eq!(
            identity(&r, address).unwrap()["verdict"],
            verdict,
            "{address}"
        );
    }
}

#[test]
fn a_bad_role_file_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    for text in [
        "{",
        "[1]",
        r#"[{"roleName": "A", "name": "g", "permissions": [{"actions": "*"}]}]"#,
    ] {
        let file = roles_file(dir.path(), text);
        let r = analyze(&plan("azure-rbac.json"), &["--azure-roles", &file]);
        clean_input_error(&r).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert!(r.stderr().contains("--azure-roles"), "{}", r.describe());
    }
    let missing = dir.path().join("absent.json");
    let r = analyze(
        &plan("azure-rbac.json"),
        &["--azure-roles", missing.to_str().unwrap()],
    );
    clean_input_error(&r).unwrap_or_else(|e| panic!("missing file: {e}"));
}

/// `azure-rbac.json` with `attribute` of `address` marked sensitive after apply, written to a
/// file in `dir`; checks that no output format prints `secret`.
fn with_sensitive(dir: &Path, address: &str, attribute: &str, secret: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string(plan("azure-rbac.json")).unwrap();
    assert!(text.contains(secret));
    let mut p: Value = serde_json::from_str(&text).unwrap();
    for rc in p["resource_changes"].as_array_mut().unwrap() {
        if rc["address"] == address {
            rc["change"]["after_sensitive"][attribute] = Value::Bool(true);
        }
    }
    let path = dir.join("plan.json");
    std::fs::write(&path, serde_json::to_vec(&p).unwrap()).unwrap();
    for format in ["table", "markdown", "json", "sarif", "github", "gitlab"] {
        let r = analyze(&path, &["--format", format, "--fail-on", "never"]);
        assert_eq!(r.code(), Some(0), "{}", r.describe());
        assert!(!r.stdout().contains(secret), "{format}: {}", r.stdout());
    }
    path
}

#[test]
fn a_sensitive_scope_is_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    let path = with_sensitive(
        dir.path(),
        "azurerm_role_assignment.analyst_blobs",
        "scope",
        "acmedata",
    );
    let r = report(&path, &[]);
    let id = identity(&r, "principal:11111111-2222-4333-8444-000000000009").unwrap();
    assert_eq!(id["verdict"], "widened");
}

#[test]
fn a_sensitive_principal_is_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    let secret = "11111111-2222-4333-8444-000000000010";
    let path = with_sensitive(
        dir.path(),
        "azurerm_role_assignment.vendor",
        "principal_id",
        secret,
    );
    let r = report(&path, &[]);
    let hidden = identity(
        &r,
        "(sensitive principal of azurerm_role_assignment.vendor)",
    )
    .expect("a placeholder stands for the principal");
    assert_eq!(hidden["verdict"], "unverifiable");
}

#[test]
fn a_role_on_one_resource_grants_only_what_applies_to_its_type() {
    let r = report(&plan("azure-resource-scopes.json"), &[]);
    let p = |n: u32| format!("principal:11111111-2222-4333-8444-{n:012}");
    // Contributor on a firewall: no virtual machine to run commands on, no account keys.
    let firewall = finding_codes(&r, &p(111));
    assert_eq!(firewall, ["PD001"], "{r:#}");
    let (action, resource) = witness(&r, &p(111));
    assert_eq!(action, "Action:Microsoft.Network/azureFirewalls/write");
    assert!(resource.ends_with("/azureFirewalls/fw-edge"), "{resource}");
    let added = &identity(&r, &p(111)).unwrap()["added"][0]["actions"];
    let added: Vec<&str> = added
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(
        added.contains(&"Action:Microsoft.Network/azureFirewalls/*"),
        "{added:?}"
    );
    assert!(!added.iter().any(|a| a.contains("Compute")), "{added:?}");
    // The same role on the resource group reaches virtual machines and storage accounts.
    let group = finding_codes(&r, &p(112));
    for code in ["PD016", "PD017"] {
        assert!(group.contains(&code), "{group:?}");
    }
    // Owner on a storage account may assign roles on it and list its keys, and no more.
    let owner = finding_codes(&r, &p(115));
    assert!(
        owner.contains(&"PD014") && owner.contains(&"PD017"),
        "{owner:?}"
    );
    assert!(
        !owner.contains(&"PD011") && !owner.contains(&"PD016"),
        "{owner:?}"
    );
    // A Key Vault role on a storage account grants nothing, and the report says so.
    let misplaced = identity(&r, &p(114)).unwrap();
    assert_eq!(misplaced["verdict"], "unchanged");
    assert!(finding_codes(&r, &p(114)).is_empty());
    let notes = misplaced["notes"].to_string();
    assert!(notes.contains("grants nothing"), "{notes}");
    // The identity running Terraform is named as the plan reads it, not by its object id.
    let me = identity(&r, "data.azurerm_client_config.current").expect("the deployer");
    assert_eq!(me["kind"], "azure_deploying_identity");
    assert_eq!(me["verdict"], "widened");
    let me_codes = finding_codes(&r, "data.azurerm_client_config.current");
    assert!(me_codes.contains(&"PD016"), "{me_codes:?}");
    assert!(identity(&r, &p(116)).is_none());
}

#[test]
fn principals_known_by_object_id_are_named_from_the_names_file() {
    let dir = tempfile::tempdir().unwrap();
    let names = dir.path().join("names.json");
    // Upper case, as some exports print object ids: Azure compares them without case.
    std::fs::write(
        &names,
        r#"{"11111111-2222-4333-8444-000000000009": "analyst <Ann>",
            "11111111-2222-4333-8444-00000000000A": "unused"}"#,
    )
    .unwrap();
    let names = names.to_str().unwrap();
    let analyst = "principal:11111111-2222-4333-8444-000000000009";
    let r = report(&plan("azure-rbac.json"), &["--principal-names", names]);
    let id = identity(&r, analyst).unwrap();
    assert_eq!(id["name"], "analyst <Ann>");
    assert_eq!(id["principal_type"], "User");
    // Without the file, the id is all there is.
    let bare = report(&plan("azure-rbac.json"), &[]);
    assert_eq!(identity(&bare, analyst).unwrap()["name"], Value::Null);
    // Every format names it where it names the principal, escaped.
    let md = analyze(
        &plan("azure-rbac.json"),
        &["--format", "markdown", "--principal-names", names],
    )
    .stdout();
    assert!(
        md.contains(&format!("{analyst} (analyst &lt;Ann&gt;)")),
        "{md}"
    );
    assert!(md.contains("Principal type: User"), "{md}");
    let table = analyze(
        &plan("azure-rbac.json"),
        &["--format", "table", "--principal-names", names],
    )
    .stdout();
    assert!(table.contains("analyst <Ann>"), "{table}");
    assert!(table.contains("azure_principal, User"), "{table}");
}

#[test]
fn a_names_file_that_is_not_a_name_map_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let names = dir.path().join("names.json");
    std::fs::write(&names, r#"["11111111-2222-4333-8444-000000000009"]"#).unwrap();
    let r = analyze(
        &plan("azure-rbac.json"),
        &["--principal-names", names.to_str().unwrap()],
    );
    if let Err(e) = clean_input_error(&r) {
        panic!("{e}: {}", r.describe());
    }
    assert!(r.stderr().contains("--principal-names"), "{}", r.stderr());
}
