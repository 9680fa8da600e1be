use super::*;
use crate::analyze::tests::verdicts;
use crate::compare::{compare, Limits};
use crate::model::Scope;
use crate::providers::gcp::vocabulary::Gcp;

use crate::testing::optional;

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
    let delta = compare(&old, &new, &Limits::default(), &Gcp).unwrap();
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
    let down = compare(&on_project, &on_sa, &Limits::default(), &Gcp).unwrap();
    assert!(down.is_empty());
    let up = compare(&on_sa, &on_project, &Limits::default(), &Gcp).unwrap();
    assert_eq!(up.witness().unwrap().resource, "projects/p");
}

#[test]
fn removing_a_condition_widens_and_the_same_condition_compares_equal() {
    let p = perms(&["secretmanager.versions.access"]);
    let expr = "request.time < timestamp(\"2030-01-01T00:00:00Z\")".to_string();
    let cond = scope(vec![statement(&p, "projects/p", Some(&expr), 0)]);
    let same = scope(vec![statement(&p, "projects/p", Some(&expr), 0)]);
    let none = scope(vec![statement(&p, "projects/p", None, 0)]);
    assert!(compare(&cond, &same, &Limits::default(), &Gcp)
        .unwrap()
        .is_empty());
    let up = compare(&cond, &none, &Limits::default(), &Gcp).unwrap();
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
    let w = compare(&old, &new, &Limits::default(), &Gcp)
        .unwrap()
        .witness()
        .cloned()
        .unwrap();
    assert!(!w.action.contains(':'), "{}", w.action);
    assert_eq!(w.resource, "projects/p");
}

/// A plan with the given resource changes, analysed.
fn analyse(changes: serde_json::Value) -> crate::report::Report {
    analyse_with(changes, &Default::default())
}

fn analyse_with(
    changes: serde_json::Value,
    options: &crate::analyze::Options,
) -> crate::report::Report {
    analyse_plan(changes, serde_json::json!({}), options)
}

fn analyse_plan(
    changes: serde_json::Value,
    configuration: serde_json::Value,
    options: &crate::analyze::Options,
) -> crate::report::Report {
    crate::analyze::tests::analyse(changes, configuration, options)
}

#[test]
fn binding_members_known_only_after_apply_gain_the_grant_and_leave_old_members_unverifiable() {
    let r = analyse(serde_json::json!([{
        "address": "google_project_iam_binding.b", "mode": "managed",
        "type": "google_project_iam_binding", "name": "b",
        "change": {
            "actions": ["update"],
            "before": {"project": "p", "role": "roles/run.admin", "members": ["user:a@x.example"]},
            "after": {"project": "p", "role": "roles/run.admin", "members": ["user:a@x.example", null]},
            "after_unknown": {"members": [false, true]}
        }
    }]));
    assert_eq!(
        verdicts(&r),
        [
            (
                "(members of google_project_iam_binding.b known after apply)".to_string(),
                "Widened".to_string()
            ),
            ("user:a@x.example".to_string(), "Unverifiable".to_string()),
        ]
    );
    // The member standing for the unknown ones gains the role, and says why.
    let unknown = &r.identities[0];
    assert!(
        unknown.added[0].source.contains("roles/run.admin"),
        "{:?}",
        unknown.added
    );
    assert!(
        unknown
            .notes
            .iter()
            .any(|n| n.contains("known only after apply")),
        "{:?}",
        unknown.notes
    );
}

#[test]
fn sensitive_members_are_never_printed() {
    let r = analyse(serde_json::json!([{
        "address": "google_project_iam_member.m", "mode": "managed",
        "type": "google_project_iam_member", "name": "m",
        "change": {
            "actions": ["create"],
            "before": null,
            "after": {"project": "p", "role": "roles/owner", "member": "user:secret@x.example"},
            "after_unknown": {},
            "after_sensitive": {"member": true}
        }
    }]));
    let text = serde_json::to_string(&r).unwrap();
    assert!(!text.contains("secret@"), "{text}");
    assert_eq!(
        verdicts(&r),
        [(
            "(sensitive members of google_project_iam_member.m)".to_string(),
            "Unverifiable".to_string()
        )]
    );
}

#[test]
fn resource_level_bindings_are_named_from_their_attributes() {
    let r = analyse(serde_json::json!([{
        "address": "google_storage_bucket_iam_member.m", "mode": "managed",
        "type": "google_storage_bucket_iam_member", "name": "m",
        "change": {
            "actions": ["create"],
            "before": null,
            "after": {"bucket": "b/b1", "role": "roles/storage.objectViewer", "member": "allUsers"},
            "after_unknown": {"etag": true}
        }
    }]));
    assert_eq!(
        verdicts(&r),
        [("allUsers".to_string(), "Widened".to_string())]
    );
    let w = r.identities[0].witness.as_ref().unwrap();
    assert_eq!(w.resource, "projects/_/buckets/b1");
}

#[test]
fn the_witness_is_the_most_consequential_permission_of_the_role() {
    let accessor: Vec<String> =
        crate::catalog::gcp::embedded::role("roles/secretmanager.secretAccessor")
            .unwrap()
            .iter()
            .map(|s| s.to_string())
            .collect();
    let new = scope(vec![statement(&accessor, "projects/p", None, 0)]);
    let delta = compare(&scope(Vec::new()), &new, &Limits::default(), &Gcp).unwrap();
    assert_eq!(
        delta.witness().unwrap().action,
        "secretmanager.versions.access"
    );
    assert_eq!(
        crate::providers::gcp::vocabulary::gcp_rank("iam.serviceAccounts.actAs"),
        0
    );
    assert_eq!(
        crate::providers::gcp::vocabulary::gcp_rank("storage.buckets.list"),
        3
    );
}

#[test]
fn a_full_resource_name_makes_other_unknown_naming_attributes_irrelevant() {
    let r = analyse(serde_json::json!([{
        "address": "google_secret_manager_secret_iam_member.m", "mode": "managed",
        "type": "google_secret_manager_secret_iam_member", "name": "m",
        "change": {
            "actions": ["create"],
            "before": null,
            "after": {"secret_id": "projects/p/secrets/s", "role": "roles/secretmanager.secretAccessor", "member": "user:a@x.example"},
            "after_unknown": {"project": true, "etag": true}
        }
    }]));
    assert_eq!(
        verdicts(&r),
        [("user:a@x.example".to_string(), "Widened".to_string())]
    );
    let w = r.identities[0].witness.as_ref().unwrap();
    assert_eq!(
        (w.action.as_str(), w.resource.as_str()),
        ("secretmanager.versions.access", "projects/p/secrets/s")
    );
}

/// A `google_project_iam_member` for `user:a@x.example` whose condition goes from `before` to
/// `after` (`None`: no condition).
fn condition_change(before: Option<&str>, after: Option<&str>) -> crate::report::Report {
    let state = |expr: Option<&str>| {
        let cond = match expr {
            Some(e) => serde_json::json!([{"expression": e, "title": "t", "description": ""}]),
            None => serde_json::json!([]),
        };
        serde_json::json!({"project": "p", "role": "roles/secretmanager.secretAccessor",
            "member": "user:a@x.example", "condition": cond})
    };
    analyse(serde_json::json!([{
        "address": "google_project_iam_member.m", "mode": "managed",
        "type": "google_project_iam_member", "name": "m",
        "change": {
            "actions": ["delete", "create"],
            "before": state(before),
            "after": state(after),
            "after_unknown": {"etag": true, "id": true}
        }
    }]))
}

#[test]
fn a_rewritten_condition_is_unverifiable_and_an_identical_one_unchanged() {
    let old = "request.time < timestamp(\"2030-01-01T00:00:00Z\")";
    let new = "request.time < timestamp(\"2031-01-01T00:00:00Z\")";
    let r = condition_change(Some(old), Some(new));
    let id = &r.identities[0];
    assert_eq!(format!("{:?}", id.verdict), "Unverifiable");
    // Known now, so not "known only after apply": the note says what happened.
    assert!(id.unknown.is_empty(), "{:?}", id.unknown);
    assert!(
        id.notes[0].contains("condition of google_project_iam_member.m")
            && id.notes[0].contains("rewritten"),
        "{:?}",
        id.notes
    );
    let same = condition_change(Some(old), Some(old));
    assert_eq!(format!("{:?}", same.identities[0].verdict), "Unchanged");
    let removed = condition_change(Some(old), None);
    assert_eq!(format!("{:?}", removed.identities[0].verdict), "Widened");
    // A condition where there was none narrows whatever it says.
    let added = condition_change(None, Some(new));
    assert_eq!(format!("{:?}", added.identities[0].verdict), "Narrowed");
    assert!(added.identities[0].notes.is_empty());
}

#[test]
fn the_complete_shared_catalog_loads_and_expands_a_role_no_table_has() {
    // Test data kept outside the project (`../shared/catalogs/`), with one role newer than the
    // embedded catalog added to it.
    let Some(path) = optional::shared("catalogs/gcp-roles.json") else {
        return;
    };
    let mut roles: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    roles.push(serde_json::json!({
        "name": "roles/dns.futureAdmin",
        "includedPermissions": ["dns.changes.create", "dns.managedZones.update"]
    }));
    let catalog = crate::catalog::gcp::roles_file::RoleCatalog::parse(
        &serde_json::to_string(&roles).unwrap(),
    )
    .unwrap();
    assert!(catalog.len() > 2000, "{}", catalog.len());
    let change = |role: &str| {
        serde_json::json!([{
            "address": "google_project_iam_member.dns", "mode": "managed",
            "type": "google_project_iam_member", "name": "dns",
            "change": {
                "actions": ["create"],
                "before": null,
                "after": {"project": "p", "role": role, "member": "user:a@x.example"},
                "after_unknown": {"etag": true, "id": true}
            }
        }])
    };
    // A predefined role the curated table lacks comes from the embedded catalog.
    let r = analyse(change("roles/dns.admin"));
    assert_eq!(format!("{:?}", r.identities[0].verdict), "Widened");
    // One newer than it is unexpanded, unless the loaded catalog has it.
    let r = analyse(change("roles/dns.futureAdmin"));
    assert_eq!(format!("{:?}", r.identities[0].verdict), "Unverifiable");
    let options = crate::analyze::Options {
        gcp_roles: catalog,
        ..Default::default()
    };
    let r = analyse_with(change("roles/dns.futureAdmin"), &options);
    let id = &r.identities[0];
    assert_eq!(format!("{:?}", id.verdict), "Widened");
    let w = id.witness.as_ref().unwrap();
    assert!(w.action.starts_with("dns."), "{}", w.action);
}

#[test]
fn a_witness_among_thousands_of_permissions_keeps_its_spelling() {
    // Past the count where readable candidates are tried, the witness comes from the atom.
    let mut many: Vec<String> = (0..600)
        .map(|i| format!("service{}.things{i}.get", i % 40))
        .collect();
    many.push("iam.serviceAccounts.actAs".into());
    let new = scope(vec![statement(&many, "projects/p", None, 0)]);
    let delta = compare(&scope(Vec::new()), &new, &Limits::default(), &Gcp).unwrap();
    assert_eq!(delta.witness().unwrap().action, "iam.serviceAccounts.actAs");
}

/// The permissions of a role as a grant on a project reads them (the curated compact form,
/// else the catalog's), as a statement on `projects/p`.
fn curated(role: &str) -> Statement {
    let p: Vec<String> = match crate::catalog::gcp::role(role) {
        Some(p) => p.iter().map(|s| s.to_string()).collect(),
        None => crate::catalog::gcp::embedded::role(role)
            .unwrap()
            .iter()
            .map(|s| s.to_string())
            .collect(),
    };
    statement(&p, "projects/p", None, 0)
}

#[test]
fn a_swap_for_a_broader_role_stays_visible() {
    for (from, to, witness) in [
        (
            // A developer already gets cluster credentials; an admin also manages RBAC roles.
            "roles/container.developer",
            "roles/container.admin",
            "container.roles.update",
        ),
        (
            "roles/cloudkms.admin",
            "roles/cloudkms.cryptoKeyEncrypterDecrypter",
            "cloudkms.cryptoKeyVersions.useToDecrypt",
        ),
        (
            "roles/bigquery.dataViewer",
            "roles/bigquery.dataEditor",
            "bigquery.models.create",
        ),
        (
            "roles/pubsub.publisher",
            "roles/pubsub.subscriber",
            "pubsub.subscriptions.consume",
        ),
    ] {
        let old = scope(vec![curated(from)]);
        let new = scope(vec![curated(to)]);
        let delta = compare(&old, &new, &Limits::default(), &Gcp).unwrap();
        let w = delta.witness().unwrap_or_else(|| panic!("{from} → {to}"));
        assert_eq!(w.action, witness, "{from} → {to}");
    }
}

/// A new resource-level grant whose `project` is known only after apply, beside an unchanged
/// project-level grant of the same role to the same member.
fn secret_grant_beside_project_grant(configuration: serde_json::Value) -> crate::report::Report {
    let role = "roles/secretmanager.secretAccessor";
    let project = serde_json::json!({"project": "p", "role": role, "member": "user:a@x.example", "condition": []});
    let changes = serde_json::json!([
        {
            "address": "google_project_iam_member.p", "mode": "managed",
            "type": "google_project_iam_member", "name": "p",
            "change": {"actions": ["no-op"], "before": project, "after": project, "after_unknown": {}}
        },
        {
            "address": "google_secret_manager_secret_iam_member.s", "mode": "managed",
            "type": "google_secret_manager_secret_iam_member", "name": "s",
            "change": {
                "actions": ["create"], "before": null,
                "after": {"secret_id": "s", "role": role, "member": "user:a@x.example", "condition": []},
                "after_unknown": {"project": true, "etag": true, "id": true}
            }
        }
    ]);
    analyse_plan(changes, configuration, &Default::default())
}

#[test]
fn a_resource_without_project_is_named_under_the_providers_default_project() {
    let configuration = serde_json::json!({
        "provider_config": {"google": {"name": "google", "expressions": {"project": {"constant_value": "p"}}}},
        "root_module": {"resources": [
            {"address": "google_project_iam_member.p", "provider_config_key": "google",
             "expressions": {"project": {"constant_value": "p"}}},
            {"address": "google_secret_manager_secret_iam_member.s", "provider_config_key": "google",
             "expressions": {"secret_id": {"constant_value": "s"}}}
        ]}
    });
    // projects/p/secrets/s is under projects/p, where the member already had the role.
    let r = secret_grant_beside_project_grant(configuration);
    assert_eq!(
        verdicts(&r),
        [("user:a@x.example".to_string(), "Unchanged".to_string())]
    );
    // Without the provider's project the secret's project is known only after apply: the
    // grant is judged on a project of its own (the worst case), and the report says so.
    let r = secret_grant_beside_project_grant(serde_json::json!({}));
    let id = &r.identities[0];
    assert_eq!(format!("{:?}", id.verdict), "Widened");
    assert!(id.unknown.is_empty(), "{:?}", id.unknown);
    let on = &id.witness.as_ref().unwrap().resource;
    assert_eq!(
        on,
        "projects/⟨project of google_secret_manager_secret_iam_member.s, known after apply⟩/secrets/s"
    );
    assert!(
        id.notes.iter().any(|n| n.starts_with(
            "the project of google_secret_manager_secret_iam_member.s is known only after apply"
        )),
        "{:?}",
        id.notes
    );
}

/// The witness resource of a new `kind` binding of roles/owner (which has permissions on
/// every kind of resource) with attributes `attrs`.
fn named(kind: &str, attrs: serde_json::Value, configuration: serde_json::Value) -> String {
    let r = bound_on(kind, attrs, "roles/owner", configuration);
    r.identities[0]
        .witness
        .as_ref()
        .expect("a widening")
        .resource
        .clone()
}

#[test]
fn resource_level_names_follow_each_services_naming_under_the_project() {
    let none = serde_json::json!({});
    assert_eq!(
        named(
            "google_cloud_run_service_iam_member",
            serde_json::json!({"project": "p", "location": "l", "service": "s"}),
            none.clone()
        ),
        "projects/p/locations/l/services/s"
    );
    assert_eq!(
        named(
            "google_pubsub_topic_iam_member",
            serde_json::json!({"project": "p", "topic": "t"}),
            none.clone()
        ),
        "projects/p/topics/t"
    );
    // A family privdiff does not know: under its project, by type noun.
    assert_eq!(
        named(
            "google_foo_bar_iam_member",
            serde_json::json!({"project": "p", "thing": "t"}),
            none.clone()
        ),
        "projects/p/foo_bar/t"
    );
    // A naming attribute a template does not hold falls back to the generic name.
    assert_eq!(
        named(
            "google_pubsub_topic_iam_member",
            serde_json::json!({"project": "p", "topic": "t", "extra": "e"}),
            none.clone()
        ),
        "projects/p/pubsub_topic/e/t"
    );
    assert_eq!(
        named(
            "google_kms_crypto_key_iam_member",
            serde_json::json!({"crypto_key_id": "p/global/r/k"}),
            none.clone()
        ),
        "projects/p/locations/global/keyRings/r/cryptoKeys/k"
    );
    // Without its project a KMS id takes the provider's.
    let configuration = serde_json::json!({
        "provider_config": {"google": {"name": "google", "expressions": {"project": {"constant_value": "dp"}}}},
        "root_module": {"resources": [{"address": "google_kms_key_ring_iam_member.x",
            "provider_config_key": "google", "expressions": {}}]}
    });
    assert_eq!(
        named(
            "google_kms_key_ring_iam_member",
            serde_json::json!({"key_ring_id": "global/r"}),
            configuration
        ),
        "projects/dp/locations/global/keyRings/r"
    );
    assert_eq!(
        named(
            "google_kms_key_ring_iam_member",
            serde_json::json!({"key_ring_id": "global/r"}),
            none.clone()
        ),
        "kms_key_ring/global/r"
    );
    assert_eq!(
        named(
            "google_service_account_iam_member",
            serde_json::json!({"service_account_id": "ci@p.iam.gserviceaccount.com"}),
            none
        ),
        "projects/p/serviceAccounts/ci@p.iam.gserviceaccount.com"
    );
}

/// `roles/run.admin` for `user:a@x.example` moved from `from` (family, attribute, value) to
/// `to`, with `others` (resource changes that tell the hierarchy) in the plan.
fn moved(
    from: (&str, &str, &str),
    to: (&str, &str, &str),
    others: &[serde_json::Value],
) -> crate::report::Report {
    let binding = |(kind, attr, value): (&str, &str, &str)| {
        let mut v = serde_json::json!({"role": "roles/run.admin", "member": "user:a@x.example"});
        v[attr] = value.into();
        (kind.to_string(), v)
    };
    let (old_kind, old) = binding(from);
    let (new_kind, new) = binding(to);
    let mut changes = vec![
        serde_json::json!({
            "address": format!("{old_kind}.old"), "mode": "managed", "type": old_kind, "name": "old",
            "change": {"actions": ["delete"], "before": old, "after": null, "after_unknown": {}}
        }),
        serde_json::json!({
            "address": format!("{new_kind}.new"), "mode": "managed", "type": new_kind, "name": "new",
            "change": {"actions": ["create"], "before": null, "after": new, "after_unknown": {"etag": true}}
        }),
    ];
    changes.extend(others.iter().cloned());
    analyse(serde_json::Value::Array(changes))
}

fn unchanged(kind: &str, name: &str, values: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "address": format!("{kind}.{name}"), "mode": "managed", "type": kind, "name": name,
        "change": {"actions": ["no-op"], "before": values, "after": values, "after_unknown": {}}
    })
}

#[test]
fn a_folder_or_organization_grant_covers_the_projects_the_plan_places_in_it() {
    let org = ("google_organization_iam_member", "org_id", "123");
    let folder = ("google_folder_iam_member", "folder", "folders/456");
    let project = ("google_project_iam_member", "project", "p");
    let p_in_org = unchanged(
        "google_project",
        "p",
        serde_json::json!({"project_id": "p", "org_id": "123"}),
    );
    let p_in_folder = unchanged(
        "google_project",
        "p",
        serde_json::json!({"project_id": "p", "folder_id": "456", "org_id": ""}),
    );
    let folder_in_org = unchanged(
        "google_folder",
        "f",
        serde_json::json!({"name": "folders/456", "parent": "organizations/123", "display_name": "f"}),
    );
    let verdict = |r: &crate::report::Report| format!("{:?}", r.identities[0].verdict);
    // From the organization down to one of its projects: less, not more.
    assert_eq!(
        verdict(&moved(org, project, std::slice::from_ref(&p_in_org))),
        "Narrowed"
    );
    // Through a folder: the organization holds the folder, which holds the project.
    assert_eq!(
        verdict(&moved(
            org,
            project,
            &[p_in_folder.clone(), folder_in_org.clone()]
        )),
        "Narrowed"
    );
    // From a project up to its folder: the folder's other resources are new.
    let up = moved(project, folder, std::slice::from_ref(&p_in_folder));
    assert_eq!(verdict(&up), "Widened");
    assert_eq!(
        up.identities[0].witness.as_ref().unwrap().resource,
        "folders/456"
    );
    // Without the hierarchy in the plan, the organization does not contain the project.
    assert_eq!(verdict(&moved(org, project, &[])), "Widened");
    // A cycle in a hostile plan ends.
    let loop_a = unchanged(
        "google_folder",
        "a",
        serde_json::json!({"name": "folders/1", "parent": "folders/2"}),
    );
    let loop_b = unchanged(
        "google_folder",
        "b",
        serde_json::json!({"name": "folders/2", "parent": "folders/1"}),
    );
    let r = moved(
        ("google_folder_iam_member", "folder", "folders/1"),
        folder,
        &[loop_a, loop_b],
    );
    assert_eq!(verdict(&r), "Widened");
}

#[test]
fn an_unknown_policy_data_is_read_through_its_data_source_bindings() {
    let policy = r#"{"bindings":[{"members":["user:b@x.example"],"role":"roles/run.admin"}]}"#;
    let changes = serde_json::json!([
        {
            "address": "data.google_iam_policy.p", "mode": "data", "type": "google_iam_policy", "name": "p",
            "change": {
                "actions": ["read"], "before": null,
                "after": {"audit_config": [], "binding": [
                    {"condition": [], "members": ["user:a@x.example"], "role": "roles/run.admin"},
                    {"condition": [], "members": [null], "role": "roles/viewer"}
                ]},
                "after_unknown": {"binding": [{"members": [false]}, {"members": [true]}], "policy_data": true, "id": true}
            }
        },
        {
            "address": "google_project_iam_policy.p", "mode": "managed", "type": "google_project_iam_policy", "name": "p",
            "change": {
                "actions": ["update"],
                "before": {"project": "p", "policy_data": policy, "etag": "x"},
                "after": {"project": "p"},
                "after_unknown": {"policy_data": true, "etag": true}
            }
        }
    ]);
    let configuration = serde_json::json!({"root_module": {"resources": [
        {"address": "google_project_iam_policy.p", "mode": "managed", "type": "google_project_iam_policy", "name": "p",
         "expressions": {"project": {"constant_value": "p"},
                         "policy_data": {"references": ["data.google_iam_policy.p.policy_data", "data.google_iam_policy.p"]}}},
        {"address": "data.google_iam_policy.p", "mode": "data", "type": "google_iam_policy", "name": "p", "expressions": {}}
    ]}});
    let r = analyse_plan(changes.clone(), configuration, &Default::default());
    assert_eq!(
        verdicts(&r),
        [
            (
                "(members of google_project_iam_policy.p known after apply)".to_string(),
                "Widened".to_string()
            ),
            ("user:a@x.example".to_string(), "Widened".to_string()),
            // Dropped from the known binding, but the unknown members may include it.
            ("user:b@x.example".to_string(), "Unverifiable".to_string()),
        ]
    );
    let a = &r.identities[1];
    assert_eq!(a.witness.as_ref().unwrap().resource, "projects/p");
    // Without the configuration the data source is not known to be the policy's source.
    let r = analyse(changes);
    assert_eq!(
        verdicts(&r),
        [
            (
                "(members of google_project_iam_policy.p known after apply)".to_string(),
                "Unverifiable".to_string()
            ),
            ("user:b@x.example".to_string(), "Unverifiable".to_string()),
        ]
    );
}

/// A new binding of `role` for a member on a `kind` resource with naming attributes `attrs`.
fn bound_on(
    kind: &str,
    attrs: serde_json::Value,
    role: &str,
    configuration: serde_json::Value,
) -> crate::report::Report {
    let mut after = attrs;
    after["role"] = role.into();
    after["member"] = "serviceAccount:ci@p.iam.gserviceaccount.com".into();
    let changes = serde_json::json!([{
        "address": format!("{kind}.x"), "mode": "managed", "type": kind, "name": "x",
        "change": {"actions": ["create"], "before": null, "after": after,
                   "after_unknown": {"etag": true}}
    }]);
    analyse_plan(changes, configuration, &Default::default())
}

#[test]
fn editor_on_a_dataset_grants_only_what_applies_to_datasets() {
    let r = bound_on(
        "google_bigquery_dataset_iam_member",
        serde_json::json!({"project": "p", "dataset_id": "d"}),
        "roles/editor",
        serde_json::json!({}),
    );
    let id = &r.identities[0];
    let actions: Vec<&str> = id.added[0].actions.iter().map(String::as_str).collect();
    assert!(
        actions.contains(&"bigquery.models.updateData"),
        "{actions:?}"
    );
    // Checked on the project, or of another service: not granted by a binding on a dataset.
    for gone in [
        "bigquery.datasets.create",
        "cloudbuild.builds.create",
        "storage.hmacKeys.create",
        "iam.serviceAccounts.actAs",
    ] {
        assert!(!actions.contains(&gone), "{gone}");
    }
    assert!(
        actions.iter().all(|a| a.starts_with("bigquery.")),
        "{actions:?}"
    );
    let codes: Vec<&str> = r.findings.iter().map(|f| f.code).collect();
    assert_eq!(codes, ["PD001"]);
    // The same role on the project reaches all of them.
    let r = bound_on(
        "google_project_iam_member",
        serde_json::json!({"project": "p"}),
        "roles/editor",
        serde_json::json!({}),
    );
    let codes: Vec<&str> = r.findings.iter().map(|f| f.code).collect();
    assert!(
        codes.contains(&"PD016") && codes.contains(&"PD017"),
        "{codes:?}"
    );
}

#[test]
fn a_role_none_of_whose_permissions_applies_grants_nothing() {
    let r = bound_on(
        "google_storage_bucket_iam_member",
        serde_json::json!({"bucket": "b"}),
        "roles/run.invoker",
        serde_json::json!({}),
    );
    let id = &r.identities[0];
    assert_eq!(format!("{:?}", id.verdict), "Unchanged");
    assert!(r.findings.is_empty());
    assert!(
        id.notes.iter().any(|n| n.contains("storage.buckets")
            && n.contains("roles/run.invoker")
            && n.contains("grants nothing")),
        "{:?}",
        id.notes
    );
}

#[test]
fn the_identity_running_terraform_read_at_apply_is_named_by_its_data_source() {
    let changes = serde_json::json!([
        {
            "address": "data.google_client_openid_userinfo.me", "mode": "data",
            "type": "google_client_openid_userinfo", "name": "me",
            "change": {"actions": ["read"], "before": null, "after": {},
                       "after_unknown": {"email": true, "id": true}}
        },
        {
            "address": "google_project_iam_member.self", "mode": "managed",
            "type": "google_project_iam_member", "name": "self",
            "change": {"actions": ["create"], "before": null,
                       "after": {"project": "p", "role": "roles/owner"},
                       "after_unknown": {"member": true, "etag": true, "id": true}}
        }
    ]);
    let member = |references: serde_json::Value| {
        serde_json::json!({"root_module": {"resources": [{
            "address": "google_project_iam_member.self", "mode": "managed",
            "type": "google_project_iam_member", "name": "self",
            "expressions": {"member": {"references": references}}}]}})
    };
    let r = analyse_plan(
        changes.clone(),
        member(serde_json::json!([
            "data.google_client_openid_userinfo.me.email",
            "data.google_client_openid_userinfo.me"
        ])),
        &Default::default(),
    );
    assert_eq!(
        verdicts(&r),
        [(
            "data.google_client_openid_userinfo.me".to_string(),
            "Widened".to_string()
        )]
    );
    assert_eq!(r.identities[0].kind, super::DEPLOYER);
    // Built from something else as well, the member could be anyone.
    let r = analyse_plan(
        changes,
        member(serde_json::json!([
            "data.google_client_openid_userinfo.me.email",
            "data.google_client_openid_userinfo.me",
            "var.other"
        ])),
        &Default::default(),
    );
    assert_eq!(
        r.identities[0].address,
        "(members of google_project_iam_member.self known after apply)"
    );
}
