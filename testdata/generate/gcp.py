"""GCP IAM fixtures: role bindings on projects, folders and service accounts, per member.

gcp-project-iam.json (project acme-prod unless said)
  serviceAccount:ci@…        new google_project_iam_member: roles/editor                     widened
  user:alice@acme.example    stays in the roles/iam.serviceAccountUser _binding              unchanged
  user:bob@acme.example      dropped from that _binding                                       narrowed
  user:carol@acme.example    added to that _binding                                           widened
  group:auditors@…           roles/viewer in a _policy (acme-legacy) whose policy_data becomes
                             known only after apply                                           unverifiable
  (members of google_project_iam_policy.legacy known after apply)                             unverifiable
  serviceAccount:batch@…     roles/secretmanager.secretAccessor loses its time condition      widened
  serviceAccount:deployer@…  its custom role projects/acme-prod/roles/deployer gains
                             run.services.update                                              widened
  serviceAccount:dns@…       new binding of roles/dns.zoneSteward (a role newer than privdiff's
                             embedded catalog)                                     unverifiable
  serviceAccount:builder@…   new roles/iam.serviceAccountTokenCreator on the deployer service
                             account (google_service_account_iam_member)                      widened
  group:platform@…           roles/viewer on folders/1234567890, no change                    unchanged
  allUsers                   roles/storage.objectViewer on bucket acme-public-assets
                             (google_storage_bucket_iam_member, named projects/_/buckets/…)       widened
  serviceAccount:app@…       roles/secretmanager.secretAccessor on
                             projects/acme-prod/secrets/db-password (_iam_binding)            widened
  serviceAccount:reporter@…  roles/bigquery.dataViewer whose condition expression is
                             rewritten (compared by text only)                                unverifiable
  serviceAccount:worker@…    roles/pubsub.subscriber on the project, and newly on subscription
                             jobs whose project is the provider's default (known only after
                             apply in the resource): projects/acme-prod/subscriptions/jobs is
                             under the project                                                unchanged
  group:platform@…           also gets roles/viewer on project acme-prod, which
                             data.google_project.prod places in folders/1234567890           unchanged
"""
import copy
from lib import RC, plan, config, cres, const, refs, update, noop

GOOGLE = "registry.terraform.io/hashicorp/google"
PROJECT = "acme-prod"


def sa(name, project=PROJECT):
    return f"serviceAccount:{name}@{project}.iam.gserviceaccount.com"


def provider():
    return {"google": {"name": "google", "full_name": GOOGLE, "version_constraint": "~> 5.0",
                       "expressions": {"project": {"constant_value": PROJECT}}}}


def member_state(role, member, project=PROJECT, condition=None, etag="BwYJ0aRk1kE="):
    return {"condition": condition or [], "etag": etag, "id": f"{project}/{role}/{member}",
            "member": member, "project": project, "role": role}


def created(address, after, unknown):
    return RC(address, ["create"], None, after, unknown=unknown, provider=GOOGLE)


def generate(emit):
    rcs = []
    res = []

    # A new _member grant of roles/editor.
    ci = member_state("roles/editor", sa("ci"))
    ci_after = {k: v for k, v in ci.items() if k not in ("etag", "id")}
    rcs.append(created("google_project_iam_member.ci_editor", ci_after, {"etag": True, "id": True}))
    res.append(cres("google_project_iam_member.ci_editor", {
        "member": const(sa("ci")), "project": const(PROJECT), "role": const("roles/editor")}, key="google"))

    # A _binding that adds carol and drops bob.
    role = "roles/iam.serviceAccountUser"
    before = {"condition": [], "etag": "BwYJ0aRk2kE=", "id": f"{PROJECT}/{role}",
              "members": ["user:alice@acme.example", "user:bob@acme.example"], "project": PROJECT, "role": role}
    rcs.append(update("google_project_iam_binding.deployers", before,
                      {"members": ["user:alice@acme.example", "user:carol@acme.example"]}, provider=GOOGLE))
    res.append(cres("google_project_iam_binding.deployers", {
        "members": const(["user:alice@acme.example", "user:carol@acme.example"]),
        "project": const(PROJECT), "role": const(role)}, key="google"))

    # A _policy whose policy_data becomes known only after apply.
    policy = '{"bindings":[{"members":["group:auditors@acme.example"],"role":"roles/viewer"}]}'
    before = {"etag": "BwYJ0aRk3kE=", "id": "acme-legacy", "policy_data": policy, "project": "acme-legacy"}
    after = {k: v for k, v in before.items() if k not in ("policy_data", "etag")}
    rcs.append(RC("google_project_iam_policy.legacy", ["update"], before, after,
                  unknown={"policy_data": True, "etag": True}, provider=GOOGLE))
    res.append(cres("google_project_iam_policy.legacy", {
        "policy_data": refs("data.google_iam_policy.legacy.policy_data", "data.google_iam_policy.legacy"),
        "project": const("acme-legacy")}, key="google"))

    # A conditional grant whose condition is removed (the provider replaces the member).
    cond = [{"description": "", "expression": 'request.time < timestamp("2026-01-01T00:00:00Z")',
             "title": "until-2026"}]
    secrets_role = "roles/secretmanager.secretAccessor"
    before = member_state(secrets_role, sa("batch"), condition=cond, etag="BwYJ0aRk4kE=")
    after = {k: v for k, v in member_state(secrets_role, sa("batch")).items() if k not in ("etag", "id")}
    rcs.append(RC("google_project_iam_member.batch_secrets", ["delete", "create"], before, after,
                  unknown={"etag": True, "id": True}, provider=GOOGLE, replace_paths=[["condition"]],
                  reason="replace_because_cannot_update"))
    res.append(cres("google_project_iam_member.batch_secrets", {
        "member": const(sa("batch")), "project": const(PROJECT), "role": const(secrets_role)}, key="google"))

    # A custom role that grows, bound unchanged.
    custom = f"projects/{PROJECT}/roles/deployer"
    role_before = {"deleted": False, "description": "Deploys Cloud Run services", "id": custom, "name": custom,
                   "permissions": ["run.services.get", "run.services.list"], "project": PROJECT,
                   "role_id": "deployer", "stage": "GA", "title": "Deployer"}
    rcs.append(update("google_project_iam_custom_role.deployer", role_before,
                      {"permissions": ["run.services.get", "run.services.list", "run.services.update"]},
                      provider=GOOGLE))
    res.append(cres("google_project_iam_custom_role.deployer", {
        "permissions": const(["run.services.get", "run.services.list", "run.services.update"]),
        "role_id": const("deployer"), "title": const("Deployer")}, key="google"))
    rcs.append(noop("google_project_iam_member.deployer", member_state(custom, sa("deployer")), provider=GOOGLE))
    res.append(cres("google_project_iam_member.deployer", {
        "member": const(sa("deployer")), "project": const(PROJECT),
        "role": refs("google_project_iam_custom_role.deployer.name", "google_project_iam_custom_role.deployer")},
        key="google"))

    # A predefined role privdiff's table does not have.
    dns = member_state("roles/dns.zoneSteward", sa("dns"))
    rcs.append(created("google_project_iam_member.dns", {k: v for k, v in dns.items() if k not in ("etag", "id")},
                       {"etag": True, "id": True}))
    res.append(cres("google_project_iam_member.dns", {
        "member": const(sa("dns")), "project": const(PROJECT), "role": const("roles/dns.zoneSteward")}, key="google"))

    # Token creator on one service account.
    target = f"projects/{PROJECT}/serviceAccounts/deployer@{PROJECT}.iam.gserviceaccount.com"
    tc = {"condition": [], "member": sa("builder"), "role": "roles/iam.serviceAccountTokenCreator",
          "service_account_id": target}
    rcs.append(created("google_service_account_iam_member.builder_impersonates_deployer", tc,
                       {"etag": True, "id": True}))
    res.append(cres("google_service_account_iam_member.builder_impersonates_deployer", {
        "member": const(sa("builder")), "role": const("roles/iam.serviceAccountTokenCreator"),
        "service_account_id": refs("google_service_account.deployer.name", "google_service_account.deployer")},
        key="google"))

    # A folder grant that does not change.
    folder = {"condition": [], "etag": "BwYJ0aRk5kE=", "folder": "folders/1234567890",
              "id": "folders/1234567890/roles/viewer/group:platform@acme.example",
              "member": "group:platform@acme.example", "role": "roles/viewer"}
    rcs.append(noop("google_folder_iam_member.platform_viewer", folder, provider=GOOGLE))
    res.append(cres("google_folder_iam_member.platform_viewer", {
        "folder": const("folders/1234567890"), "member": const("group:platform@acme.example"),
        "role": const("roles/viewer")}, key="google"))

    # Resource-level families: a public bucket reader and a secret reader.
    bucket = {"bucket": "acme-public-assets", "condition": [], "member": "allUsers",
              "role": "roles/storage.objectViewer"}
    rcs.append(created("google_storage_bucket_iam_member.public_assets", bucket, {"etag": True, "id": True}))
    res.append(cres("google_storage_bucket_iam_member.public_assets", {
        "bucket": const("acme-public-assets"), "member": const("allUsers"),
        "role": const("roles/storage.objectViewer")}, key="google"))
    secret = {"condition": [], "members": [sa("app")], "project": PROJECT,
              "role": "roles/secretmanager.secretAccessor",
              "secret_id": f"projects/{PROJECT}/secrets/db-password"}
    rcs.append(created("google_secret_manager_secret_iam_binding.app_db_password", secret,
                       {"etag": True, "id": True}))
    res.append(cres("google_secret_manager_secret_iam_binding.app_db_password", {
        "members": const([sa("app")]), "role": const("roles/secretmanager.secretAccessor"),
        "secret_id": refs("google_secret_manager_secret.db_password.id", "google_secret_manager_secret.db_password")},
        key="google"))

    # A conditional grant whose expression is rewritten: not comparable by text.
    old = [{"description": "", "expression": 'resource.name.startsWith("projects/acme-prod/datasets/reports")',
            "title": "reports-only"}]
    new = [{"description": "", "expression": 'resource.name.startsWith("projects/acme-prod/datasets/")',
            "title": "reports-only"}]
    viewer = "roles/bigquery.dataViewer"
    before = member_state(viewer, sa("reporter"), condition=old, etag="BwYJ0aRk6kE=")
    after = {k: v for k, v in member_state(viewer, sa("reporter"), condition=new).items() if k not in ("etag", "id")}
    rcs.append(RC("google_project_iam_member.reporter", ["delete", "create"], before, after,
                  unknown={"etag": True, "id": True}, provider=GOOGLE, replace_paths=[["condition"]],
                  reason="replace_because_cannot_update"))
    res.append(cres("google_project_iam_member.reporter", {
        "condition": [{"expression": const(new[0]["expression"]), "title": const("reports-only")}],
        "member": const(sa("reporter")), "project": const(PROJECT), "role": const(viewer)}, key="google"))

    # A subscription grant in the provider's default project, under a project grant of the role.
    sub = "roles/pubsub.subscriber"
    rcs.append(noop("google_project_iam_member.worker", member_state(sub, sa("worker"), etag="BwYJ0aRk7kE="),
                    provider=GOOGLE))
    res.append(cres("google_project_iam_member.worker", {
        "member": const(sa("worker")), "project": const(PROJECT), "role": const(sub)}, key="google"))
    rcs.append(created("google_pubsub_subscription_iam_member.worker_jobs",
                       {"condition": [], "member": sa("worker"), "role": sub, "subscription": "jobs"},
                       {"etag": True, "id": True, "project": True}))
    res.append(cres("google_pubsub_subscription_iam_member.worker_jobs", {
        "member": const(sa("worker")), "role": const(sub), "subscription": const("jobs")}, key="google"))

    # The project is in the folder where platform already views everything.
    prod = RC("data.google_project.prod", ["read"], {
        "project_id": PROJECT, "folder_id": "1234567890", "org_id": "", "name": "acme-prod",
        "number": "123456789012", "id": f"projects/{PROJECT}"}, None, mode="data", provider=GOOGLE)
    res.append(cres("data.google_project.prod", {"project_id": const(PROJECT)}, mode="data", key="google"))
    platform = {k: v for k, v in member_state("roles/viewer", "group:platform@acme.example").items()
                if k not in ("etag", "id")}
    rcs.append(created("google_project_iam_member.platform_viewer", platform, {"etag": True, "id": True}))
    res.append(cres("google_project_iam_member.platform_viewer", {
        "member": const("group:platform@acme.example"), "project": const(PROJECT),
        "role": const("roles/viewer")}, key="google"))

    p = plan(rcs, config(res, provider=provider()), prior_data=[prod], timestamp="2025-06-14T10:00:00Z")
    emit("gcp-project-iam.json", p, [
        (sa("ci"), "widened"),
        ("user:alice@acme.example", "unchanged"),
        ("user:bob@acme.example", "narrowed"),
        ("user:carol@acme.example", "widened"),
        ("group:auditors@acme.example", "unverifiable"),
        ("(members of google_project_iam_policy.legacy known after apply)", "unverifiable"),
        (sa("batch"), "widened"),
        (sa("deployer"), "widened"),
        (sa("dns"), "unverifiable"),
        (sa("builder"), "widened"),
        ("group:platform@acme.example", "unchanged"),
        ("allUsers", "widened"),
        (sa("app"), "widened"),
        (sa("reporter"), "unverifiable"),
        (sa("worker"), "unchanged"),
    ])
