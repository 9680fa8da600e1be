use super::*;
use crate::scope::{compare, Limits, Scope};

fn scope(statements: Vec<Statement>) -> Scope {
    Scope {
        statements,
        boundary: None,
    }
}

fn perms(p: &[&str]) -> Vec<String> {
    p.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_new_permission_is_witnessed_by_its_real_name_on_the_resource() {
    let old = scope(vec![statement(
        &perms(&["storage.objects.get"]),
        "projects/p",
        None,
        0,
    )]);
    let new = scope(vec![statement(
        &perms(&["storage.objects.get", "iam.serviceAccounts.actAs"]),
        "projects/p",
        None,
        0,
    )]);
    let delta = compare(&old, &new, &Limits::default()).unwrap();
    let w = delta.witness().expect("a widening");
    assert_eq!(w.action, "iam.serviceAccounts.actAs");
    assert_eq!(w.resource, "projects/p");
}

#[test]
fn a_project_grant_covers_the_same_grant_on_a_resource_in_it() {
    let sa = "projects/p/serviceAccounts/ci@p.iam.gserviceaccount.com";
    let p = perms(&["iam.serviceAccounts.actAs"]);
    let on_project = scope(vec![statement(&p, "projects/p", None, 0)]);
    let on_sa = scope(vec![statement(&p, sa, None, 0)]);
    let down = compare(&on_project, &on_sa, &Limits::default()).unwrap();
    assert!(down.is_empty());
    let up = compare(&on_sa, &on_project, &Limits::default()).unwrap();
    assert_eq!(up.witness().unwrap().resource, "projects/p");
}

#[test]
fn removing_a_condition_widens_and_the_same_condition_compares_equal() {
    let p = perms(&["secretmanager.versions.access"]);
    let expr = "request.time < timestamp(\"2030-01-01T00:00:00Z\")".to_string();
    let cond = scope(vec![statement(&p, "projects/p", Some(&expr), 0)]);
    let same = scope(vec![statement(&p, "projects/p", Some(&expr), 0)]);
    let none = scope(vec![statement(&p, "projects/p", None, 0)]);
    assert!(compare(&cond, &same, &Limits::default())
        .unwrap()
        .is_empty());
    let up = compare(&cond, &none, &Limits::default()).unwrap();
    assert_eq!(
        up.witness().unwrap().action,
        "secretmanager.versions.access"
    );
}

#[test]
fn owner_wildcard_witnesses_a_listed_high_risk_permission() {
    let owner: Vec<String> = crate::catalog::gcp::role("roles/owner")
        .unwrap()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let old = scope(Vec::new());
    let new = scope(vec![statement(&owner, "projects/p", None, 0)]);
    let w = compare(&old, &new, &Limits::default())
        .unwrap()
        .witness()
        .cloned()
        .unwrap();
    assert!(!w.action.contains(':'), "{}", w.action);
    assert_eq!(w.resource, "projects/p");
}
