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
  allUsers                        roles/cloudkms.cryptoKeyEncrypter (not curated: from the
                                  embedded complete catalog) on a key ring: anything granted to
                                  everyone is PD006                          widened, PD006 high
  allAuthenticatedUsers           roles/cloudkms.keyRingSteward, a role newer than the catalog, on
                                  the same key ring: PD006 critical, since what it grants cannot be
                                  told                                       unverifiable, PD006

not-analysed.json: resources that carry access privdiff does not read yet are named in a plan
note ("not analysed: ...") in every format, never skipped silently. Notes for:
  aws_ses_identity_policy.mail (create), google_storage_bucket_acl.assets (create, publicRead),
  aws_iam_signing_certificate.ci (create).
No note for aws_autoscaling_policy.scale_out (create: no access), an unchanged
aws_ses_identity_policy.old (no-op), or what privdiff reads: aws_sqs_queue.jobs (its inline
`policy` gains SNS: widened, PD005 and PD009) and aws_iam_role.app (unchanged).

aws-partly-known.json: policy documents from data sources read at apply whose statement blocks
are known in part; the known parts are judged as they are, the rest by its worst case for an
Allow and its best case for a Deny, and a note says what was assumed.
  aws_s3_bucket.site            new bucket policy: s3:GetObject for "*" on resources known after
                                apply (the new bucket's ARN)          created, PD006 (public)
  aws_iam_role.worker           new inline policy: Allow sqs:SendMessage on resources known after
                                apply (taken as any), Deny sqs:DeleteQueue on resources known after
                                apply (taken to deny nothing)                            widened
  aws_lambda_function.nightly   a permission for events.amazonaws.com whose source_arn is the ARN
                                of a rule the plan creates: a pin standing as ⟨source_arn from
                                aws_cloudwatch_event_rule.nightly, …⟩, no missing-source concern
                                                                                         widened
"""
from lib import RC, plan, config, cres, const, refs, doc, stmt, jsonencode, normalized, noop, update
from lib import role_state, trust, ACCT

REGION = "eu-west-1"

GOOGLE = "registry.terraform.io/hashicorp/google"
PROJECT = "acme-prod"


def provider():
    return {"google": {"name": "google", "full_name": GOOGLE, "version_constraint": "~> 5.0",
                       "expressions": {"project": {"constant_value": PROJECT}}}}


def generate(emit):
    gcp_unknowns(emit)
    not_analysed(emit)
    partly_known(emit)
    azure_unknowns(emit)


def gcp_unknowns(emit):
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
    add("google_kms_key_ring_iam_member.signed_in",
        {"condition": [], "key_ring_id": ring, "member": "allAuthenticatedUsers",
         "role": "roles/cloudkms.keyRingSteward"},
        {"etag": True, "id": True},
        {"key_ring_id": const(ring), "member": const("allAuthenticatedUsers"),
         "role": const("roles/cloudkms.keyRingSteward")})

    p = plan(rcs, config(res, provider=provider()), timestamp="2026-12-07T10:00:00Z")
    emit("gcp-unknowns.json", p, [
        ("user:dev@acme.example", "widened"),
        ("group:team@acme.example", "widened"),
        ("(members of google_project_iam_member.ci_runner known after apply)", "widened"),
        ("allUsers", "widened"),
        ("allAuthenticatedUsers", "unverifiable"),
    ])


def not_analysed(emit):
    rcs, res = [], []

    def create(address, after, unknown, exprs):
        rcs.append(RC(address, ["create"], None, after, unknown=unknown))
        res.append(cres(address, exprs))

    mail = f"arn:aws:ses:{REGION}:{ACCT}:identity/acme.example"
    anyone = doc(stmt("ses:SendEmail", mail, principal={"AWS": "*"}))
    create("aws_ses_identity_policy.mail", {"identity": mail, "name": "anyone-sends",
                                            "policy": jsonencode(anyone)},
           {"id": True}, {"identity": const(mail), "name": const("anyone-sends"), "policy": {}})
    old = doc(stmt("ses:SendEmail", mail, principal={"AWS": f"arn:aws:iam::{ACCT}:root"}))
    rcs.append(noop("aws_ses_identity_policy.old", {"id": f"{mail}|own", "identity": mail, "name": "own",
                                                    "policy": normalized(old)}))
    res.append(cres("aws_ses_identity_policy.old", {"policy": {}}))
    create("google_storage_bucket_acl.assets", {"bucket": "acme-assets", "default_acl": None,
                                                "predefined_acl": "publicRead", "role_entity": None},
           {"id": True, "role_entity": True}, {"bucket": const("acme-assets"),
                                               "predefined_acl": const("publicRead")})
    rcs[-1].provider = GOOGLE
    create("aws_iam_signing_certificate.ci", {"status": "Active", "user_name": "ci-bot",
                                              "certificate_body": "-----BEGIN CERTIFICATE-----"},
           {"certificate_id": True, "id": True, "upload_date": True},
           {"user_name": const("ci-bot"), "certificate_body": {}})
    create("aws_autoscaling_policy.scale_out", {"autoscaling_group_name": "web", "name": "scale-out",
                                                "adjustment_type": "ChangeInCapacity",
                                                "scaling_adjustment": 1},
           {"arn": True, "id": True}, {"name": const("scale-out")})
    queue = {"arn": f"arn:aws:sqs:{REGION}:{ACCT}:jobs", "id": "https://sqs/jobs", "name": "jobs",
             "policy": ""}
    send = doc(stmt("sqs:SendMessage", queue["arn"], principal={"Service": "sns.amazonaws.com"}))
    rcs.append(update("aws_sqs_queue.jobs", queue, {"policy": jsonencode(send)}))
    res.append(cres("aws_sqs_queue.jobs", {"name": const("jobs"), "policy": {}}))
    t = normalized(trust({"Service": "ec2.amazonaws.com"}))
    rcs.append(noop("aws_iam_role.app", role_state("app", t, unique_id="AROARZ5WDQ3LAPPR0LE01",
                                                     created="2024-01-01T00:00:00Z")))
    res.append(cres("aws_iam_role.app", {"assume_role_policy": {}, "name": const("app")}))
    emit("not-analysed.json", plan(rcs, config(res), timestamp="2026-12-07T11:00:00Z"), [
        ("aws_iam_role.app", "unchanged")])


def partly_known(emit):
    rcs, res = [], []

    def data_doc(name, statements, unknown_statements):
        after = {"override_policy_documents": None, "source_policy_documents": None,
                 "version": "2012-10-17", "statement": statements}
        rcs.append(RC(f"data.aws_iam_policy_document.{name}", ["read"], None, after, mode="data",
                      unknown={"id": True, "json": True, "minified_json": True,
                               "statement": unknown_statements},
                      reason="read_because_dependency_pending"))
        res.append(cres(f"data.aws_iam_policy_document.{name}", {"statement": [{}]}, mode="data"))

    def block(actions, effect="Allow", principals=(), sid=None):
        return {"actions": actions, "condition": [], "effect": effect, "not_actions": [],
                "not_principals": [], "not_resources": [], "principals": list(principals),
                "resources": [], "sid": sid}

    bucket = {"bucket": "acme-site-2026", "force_destroy": False, "tags": None}
    rcs.append(RC("aws_s3_bucket.site", ["create"], None, bucket,
                  unknown={"arn": True, "bucket_domain_name": True, "id": True, "region": True}))
    res.append(cres("aws_s3_bucket.site", {"bucket": const("acme-site-2026")}))
    data_doc("site", [block(["s3:GetObject"], principals=[{"type": "*", "identifiers": ["*"]}],
                            sid="PublicRead")], [{"resources": True}])
    rcs.append(RC("aws_s3_bucket_policy.site", ["create"], None, {},
                  unknown={"bucket": True, "id": True, "policy": True}))
    res.append(cres("aws_s3_bucket_policy.site", {
        "bucket": refs("aws_s3_bucket.site.id", "aws_s3_bucket.site"),
        "policy": refs("data.aws_iam_policy_document.site.json", "data.aws_iam_policy_document.site")}))

    t = normalized(trust({"Service": "lambda.amazonaws.com"}))
    rcs.append(noop("aws_iam_role.worker", role_state("worker", t, unique_id="AROARZ5WDQ3LW0RKER001",
                                                        created="2024-01-01T00:00:00Z")))
    res.append(cres("aws_iam_role.worker", {"assume_role_policy": {}, "name": const("worker")}))
    data_doc("worker", [block(["sqs:SendMessage"], sid="Send"),
                        block(["sqs:DeleteQueue"], effect="Deny", sid="KeepQueues")],
             [{"resources": True}, {"resources": True}])
    rcs.append(RC("aws_iam_role_policy.worker", ["create"], None,
                  {"name": "jobs", "name_prefix": None, "role": "worker"},
                  unknown={"id": True, "policy": True}))
    res.append(cres("aws_iam_role_policy.worker", {
        "name": const("jobs"), "role": refs("aws_iam_role.worker.id", "aws_iam_role.worker"),
        "policy": refs("data.aws_iam_policy_document.worker.json",
                       "data.aws_iam_policy_document.worker")}))
    # A permission whose source_arn is the ARN of a rule the plan creates: a pin known after
    # apply, not anything.
    fn = f"arn:aws:lambda:{REGION}:{ACCT}:function:nightly"
    rcs.append(noop("aws_lambda_function.nightly", {"arn": fn, "function_name": "nightly", "id": "nightly",
                                                    "role": f"arn:aws:iam::{ACCT}:role/worker"}))
    res.append(cres("aws_lambda_function.nightly", {"function_name": const("nightly")}))
    rcs.append(RC("aws_cloudwatch_event_rule.nightly", ["create"], None,
                  {"name": "nightly", "schedule_expression": "rate(1 day)"},
                  unknown={"arn": True, "id": True}))
    res.append(cres("aws_cloudwatch_event_rule.nightly", {"name": const("nightly")}))

    def permission(name, source):
        rcs.append(RC(f"aws_lambda_permission.{name}", ["create"], None,
                      {"action": "lambda:InvokeFunction", "event_source_token": None,
                       "function_name": "nightly", "function_url_auth_type": None,
                       "principal": "events.amazonaws.com", "principal_org_id": None, "qualifier": None,
                       "source_account": None, "statement_id": name, "statement_id_prefix": None},
                      unknown={"id": True, "source_arn": True}))
        res.append(cres(f"aws_lambda_permission.{name}", {
            "action": const("lambda:InvokeFunction"), "principal": const("events.amazonaws.com"),
            "function_name": refs("aws_lambda_function.nightly.function_name", "aws_lambda_function.nightly"),
            "source_arn": source}))
    permission("schedule", refs("aws_cloudwatch_event_rule.nightly.arn", "aws_cloudwatch_event_rule.nightly"))

    emit("aws-partly-known.json", plan(rcs, config(res), timestamp="2026-12-07T12:00:00Z"), [
        ("aws_iam_role.worker", "widened"),
        ("aws_s3_bucket.site", "created"),
        ("aws_lambda_function.nightly", "widened")])


def azure_unknowns(emit):
    """azure-unknowns.json: role assignments whose scope is known only after apply.
      principal:…0101   Owner on a resource group the plan creates: the scope stands as
                        /subscriptions/SUB/resourceGroups/rg-sandbox (the subscription from the
                        provider configuration, the name from the group)        widened
      principal:…0102   Contributor on a storage account the plan creates, in that group
                        (its id stands under the group)                         widened
      principal:…0103   Reader on a scope from a module output: could be anything
                        unverifiable, PD003 high
      principal:…0104   DNS Zone Contributor (not curated: from the embedded catalog) on the
                        new group                                               widened
    """
    from azure import AZURERM, SUB, pid, provider as azure_provider
    rcs, res = [], []
    rcs.append(RC("azurerm_resource_group.sandbox", ["create"], None,
                  {"location": "westeurope", "name": "rg-sandbox", "tags": None},
                  unknown={"id": True}, provider=AZURERM))
    res.append(cres("azurerm_resource_group.sandbox", {"name": const("rg-sandbox")}, key="azurerm"))
    rcs.append(RC("azurerm_storage_account.data", ["create"], None,
                  {"account_replication_type": "LRS", "account_tier": "Standard", "location": "westeurope",
                   "name": "acmesandboxdata", "resource_group_name": "rg-sandbox"},
                  unknown={"id": True, "primary_access_key": True}, provider=AZURERM))
    res.append(cres("azurerm_storage_account.data", {
        "name": const("acmesandboxdata"),
        "resource_group_name": refs("azurerm_resource_group.sandbox.name", "azurerm_resource_group.sandbox")},
        key="azurerm"))

    def assign(name, principal, role, scope_refs):
        after = {"condition": None, "condition_version": None, "delegated_managed_identity_resource_id": None,
                 "description": None, "principal_id": principal, "role_definition_name": role,
                 "skip_service_principal_aad_check": None}
        rcs.append(RC(f"azurerm_role_assignment.{name}", ["create"], None, after,
                      unknown={"id": True, "name": True, "principal_type": True, "role_definition_id": True,
                               "scope": True}, provider=AZURERM))
        res.append(cres(f"azurerm_role_assignment.{name}", {
            "principal_id": const(principal), "role_definition_name": const(role), "scope": scope_refs},
            key="azurerm"))

    assign("owner", pid(101), "Owner",
           refs("azurerm_resource_group.sandbox.id", "azurerm_resource_group.sandbox"))
    assign("data", pid(102), "Contributor",
           refs("azurerm_storage_account.data.id", "azurerm_storage_account.data"))
    assign("elsewhere", pid(103), "Reader", refs("module.landing_zone.scope", "module.landing_zone"))
    # A built-in role the curated table lacks: from the embedded complete catalog.
    assign("dns", pid(104), "DNS Zone Contributor",
           refs("azurerm_resource_group.sandbox.id", "azurerm_resource_group.sandbox"))
    p = plan(rcs, config(res, provider=azure_provider()), timestamp="2026-12-07T14:00:00Z")
    emit("azure-unknowns.json", p, [
        (f"principal:{pid(101)}", "widened"),
        (f"principal:{pid(102)}", "widened"),
        (f"principal:{pid(103)}", "unverifiable"),
        (f"principal:{pid(104)}", "widened"),
    ])
