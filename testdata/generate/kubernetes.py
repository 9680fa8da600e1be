"""Kubernetes RBAC fixtures (kubernetes provider 2.x): per binding subject.

kubernetes-rbac.json: provider resources (`kubernetes_*_v1` and the unversioned names)
  system:serviceaccount:ci:deployer   new ClusterRoleBinding to cluster-admin                 widened
  User:alice                          RoleBinding in shop replaced: view -> edit              widened
  system:serviceaccount:shop:debugger its Role gains pods/exec                                widened
  system:serviceaccount:shop:reader   its Role's rules reordered                              unchanged
  system:serviceaccount:shop:janitor  its Role loses the delete verb                          narrowed
  Group:sre                           RoleBinding to view in shop deleted, ClusterRoleBinding
                                      to view created (namespace -> cluster)                  widened
  User:bob                            ClusterRoleBinding to view deleted                      narrowed
  (subjects of kubernetes_role_binding_v1.bots known after apply)  one placeholder stands for
                                      them and gains the binding's role (a note says so)      widened
  system:serviceaccount:shop:old-bot  was the subject of that binding                         unverifiable
  User:system:anonymous               new ClusterRoleBinding to view                          widened
  system:serviceaccount:shop:ops      new RoleBinding to ClusterRole ops-extra (not in the
                                      plan nor in privdiff's table)                           unverifiable
  system:serviceaccount:shop:builder  its ClusterRole's rules known only after apply         unverifiable

kubernetes-manifest.json: RBAC kinds in kubernetes_manifest, and aggregation
  system:serviceaccount:monitoring:prometheus  manifest ClusterRoleBinding to a manifest
                                               ClusterRole reading pods and nodes/metrics     widened
  User:carol                          bound to edit in shop; a new ClusterRole labelled
                                      aggregate-to-edit adds widgets.example.com              widened
  Group:platform-admins               bound to admin cluster-wide: edit's new rules reach
                                      admin too                                               widened
  User:dave                           bound to view: not aggregated into view                 unchanged
  Group:system:unauthenticated        manifest ClusterRoleBinding to
                                      system:public-info-viewer removed                       narrowed
  system:serviceaccount:shop:deploy   its manifest Role gains patch on deployments            widened
  (subjects of kubernetes_manifest.release_bots known after apply)  stands for them and gains
                                      the binding's role                                      widened
  Group:legacy-ops                    its ClusterRole is deleted, the binding stays           narrowed
  User:erin                           a new Role and a new RoleBinding to it                  widened
"""
import copy
from lib import RC, plan, config, cres, const, refs, update, noop

K8S = "registry.terraform.io/hashicorp/kubernetes"
RBAC = "rbac.authorization.k8s.io"


def provider():
    return {"kubernetes": {"name": "kubernetes", "full_name": K8S, "version_constraint": "~> 2.31",
                           "expressions": {"config_path": {"constant_value": "~/.kube/config"}}}}


def meta(name, namespace=None, labels=None, uid="6f1c0d2e-0000-4000-8000-000000000001"):
    m = {"annotations": {}, "generate_name": "", "generation": 0, "labels": labels or {}, "name": name,
         "resource_version": "4711", "uid": uid}
    if namespace is not None:
        m["namespace"] = namespace
    return [m]


META_UNKNOWN = {"id": True, "metadata": [{"generation": True, "resource_version": True, "uid": True}]}


def rule(groups, resources, verbs, names=(), urls=None):
    r = {"api_groups": list(groups), "resource_names": list(names), "resources": list(resources),
         "verbs": list(verbs)}
    if urls is not None:
        r["non_resource_urls"] = list(urls)
    return r


def role(name, ns, rules):
    return {"id": f"{ns}/{name}", "metadata": meta(name, ns), "rule": rules}


def cluster_role(name, rules, labels=None, aggregation=None):
    return {"aggregation_rule": aggregation or [], "id": name, "metadata": meta(name, labels=labels),
            "rule": rules}


def subject(kind, name, namespace=None):
    s = {"api_group": "" if kind == "ServiceAccount" else RBAC, "kind": kind, "name": name}
    if namespace is not None:
        s["namespace"] = namespace
    return s


def binding(name, ns, ref_kind, ref_name, subjects):
    b = {"metadata": meta(name, ns), "role_ref": [{"api_group": RBAC, "kind": ref_kind, "name": ref_name}],
         "subject": subjects}
    b["id"] = f"{ns}/{name}" if ns else name
    return b


def fresh(state):
    """The planned value of a new object: computed metadata is unknown."""
    s = copy.deepcopy(state)
    s.pop("id", None)
    for k in ("generation", "resource_version", "uid"):
        s["metadata"][0].pop(k, None)
    return s


def created(address, state):
    return RC(address, ["create"], None, fresh(state), unknown=META_UNKNOWN, provider=K8S)


def deleted(address, state):
    return RC(address, ["delete"], state, None, provider=K8S)


def cfg(address, **exprs):
    return cres(address, {k: const(v) for k, v in exprs.items()}, key="kubernetes")


def rbac(emit):
    rcs, res = [], []

    # A CI service account gains cluster-admin.
    ci = binding("ci-admin", None, "ClusterRole", "cluster-admin",
                 [subject("ServiceAccount", "deployer", "ci")])
    rcs.append(created("kubernetes_cluster_role_binding_v1.ci_admin", ci))
    res.append(cfg("kubernetes_cluster_role_binding_v1.ci_admin", role_ref=ci["role_ref"]))

    # alice: view -> edit in shop; role_ref forces a replacement.
    before = binding("alice", "shop", "ClusterRole", "view", [subject("User", "alice")])
    after = fresh(binding("alice", "shop", "ClusterRole", "edit", [subject("User", "alice")]))
    rcs.append(RC("kubernetes_role_binding_v1.alice", ["delete", "create"], before, after,
                  unknown=META_UNKNOWN, provider=K8S, replace_paths=[["role_ref", 0, "name"]],
                  reason="replace_because_cannot_update"))
    res.append(cfg("kubernetes_role_binding_v1.alice", role_ref=after["role_ref"]))

    # A Role gains pods/exec; its binding does not change.
    debug = role("debug", "shop", [rule([""], ["pods", "pods/log"], ["get", "list"])])
    rcs.append(update("kubernetes_role_v1.debug", debug, {"rule": [
        rule([""], ["pods", "pods/log"], ["get", "list"]),
        rule([""], ["pods/exec"], ["create"])]}, provider=K8S))
    res.append(cfg("kubernetes_role_v1.debug"))
    rcs.append(noop("kubernetes_role_binding_v1.debug", binding(
        "debug", "shop", "Role", "debug", [subject("ServiceAccount", "debugger", "shop")]), provider=K8S))
    res.append(cfg("kubernetes_role_binding_v1.debug"))

    # Rules reordered (and a list's items): the same scope. The unversioned resource names.
    reader = role("reader", "shop", [rule([""], ["configmaps", "services"], ["get", "list"]),
                                     rule(["apps"], ["deployments"], ["get"])])
    rcs.append(update("kubernetes_role.reader", reader, {"rule": [
        rule(["apps"], ["deployments"], ["get"]),
        rule([""], ["services", "configmaps"], ["list", "get"])]}, provider=K8S))
    res.append(cfg("kubernetes_role.reader"))
    rcs.append(noop("kubernetes_role_binding.reader", binding(
        "reader", "shop", "Role", "reader", [subject("ServiceAccount", "reader")]), provider=K8S))
    res.append(cfg("kubernetes_role_binding.reader"))

    # A verb removed.
    janitor = role("janitor", "shop", [rule(["batch"], ["jobs"], ["get", "list", "delete"])])
    rcs.append(update("kubernetes_role_v1.janitor", janitor, {"rule": [
        rule(["batch"], ["jobs"], ["get", "list"])]}, provider=K8S))
    res.append(cfg("kubernetes_role_v1.janitor"))
    rcs.append(noop("kubernetes_role_binding_v1.janitor", binding(
        "janitor", "shop", "Role", "janitor", [subject("ServiceAccount", "janitor", "shop")]), provider=K8S))
    res.append(cfg("kubernetes_role_binding_v1.janitor"))

    # sre: view in one namespace becomes view everywhere.
    rcs.append(deleted("kubernetes_role_binding_v1.sre_view", binding(
        "sre-view", "shop", "ClusterRole", "view", [subject("Group", "sre")])))
    sre = binding("sre-view", None, "ClusterRole", "view", [subject("Group", "sre")])
    rcs.append(created("kubernetes_cluster_role_binding_v1.sre_view", sre))
    res.append(cfg("kubernetes_cluster_role_binding_v1.sre_view", role_ref=sre["role_ref"]))

    # bob's cluster-wide view binding is removed.
    rcs.append(deleted("kubernetes_cluster_role_binding_v1.bob_view", binding(
        "bob-view", None, "ClusterRole", "view", [subject("User", "bob")])))

    # Subjects known only after apply (a service account created in the same apply).
    bots = binding("bots", "shop", "ClusterRole", "edit", [subject("ServiceAccount", "old-bot", "shop")])
    bots_after = copy.deepcopy(bots)
    bots_after["subject"] = [{"api_group": "", "kind": "ServiceAccount", "namespace": "shop"}]
    rcs.append(RC("kubernetes_role_binding_v1.bots", ["update"], bots, bots_after,
                  unknown={"subject": [{"name": True}]}, provider=K8S))
    res.append(cres("kubernetes_role_binding_v1.bots", {
        "subject": [{"name": refs("kubernetes_service_account_v1.bot.metadata[0].name",
                                  "kubernetes_service_account_v1.bot.metadata[0]",
                                  "kubernetes_service_account_v1.bot")}]}, key="kubernetes"))

    # Anonymous requests may read everything view allows, cluster-wide.
    anon = binding("anonymous-view", None, "ClusterRole", "view", [subject("User", "system:anonymous")])
    rcs.append(created("kubernetes_cluster_role_binding_v1.anonymous_view", anon))
    res.append(cfg("kubernetes_cluster_role_binding_v1.anonymous_view"))

    # A ClusterRole defined outside this plan.
    ops = binding("ops", "shop", "ClusterRole", "ops-extra", [subject("ServiceAccount", "ops", "shop")])
    rcs.append(created("kubernetes_role_binding_v1.ops", ops))
    res.append(cfg("kubernetes_role_binding_v1.ops"))

    # A ClusterRole whose rules come from a value known only after apply.
    builder_role = cluster_role("builder", [rule(["apps"], ["deployments"], ["get"])])
    builder_after = copy.deepcopy(builder_role)
    del builder_after["rule"]
    rcs.append(RC("kubernetes_cluster_role_v1.builder", ["update"], builder_role, builder_after,
                  unknown={"rule": True}, provider=K8S))
    res.append(cfg("kubernetes_cluster_role_v1.builder"))
    rcs.append(noop("kubernetes_cluster_role_binding_v1.builder", binding(
        "builder", None, "ClusterRole", "builder", [subject("ServiceAccount", "builder", "shop")]),
        provider=K8S))
    res.append(cfg("kubernetes_cluster_role_binding_v1.builder"))

    p = plan(rcs, config(res, provider=provider()), timestamp="2025-06-15T09:00:00Z")
    emit("kubernetes-rbac.json", p, [
        ("system:serviceaccount:ci:deployer", "widened"),
        ("User:alice", "widened"),
        ("system:serviceaccount:shop:debugger", "widened"),
        ("system:serviceaccount:shop:reader", "unchanged"),
        ("system:serviceaccount:shop:janitor", "narrowed"),
        ("Group:sre", "widened"),
        ("User:bob", "narrowed"),
        ("(subjects of kubernetes_role_binding_v1.bots known after apply)", "widened"),
        ("system:serviceaccount:shop:old-bot", "unverifiable"),
        ("User:system:anonymous", "widened"),
        ("system:serviceaccount:shop:ops", "unverifiable"),
        ("system:serviceaccount:shop:builder", "unverifiable"),
    ])


def manifest_state(m):
    """A kubernetes_manifest: `object` is the server's copy (unknown on create)."""
    return {"manifest": m, "object": m}


def manifest_created(address, m):
    return RC(address, ["create"], None, {"manifest": m}, unknown={"object": True}, provider=K8S)


def manifests(emit):
    rcs, res = [], []

    # Prometheus reads pods and node metrics cluster-wide, all in manifests.
    reader = {"apiVersion": f"{RBAC}/v1", "kind": "ClusterRole", "metadata": {"name": "metrics-reader"},
              "rules": [{"apiGroups": [""], "resources": ["pods", "nodes/metrics"], "verbs": ["get", "list"]},
                        {"nonResourceURLs": ["/metrics"], "verbs": ["get"]}]}
    crb = {"apiVersion": f"{RBAC}/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "prometheus"},
           "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": "metrics-reader"},
           "subjects": [{"kind": "ServiceAccount", "name": "prometheus", "namespace": "monitoring"}]}
    rcs.append(manifest_created("kubernetes_manifest.metrics_reader", reader))
    rcs.append(manifest_created("kubernetes_manifest.prometheus", crb))
    res.append(cres("kubernetes_manifest.metrics_reader", {"manifest": const(reader)}, key="kubernetes"))
    res.append(cres("kubernetes_manifest.prometheus", {"manifest": const(crb)}, key="kubernetes"))

    # A new ClusterRole labelled to aggregate into edit (and so into admin).
    widgets = cluster_role("widget-editor", [rule(["widgets.example.com"], ["widgets"], ["*"])],
                           labels={"rbac.authorization.k8s.io/aggregate-to-edit": "true"})
    rcs.append(created("kubernetes_cluster_role_v1.widget_editor", widgets))
    res.append(cfg("kubernetes_cluster_role_v1.widget_editor"))
    for addr, b in [
        ("kubernetes_role_binding_v1.carol", binding("carol", "shop", "ClusterRole", "edit",
                                                     [subject("User", "carol")])),
        ("kubernetes_cluster_role_binding_v1.platform_admins", binding(
            "platform-admins", None, "ClusterRole", "admin", [subject("Group", "platform-admins")])),
        ("kubernetes_role_binding_v1.dave", binding("dave", "shop", "ClusterRole", "view",
                                                    [subject("User", "dave")])),
    ]:
        rcs.append(noop(addr, b, provider=K8S))
        res.append(cfg(addr))

    # The public-info binding for unauthenticated requests is removed.
    public = {"apiVersion": f"{RBAC}/v1", "kind": "ClusterRoleBinding",
              "metadata": {"name": "public-info"},
              "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": "system:public-info-viewer"},
              "subjects": [{"apiGroup": RBAC, "kind": "Group", "name": "system:unauthenticated"}]}
    rcs.append(RC("kubernetes_manifest.public_info", ["delete"], manifest_state(public), None, provider=K8S))

    # A manifest Role that gains a verb, bound by a manifest RoleBinding that does not change.
    def deploy_role(verbs):
        return {"apiVersion": f"{RBAC}/v1", "kind": "Role", "metadata": {"name": "deploy", "namespace": "shop"},
                "rules": [{"apiGroups": ["apps"], "resources": ["deployments"], "verbs": verbs}]}
    rcs.append(RC("kubernetes_manifest.deploy_role", ["update"],
                  manifest_state(deploy_role(["get", "list"])),
                  {"manifest": deploy_role(["get", "list", "patch"]), "object": deploy_role(["get", "list"])},
                  unknown={"object": True}, provider=K8S))
    res.append(cres("kubernetes_manifest.deploy_role", {"manifest": const(deploy_role(["get", "list", "patch"]))},
                    key="kubernetes"))
    deploy_binding = {"apiVersion": f"{RBAC}/v1", "kind": "RoleBinding",
                      "metadata": {"name": "deploy", "namespace": "shop"},
                      "roleRef": {"apiGroup": RBAC, "kind": "Role", "name": "deploy"},
                      "subjects": [{"kind": "ServiceAccount", "name": "deploy", "namespace": "shop"}]}
    rcs.append(noop("kubernetes_manifest.deploy_binding", manifest_state(deploy_binding), provider=K8S))
    res.append(cres("kubernetes_manifest.deploy_binding", {"manifest": const(deploy_binding)}, key="kubernetes"))

    # A manifest RoleBinding whose subject is known only after apply.
    bots = {"apiVersion": f"{RBAC}/v1", "kind": "RoleBinding",
            "metadata": {"name": "release-bots", "namespace": "shop"},
            "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": "edit"},
            "subjects": [{"kind": "ServiceAccount", "namespace": "shop"}]}
    rcs.append(RC("kubernetes_manifest.release_bots", ["create"], None, {"manifest": bots},
                  unknown={"manifest": {"subjects": [{"name": True}]}, "object": True}, provider=K8S))
    res.append(cres("kubernetes_manifest.release_bots", {"manifest": refs(
        "kubernetes_service_account_v1.release.metadata[0].name", "kubernetes_service_account_v1.release")},
        key="kubernetes"))

    # A ClusterRole deleted while a binding to it stays: the binding grants nothing after apply.
    legacy = cluster_role("legacy-ops", [rule([""], ["nodes"], ["get", "list"])])
    rcs.append(deleted("kubernetes_cluster_role_v1.legacy_ops", legacy))
    rcs.append(noop("kubernetes_cluster_role_binding_v1.legacy_ops", binding(
        "legacy-ops", None, "ClusterRole", "legacy-ops", [subject("Group", "legacy-ops")]), provider=K8S))
    res.append(cfg("kubernetes_cluster_role_binding_v1.legacy_ops"))

    # A Role and its RoleBinding created together.
    erin_role = role("erin", "shop", [rule([""], ["configmaps"], ["get", "update"], names=["app-config"])])
    rcs.append(created("kubernetes_role_v1.erin", erin_role))
    res.append(cfg("kubernetes_role_v1.erin"))
    erin = binding("erin", "shop", "Role", "erin", [subject("User", "erin")])
    rcs.append(created("kubernetes_role_binding_v1.erin", erin))
    res.append(cfg("kubernetes_role_binding_v1.erin"))

    p = plan(rcs, config(res, provider=provider()), timestamp="2025-06-15T10:00:00Z")
    emit("kubernetes-manifest.json", p, [
        ("system:serviceaccount:monitoring:prometheus", "widened"),
        ("User:carol", "widened"),
        ("Group:platform-admins", "widened"),
        ("User:dave", "unchanged"),
        ("Group:system:unauthenticated", "narrowed"),
        ("system:serviceaccount:shop:deploy", "widened"),
        ("(subjects of kubernetes_manifest.release_bots known after apply)", "widened"),
        ("Group:legacy-ops", "narrowed"),
        ("User:erin", "widened"),
    ])


def generate(emit):
    rbac(emit)
    manifests(emit)
    service_accounts(emit)


def service_accounts(emit):
    """kubernetes-service-accounts.json: service accounts the plan manages are identities that
    are created and deleted with it; a group of every service account says so.
      system:serviceaccount:ci:deployer   created with a binding to cluster-admin
                                          created, PD011
      system:serviceaccount:legacy:old    deleted with its binding (view)   deleted
      Group:system:serviceaccounts:apps   gains view in apps: every service account of the
                                          namespace (a note)                widened
      system:serviceaccount:apps:worker   unchanged and bound by nothing: not listed
    """
    rcs, res = [], []

    def sa(name, ns):
        return {"automount_service_account_token": True, "default_secret_name": "", "id": f"{ns}/{name}",
                "image_pull_secret": [], "metadata": meta(name, ns), "secret": []}

    rcs.append(created("kubernetes_service_account_v1.deployer", sa("deployer", "ci")))
    res.append(cfg("kubernetes_service_account_v1.deployer",
                   metadata=[{"name": "deployer", "namespace": "ci"}]))
    ci = binding("ci-admin", None, "ClusterRole", "cluster-admin",
                 [subject("ServiceAccount", "deployer", "ci")])
    rcs.append(created("kubernetes_cluster_role_binding_v1.ci_admin", ci))
    res.append(cfg("kubernetes_cluster_role_binding_v1.ci_admin", role_ref=ci["role_ref"]))

    rcs.append(deleted("kubernetes_service_account_v1.old", sa("old", "legacy")))
    rcs.append(deleted("kubernetes_role_binding_v1.old",
                       binding("old-view", "legacy", "ClusterRole", "view",
                               [subject("ServiceAccount", "old", "legacy")])))

    every = binding("all-view", "apps", "ClusterRole", "view",
                    [subject("Group", "system:serviceaccounts:apps")])
    rcs.append(created("kubernetes_role_binding_v1.all_view", every))
    res.append(cfg("kubernetes_role_binding_v1.all_view", role_ref=every["role_ref"]))

    rcs.append(RC("kubernetes_service_account_v1.worker", ["no-op"], sa("worker", "apps"),
                  sa("worker", "apps"), provider=K8S))
    res.append(cfg("kubernetes_service_account_v1.worker",
                   metadata=[{"name": "worker", "namespace": "apps"}]))

    emit("kubernetes-service-accounts.json",
         plan(rcs, config(res, provider=provider()), timestamp="2026-12-07T13:30:00Z"), [
             ("system:serviceaccount:ci:deployer", "created"),
             ("system:serviceaccount:legacy:old", "deleted"),
             ("Group:system:serviceaccounts:apps", "widened"),
         ])
