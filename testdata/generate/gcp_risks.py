"""GCP content-rule fixtures: which dangerous powers a member newly gains, and near misses.

gcp-risks.json (project acme-prod unless said)
  serviceAccount:admin@…          new roles/owner on acme-prod                          PD011 only
  serviceAccount:roaming-owner@…  owner on acme-dev already, now also on acme-prod      PD011 (a new place)
  serviceAccount:temp-owner@…     new roles/owner under an IAM condition                PD011 (a condition still grants)
  serviceAccount:iam-admin@…      new custom role with resourcemanager.projects.setIamPolicy   PD014
  serviceAccount:impersonator@…   new roles/iam.serviceAccountTokenCreator on the project      PD017
  serviceAccount:launcher@…       roles/iam.serviceAccountUser held, new custom role with
                                  compute.instances.create                              PD015
  allAuthenticatedUsers           new roles/storage.objectViewer on a bucket            PD006
  serviceAccount:reader@…         new custom role with run.services.get                 nothing
  serviceAccount:one-sa-user@…    new roles/iam.serviceAccountUser on one service account, no
                                  way to run compute                                    nothing
  serviceAccount:steady-owner@…   owner on acme-prod already; gains owner on the same project
                                  through a second binding (unchanged)                  nothing
  serviceAccount:bucket-admin@…   new roles/storage.admin on one bucket: may share that one  PD020 (medium)
  serviceAccount:terraform@…      the identity running Terraform (data.google_client_openid_userinfo.me)
                                  grants itself roles/resourcemanager.projectIamAdmin    PD014
"""
from lib import RC, plan, config, cres, const, refs

GOOGLE = "registry.terraform.io/hashicorp/google"
PROJECT = "acme-prod"


def sa(name):
    return f"serviceAccount:{name}@{PROJECT}.iam.gserviceaccount.com"


def provider():
    return {"google": {"name": "google", "full_name": GOOGLE, "version_constraint": "~> 5.0",
                       "expressions": {"project": {"constant_value": PROJECT}}}}


def member(role, who, project=PROJECT, condition=None):
    return {"condition": condition or [], "member": who, "project": project, "role": role}


def state(role, who, project=PROJECT, condition=None):
    s = member(role, who, project, condition)
    s.update({"etag": "BwYJ0aRk1kE=", "id": f"{project}/{role}/{who}"})
    return s


def generate(emit):
    rcs = []
    res = []

    def create(name, role, who, project=PROJECT, condition=None):
        address = f"google_project_iam_member.{name}"
        rcs.append(RC(address, ["create"], None, member(role, who, project, condition),
                      unknown={"etag": True, "id": True}, provider=GOOGLE))
        res.append(cres(address, {"member": const(who), "project": const(project), "role": const(role)},
                        key="google"))

    def keep(name, role, who, project=PROJECT):
        address = f"google_project_iam_member.{name}"
        rcs.append(RC(address, ["no-op"], state(role, who, project), state(role, who, project),
                      provider=GOOGLE))
        res.append(cres(address, {"member": const(who), "project": const(project), "role": const(role)},
                        key="google"))

    def custom_role(role_id, permissions):
        name = f"projects/{PROJECT}/roles/{role_id}"
        after = {"deleted": False, "description": "", "permissions": permissions, "project": PROJECT,
                 "role_id": role_id, "stage": "GA", "title": role_id}
        address = f"google_project_iam_custom_role.{role_id}"
        rcs.append(RC(address, ["create"], None, after, unknown={"id": True, "name": True},
                      provider=GOOGLE))
        res.append(cres(address, {"permissions": const(permissions), "role_id": const(role_id),
                                  "title": const(role_id)}, key="google"))
        return name

    create("admin_owner", "roles/owner", sa("admin"))
    keep("roaming_owner_dev", "roles/owner", sa("roaming-owner"), project="acme-dev")
    create("roaming_owner_prod", "roles/owner", sa("roaming-owner"))
    create("temp_owner", "roles/owner", sa("temp-owner"), condition=[{
        "description": "", "expression": 'request.time < timestamp("2027-01-01T00:00:00Z")',
        "title": "until-2027"}])
    create("iam_admin", custom_role("policyEditor", ["resourcemanager.projects.get",
                                                     "resourcemanager.projects.setIamPolicy"]),
           sa("iam-admin"))
    create("impersonator", "roles/iam.serviceAccountTokenCreator", sa("impersonator"))
    keep("launcher_sa_user", "roles/iam.serviceAccountUser", sa("launcher"))
    create("launcher_compute", custom_role("vmLauncher", ["compute.instances.create",
                                                          "compute.disks.create"]),
           sa("launcher"))
    create("reader", custom_role("runReader", ["run.services.get", "run.services.list"]), sa("reader"))
    keep("steady_owner", "roles/owner", sa("steady-owner"))
    create("steady_owner_again", "roles/owner", sa("steady-owner"))

    bucket = {"bucket": "acme-shared-reports", "condition": [], "member": "allAuthenticatedUsers",
              "role": "roles/storage.objectViewer"}
    rcs.append(RC("google_storage_bucket_iam_member.reports", ["create"], None, bucket,
                  unknown={"etag": True, "id": True}, provider=GOOGLE))
    res.append(cres("google_storage_bucket_iam_member.reports", {
        "bucket": const("acme-shared-reports"), "member": const("allAuthenticatedUsers"),
        "role": const("roles/storage.objectViewer")}, key="google"))

    admin = dict(bucket, member=sa("bucket-admin"), role="roles/storage.admin")
    rcs.append(RC("google_storage_bucket_iam_member.bucket_admin", ["create"], None, admin,
                  unknown={"etag": True, "id": True}, provider=GOOGLE))
    res.append(cres("google_storage_bucket_iam_member.bucket_admin", {
        "bucket": const("acme-shared-reports"), "member": const(sa("bucket-admin")),
        "role": const("roles/storage.admin")}, key="google"))

    target = f"projects/{PROJECT}/serviceAccounts/runner@{PROJECT}.iam.gserviceaccount.com"
    one = {"condition": [], "member": sa("one-sa-user"), "role": "roles/iam.serviceAccountUser",
           "service_account_id": target}
    rcs.append(RC("google_service_account_iam_member.one_sa_user", ["create"], None, one,
                  unknown={"etag": True, "id": True}, provider=GOOGLE))
    res.append(cres("google_service_account_iam_member.one_sa_user", {
        "member": const(sa("one-sa-user")), "role": const("roles/iam.serviceAccountUser"),
        "service_account_id": const(target)}, key="google"))

    # The identity running Terraform, read at plan time, grants itself the project's IAM admin.
    me = {"email": sa("terraform").split(":", 1)[1], "id": sa("terraform").split(":", 1)[1]}
    reader = RC("data.google_client_openid_userinfo.me", ["read"], me, me, mode="data", provider=GOOGLE)
    res.append(cres("data.google_client_openid_userinfo.me", {}, mode="data", key="google"))
    self_admin = member("roles/resourcemanager.projectIamAdmin", sa("terraform"))
    rcs.append(RC("google_project_iam_member.self_admin", ["create"], None, self_admin,
                  unknown={"etag": True, "id": True}, provider=GOOGLE))
    res.append(cres("google_project_iam_member.self_admin", {
        "member": refs("data.google_client_openid_userinfo.me.email",
                       "data.google_client_openid_userinfo.me"),
        "project": const(PROJECT), "role": const("roles/resourcemanager.projectIamAdmin")},
        key="google"))

    p = plan(rcs, config(res, provider=provider()), timestamp="2025-06-14T10:00:00Z",
             prior_data=[reader])
    emit("gcp-risks.json", p, [
        (sa("admin"), "widened"),
        (sa("roaming-owner"), "widened"),
        (sa("temp-owner"), "widened"),
        (sa("iam-admin"), "widened"),
        (sa("impersonator"), "widened"),
        (sa("launcher"), "widened"),
        ("allAuthenticatedUsers", "widened"),
        (sa("reader"), "widened"),
        (sa("one-sa-user"), "widened"),
        (sa("steady-owner"), "unchanged"),
        (sa("terraform"), "widened"),
        (sa("bucket-admin"), "widened"),
    ])
