use super::encode::{statements, Reach};
use super::objects::Rule;
use crate::analyze::tests::verdicts;
use crate::compare::{compare, Limits};
use crate::model::{Scope, Statement, Verdict};
use crate::providers::kubernetes::vocabulary::Kubernetes;
use serde_json::json;

fn rule(groups: &[&str], resources: &[&str], verbs: &[&str]) -> Rule {
    let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
    Rule {
        groups: owned(groups),
        resources: owned(resources),
        verbs: owned(verbs),
        ..Rule::default()
    }
}

fn ns(name: &str) -> Reach {
    Reach::Namespace(name.to_string())
}

fn scope(rules: &[Rule], reach: &Reach) -> Scope {
    let statements: Vec<Statement> = rules.iter().flat_map(|r| statements(r, reach, 0)).collect();
    Scope {
        statements,
        boundary: None,
    }
}

/// The witness of `old → new`, if the new scope allows more.
fn widening(old: &Scope, new: &Scope) -> Option<(String, String)> {
    let d = compare(old, new, &Limits::default(), &Kubernetes).unwrap();
    d.witness().map(|w| (w.action.clone(), w.resource.clone()))
}

#[test]
fn a_subresource_is_a_widening_witnessed_by_its_request() {
    let old = scope(&[rule(&[""], &["pods"], &["get"])], &ns("shop"));
    let new = scope(
        &[rule(&[""], &["pods", "pods/exec"], &["get"])],
        &ns("shop"),
    );
    let (action, object) = widening(&old, &new).expect("widened");
    assert_eq!(action, "core:pods/exec:get");
    assert!(object.starts_with("namespaces/shop/"), "{object}");
    assert_eq!(widening(&new, &old), None);
}

#[test]
fn reordered_rules_and_lists_are_the_same_scope() {
    let a = scope(
        &[
            rule(&[""], &["configmaps", "services"], &["get", "list"]),
            rule(&["apps"], &["deployments"], &["get"]),
        ],
        &ns("shop"),
    );
    let b = scope(
        &[
            rule(&["apps"], &["deployments"], &["get"]),
            rule(&[""], &["services", "configmaps"], &["list", "get"]),
        ],
        &ns("shop"),
    );
    assert_eq!(widening(&a, &b), None);
    assert_eq!(widening(&b, &a), None);
}

#[test]
fn removing_a_verb_narrows() {
    let old = scope(&[rule(&["batch"], &["jobs"], &["get", "delete"])], &ns("a"));
    let new = scope(&[rule(&["batch"], &["jobs"], &["get"])], &ns("a"));
    assert_eq!(widening(&old, &new), None);
    let (action, _) = widening(&new, &old).expect("removed");
    assert_eq!(action, "batch:jobs:delete");
}

#[test]
fn wildcards_follow_the_authorizer() {
    let reach = ns("a");
    let pods = scope(&[rule(&[""], &["pods"], &["get"])], &reach);
    let all = scope(&[rule(&[""], &["*"], &["get"])], &reach);
    let scale = scope(&[rule(&["apps"], &["*/scale"], &["get"])], &reach);
    let deployments = scope(&[rule(&["apps"], &["deployments"], &["get"])], &reach);
    let deployment_scale = scope(&[rule(&["apps"], &["deployments/scale"], &["get"])], &reach);
    // `*` covers every resource and subresource; `pods` not `pods/exec`.
    assert_eq!(widening(&all, &pods), None);
    let exec = scope(&[rule(&[""], &["pods/exec"], &["get"])], &reach);
    assert!(widening(&pods, &exec).is_some());
    assert_eq!(widening(&all, &exec), None);
    // `*/scale` is the scale subresource of anything, not the resource itself.
    assert_eq!(widening(&scale, &deployment_scale), None);
    assert!(widening(&scale, &deployments).is_some());
    // The group `*` includes the core group; a named group does not.
    let any_group = scope(&[rule(&["*"], &["pods"], &["get"])], &reach);
    assert_eq!(widening(&any_group, &pods), None);
    let apps_pods = scope(&[rule(&["apps"], &["pods"], &["get"])], &reach);
    assert!(widening(&apps_pods, &pods).is_some());
    // A verb `*` covers verbs no rule names.
    let every_verb = scope(&[rule(&[""], &["pods"], &["*"])], &reach);
    let (action, _) = widening(&pods, &every_verb).expect("widened");
    assert!(action.starts_with("core:pods:") && action != "core:pods:get");
}

#[test]
fn a_role_binding_reaches_one_namespace_and_a_cluster_binding_everything() {
    let r = [rule(&["*"], &["*"], &["*"])];
    let shop = scope(&r, &ns("shop"));
    let other = scope(&r, &ns("other"));
    let cluster = scope(&r, &Reach::Cluster);
    assert_eq!(widening(&cluster, &shop), None);
    let (_, object) = widening(&shop, &cluster).expect("namespace → cluster widens");
    assert!(!object.starts_with("namespaces/shop/"), "{object}");
    let (_, object) = widening(&shop, &other).expect("another namespace");
    assert!(object.starts_with("namespaces/other/"), "{object}");
    // A cluster-scoped object is never in a namespace: a cluster-scoped type is witnessed on
    // `cluster/…`.
    let nodes = [rule(&[""], &["nodes"], &["get"])];
    let (action, object) =
        widening(&scope(&nodes, &ns("shop")), &scope(&nodes, &Reach::Cluster)).unwrap();
    assert_eq!(action, "core:nodes:get");
    assert!(object.starts_with("cluster/"), "{object}");
}

#[test]
fn resource_names_limit_the_objects_and_exclude_unnamed_requests() {
    let mut named = rule(&[""], &["configmaps"], &["update"]);
    named.names = vec!["aws-auth".into()];
    let any = rule(&[""], &["configmaps"], &["update"]);
    let reach = ns("kube-system");
    let (_, object) = widening(
        &scope(std::slice::from_ref(&named), &reach),
        &scope(std::slice::from_ref(&any), &reach),
    )
    .expect("dropping resourceNames widens");
    // A request without a name (create, list) is outside a rule that names objects.
    let objects = |r: &Rule| {
        scope(std::slice::from_ref(r), &reach).statements[0]
            .resources
            .clone()
    };
    let glob = |p: &str| crate::model::Syntax::ResourceArn.compile(p);
    let unnamed = "namespaces/kube-system/";
    assert!(!objects(&named)
        .patterns
        .iter()
        .any(|p| glob(p).matches(unnamed)));
    assert!(objects(&any)
        .patterns
        .iter()
        .any(|p| glob(p).matches(unnamed)));
    assert!(
        object.starts_with("namespaces/kube-system/")
            && object != "namespaces/kube-system/aws-auth"
    );
    assert_eq!(
        widening(&scope(&[any], &reach), &scope(&[named], &reach)),
        None
    );
}

#[test]
fn non_resource_urls_count_only_cluster_wide_and_match_by_prefix() {
    let urls = |u: &[&str]| Rule {
        verbs: vec!["get".into()],
        urls: u.iter().map(|s| s.to_string()).collect(),
        ..Rule::default()
    };
    assert!(scope(&[urls(&["/metrics"])], &ns("a"))
        .statements
        .is_empty());
    let api = scope(&[urls(&["/api/*"])], &Reach::Cluster);
    let v1 = scope(&[urls(&["/api/v1"])], &Reach::Cluster);
    let apis = scope(&[urls(&["/apis"])], &Reach::Cluster);
    assert_eq!(widening(&api, &v1), None);
    let (action, object) = widening(&api, &apis).unwrap();
    assert_eq!(
        (action.as_str(), object.as_str()),
        ("nonresource:get", "/apis")
    );
    // A `*` inside a path is literal.
    let mid = scope(&[urls(&["/a*b"])], &Reach::Cluster);
    let axb = scope(&[urls(&["/axb"])], &Reach::Cluster);
    assert!(widening(&mid, &axb).is_some());
}

#[test]
fn wildcard_characters_inside_values_are_literal() {
    let reach = ns("a");
    let odd = scope(&[rule(&["exa*"], &["po?s"], &["g:t"])], &reach);
    let plain = scope(&[rule(&["example.com"], &["pods"], &["get"])], &reach);
    assert!(widening(&odd, &plain).is_some());
    assert!(widening(&plain, &odd).is_some());
}

#[test]
fn cluster_admin_is_witnessed_by_a_kubernetes_request() {
    let admin = crate::catalog::kubernetes::cluster_role("cluster-admin").unwrap();
    let rules: Vec<Rule> = admin
        .rules
        .iter()
        .map(|r| Rule {
            groups: r.groups.iter().map(|s| s.to_string()).collect(),
            resources: r.resources.iter().map(|s| s.to_string()).collect(),
            verbs: r.verbs.iter().map(|s| s.to_string()).collect(),
            names: Vec::new(),
            urls: r.urls.iter().map(|s| s.to_string()).collect(),
        })
        .collect();
    let (action, object) = widening(
        &scope(&[], &Reach::Cluster),
        &scope(&rules, &Reach::Cluster),
    )
    .expect("widened");
    assert_eq!(action.matches(':').count(), 2, "{action}");
    assert!(
        action.contains("escalate") || action.contains("bind"),
        "{action}"
    );
    assert!(
        object.starts_with("namespaces/") || object.starts_with("cluster/"),
        "{object}"
    );
}

/// A plan with the given resource changes, analysed.
fn analyse(changes: serde_json::Value) -> crate::report::Report {
    crate::analyze::tests::analyse(changes, json!({}), &Default::default())
}

fn change(
    ty: &str,
    name: &str,
    actions: &[&str],
    before: serde_json::Value,
    after: serde_json::Value,
) -> serde_json::Value {
    json!({
        "address": format!("{ty}.{name}"), "mode": "managed", "type": ty, "name": name,
        "change": {"actions": actions, "before": before, "after": after, "after_unknown": {}}
    })
}

fn crb(name: &str, role: &str, subjects: serde_json::Value) -> serde_json::Value {
    json!({
        "metadata": [{"name": name}],
        "role_ref": [{"api_group": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role}],
        "subject": subjects
    })
}

fn rb(
    name: &str,
    ns: &str,
    kind: &str,
    role: &str,
    subjects: serde_json::Value,
) -> serde_json::Value {
    json!({
        "metadata": [{"name": name, "namespace": ns}],
        "role_ref": [{"api_group": "rbac.authorization.k8s.io", "kind": kind, "name": role}],
        "subject": subjects
    })
}

#[test]
fn an_aggregated_label_widens_view_edit_and_admin_holders() {
    let binding = |n: &str, role: &str| {
        let b = crb(n, role, json!([{"kind": "User", "name": n}]));
        change(
            "kubernetes_cluster_role_binding_v1",
            n,
            &["no-op"],
            b.clone(),
            b,
        )
    };
    let role = json!({
        "metadata": [{"name": "crd-reader", "labels": {
            "rbac.authorization.k8s.io/aggregate-to-view": "true"}}],
        "rule": [{"api_groups": ["example.com"], "resources": ["widgets"], "verbs": ["get"]}]
    });
    let r = analyse(json!([
        binding("v", "view"),
        binding("e", "edit"),
        binding("a", "admin"),
        binding("c", "cluster-admin"),
        change(
            "kubernetes_cluster_role_v1",
            "crd_reader",
            &["create"],
            json!(null),
            role
        ),
    ]));
    assert_eq!(
        verdicts(&r),
        [
            ("User:a".to_string(), "Widened".to_string()),
            ("User:c".to_string(), "Unchanged".to_string()),
            ("User:e".to_string(), "Widened".to_string()),
            ("User:v".to_string(), "Widened".to_string()),
        ]
    );
    let w = r.identities[0].witness.as_ref().unwrap();
    assert_eq!(w.action, "example.com:widgets:get");
}

#[test]
fn a_custom_aggregated_role_follows_match_expressions() {
    let selector = json!([{"cluster_role_selectors": [{"match_labels": {},
        "match_expressions": [{"key": "team", "operator": "In", "values": ["web"]}]}]}]);
    let agg = json!({"metadata": [{"name": "web-all"}], "aggregation_rule": selector});
    let part = |team: &str| {
        json!({
            "metadata": [{"name": "web-part", "labels": {"team": team}}],
            "rule": [{"api_groups": [""], "resources": ["secrets"], "verbs": ["get"]}]
        })
    };
    let b = crb("web", "web-all", json!([{"kind": "Group", "name": "web"}]));
    let r = analyse(json!([
        change(
            "kubernetes_cluster_role_v1",
            "agg",
            &["no-op"],
            agg.clone(),
            agg
        ),
        change(
            "kubernetes_cluster_role_v1",
            "part",
            &["update"],
            part("db"),
            part("web")
        ),
        change(
            "kubernetes_cluster_role_binding_v1",
            "web",
            &["no-op"],
            b.clone(),
            b
        ),
    ]));
    assert_eq!(
        verdicts(&r),
        [("Group:web".to_string(), "Widened".to_string())]
    );
    assert_eq!(
        r.identities[0].witness.as_ref().unwrap().action,
        "core:secrets:get"
    );
}

#[test]
fn manifest_objects_read_like_provider_resources() {
    let role = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
        "metadata": {"name": "r", "namespace": "shop"},
        "rules": [{"apiGroups": [""], "resources": ["pods/exec"], "verbs": ["create"]}]});
    let binding = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
        "metadata": {"name": "r", "namespace": "shop"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"},
        "subjects": [{"kind": "ServiceAccount", "name": "ci"}]});
    // A dynamic value may come wrapped with its type.
    let wrapped = json!({"value": binding, "type": ["object", {}]});
    let other = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}});
    let r = analyse(json!([
        change(
            "kubernetes_manifest",
            "role",
            &["create"],
            json!(null),
            json!({"manifest": role})
        ),
        change(
            "kubernetes_manifest",
            "binding",
            &["create"],
            json!(null),
            json!({"manifest": wrapped})
        ),
        change(
            "kubernetes_manifest",
            "cm",
            &["create"],
            json!(null),
            json!({"manifest": other})
        ),
    ]));
    assert_eq!(
        verdicts(&r),
        [(
            "system:serviceaccount:shop:ci".to_string(),
            "Widened".to_string()
        )]
    );
    let w = r.identities[0].witness.as_ref().unwrap();
    assert_eq!(
        (w.action.as_str(), w.resource.as_str()),
        ("core:pods/exec:create", "namespaces/shop/example")
    );
}

#[test]
fn a_user_named_as_a_service_account_is_that_service_account() {
    let subjects = json!([
        {"kind": "User", "name": "system:serviceaccount:shop:ci"},
        {"kind": "ServiceAccount", "name": "ci", "namespace": "shop"}
    ]);
    let b = rb("b", "shop", "ClusterRole", "view", subjects);
    let r = analyse(json!([change(
        "kubernetes_role_binding_v1",
        "b",
        &["create"],
        json!(null),
        b
    )]));
    assert_eq!(
        verdicts(&r),
        [(
            "system:serviceaccount:shop:ci".to_string(),
            "Widened".to_string()
        )]
    );
    assert_eq!(r.identities[0].kind, super::SERVICE_ACCOUNT);
    assert_eq!(r.identities[0].provider, crate::model::Provider::Kubernetes);
}

#[test]
fn unknown_role_refs_and_missing_roles_are_never_safe() {
    let subjects = json!([{"kind": "User", "name": "u"}]);
    let before = rb("b", "shop", "Role", "known", subjects.clone());
    let mut after = before.clone();
    after["role_ref"] = json!([{"api_group": "rbac.authorization.k8s.io", "kind": "Role"}]);
    let mut c = change(
        "kubernetes_role_binding_v1",
        "b",
        &["update"],
        before,
        after,
    );
    c["change"]["after_unknown"] = json!({"role_ref": [{"name": true}]});
    let missing = rb(
        "m",
        "shop",
        "Role",
        "nowhere",
        json!([{"kind": "Group", "name": "g"}]),
    );
    let r = analyse(json!([
        c,
        change(
            "kubernetes_role_binding_v1",
            "m",
            &["create"],
            json!(null),
            missing
        ),
    ]));
    assert_eq!(
        verdicts(&r),
        [
            ("Group:g".to_string(), "Unverifiable".to_string()),
            ("User:u".to_string(), "Unverifiable".to_string()),
        ]
    );
}

#[test]
fn sensitive_subjects_are_never_printed() {
    let b = rb(
        "b",
        "shop",
        "ClusterRole",
        "edit",
        json!([{"kind": "User", "name": "s3cr3t-user"}]),
    );
    let mut c = change(
        "kubernetes_role_binding_v1",
        "b",
        &["create"],
        json!(null),
        b,
    );
    c["change"]["after_sensitive"] = json!({"subject": true});
    let r = analyse(json!([c]));
    let text = serde_json::to_string(&r).unwrap();
    assert!(!text.contains("s3cr3t-user"));
    assert_eq!(
        verdicts(&r),
        [(
            "(sensitive subjects of kubernetes_role_binding_v1.b)".to_string(),
            "Unverifiable".to_string()
        )]
    );
}

#[test]
fn hostile_values_do_not_panic() {
    let odd = [
        json!({"metadata": "x", "rule": 7, "subject": [1, null, {"kind": 3}], "role_ref": []}),
        json!({"metadata": [{"name": "n", "labels": [1]}], "aggregation_rule": [{"cluster_role_selectors": "x"}]}),
        json!({"metadata": [], "role_ref": [{"kind": "ClusterRole", "name": "view"}], "subject": {"a": 1}}),
        json!({"manifest": {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": ["Role"]}}),
        json!({"manifest": {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
            "roleRef": "x", "subjects": [{"kind": "User", "name": "u"}]}}),
    ];
    let types = [
        "kubernetes_cluster_role_binding_v1",
        "kubernetes_cluster_role",
        "kubernetes_role_binding",
        "kubernetes_manifest",
        "kubernetes_manifest",
    ];
    let changes: Vec<_> = odd
        .iter()
        .zip(types)
        .enumerate()
        .map(|(i, (v, ty))| change(ty, &format!("x{i}"), &["create"], json!(null), v.clone()))
        .collect();
    let r = analyse(json!(changes));
    assert!(r
        .identities
        .iter()
        .all(|i| i.provider == crate::model::Provider::Kubernetes));
}

#[test]
fn a_role_the_plan_deletes_grants_nothing_after_apply() {
    let role = json!({"metadata": [{"name": "r", "namespace": "shop"}],
        "rule": [{"api_groups": [""], "resources": ["pods"], "verbs": ["get"]}]});
    let b = rb(
        "b",
        "shop",
        "Role",
        "r",
        json!([{"kind": "Group", "name": "g"}]),
    );
    let cr = json!({"metadata": [{"name": "gone"}],
        "rule": [{"api_groups": [""], "resources": ["nodes"], "verbs": ["get"]}]});
    let cb = crb("c", "gone", json!([{"kind": "Group", "name": "h"}]));
    let r = analyse(json!([
        change("kubernetes_role_v1", "r", &["delete"], role, json!(null)),
        change("kubernetes_role_binding_v1", "b", &["no-op"], b.clone(), b),
        change(
            "kubernetes_cluster_role_v1",
            "gone",
            &["delete"],
            cr,
            json!(null)
        ),
        change(
            "kubernetes_cluster_role_binding_v1",
            "c",
            &["no-op"],
            cb.clone(),
            cb
        ),
    ]));
    assert_eq!(
        verdicts(&r),
        [
            ("Group:g".to_string(), "Narrowed".to_string()),
            ("Group:h".to_string(), "Narrowed".to_string()),
        ]
    );
}

#[test]
fn names_the_authorizer_would_not_match_are_kept_apart() {
    let reach = ns("a");
    // `core` is not the core group `""`; `GET` and `Pods` match no request.
    let core_group = scope(&[rule(&["core"], &["secrets"], &["get"])], &reach);
    let upper = scope(&[rule(&[""], &["Secrets"], &["GET"])], &reach);
    let real = scope(&[rule(&[""], &["secrets"], &["get"])], &reach);
    let (action, _) = widening(&core_group, &real).expect("widened");
    assert_eq!(action, "core:secrets:get");
    assert_eq!(widening(&upper, &real).unwrap().0, "core:secrets:get");
    assert!(widening(&real, &upper).is_some());
    // A literal `*` inside a resource name is not a wildcard.
    let star = scope(&[rule(&[""], &["pods/*"], &["get"])], &reach);
    let exec = scope(&[rule(&[""], &["pods/exec"], &["get"])], &reach);
    assert!(widening(&star, &exec).is_some());
}

#[test]
fn a_cluster_role_named_after_apply_still_aggregates() {
    let role = json!({
        "metadata": [{"generate_name": "widgets-", "labels": {
            "rbac.authorization.k8s.io/aggregate-to-view": "true"}}],
        "rule": [{"api_groups": ["example.com"], "resources": ["widgets"], "verbs": ["list"]}]
    });
    let mut c = change(
        "kubernetes_cluster_role_v1",
        "w",
        &["create"],
        json!(null),
        role,
    );
    c["change"]["after_unknown"] = json!({"metadata": [{"name": true}]});
    let b = crb("v", "view", json!([{"kind": "User", "name": "v"}]));
    let r = analyse(json!([
        c,
        change(
            "kubernetes_cluster_role_binding_v1",
            "v",
            &["no-op"],
            b.clone(),
            b
        ),
    ]));
    assert_eq!(
        verdicts(&r),
        [("User:v".to_string(), "Widened".to_string())]
    );
}

#[test]
fn sensitive_rules_are_compared_but_never_printed() {
    let role = |names: &[&str]| {
        json!({"metadata": [{"name": "r", "namespace": "shop"}],
            "rule": [{"api_groups": [""], "resources": ["secrets"], "verbs": ["get"],
                      "resource_names": names}]})
    };
    let mut c = change(
        "kubernetes_role_v1",
        "r",
        &["update"],
        role(&["hidden-one"]),
        role(&["hidden-one", "hidden-two"]),
    );
    c["change"]["before_sensitive"] = json!({"rule": true});
    c["change"]["after_sensitive"] = json!({"rule": true});
    let b = rb(
        "b",
        "shop",
        "Role",
        "r",
        json!([{"kind": "User", "name": "u"}]),
    );
    let r = analyse(json!([
        c,
        change("kubernetes_role_binding_v1", "b", &["no-op"], b.clone(), b),
    ]));
    assert_eq!(
        verdicts(&r),
        [("User:u".to_string(), "Widened".to_string())]
    );
    let text = serde_json::to_string(&r).unwrap();
    assert!(!text.contains("hidden-"), "{text}");
}

#[test]
fn subjects_and_roles_of_two_clusters_stay_apart() {
    let provider = |key: &str| (key.to_string(), json!({"name": "kubernetes"}));
    let mut providers: serde_json::Map<String, serde_json::Value> =
        [provider("kubernetes"), provider("kubernetes.prod")]
            .into_iter()
            .collect();
    // A module's own entry that inherits the prod configuration.
    providers.insert(
        "module.app:kubernetes".into(),
        json!({"name": "kubernetes", "parent_key": "kubernetes.prod"}),
    );
    let res = |address: &str, key: &str| json!({"address": address, "provider_config_key": key});
    let configuration = json!({
        "provider_config": providers,
        "root_module": {
            "resources": [
                res("kubernetes_cluster_role_binding_v1.dev", "kubernetes"),
                res("kubernetes_cluster_role_binding_v1.prod", "kubernetes.prod"),
                res("kubernetes_role_v1.only_dev", "kubernetes"),
            ],
            "module_calls": {"app": {"module": {"resources": [
                res("kubernetes_role_binding_v1.uses_dev_role", "module.app:kubernetes"),
            ]}}}
        }
    });
    let sa = json!([{"kind": "ServiceAccount", "name": "deployer", "namespace": "ci"}]);
    let dev = crb("dev", "view", sa.clone());
    let role = json!({"metadata": [{"name": "r", "namespace": "ci"}],
        "rule": [{"api_groups": [""], "resources": ["pods"], "verbs": ["get"]}]});
    let mut cross = change(
        "kubernetes_role_binding_v1",
        "uses_dev_role",
        &["create"],
        json!(null),
        rb(
            "x",
            "ci",
            "Role",
            "r",
            json!([{"kind": "User", "name": "u"}]),
        ),
    );
    cross["address"] = json!("module.app.kubernetes_role_binding_v1.uses_dev_role");
    cross["module_address"] = json!("module.app");
    let changes = json!([
        change(
            "kubernetes_cluster_role_binding_v1",
            "dev",
            &["no-op"],
            dev.clone(),
            dev
        ),
        change(
            "kubernetes_cluster_role_binding_v1",
            "prod",
            &["create"],
            json!(null),
            crb("prod", "cluster-admin", sa)
        ),
        change(
            "kubernetes_role_v1",
            "only_dev",
            &["no-op"],
            role.clone(),
            role
        ),
        cross,
    ]);
    let r = crate::analyze::tests::analyse(changes, configuration, &Default::default());
    assert_eq!(
        verdicts(&r),
        [
            (
                "kubernetes.prod/User:u".to_string(),
                "Unverifiable".to_string()
            ),
            (
                "kubernetes.prod/system:serviceaccount:ci:deployer".to_string(),
                "Widened".to_string()
            ),
            (
                "kubernetes/system:serviceaccount:ci:deployer".to_string(),
                "Unchanged".to_string()
            ),
        ]
    );
}

#[test]
fn subjects_known_after_apply_stand_as_one_that_gains_the_binding() {
    // cluster-admin to subjects known only after apply: one placeholder gains it, so the
    // gate sees an administrator, and says why.
    let mut c = change(
        "kubernetes_cluster_role_binding_v1",
        "ci",
        &["create"],
        json!(null),
        crb("ci", "cluster-admin", json!([])),
    );
    c["change"]["after_unknown"] = json!({"subject": true});
    // A subject whose api_group alone is known after apply is still that subject.
    let mut d = change(
        "kubernetes_cluster_role_binding_v1",
        "deployer",
        &["create"],
        json!(null),
        crb(
            "deployer",
            "edit",
            json!([{"kind": "ServiceAccount", "name": "deployer", "namespace": "ci"}]),
        ),
    );
    d["change"]["after_unknown"] = json!({"subject": [{"api_group": true}]});
    let r = analyse(json!([c, d]));
    let placeholder = "(subjects of kubernetes_cluster_role_binding_v1.ci known after apply)";
    let p = r
        .identities
        .iter()
        .find(|i| i.address == placeholder)
        .expect("placeholder subject");
    assert!(p.unknown.is_empty(), "{:?}", p.unknown);
    assert!(
        !matches!(p.verdict, Verdict::Unverifiable | Verdict::Unchanged),
        "{:?}",
        p.verdict
    );
    assert!(
        p.notes.iter().any(|n| n.starts_with(
            "the subjects of kubernetes_cluster_role_binding_v1.ci are known only after apply"
        )),
        "{:?}",
        p.notes
    );
    assert!(
        r.findings
            .iter()
            .any(|f| f.identity == placeholder && f.code == "PD011"),
        "{:?}",
        r.findings
    );
    let sa = r
        .identities
        .iter()
        .find(|i| i.address == "system:serviceaccount:ci:deployer")
        .unwrap_or_else(|| panic!("no deployer in {:?}", verdicts(&r)));
    assert!(sa.unknown.is_empty(), "{:?}", sa.unknown);
}

#[test]
fn a_role_binding_grants_no_cluster_scoped_type_its_role_names() {
    let cluster_typed = [rule(&[""], &["nodes", "namespaces/status"], &["get"])];
    let none = scope(&[], &ns("shop"));
    assert_eq!(widening(&none, &scope(&cluster_typed, &ns("shop"))), None);
    // The same rules through a ClusterRoleBinding do reach them.
    let (action, object) = widening(&none, &scope(&cluster_typed, &Reach::Cluster)).unwrap();
    assert!(action.starts_with("core:n"), "{action}");
    assert!(object.starts_with("cluster/"), "{object}");
    // Namespaced types named beside them still count.
    let mixed = [rule(&[""], &["nodes", "pods"], &["get"])];
    let (action, _) = widening(&none, &scope(&mixed, &ns("shop"))).unwrap();
    assert_eq!(action, "core:pods:get");
}

#[test]
fn a_subject_address_splits_into_its_cluster_and_subject() {
    use super::cluster_and_subject as split;
    assert_eq!(
        split("system:serviceaccount:build:builder"),
        ("", "system:serviceaccount:build:builder")
    );
    assert_eq!(
        split("kubernetes.prod/system:serviceaccount:build:builder"),
        ("kubernetes.prod", "system:serviceaccount:build:builder")
    );
    // A module's provider configuration key, and a user name that holds a `/`.
    assert_eq!(
        split("module.eks:kubernetes/Group:sre"),
        ("module.eks:kubernetes", "Group:sre")
    );
    assert_eq!(
        split("User:https://issuer.example/#alice"),
        ("", "User:https://issuer.example/#alice")
    );
    assert_eq!(
        split("kubernetes.prod/User:https://issuer.example/#alice"),
        ("kubernetes.prod", "User:https://issuer.example/#alice")
    );
}
