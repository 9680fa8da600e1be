use super::*;
use crate::analyze::tests::verdicts;
use crate::compare::{compare, evaluate, Limits};
use crate::model::{Decision, GrantKind, Request, Scope};
use crate::providers::azure::vocabulary::Azure;

const RG: &str = "/subscriptions/s1/resourceGroups/app";

fn grant(actions: &[&str], except: &[&str], scope: &str, under: &[String]) -> Scope {
    let ops = |l: &[&str]| {
        l.iter()
            .map(|a| {
                (
                    format!("{AZURE_ACTION}{}", a.to_lowercase()),
                    format!("Action:{a}"),
                )
            })
            .collect()
    };
    Scope {
        statements: statement(ops(actions), ops(except), scope, under, &[], 0)
            .into_iter()
            .collect(),
        boundary: None,
    }
}

fn request(action: &str, resource: &str) -> Request {
    Request {
        principal: String::new(),
        action: action.to_string(),
        resource: resource.to_string(),
        context: Vec::new(),
    }
}

#[test]
fn a_scope_covers_what_is_under_it_whatever_the_case() {
    let s = grant(&["*/read"], &[], RG, &[]);
    let vm = format!(
        "{}/providers/Microsoft.Compute/virtualMachines/vm1",
        RG.to_uppercase()
    );
    let read = "action:microsoft.compute/virtualmachines/read";
    assert_eq!(
        evaluate(&s, &request(read, &vm.to_lowercase())),
        Decision::Allowed
    );
    let other = "/subscriptions/s1/resourcegroups/application";
    assert_eq!(evaluate(&s, &request(read, other)), Decision::NotAllowed);
    let same = grant(&["*/read"], &[], &format!("{}/", RG.to_lowercase()), &[]);
    assert!(s.same_statements(&same));
}

#[test]
fn a_management_group_scope_covers_the_subscriptions_the_plan_puts_under_it() {
    let mg = "/providers/Microsoft.Management/managementGroups/platform";
    let on_sub = grant(&["*"], &[], "/subscriptions/s1", &[]);
    let on_mg = grant(&["*"], &[], mg, &["/subscriptions/s1".to_string()]);
    assert!(compare(&on_mg, &on_sub, &Limits::default(), &Azure)
        .unwrap()
        .is_empty());
    let up = compare(&on_sub, &on_mg, &Limits::default(), &Azure).unwrap();
    assert_eq!(up.witness().unwrap().resource, mg);
}

#[test]
fn a_role_without_actions_grants_nothing() {
    assert!(statement(Vec::new(), Vec::new(), RG, &[], &[], 0).is_none());
}

#[test]
fn wildcards_in_a_scope_are_literal() {
    let s = grant(&["*"], &[], "/subscriptions/*", &[]);
    let r = request(
        "action:microsoft.compute/virtualmachines/read",
        "/subscriptions/s1",
    );
    assert_eq!(evaluate(&s, &r), Decision::NotAllowed);
}

fn analyse(changes: serde_json::Value, configuration: serde_json::Value) -> crate::report::Report {
    crate::analyze::tests::analyse(changes, configuration, &Default::default())
}

fn created(
    address: &str,
    after: serde_json::Value,
    unknown: serde_json::Value,
) -> serde_json::Value {
    let (kind, name) = address.split_once('.').unwrap();
    serde_json::json!({
        "address": address, "mode": "managed", "type": kind, "name": name,
        "change": {"actions": ["create"], "before": null, "after": after, "after_unknown": unknown}
    })
}

#[test]
fn a_new_custom_role_is_found_through_the_configuration() {
    let role = created(
        "azurerm_role_definition.r",
        serde_json::json!({"name": "Deployer", "scope": RG, "permissions": [
            {"actions": ["Microsoft.Web/sites/*"], "not_actions": [], "data_actions": [], "not_data_actions": []}]}),
        serde_json::json!({"role_definition_id": true, "role_definition_resource_id": true}),
    );
    let assignment = created(
        "azurerm_role_assignment.a",
        serde_json::json!({"principal_id": "p1", "scope": RG}),
        serde_json::json!({"role_definition_id": true, "role_definition_name": true}),
    );
    let config = serde_json::json!({"root_module": {"resources": [{
        "address": "azurerm_role_assignment.a", "mode": "managed", "type": "azurerm_role_assignment",
        "name": "a", "expressions": {"role_definition_id": {"references": [
            "azurerm_role_definition.r.role_definition_resource_id", "azurerm_role_definition.r"]}}}]}});
    let r = analyse(serde_json::json!([role, assignment]), config);
    assert_eq!(
        verdicts(&r),
        [("principal:p1".to_string(), "Widened".to_string())]
    );
    let w = r.identities[0].witness.as_ref().unwrap();
    assert!(
        w.action.starts_with("Action:Microsoft.Web/sites/"),
        "{}",
        w.action
    );
}

#[test]
fn a_role_known_only_after_apply_is_unverifiable() {
    let assignment = created(
        "azurerm_role_assignment.a",
        serde_json::json!({"principal_id": "p1", "scope": RG}),
        serde_json::json!({"role_definition_id": true, "role_definition_name": true}),
    );
    let r = analyse(serde_json::json!([assignment]), serde_json::json!({}));
    assert_eq!(
        verdicts(&r),
        [("principal:p1".to_string(), "Unverifiable".to_string())]
    );
}

#[test]
fn hostile_values_are_read_as_unknown_or_absent() {
    // Each assignment beside a custom role named `Owner` whose `permissions` is not a list (so
    // it holds no permission blocks) and a management group with ids that are not text. Each
    // comes with its one identity, verdict, and what made it unverifiable (an attribute taken as
    // unknown, or the kind of a grant that could not be expanded).
    use serde_json::json;
    let later = "(principal of azurerm_role_assignment.a known after apply)";
    let cases = [
        // A principal id that is not text: whose the assignment is, is unknown.
        (
            json!({"principal_id": 7, "scope": ["x"], "role_definition_name": {"a": 1}}),
            (later, "Unverifiable"),
            Some("principal_id"),
        ),
        // So is an empty scope.
        (
            json!({"principal_id": "p", "scope": "", "role_definition_name": "Owner"}),
            ("principal:p", "Unverifiable"),
            Some("scope"),
        ),
        // A role id that names no role is not expanded.
        (
            json!({"principal_id": "p", "scope": "/", "role_definition_id": "/roleDefinitions/"}),
            ("principal:p", "Unverifiable"),
            Some("role-unexpanded"),
        ),
        // `Owner` names the plan's own role before the built-in one, and that role grants
        // nothing (a `permissions` that is not a list is read as no permission blocks).
        (
            json!({"principal_id": "p", "scope": RG, "role_definition_name": "Owner", "condition": 3}),
            ("principal:p", "Unchanged"),
            None,
        ),
        // A condition that is not text restricts nothing: Reader on the group is new.
        (
            json!({"principal_id": "p", "scope": RG, "role_definition_name": "Reader", "condition": 3}),
            ("principal:p", "Widened"),
            None,
        ),
    ];
    for (after, (address, verdict), why) in cases {
        let what = after.to_string();
        let a = created("azurerm_role_assignment.a", after, json!({}));
        let role = created(
            "azurerm_role_definition.r",
            json!({"name": "Owner", "permissions": "all", "role_definition_id": 5}),
            json!({}),
        );
        let mg = created(
            "azurerm_management_group.m",
            json!({"name": "m", "subscription_ids": [1, null, "s1"]}),
            json!({}),
        );
        let r = analyse(json!([a, role, mg]), json!({}));
        assert_eq!(
            verdicts(&r),
            [(address.to_string(), verdict.to_string())],
            "{what}"
        );
        let id = &r.identities[0];
        let reasons: Vec<&str> = id
            .unknown
            .iter()
            .map(|u| u.attribute.as_str())
            .chain(
                id.added
                    .iter()
                    .filter_map(|g| g.kind.map(GrantKind::as_str)),
            )
            .collect();
        assert_eq!(reasons, Vec::from_iter(why), "{what}");
    }
}

#[test]
fn a_removed_condition_widens_and_the_same_condition_compares_equal() {
    let read = vec![(
        "dataaction:microsoft.storage/storageaccounts/blobservices/containers/blobs/read"
            .to_string(),
        "DataAction:Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
            .to_string(),
    )];
    let cond = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'"
        .to_string();
    let with = |c: Option<&String>| Scope {
        statements: statement(read.clone(), Vec::new(), RG, &[], &[c], 0)
            .into_iter()
            .collect(),
        boundary: None,
    };
    let limits = Limits::default();
    assert!(
        compare(&with(Some(&cond)), &with(Some(&cond)), &limits, &Azure)
            .unwrap()
            .is_empty()
    );
    assert!(compare(&with(None), &with(Some(&cond)), &limits, &Azure)
        .unwrap()
        .is_empty());
    let up = compare(&with(Some(&cond)), &with(None), &limits, &Azure).unwrap();
    assert!(up.witness().unwrap().action.starts_with("DataAction:"));
}

#[test]
fn custom_role_permissions_known_only_after_apply_are_unverifiable() {
    let before = serde_json::json!({"name": "Ops", "role_definition_id": "g1", "permissions": [
        {"actions": ["Microsoft.Web/sites/read"], "not_actions": [], "data_actions": [], "not_data_actions": []}]});
    let role = serde_json::json!({
        "address": "azurerm_role_definition.r", "mode": "managed", "type": "azurerm_role_definition", "name": "r",
        "change": {"actions": ["update"], "before": before,
                   "after": {"name": "Ops", "role_definition_id": "g1"},
                   "after_unknown": {"permissions": true}}
    });
    let state = serde_json::json!({"principal_id": "p1", "scope": RG, "role_definition_name": "Ops",
                                   "role_definition_id": "/providers/Microsoft.Authorization/roleDefinitions/g1"});
    let assignment = serde_json::json!({
        "address": "azurerm_role_assignment.a", "mode": "managed", "type": "azurerm_role_assignment", "name": "a",
        "change": {"actions": ["no-op"], "before": state, "after": state, "after_unknown": {}}
    });
    let r = analyse(serde_json::json!([role, assignment]), serde_json::json!({}));
    assert_eq!(
        verdicts(&r),
        [("principal:p1".to_string(), "Unverifiable".to_string())]
    );
}

#[test]
fn elevating_access_escalates_only_from_the_root_scope() {
    // Azure honours `elevateAccess` at the tenant root only: inside a grant on a subscription it
    // does nothing, so it is no way to assign roles there.
    let codes = |scope: &str| -> Vec<&'static str> {
        let role = created(
            "azurerm_role_definition.r",
            serde_json::json!({"name": "Elevator", "scope": scope, "permissions": [
                {"actions": ["Microsoft.Authorization/elevateAccess/Action"], "not_actions": [],
                 "data_actions": [], "not_data_actions": []}]}),
            serde_json::json!({"role_definition_id": true, "role_definition_resource_id": true}),
        );
        let assignment = created(
            "azurerm_role_assignment.a",
            serde_json::json!({"principal_id": "p1", "scope": scope,
                               "role_definition_name": "Elevator"}),
            serde_json::json!({"role_definition_id": true}),
        );
        let r = analyse(serde_json::json!([role, assignment]), serde_json::json!({}));
        assert_eq!(r.identities[0].verdict, crate::model::Verdict::Widened);
        r.findings.iter().map(|f| f.code).collect()
    };
    assert!(!codes("/subscriptions/s1").contains(&"PD014"));
    assert!(codes("/").contains(&"PD014"));
}
