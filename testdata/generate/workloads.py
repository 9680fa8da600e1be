"""Who uses a role and what its new grant reaches (issue 20): the deploy role of a CI pipeline,
and a catch-all role that Lambda functions and an EC2 instance share."""
from lib import *

GH_OIDC = f"arn:aws:iam::{ACCT}:oidc-provider/token.actions.githubusercontent.com"


def bucket(name):
    return {"arn": f"arn:aws:s3:::{name}", "bucket": name, "id": name, "force_destroy": False,
            "tags": None, "tags_all": {}}


def table(name):
    return {"arn": f"arn:aws:dynamodb:eu-west-1:{ACCT}:table/{name}", "name": name, "id": name,
            "billing_mode": "PAY_PER_REQUEST", "hash_key": "id"}


def function(name, role_arn):
    return {"arn": f"arn:aws:lambda:eu-west-1:{ACCT}:function:{name}", "function_name": name,
            "role": role_arn, "runtime": "python3.12", "handler": "main.handler"}


def deploy_role(emit):
    """The issue's example: a GitHub Actions deploy role of team platform whose
    `s3:GetObject`/`s3:PutObject` on one bucket becomes `s3:*` on `*`.

    aws_iam_role.ci_deploy   widened; used by GitHub Actions (repo acme/app, environment
                             production); owner platform (tag Team); the new grant reaches the
                             plan's three buckets, not its queue
    """
    trust_doc = normalized(trust({"Federated": GH_OIDC}, "sts:AssumeRoleWithWebIdentity", {
        "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                         "token.actions.githubusercontent.com:sub": "repo:acme/app:environment:production"}}))
    tags = {"Team": "platform"}
    role = role_state("ci-deploy", trust_doc, tags=tags, unique_id="AROARZ5WDQ3LDEPLOY0001",
                      description="GitHub Actions deploy role for acme/app")
    old = doc(stmt(["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::acme-artifacts/*", sid="Artifacts"))
    new = doc(stmt("s3:*", "*", sid="Artifacts"))
    pol = role_policy_state("ci-deploy", "deploy", normalized(old))
    rcs = [
        noop("aws_iam_role.ci_deploy", role),
        update("aws_iam_role_policy.ci_deploy", pol, {"policy": jsonencode(new)}),
    ]
    for key, name in [("artifacts", "acme-artifacts"), ("payroll", "acme-payroll-exports"),
                      ("pii", "acme-customer-pii")]:
        rcs.append(noop(f"aws_s3_bucket.{key}", bucket(name)))
    rcs.append(noop("aws_sqs_queue.jobs", {
        "arn": f"arn:aws:sqs:eu-west-1:{ACCT}:jobs", "name": "jobs", "id": "jobs",
        "url": f"https://sqs.eu-west-1.amazonaws.com/{ACCT}/jobs"}))
    cfg = config([
        cres("aws_iam_role.ci_deploy", {"name": const("ci-deploy"), "tags": const(tags)}),
        cres("aws_iam_role_policy.ci_deploy", {
            "name": const("deploy"), "policy": refs("data.aws_iam_policy_document.deploy.json"),
            "role": ref_attr("aws_iam_role.ci_deploy", "id")}),
    ])
    emit("deploy-role.json", plan(rcs, cfg, timestamp="2025-06-18T09:00:00Z"),
         [("aws_iam_role.ci_deploy", "widened")])


def shared_role(emit):
    """A catch-all role: two Lambda functions run with it, the plan adds an EC2 instance through
    a new instance profile, and its DynamoDB grant widens from one table to every table whose
    name starts with `orders`.

    aws_iam_role.app       widened; shared by 3 workloads (2 before); the grant reaches 2 of the
                           plan's 3 tables
    aws_iam_role.solo      unchanged; one function, not shared
    """
    app_trust = normalized(trust({"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"]}))
    app = role_state("app", app_trust, tags={"owner": "orders-team"}, unique_id="AROARZ5WDQ3LSHARED001")
    app_arn = app["arn"]
    old = doc(stmt(["dynamodb:GetItem", "dynamodb:PutItem"],
                   f"arn:aws:dynamodb:eu-west-1:{ACCT}:table/orders", sid="Orders"))
    new = doc(stmt("dynamodb:*", f"arn:aws:dynamodb:eu-west-1:{ACCT}:table/orders*", sid="Orders"))
    pol = role_policy_state("app", "tables", normalized(old))
    solo_trust = normalized(trust({"Service": "lambda.amazonaws.com"}))
    solo = role_state("solo", solo_trust, unique_id="AROARZ5WDQ3LSOLO00001")
    profile_after = {"name": "worker", "role": "app", "path": "/", "tags": None}
    instance_after = {"ami": "ami-0abcdef1234567890", "instance_type": "t3.small",
                      "tags": {"Name": "orders-worker"}}
    rcs = [
        noop("aws_iam_role.app", app),
        update("aws_iam_role_policy.app", pol, {"policy": jsonencode(new)}),
        noop("aws_iam_role.solo", solo),
        noop("aws_lambda_function.orders_api", function("orders-api", app_arn)),
        noop("aws_lambda_function.invoice_renderer", function("invoice-renderer", app_arn)),
        noop("aws_lambda_function.reports", function("reports", solo["arn"])),
        RC("aws_iam_instance_profile.worker", ["create"], None, profile_after,
           unknown={"arn": True, "id": True, "unique_id": True}),
        RC("aws_instance.worker", ["create"], None, instance_after,
           unknown={"arn": True, "id": True, "iam_instance_profile": True}),
    ]
    for key, name in [("orders", "orders"), ("archive", "orders-archive"), ("users", "users")]:
        rcs.append(noop(f"aws_dynamodb_table.{key}", table(name)))
    cfg = config([
        cres("aws_iam_role.app", {"name": const("app")}),
        cres("aws_iam_role_policy.app", {
            "name": const("tables"), "policy": refs("data.aws_iam_policy_document.tables.json"),
            "role": ref_attr("aws_iam_role.app", "id")}),
        cres("aws_iam_instance_profile.worker", {
            "name": const("worker"), "role": ref_attr("aws_iam_role.app", "name")}),
        cres("aws_instance.worker", {
            "iam_instance_profile": ref_attr("aws_iam_instance_profile.worker", "name"),
            "instance_type": const("t3.small")}),
    ])
    emit("shared-role.json", plan(rcs, cfg, timestamp="2025-06-18T09:30:00Z"),
         [("aws_iam_role.app", "widened"), ("aws_iam_role.solo", "unchanged")])




GOOGLE = "registry.terraform.io/hashicorp/google"


def gcp_shared_service_account(emit):
    """A GCP service account a Compute Engine instance runs as; the plan adds a Cloud Run
    service that runs as it too (its `service_account` known only after apply, from
    `google_service_account.app.email`), lets GitHub repository acme/app act as it through
    workload identity federation, and grants it roles/storage.admin on the project.

    serviceAccount:app@acme-prod.iam.gserviceaccount.com   widened; 2 workloads (1 before);
                                                           PD025
    """
    email = "app@acme-prod.iam.gserviceaccount.com"
    sa_state = {"account_id": "app", "email": email, "name": f"projects/acme-prod/serviceAccounts/{email}",
                "project": "acme-prod", "member": f"serviceAccount:{email}", "display_name": "app"}
    vm = {"name": "web-1", "zone": "europe-west1-b", "machine_type": "e2-small",
          "service_account": [{"email": email, "scopes": ["cloud-platform"]}]}
    run_after = {"name": "orders", "location": "europe-west1",
                 "template": [{"service_account": None, "containers": [{"image": "gcr.io/acme/orders"}]}]}
    grant = {"condition": [], "member": f"serviceAccount:{email}", "project": "acme-prod",
             "role": "roles/storage.admin"}
    pool = ("principalSet://iam.googleapis.com/projects/123456789/locations/global/"
            "workloadIdentityPools/github/attribute.repository/acme/app")
    wi = {"condition": [], "member": pool, "role": "roles/iam.workloadIdentityUser",
          "service_account_id": f"projects/acme-prod/serviceAccounts/{email}"}
    rcs = [
        noop("google_service_account.app", sa_state, provider=GOOGLE),
        noop("google_compute_instance.web", vm, provider=GOOGLE),
        RC("google_cloud_run_v2_service.orders", ["create"], None, run_after, provider=GOOGLE,
           unknown={"template": [{"service_account": True}], "uri": True}),
        RC("google_project_iam_member.app_storage", ["create"], None, grant, provider=GOOGLE,
           unknown={"etag": True, "id": True}),
        RC("google_service_account_iam_member.github", ["create"], None, wi, provider=GOOGLE,
           unknown={"etag": True, "id": True}),
    ]
    cfg = config([
        cres("google_cloud_run_v2_service.orders", {
            "name": const("orders"),
            "template": [{"service_account": ref_attr("google_service_account.app", "email")}]},
            key="google"),
        cres("google_project_iam_member.app_storage", {
            "member": ref_attr("google_service_account.app", "member"),
            "project": const("acme-prod"), "role": const("roles/storage.admin")}, key="google"),
    ])
    emit("gcp-shared-service-account.json", plan(rcs, cfg, timestamp="2025-06-18T10:00:00Z"),
         [(f"serviceAccount:{email}", "widened")])


def azure_shared_identity(emit):
    """A user-assigned identity one VM carries; the plan adds a web app that carries it too
    (its `identity_ids` known only after apply, from the identity's `id`) and a Contributor
    assignment on the resource group.

    azurerm_user_assigned_identity.app   created grant → widened; 2 workloads (1 before); PD025
    """
    import azure as az
    ident = az.identity_state("app", az.pid(50))
    vm = {"name": "worker-vm", "location": "westeurope", "resource_group_name": "app-rg",
          "size": "Standard_B2s",
          "identity": [{"type": "UserAssigned", "identity_ids": [ident["id"]],
                        "principal_id": "", "tenant_id": ""}]}
    app_after = {"name": "orders-web", "location": "westeurope", "resource_group_name": "app-rg",
                 "identity": [{"type": "UserAssigned", "identity_ids": None}]}
    state = az.assignment_state("app-contrib", az.pid(50), "Contributor", az.RG)
    after, unknown = az.planned(state)
    rcs = [
        noop("azurerm_user_assigned_identity.app", ident, provider=az.AZURERM),
        noop("azurerm_linux_virtual_machine.worker", vm, provider=az.AZURERM),
        RC("azurerm_linux_web_app.orders", ["create"], None, app_after, provider=az.AZURERM,
           unknown={"identity": [{"identity_ids": True, "principal_id": True, "tenant_id": True}],
                    "id": True}),
        RC("azurerm_role_assignment.app_contrib", ["create"], None, after, provider=az.AZURERM,
           unknown=unknown),
    ]
    cfg = config([
        cres("azurerm_linux_web_app.orders", {
            "name": const("orders-web"),
            "identity": [{"type": const("UserAssigned"),
                          "identity_ids": ref_attr("azurerm_user_assigned_identity.app", "id")}]},
            key="azurerm"),
        az.assignment_config("azurerm_role_assignment.app_contrib",
                             ref_attr("azurerm_user_assigned_identity.app", "principal_id"),
                             const("Contributor"), const(az.RG)),
    ], provider=az.provider())
    emit("azure-shared-identity.json", plan(rcs, cfg, timestamp="2025-06-18T11:00:00Z"),
         [("azurerm_user_assigned_identity.app", "widened")])


def generate(emit):
    deploy_role(emit)
    shared_role(emit)
    gcp_shared_service_account(emit)
    azure_shared_identity(emit)
