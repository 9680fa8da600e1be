"""Fixtures for values known only after apply: what the plan does know is judged, the rest by
its worst case (issue: unknown is not unseen).

gcp-unknowns.json (project acme-prod, the provider's)
  user:dev@acme.example           roles/owner on the project google_project.sandbox creates; its
                                  project_id (from random_string.suffix) is known after apply:
                                  judged on ⟨project from google_project.sandbox, …⟩   widened, PD011
  group:team@acme.example         roles/editor on a folder google_folder.team creates      widened
  (members of google_project_iam_member.ci_runner known after apply)
                                  roles/iam.serviceAccountTokenCreator on acme-prod for the email of
                                  a service account the plan creates: one member stands for it
                                                                                        widened, PD017
  allUsers                        roles/cloudkms.cryptoKeyEncrypter (not in the curated table) on
                                  a key ring: anything granted to everyone is PD006, critical when
                                  what the role grants cannot be told          unverifiable, PD006
"""
from lib import RC, plan, config, cres, const, refs

GOOGLE = "registry.terraform.io/hashicorp/google"
PROJECT = "acme-prod"


def provider():
    return {"google": {"name": "google", "full_name": GOOGLE, "version_constraint": "~> 5.0",
                       "expressions": {"project": {"constant_value": PROJECT}}}}


def generate(emit):
    rcs, res = [], []

    def add(address, after, unknown, exprs):
        rcs.append(RC(address, ["create"], None, after, unknown=unknown, provider=GOOGLE))
        res.append(cres(address, exprs, key="google"))

    rcs.append(RC("random_string.suffix", ["create"], None,
                  {"length": 6, "special": False, "upper": False},
                  unknown={"id": True, "result": True},
                  provider="registry.terraform.io/hashicorp/random"))
    res.append(cres("random_string.suffix", {"length": const(6), "special": const(False),
                                             "upper": const(False)}, key="random"))
    add("google_project.sandbox", {"name": "sandbox", "org_id": "123456789012"},
        {"id": True, "number": True, "project_id": True},
        {"name": const("sandbox"), "org_id": const("123456789012"),
         "project_id": refs("random_string.suffix.result", "random_string.suffix")})
    add("google_project_iam_member.sandbox_owner",
        {"condition": [], "member": "user:dev@acme.example", "role": "roles/owner"},
        {"etag": True, "id": True, "project": True},
        {"member": const("user:dev@acme.example"), "role": const("roles/owner"),
         "project": refs("google_project.sandbox.project_id", "google_project.sandbox")})

    add("google_folder.team", {"display_name": "team", "parent": "organizations/123456789012"},
        {"create_time": True, "folder_id": True, "id": True, "lifecycle_state": True, "name": True},
        {"display_name": const("team"), "parent": const("organizations/123456789012")})
    add("google_folder_iam_member.team_editor",
        {"condition": [], "member": "group:team@acme.example", "role": "roles/editor"},
        {"etag": True, "folder": True, "id": True},
        {"folder": refs("google_folder.team.name", "google_folder.team"),
         "member": const("group:team@acme.example"), "role": const("roles/editor")})

    add("google_service_account.ci", {"account_id": "ci-runner", "display_name": "CI runner",
                                      "project": PROJECT},
        {"email": True, "id": True, "member": True, "name": True, "unique_id": True},
        {"account_id": const("ci-runner"), "display_name": const("CI runner")})
    add("google_project_iam_member.ci_runner",
        {"condition": [], "project": PROJECT, "role": "roles/iam.serviceAccountTokenCreator"},
        {"etag": True, "id": True, "member": True},
        {"member": refs("google_service_account.ci.member", "google_service_account.ci"),
         "project": const(PROJECT), "role": const("roles/iam.serviceAccountTokenCreator")})

    ring = "acme-prod/europe-west1/payments"
    add("google_kms_key_ring_iam_member.public",
        {"condition": [], "key_ring_id": ring, "member": "allUsers",
         "role": "roles/cloudkms.cryptoKeyEncrypter"},
        {"etag": True, "id": True},
        {"key_ring_id": const(ring), "member": const("allUsers"),
         "role": const("roles/cloudkms.cryptoKeyEncrypter")})

    p = plan(rcs, config(res, provider=provider()), timestamp="2026-12-07T10:00:00Z")
    emit("gcp-unknowns.json", p, [
        ("user:dev@acme.example", "widened"),
        ("group:team@acme.example", "widened"),
        ("(members of google_project_iam_member.ci_runner known after apply)", "widened"),
        ("allUsers", "unverifiable"),
    ])
