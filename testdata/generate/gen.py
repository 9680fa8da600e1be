import os, sys, json, copy
from lib import *
import reach
import rules
import gcp
import gcp_risks
import azure
import azure_risks
import kubernetes
import typed
import unknowns
import carriers
import workloads
import paths

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "plans")
os.makedirs(OUT, exist_ok=True)
EXPECTED = []  # (file, address, verdict)


def emit(fname, p, expected, compact=False):
    write(os.path.join(OUT, fname), p, compact=compact)
    for addr, verdict in expected:
        EXPECTED.append((fname, addr, verdict))


GH_OIDC = f"arn:aws:iam::{ACCT}:oidc-provider/token.actions.githubusercontent.com"


def github_trust(sub, op="StringEquals"):
    cond = {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}
    if op == "StringEquals":
        cond["StringEquals"]["token.actions.githubusercontent.com:sub"] = sub
    else:
        cond[op] = {"token.actions.githubusercontent.com:sub": sub}
    return trust({"Federated": GH_OIDC}, "sts:AssumeRoleWithWebIdentity", cond)


def service_trust(svc):
    return trust({"Service": svc})


# ---------------------------------------------------------------- ci-role-widened
def ci_role_widened():
    ci_trust = normalized(github_trust("repo:acme/app:ref:refs/heads/main"))
    tags0 = {"managed-by": "terraform", "team": "platform"}
    tags1 = {"cost-center": "eng-42", "managed-by": "terraform", "team": "platform"}
    ci = role_state("ci-deploy", ci_trust, path="/ci/", description="GitHub Actions deploy role for acme/app",
                    tags=tags0, unique_id="AROARZ5WDQ3LKQ7MZ2XJB", created="2024-02-06T14:03:51Z")
    ci_rc = update("aws_iam_role.ci", ci, {"tags": tags1, "tags_all": tags1})

    list_stmt = stmt("s3:ListBucket", "arn:aws:s3:::acme-artifacts", sid="ListArtifacts")
    old = doc(stmt("s3:GetObject", "arn:aws:s3:::acme-artifacts/*", sid="ReadArtifacts"), list_stmt)
    new = doc(stmt("s3:Get*", "arn:aws:s3:::acme-artifacts/*", sid="ReadArtifacts"), list_stmt)
    pol = role_policy_state("ci-deploy", "ci-artifacts", normalized(old))
    pol_rc = update("aws_iam_role_policy.ci_artifacts", pol, {"policy": jsonencode(new)})

    reader_trust = normalized(service_trust("ec2.amazonaws.com"))
    reader = role_state("artifact-reader", reader_trust, description="Read-only access to build artifacts",
                        tags=tags0, unique_id="AROARZ5WDQ3LNV4TTP6QC", created="2023-11-20T08:47:02Z")
    reader_pol = role_policy_state("artifact-reader", "read-artifacts", normalized(
        doc(stmt(["s3:GetObject", "s3:ListBucket"], ["arn:aws:s3:::acme-artifacts", "arn:aws:s3:::acme-artifacts/*"]))))
    cfg = config([
        cres("aws_iam_role.ci", {
            "assume_role_policy": refs("local.github_oidc_provider_arn"),
            "description": const("GitHub Actions deploy role for acme/app"),
            "name": const("ci-deploy"),
            "path": const("/ci/"),
            "tags": const(tags1)}),
        cres("aws_iam_role.reader", {
            "assume_role_policy": {},
            "description": const("Read-only access to build artifacts"),
            "name": const("artifact-reader"),
            "tags": const(tags0)}),
        cres("aws_iam_role_policy.ci_artifacts", {
            "name": const("ci-artifacts"),
            "policy": refs("local.artifact_bucket"),
            "role": ref_attr("aws_iam_role.ci", "id")}),
        cres("aws_iam_role_policy.reader_artifacts", {
            "name": const("read-artifacts"),
            "policy": refs("local.artifact_bucket"),
            "role": ref_attr("aws_iam_role.reader", "id")}),
    ])
    p = plan([ci_rc, pol_rc, noop("aws_iam_role.reader", reader),
              noop("aws_iam_role_policy.reader_artifacts", reader_pol)], cfg,
             timestamp="2025-06-12T09:41:27Z")
    emit("ci-role-widened.json", p, [("aws_iam_role.ci", "widened"), ("aws_iam_role.reader", "unchanged")])


# ---------------------------------------------------------------- equivalent-rewrite
def equivalent_rewrite():
    t = normalized(service_trust("ecs-tasks.amazonaws.com"))
    data_before = doc(
        stmt(["s3:GetObject", "s3:ListBucket"], ["arn:aws:s3:::acme-app-data", "arn:aws:s3:::acme-app-data/*"],
             sid="ReadData"),
        stmt("sqs:SendMessage", "arn:aws:sqs:eu-west-1:111122223333:app-jobs", sid="EnqueueJobs"))
    # after (a heredoc, kept verbatim): statements reordered, keys in another order, actions re-cased,
    # strings made one-element arrays, a duplicate action; app-logs turns the Statement array into an object.
    data_after = {
        "Statement": [
            {"Resource": ["arn:aws:sqs:eu-west-1:111122223333:app-jobs"], "Action": ["SQS:SendMessage"],
             "Effect": "Allow", "Sid": "EnqueueJobs"},
            {"Sid": "ReadData", "Action": ["S3:getobject", "s3:ListBucket", "s3:GetObject"], "Effect": "Allow",
             "Resource": ["arn:aws:s3:::acme-app-data/*", "arn:aws:s3:::acme-app-data"]},
        ],
        "Version": V,
    }
    logs_before = doc(stmt(["logs:CreateLogStream", "logs:PutLogEvents"],
                           ["arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/app-runtime:*"]))
    logs_after = {"Version": V, "Statement": {
        "Action": ["logs:PutLogEvents", "logs:CreateLogStream"], "Effect": "Allow",
        "Resource": "arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/app-runtime:*"}}
    before = role_state("app-runtime", t, description="ECS task role for app-runtime",
                        inline=[("app-data", normalized(data_before)), ("app-logs", normalized(logs_before))],
                        unique_id="AROARZ5WDQ3LHB2FVX7KD", created="2024-05-02T10:20:33Z")
    rc = update("aws_iam_role.app", before, {"inline_policy": [
        {"name": "app-data", "policy": heredoc(data_after)},
        {"name": "app-logs", "policy": heredoc(logs_after, indent=4)}]})
    cfg = config([cres("aws_iam_role.app", {
        "assume_role_policy": {},
        "description": const("ECS task role for app-runtime"),
        "inline_policy": [
            {"name": const("app-data"), "policy": const(heredoc(data_after))},
            {"name": const("app-logs"), "policy": const(heredoc(logs_after, indent=4))}],
        "name": const("app-runtime")})])
    emit("equivalent-rewrite.json", plan([rc], cfg, timestamp="2025-06-12T10:02:11Z"),
         [("aws_iam_role.app", "unchanged")])


# ---------------------------------------------------------------- narrowed
def narrowed():
    t = normalized(service_trust("batch.amazonaws.com"))
    old = doc(stmt(["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
                   ["arn:aws:s3:::acme-batch-input/*", "arn:aws:s3:::acme-batch-output/*"], sid="BatchIO"))
    new = doc(stmt(["s3:GetObject", "s3:PutObject"], ["arn:aws:s3:::acme-batch-output/*"], sid="BatchIO"))
    before = role_state("batch-worker", t, inline=[("batch-io", normalized(old))],
                        unique_id="AROARZ5WDQ3LD4RJ8MSTE", created="2023-09-14T16:30:05Z")
    rc = update("aws_iam_role.worker", before, {"inline_policy": [{"name": "batch-io", "policy": jsonencode(new)}]})
    cfg = config([cres("aws_iam_role.worker", {
        "assume_role_policy": {},
        "inline_policy": [{"name": const("batch-io"), "policy": {}}],
        "name": const("batch-worker")})])
    emit("narrowed.json", plan([rc], cfg, timestamp="2025-06-12T10:15:40Z"),
         [("aws_iam_role.worker", "narrowed")])


# ---------------------------------------------------------------- unknown-policy
def unknown_policy():
    bucket_after = {"bucket": "acme-exports-2025", "force_destroy": False, "object_lock_enabled": None,
                    "tags": {"team": "data"}, "tags_all": {"team": "data"}, "timeouts": None}
    bucket_unknown = {k: True for k in [
        "acceleration_status", "acl", "arn", "bucket_domain_name", "bucket_prefix", "bucket_regional_domain_name",
        "cors_rule", "grant", "hosted_zone_id", "id", "lifecycle_rule", "logging", "object_lock_configuration",
        "policy", "region", "replication_configuration", "request_payer", "server_side_encryption_configuration",
        "versioning", "website", "website_domain", "website_endpoint"]}
    bucket_unknown["object_lock_enabled"] = True
    del bucket_after["object_lock_enabled"]
    bucket = RC("aws_s3_bucket.new", ["create"], None, bucket_after, unknown=bucket_unknown)
    t = normalized(service_trust("glue.amazonaws.com"))
    role = role_state("data-exporter", t, unique_id="AROARZ5WDQ3LPW9CE4KAF", created="2024-08-21T07:55:19Z")
    old = doc(stmt(["s3:PutObject", "s3:AbortMultipartUpload"], "arn:aws:s3:::acme-exports-old/*", sid="WriteExports"))
    pol = role_policy_state("data-exporter", "exports", normalized(old))
    pol_rc = update("aws_iam_role_policy.p", pol, {"policy": DROP}, unknown={"policy": True})
    cfg = config([
        cres("aws_iam_role.exporter", {"assume_role_policy": {}, "name": const("data-exporter")}),
        cres("aws_iam_role_policy.p", {
            "name": const("exports"),
            "policy": ref_attr("aws_s3_bucket.new", "arn"),
            "role": ref_attr("aws_iam_role.exporter", "id")}),
        cres("aws_s3_bucket.new", {"bucket": const("acme-exports-2025"), "tags": const({"team": "data"})}),
    ])
    emit("unknown-policy.json", plan([bucket, noop("aws_iam_role.exporter", role), pol_rc], cfg,
                                     timestamp="2025-06-12T11:00:02Z"),
         [("aws_iam_role.exporter", "unverifiable")])


# ---------------------------------------------------------------- sensitive-policy
def sensitive_policy():
    t = normalized(service_trust("lambda.amazonaws.com"))
    secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:SECRET-MARKER-4711-db-AbCdEf"
    old = doc(stmt("secretsmanager:GetSecretValue", secret_arn, sid="SECRETMARKER4711Read"),
              stmt("kms:Decrypt", "arn:aws:kms:eu-west-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"))
    new = doc(stmt("secretsmanager:*", secret_arn, sid="SECRETMARKER4711Read"),
              stmt("kms:Decrypt", "arn:aws:kms:eu-west-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"))
    role = role_state("payments-api", t, unique_id="AROARZ5WDQ3LSE8NWQ1GH", created="2024-01-30T12:12:12Z")
    pol = role_policy_state("payments-api", "db-secret", normalized(old))
    pol_rc = update("aws_iam_role_policy.secrets", pol, {"policy": jsonencode(new)},
                    before_sens={"policy": True}, after_sens={"policy": True})
    hidden_name = "SECRET-NAME-0815-ops"
    hidden = role_state(hidden_name, normalized(trust({"AWS": f"arn:aws:iam::{ACCT}:root"})),
                        unique_id="AROARZ5WDQ3LUQ2HC7DYJ", created="2024-04-04T04:04:04Z")
    hidden_rc = noop("aws_iam_role.hidden", hidden, before_sens={"name": True}, after_sens={"name": True})
    att = RC("aws_iam_role_policy_attachment.hidden_readonly", ["create"], None,
             {"policy_arn": "arn:aws:iam::aws:policy/ReadOnlyAccess", "role": hidden_name},
             unknown={"id": True}, after_sens={"role": True})
    cfg = config([
        cres("aws_iam_role.hidden", {"assume_role_policy": {}, "name": refs("var.ops_role_name")}),
        cres("aws_iam_role.payments_api", {"assume_role_policy": {}, "name": const("payments-api")}),
        cres("aws_iam_role_policy.secrets", {
            "name": const("db-secret"),
            "policy": refs("var.secret_policy"),
            "role": ref_attr("aws_iam_role.payments_api", "id")}),
        cres("aws_iam_role_policy_attachment.hidden_readonly", {
            "policy_arn": const("arn:aws:iam::aws:policy/ReadOnlyAccess"),
            "role": ref_attr("aws_iam_role.hidden", "name")}),
    ], variables={
        "ops_role_name": {"description": "Name of the ops role", "sensitive": True},
        "secret_policy": {"description": "Policy for the payments API", "sensitive": True}})
    # Terraform prints sensitive root variables in plain text in the plan JSON.
    p = plan([noop("aws_iam_role.payments_api", role), pol_rc, hidden_rc, att], cfg,
             variables={"ops_role_name": hidden_name, "secret_policy": jsonencode(new)},
             timestamp="2025-06-12T11:20:45Z")
    emit("sensitive-policy.json", p, [("aws_iam_role.payments_api", "widened"), ("aws_iam_role.hidden", "widened")])


# ---------------------------------------------------------------- module-for-each
def module_for_each():
    rcs = []
    teams = {
        "payments": dict(table="arn:aws:dynamodb:eu-west-1:111122223333:table/payments-ledger",
                         uid="AROARZ5WDQ3LA1PAYM3NT", pid="ANPARZ5WDQ3LFQ8PAYR3D", att="20240312101500000000000001"),
        "search": dict(table="arn:aws:dynamodb:eu-west-1:111122223333:table/search-index",
                       uid="AROARZ5WDQ3LB2S3ARCHX", pid="ANPARZ5WDQ3LGR9S3ARCD", att="20240312101500000000000002"),
    }
    read_actions = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"]
    for key, t in teams.items():
        mod = f'module.team["{key}"]'
        tr = normalized(service_trust("ecs-tasks.amazonaws.com"))
        read_doc = doc(stmt(read_actions, t["table"], sid="TableAccess"))
        read_name = f"{key}-dynamodb-read"
        pol = policy_state(read_name, jsonencode(read_doc), path="/teams/", description=f"DynamoDB access for {key}",
                           policy_id=t["pid"])
        role = role_state(key, tr, path="/teams/", tags={"team": key}, unique_id=t["uid"],
                          created="2024-03-12T10:14:58Z")
        att = attachment_state(key, pol["arn"], t["att"])
        rcs.append(noop(f"{mod}.aws_iam_role.this", role, module=mod))
        if key == "search":
            rcs.append(noop(f"{mod}.aws_iam_policy.this", pol, module=mod))
            rcs.append(noop(f"{mod}.aws_iam_role_policy_attachment.this", att, module=mod))
        else:
            # payments moved from "read" to "full" access: the policy name changes, which forces a new
            # policy (its ARN is unknown until apply) and a new attachment.
            full_doc = doc(stmt("dynamodb:*", t["table"], sid="TableAccess"))
            new_name = f"{key}-dynamodb-full"
            rcs.append(RC(f"{mod}.aws_iam_policy.this", ["delete", "create"], pol, {
                "description": f"DynamoDB access for {key}", "name": new_name, "path": "/teams/",
                "policy": jsonencode(full_doc), "tags": None}, module=mod,
                unknown={"arn": True, "attachment_count": True, "id": True, "name_prefix": True,
                         "policy_id": True, "tags_all": True},
                reason="replace_because_cannot_update", replace_paths=[["name"]]))
            rcs.append(RC(f"{mod}.aws_iam_role_policy_attachment.this", ["delete", "create"], att,
                          {"role": key}, module=mod, unknown={"id": True, "policy_arn": True},
                          reason="replace_because_cannot_update", replace_paths=[["policy_arn"]]))
    for i in range(2):
        rcs.append(noop(f"aws_iam_user.bot[{i}]", user_state(f"bot-{i}", f"AIDARZ5WDQ3LBOT{i}XQ7WZ",
                                                            path="/bots/"), index=i))
    module_cfg = {
        "resources": [
            cres("aws_iam_policy.this", {
                "description": refs("var.name"),
                "name": refs("var.name", "var.access"),
                "path": const("/teams/"),
                "policy": refs("var.access", "var.table_arn")}),
            cres("aws_iam_role.this", {
                "assume_role_policy": {},
                "name": refs("var.name"),
                "path": const("/teams/"),
                "tags": refs("var.name")}),
            cres("aws_iam_role_policy_attachment.this", {
                "policy_arn": ref_attr("aws_iam_policy.this", "arn"),
                "role": ref_attr("aws_iam_role.this", "name")}),
        ],
        "variables": {
            "access": {"default": "read", "description": "read or full"},
            "name": {"description": "Team name"},
            "table_arn": {"description": "ARN of the team's DynamoDB table"},
        },
    }
    cfg = config([
        cres("aws_iam_user.bot", {"name": refs("count.index"), "path": const("/bots/")},
             count=const(2)),
    ], module_calls={"team": {
        "source": "./modules/team",
        "expressions": {"access": refs("each.value.access", "each.value"), "name": refs("each.key"),
                        "table_arn": refs("each.value.table_arn", "each.value")},
        "for_each_expression": refs("local.teams"),
        "module": module_cfg}})
    emit("module-for-each.json", plan(rcs, cfg, timestamp="2025-06-12T12:01:33Z"), [
        ('module.team["payments"].aws_iam_role.this', "widened"),
        ('module.team["search"].aws_iam_role.this', "unchanged"),
        ("aws_iam_user.bot[0]", "unchanged"),
        ("aws_iam_user.bot[1]", "unchanged")])


# ---------------------------------------------------------------- replace-same-policy
def replace_same_policy():
    t = normalized(service_trust("ecs-tasks.amazonaws.com"))
    pol = doc(stmt(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
                   "arn:aws:dynamodb:eu-west-1:111122223333:table/orders", sid="Orders"))
    before = role_state("orders-service", t, inline=[("orders-table", normalized(pol))],
                        unique_id="AROARZ5WDQ3LORD3RSSVC", created="2023-06-01T09:00:00Z",
                        tags={"service": "orders"})
    after, unknown = role_create("orders-service", t, path="/services/", description="",
                                 inline=[("orders-table", jsonencode(pol))], tags={"service": "orders"})
    after["description"] = None
    rc = RC("aws_iam_role.svc", ["delete", "create"], before, after, unknown=unknown,
            reason="replace_because_cannot_update", replace_paths=[["path"]])
    cfg = config([cres("aws_iam_role.svc", {
        "assume_role_policy": {},
        "inline_policy": [{"name": const("orders-table"), "policy": {}}],
        "name": const("orders-service"),
        "path": const("/services/"),
        "tags": const({"service": "orders"})})])
    emit("replace-same-policy.json", plan([rc], cfg, timestamp="2025-06-12T12:30:09Z"),
         [("aws_iam_role.svc", "unchanged")])


# ---------------------------------------------------------------- created-deleted
def created_deleted():
    lam = normalized(service_trust("lambda.amazonaws.com"))
    logs = doc(stmt(["logs:CreateLogStream", "logs:PutLogEvents"],
                    "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/report-generator:*", sid="Logs"),
               stmt("s3:PutObject", "arn:aws:s3:::acme-reports/*", sid="WriteReports"))
    after, unknown = role_create("report-generator", lam, description="Lambda role for the nightly reports",
                                 inline=[("report-generator", jsonencode(logs))])
    new = RC("aws_iam_role.report_generator", ["create"], None, after, unknown=unknown)
    legacy_pol = doc(stmt("ec2:*", "*"))
    legacy = role_state("legacy-cron", normalized(service_trust("ec2.amazonaws.com")),
                        inline=[("legacy-cron", normalized(legacy_pol))],
                        unique_id="AROARZ5WDQ3LL3GACYCRN", created="2019-04-17T22:05:41Z")
    old = RC("aws_iam_role.legacy_cron", ["delete"], legacy, None, reason="delete_because_no_resource_config")
    cfg = config([cres("aws_iam_role.report_generator", {
        "assume_role_policy": {},
        "description": const("Lambda role for the nightly reports"),
        "inline_policy": [{"name": const("report-generator"), "policy": {}}],
        "name": const("report-generator")})])
    emit("created-deleted.json", plan([new, old], cfg, timestamp="2025-06-12T13:10:50Z"),
         [("aws_iam_role.report_generator", "created"), ("aws_iam_role.legacy_cron", "deleted")])


# ---------------------------------------------------------------- deny-removed
def deny_removed():
    t = normalized(service_trust("backup.amazonaws.com"))
    allow = {"Sid": "BackupBucket", "Effect": "Allow", "Action": "s3:*",
             "Resource": ["arn:aws:s3:::acme-backups", "arn:aws:s3:::acme-backups/*"]}
    deny = {"Sid": "NeverDeleteBucket", "Effect": "Deny", "Action": "s3:DeleteBucket",
            "Resource": "arn:aws:s3:::acme-backups"}
    # The state keeps the heredoc text the policy was first written with.
    old = heredoc({"Version": V, "Statement": [allow, deny]})
    role = role_state("backup-operator", t, unique_id="AROARZ5WDQ3LBKUP0PER8", created="2022-10-03T11:45:00Z")
    pol = role_policy_state("backup-operator", "backup-bucket", old)
    rc = update("aws_iam_role_policy.backup_s3", pol, {"policy": jsonencode(doc(allow))})
    cfg = config([
        cres("aws_iam_role.backup", {"assume_role_policy": {}, "name": const("backup-operator")}),
        cres("aws_iam_role_policy.backup_s3", {"name": const("backup-bucket"), "policy": {},
                                               "role": ref_attr("aws_iam_role.backup", "id")})])
    emit("deny-removed.json", plan([noop("aws_iam_role.backup", role), rc], cfg, timestamp="2025-06-12T13:33:17Z"),
         [("aws_iam_role.backup", "widened")])


# ---------------------------------------------------------------- boundary-removed
def boundary_removed():
    b = policy_state("dev-boundary", jsonencode(doc(stmt(["dynamodb:*", "logs:*", "s3:*"], "*", sid="DevBoundary"))),
                     description="Permissions boundary for developer roles", policy_id="ANPARZ5WDQ3LB0UNDARY1")
    t = normalized(trust({"AWS": f"arn:aws:iam::{ACCT}:root"}))
    role = role_state("developer", t, boundary=b["arn"], unique_id="AROARZ5WDQ3LDEV3L0PER",
                      created="2024-07-07T07:07:07Z")
    rc = update("aws_iam_role.dev", role, {"permissions_boundary": None})
    inline = role_policy_state("developer", "developer", jsonencode(doc(stmt(
        ["dynamodb:*", "ec2:*", "iam:*", "logs:*", "s3:*"], "*", sid="Developer"))))
    cfg = config([
        cres("aws_iam_policy.boundary", {"description": const("Permissions boundary for developer roles"),
                                         "name": const("dev-boundary"), "policy": {}}),
        cres("aws_iam_role.dev", {"assume_role_policy": {}, "name": const("developer")}),
        cres("aws_iam_role_policy.dev", {"name": const("developer"), "policy": {},
                                         "role": ref_attr("aws_iam_role.dev", "id")})])
    emit("boundary-removed.json", plan([noop("aws_iam_policy.boundary", b), rc,
                                        noop("aws_iam_role_policy.dev", inline)], cfg,
                                       timestamp="2025-06-12T14:02:44Z"),
         [("aws_iam_role.dev", "widened")])


# ---------------------------------------------------------------- notaction
def notaction():
    t = normalized(trust({"AWS": f"arn:aws:iam::{ACCT}:root"}))
    role = role_state("ops-automation", t, unique_id="AROARZ5WDQ3L0PSAUT0MA", created="2024-02-29T12:00:00Z")
    old = doc(stmt(["iam:*", "organizations:*"], "*", sid="EverythingButIdentity", not_action=True))
    new = doc(stmt(["iam:*"], "*", sid="EverythingButIdentity", not_action=True))
    pol = role_policy_state("ops-automation", "ops", normalized(old))
    rc = update("aws_iam_role_policy.ops", pol, {"policy": jsonencode(new)})
    cfg = config([
        cres("aws_iam_role.ops", {"assume_role_policy": {}, "name": const("ops-automation")}),
        cres("aws_iam_role_policy.ops", {"name": const("ops"), "policy": {},
                                         "role": ref_attr("aws_iam_role.ops", "id")})])
    emit("notaction.json", plan([noop("aws_iam_role.ops", role), rc], cfg, timestamp="2025-06-12T14:20:31Z"),
         [("aws_iam_role.ops", "widened")])


def role_policy_change(rcs, res, trust_policy, key, name, uid, old_policy, new_policy):
    """An unchanged role `aws_iam_role.KEY` whose inline `aws_iam_role_policy.KEY` changes."""
    role = role_state(name, trust_policy, unique_id=uid, created="2024-06-18T15:30:00Z")
    rcs.append(noop(f"aws_iam_role.{key}", role))
    pol = role_policy_state(name, name, old_policy)
    rcs.append(update(f"aws_iam_role_policy.{key}", pol, {"policy": new_policy}))
    res.append(cres(f"aws_iam_role.{key}", {"assume_role_policy": {}, "name": const(name)}))
    res.append(cres(f"aws_iam_role_policy.{key}", {"name": const(name), "policy": {},
                                                  "role": ref_attr(f"aws_iam_role.{key}", "id")}))


# ---------------------------------------------------------------- conditions
def conditions():
    t = normalized(service_trust("ec2.amazonaws.com"))
    rcs, res = [], []

    def add(key, name, uid, old_policy, new_policy):
        role_policy_change(rcs, res, t, key, name, uid, old_policy, new_policy)

    region = {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}
    add("region_locked", "ec2-admin-eu", "AROARZ5WDQ3LREG10NLK",
        normalized(doc(stmt("ec2:*", "*", sid="Ec2InEu", condition=region))),
        jsonencode(doc(stmt("ec2:*", "*", sid="Ec2InEu"))))
    add("tagged_reader", "report-reader", "AROARZ5WDQ3LTAGREADR",
        normalized(doc(stmt("s3:GetObject", "arn:aws:s3:::acme-reports/*", sid="TeamReports",
                            condition={"StringEquals": {"s3:ExistingObjectTag/team": ["analytics"]}}))),
        jsonencode(doc(stmt("s3:GetObject", "arn:aws:s3:::acme-reports/*", sid="TeamReports",
                            condition={"StringEquals": {"s3:ExistingObjectTag/team": ["analytics", "finance"]}}))))
    # Same conditions: values and keys reordered, a one-element list written as a string.
    c_old = heredoc({"Version": V, "Statement": [{
        "Sid": "VpcOnly", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
        "Resource": "arn:aws:s3:::acme-internal/*",
        "Condition": {"StringEquals": {"aws:SourceVpc": ["vpc-0a1b2c3d4e5f60718"],
                                       "aws:RequestedRegion": ["eu-west-1", "eu-central-1"]},
                      "Bool": {"aws:SecureTransport": "true"}}}]})
    c_new = jsonencode({"Version": V, "Statement": [{
        "Sid": "VpcOnly", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
        "Resource": "arn:aws:s3:::acme-internal/*",
        "Condition": {"Bool": {"aws:SecureTransport": "true"},
                      "StringEquals": {"aws:RequestedRegion": ["eu-central-1", "eu-west-1"],
                                       "aws:SourceVpc": "vpc-0a1b2c3d4e5f60718"}}}]})
    add("vpc_only", "internal-data", "AROARZ5WDQ3LVPC0NLYX", c_old, c_new)
    emit("conditions.json", plan(rcs, config(res), timestamp="2025-06-12T14:45:12Z"), [
        ("aws_iam_role.region_locked", "widened"),
        ("aws_iam_role.tagged_reader", "widened"),
        ("aws_iam_role.vpc_only", "unchanged")])


# ---------------------------------------------------------------- trust-widened
def trust_widened():
    audit = role_state("audit-reader", normalized(trust({"AWS": f"arn:aws:iam::{ACCT}:root"})),
                       description="Read-only auditing", managed=["arn:aws:iam::aws:policy/SecurityAudit"],
                       unique_id="AROARZ5WDQ3LAUD1TRDR2", created="2023-03-03T03:03:03Z")
    audit_rc = update("aws_iam_role.audit", audit, {"assume_role_policy": jsonencode(trust("*"))})
    gh = role_state("github-deploy", normalized(github_trust("repo:acme/api:ref:refs/heads/main")),
                    description="Deploys acme/api from GitHub Actions",
                    managed=["arn:aws:iam::aws:policy/AmazonECS_FullAccess"],
                    unique_id="AROARZ5WDQ3LGHDEPL0Y7", created="2024-10-10T10:10:10Z")
    gh_rc = update("aws_iam_role.github_deploy", gh,
                   {"assume_role_policy": jsonencode(github_trust("repo:acme/*", op="StringLike"))})
    cfg = config([
        cres("aws_iam_role.audit", {"assume_role_policy": {}, "description": const("Read-only auditing"),
                                    "managed_policy_arns": const(["arn:aws:iam::aws:policy/SecurityAudit"]),
                                    "name": const("audit-reader")}),
        cres("aws_iam_role.github_deploy", {
            "assume_role_policy": ref_attr("aws_iam_openid_connect_provider.github", "arn"),
            "description": const("Deploys acme/api from GitHub Actions"),
            "managed_policy_arns": const(["arn:aws:iam::aws:policy/AmazonECS_FullAccess"]),
            "name": const("github-deploy")}),
        cres("aws_iam_openid_connect_provider.github", {
            "client_id_list": const(["sts.amazonaws.com"]),
            "thumbprint_list": const(["6938fd4d98bab03faadb97b34396831e3780aea1"]),
            "url": const("https://token.actions.githubusercontent.com")}),
    ])
    oidc = {"arn": GH_OIDC, "client_id_list": ["sts.amazonaws.com"], "id": GH_OIDC, "tags": None, "tags_all": {},
            "thumbprint_list": ["6938fd4d98bab03faadb97b34396831e3780aea1"],
            "url": "token.actions.githubusercontent.com"}
    emit("trust-widened.json", plan([audit_rc, gh_rc, noop("aws_iam_openid_connect_provider.github", oidc)], cfg,
                                    timestamp="2025-06-12T15:05:55Z"),
         [("aws_iam_role.audit", "widened"), ("aws_iam_role.github_deploy", "widened")])


# ---------------------------------------------------------------- managed-attachments
def managed_attachments():
    acct_trust = normalized(trust({"AWS": f"arn:aws:iam::{ACCT}:root"}))
    ops = role_state("ops-admin", acct_trust, unique_id="AROARZ5WDQ3L0PSADM1N1", created="2024-01-15T08:00:00Z")
    ops_att = RC("aws_iam_role_policy_attachment.ops_admin", ["create"], None,
                 {"policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess", "role": "ops-admin"},
                 unknown={"id": True})
    auditor = role_state("auditor", acct_trust, managed=["arn:aws:iam::aws:policy/SecurityAudit"],
                         unique_id="AROARZ5WDQ3LAUD1T0R22", created="2024-01-15T08:00:00Z")
    auditor_rc = update("aws_iam_role.auditor", auditor, {"managed_policy_arns": [
        "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/SecurityAudit"]})
    deployer = role_state("deployer", normalized(service_trust("codebuild.amazonaws.com")),
                          unique_id="AROARZ5WDQ3LDEPL0YER3", created="2024-01-15T08:00:00Z")
    deploy_pol = policy_state("deploy-stacks", jsonencode(doc(stmt(
        ["cloudformation:CreateChangeSet", "cloudformation:DescribeStacks", "cloudformation:ExecuteChangeSet"],
        f"arn:aws:cloudformation:eu-west-1:{ACCT}:stack/app-*/*", sid="Stacks"))),
        description="Deploy CloudFormation stacks", policy_id="ANPARZ5WDQ3LDEPL0YST4", attachments=0)
    pa = RC("aws_iam_policy_attachment.deploy", ["create"], None, {
        "groups": None, "name": "deploy-stacks-attachment", "policy_arn": deploy_pol["arn"],
        "roles": ["deployer"], "users": None}, unknown={"id": True})
    cfg = config([
        cres("aws_iam_policy.deploy", {"description": const("Deploy CloudFormation stacks"),
                                       "name": const("deploy-stacks"), "policy": {}}),
        cres("aws_iam_policy_attachment.deploy", {
            "name": const("deploy-stacks-attachment"),
            "policy_arn": ref_attr("aws_iam_policy.deploy", "arn"),
            "roles": ref_attr("aws_iam_role.deployer", "name")}),
        cres("aws_iam_role.auditor", {"assume_role_policy": {}, "managed_policy_arns": const([
            "arn:aws:iam::aws:policy/SecurityAudit", "arn:aws:iam::aws:policy/ReadOnlyAccess"]),
            "name": const("auditor")}),
        cres("aws_iam_role.deployer", {"assume_role_policy": {}, "name": const("deployer")}),
        cres("aws_iam_role.ops_admin", {"assume_role_policy": {}, "name": const("ops-admin")}),
        cres("aws_iam_role_policy_attachment.ops_admin", {
            "policy_arn": const("arn:aws:iam::aws:policy/AdministratorAccess"),
            "role": ref_attr("aws_iam_role.ops_admin", "name")}),
    ])
    rcs = [noop("aws_iam_role.ops_admin", ops), ops_att, auditor_rc, noop("aws_iam_role.deployer", deployer),
           noop("aws_iam_policy.deploy", deploy_pol), pa]
    emit("managed-attachments.json", plan(rcs, cfg, timestamp="2025-06-12T15:30:21Z"), [
        ("aws_iam_role.ops_admin", "widened"), ("aws_iam_role.auditor", "widened"),
        ("aws_iam_role.deployer", "widened")])


# ---------------------------------------------------------------- groups
def groups():
    admins = group_state("admins", "AGPARZ5WDQ3LADM1NS0G1")
    gp = {"group": "admins", "id": "admins:ec2-admin", "name": "ec2-admin", "name_prefix": None,
          "policy": normalized(doc(stmt("ec2:*", "*", sid="Ec2Admin")))}
    bot = user_state("deploy-bot", "AIDARZ5WDQ3LDEPL0YB0T", path="/bots/")
    alice = user_state("alice", "AIDARZ5WDQ3LAL1CE0001")
    alice_m = {"groups": ["admins"], "id": "terraform-20240315093000123400000001", "user": "alice"}
    m = RC("aws_iam_user_group_membership.deploy_bot", ["create"], None,
           {"groups": ["admins"], "user": "deploy-bot"}, unknown={"id": True})
    rcs = [noop("aws_iam_group.admins", admins), noop("aws_iam_group_policy.admins_ec2", gp),
           noop("aws_iam_user.alice", alice), noop("aws_iam_user_group_membership.alice", alice_m),
           noop("aws_iam_user.deploy_bot", bot), m]
    cfg = config([
        cres("aws_iam_group.admins", {"name": const("admins")}),
        cres("aws_iam_group_policy.admins_ec2", {"group": ref_attr("aws_iam_group.admins", "name"),
                                                 "name": const("ec2-admin"), "policy": {}}),
        cres("aws_iam_user.alice", {"name": const("alice")}),
        cres("aws_iam_user.deploy_bot", {"name": const("deploy-bot"), "path": const("/bots/")}),
        cres("aws_iam_user_group_membership.alice", {"groups": ref_attr("aws_iam_group.admins", "name"),
                                                     "user": ref_attr("aws_iam_user.alice", "name")}),
        cres("aws_iam_user_group_membership.deploy_bot", {"groups": ref_attr("aws_iam_group.admins", "name"),
                                                          "user": ref_attr("aws_iam_user.deploy_bot", "name")}),
    ])
    emit("groups.json", plan(rcs, cfg, timestamp="2025-06-12T16:00:00Z"), [
        ("aws_iam_user.deploy_bot", "widened"), ("aws_iam_group.admins", "unchanged"),
        ("aws_iam_user.alice", "unchanged")])


# ---------------------------------------------------------------- data-source-policy
def data_source_policy():
    queue = "arn:aws:sqs:eu-west-1:111122223333:orders-queue"

    def ds_json(action):  # aws_iam_policy_document renders indented JSON
        return json.dumps({"Version": V, "Statement": [{"Effect": "Allow", "Action": action, "Resource": queue}]},
                          indent=2)

    def ds_min(action):
        return json.dumps({"Version": V, "Statement": [{"Effect": "Allow", "Action": action, "Resource": queue}]},
                          separators=(",", ":"))

    ds = RC("data.aws_iam_policy_document.p", ["read"], {
        "id": "2851119427", "json": ds_json("sqs:*"), "minified_json": ds_min("sqs:*"),
        "override_policy_documents": None, "policy_id": None, "source_policy_documents": None,
        "statement": [{"actions": ["sqs:*"], "condition": [], "effect": "Allow", "not_actions": [],
                       "not_principals": [], "not_resources": [], "principals": [], "resources": [queue], "sid": ""}],
        "version": "2012-10-17"}, None, mode="data")
    pol = policy_state("orders-queue-worker", ds_json("sqs:SendMessage"), description="Worker access to orders-queue",
                       policy_id="ANPARZ5WDQ3LQUEUEW0RK")
    pol_rc = update("aws_iam_policy.p", pol, {"policy": ds_json("sqs:*")})
    role = role_state("queue-worker", normalized(service_trust("ecs-tasks.amazonaws.com")),
                      unique_id="AROARZ5WDQ3LQUEUEW0RK", created="2024-09-09T09:09:09Z")
    att = attachment_state("queue-worker", pol["arn"], "20240909090911000000000001")
    cfg = config([
        cres("aws_iam_policy.p", {"description": const("Worker access to orders-queue"),
                                  "name": const("orders-queue-worker"),
                                  "policy": ref_attr("data.aws_iam_policy_document.p", "json")}),
        cres("aws_iam_role.worker", {"assume_role_policy": {}, "name": const("queue-worker")}),
        cres("aws_iam_role_policy_attachment.worker", {"policy_arn": ref_attr("aws_iam_policy.p", "arn"),
                                                       "role": ref_attr("aws_iam_role.worker", "name")}),
        cres("data.aws_iam_policy_document.p", {"statement": [{
            "actions": const(["sqs:*"]), "effect": const("Allow"), "resources": const([queue])}]}, mode="data"),
    ])
    p = plan([pol_rc, noop("aws_iam_role.worker", role), noop("aws_iam_role_policy_attachment.worker", att)], cfg,
             prior_data=[ds], timestamp="2025-06-12T16:30:30Z")
    emit("data-source-policy.json", p, [("aws_iam_role.worker", "widened")])


# ---------------------------------------------------------------- resource-wildcards
def resource_wildcards():
    t = normalized(service_trust("ec2.amazonaws.com"))
    rcs, res = [], []
    cases = [("log_shipper", "log-shipper", "arn:aws:s3:::b/logs/*", "arn:aws:s3:::b/*", "AROARZ5WDQ3LL0GSH1PPR"),
             ("archiver", "archiver", "arn:aws:s3:::b/*", "arn:aws:s3:::b/logs/*", "AROARZ5WDQ3LARCH1VER5"),
             ("rotator", "log-rotator", "arn:aws:s3:::b/log?", "arn:aws:s3:::b/log1", "AROARZ5WDQ3LR0TAT0R66")]
    for key, name, r0, r1, uid in cases:
        rcs.append(noop(f"aws_iam_role.{key}", role_state(name, t, unique_id=uid, created="2024-12-01T00:00:00Z")))
        pol = role_policy_state(name, "objects", normalized(doc(stmt("s3:GetObject", r0, sid="Objects"))))
        rcs.append(update(f"aws_iam_role_policy.{key}", pol,
                          {"policy": jsonencode(doc(stmt("s3:GetObject", r1, sid="Objects")))}))
        res.append(cres(f"aws_iam_role.{key}", {"assume_role_policy": {}, "name": const(name)}))
        res.append(cres(f"aws_iam_role_policy.{key}", {"name": const("objects"), "policy": {},
                                                      "role": ref_attr(f"aws_iam_role.{key}", "id")}))
    emit("resource-wildcards.json", plan(rcs, config(res), timestamp="2025-06-12T17:00:00Z"), [
        ("aws_iam_role.log_shipper", "widened"), ("aws_iam_role.archiver", "narrowed"),
        ("aws_iam_role.rotator", "narrowed")])


# ---------------------------------------------------------------- opentofu
def opentofu():
    t = normalized(service_trust("lambda.amazonaws.com"))
    role = role_state("notifier", t, unique_id="AROARZ5WDQ3LN0T1F1ER7", created="2025-01-20T13:37:00Z")
    topic = "arn:aws:sns:eu-west-1:111122223333:alerts"
    pol = role_policy_state("notifier", "publish", normalized(doc(stmt("sns:Publish", topic, sid="Publish"))))
    rc = update("aws_iam_role_policy.notifier", pol,
                {"policy": jsonencode(doc(stmt(["sns:Publish", "sns:Subscribe", "sns:SetTopicAttributes"], "*",
                                               sid="Publish")))}, provider=TOFU_AWS)
    cfg = config([
        cres("aws_iam_role.notifier", {"assume_role_policy": {}, "name": const("notifier")}),
        cres("aws_iam_role_policy.notifier", {"name": const("publish"), "policy": {},
                                              "role": ref_attr("aws_iam_role.notifier", "id")})],
        provider=provider_config(full_name=TOFU_AWS))
    p = plan([noop("aws_iam_role.notifier", role, provider=TOFU_AWS), rc], cfg, tf="1.8.3", tofu=True,
             timestamp="2025-06-12T17:20:00Z")
    # `tofu show -json` prints one line.
    emit("opentofu.json", p, [("aws_iam_role.notifier", "widened")], compact=True)


# ---------------------------------------------------------------- format-0.1
def format_01():
    t = normalized(service_trust("ec2.amazonaws.com"))
    role = {"arn": f"arn:aws:iam::{ACCT}:role/legacy-app", "assume_role_policy": t,
            "create_date": "2019-08-02T18:44:59Z", "description": "", "force_detach_policies": False,
            "id": "legacy-app", "max_session_duration": 3600, "name": "legacy-app", "name_prefix": None,
            "path": "/", "permissions_boundary": None, "tags": {}, "unique_id": "AROARZ5WDQ3LLEGACYAPP"}
    old = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n" \
          "      \"Action\": [\n        \"ec2:DescribeInstances\",\n        \"ec2:DescribeTags\"\n      ],\n" \
          "      \"Resource\": \"*\"\n    }\n  ]\n}\n"
    new = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n" \
          "      \"Action\": [\n        \"ec2:Describe*\",\n        \"ec2:StartInstances\",\n" \
          "        \"ec2:StopInstances\"\n      ],\n      \"Resource\": \"*\"\n    }\n  ]\n}\n"
    pol = {"id": "legacy-app:legacy-app", "name": "legacy-app", "name_prefix": None, "policy": old,
           "role": "legacy-app"}
    rc = update("aws_iam_role_policy.legacy_app", pol, {"policy": new}, provider="aws")
    cfg = {"provider_config": {"aws": {"name": "aws", "version_constraint": "~> 2.70",
                                       "expressions": {"region": {"constant_value": "us-east-1"}}}},
           "root_module": {"resources": [
               cres("aws_iam_role.legacy_app", {"assume_role_policy": const(t), "name": const("legacy-app")}),
               cres("aws_iam_role_policy.legacy_app", {"name": const("legacy-app"), "policy": const(new),
                                                       "role": ref_attr("aws_iam_role.legacy_app", "id")})]}}
    p = plan([noop("aws_iam_role.legacy_app", role, provider="aws"), rc], cfg, tf="0.12.31", fv="0.1",
             legacy=True, state_fv="0.1")
    emit("format-0.1.json", p, [("aws_iam_role.legacy_app", "widened")])


# ---------------------------------------------------------------- hostile-names
def hostile_names():
    evil = "deploy</details><img src=x onerror=alert(1)>@acme/security-team`whoami`|col|\u001b[31mred"
    t = normalized(service_trust("ec2.amazonaws.com"))
    role = role_state(evil, t, unique_id="AROARZ5WDQ3LH0ST1LE88", created="2025-02-02T02:02:02Z")
    arn = "arn:aws:s3:::acme-hostile/</details><img src=x onerror=alert(1)>@acme/security-team`|\u001b[31m/*"
    sid = "</details><img src=x onerror=alert(1)>@acme/security-team`|\u001b[31m"
    pol = role_policy_state(evil, "hostile", normalized(doc(stmt("s3:GetObject", arn, sid=sid))))
    rc = update("aws_iam_role_policy.hostile", pol, {"policy": jsonencode(doc(stmt("s3:*", arn, sid=sid)))})
    cfg = config([
        cres("aws_iam_role.hostile", {"assume_role_policy": {}, "name": refs("var.role_name")}),
        cres("aws_iam_role_policy.hostile", {"name": const("hostile"), "policy": refs("local.hostile_arn"),
                                             "role": ref_attr("aws_iam_role.hostile", "id")})],
        variables={"role_name": {}})
    emit("hostile-names.json", plan([noop("aws_iam_role.hostile", role), rc], cfg, variables={"role_name": evil},
                                    timestamp="2025-06-12T17:45:00Z"),
         [("aws_iam_role.hostile", "widened")])


# ---------------------------------------------------------------- more-grants
def more_grants():
    """Less common grant paths: exclusive attachments of a policy created in the same plan
    (ARN unknown, traced through configuration), aws_iam_group_membership, a boundary swapped
    between two AWS managed policies, a forgotten role, and a policy from a data source read at
    apply whose statement blocks are known."""
    svc_trust = normalized(service_trust("lambda.amazonaws.com"))
    # 1. exclusive attachments gain a policy created in this plan
    builder = role_state("builder", svc_trust, unique_id="AROARZ5WDQ3LBU1LDER01")
    new_pol_after = {"description": "", "name": "builder-ecr", "path": "/",
                     "policy": jsonencode(doc(stmt(["ecr:PutImage", "ecr:InitiateLayerUpload"], "*"))),
                     "tags": None}
    new_pol = RC("aws_iam_policy.builder_ecr", ["create"], None, new_pol_after,
                 unknown={"arn": True, "attachment_count": True, "id": True, "name_prefix": True,
                          "policy_id": True, "tags_all": True})
    excl_before = {"id": "builder", "policy_arns": ["arn:aws:iam::aws:policy/AWSLambdaExecute"], "role_name": "builder"}
    excl = RC("aws_iam_role_policy_attachments_exclusive.builder", ["update"], excl_before,
              {"id": "builder", "role_name": "builder"}, unknown={"policy_arns": True})
    # 2. aws_iam_group_membership adds a user to a group with an inline policy
    ops = group_state("ops", "AGPARZ5WDQ3LOPS000001")
    ops_pol = {"group": "ops", "id": "ops:ssm", "name": "ssm", "name_prefix": None,
               "policy": normalized(doc(stmt("ssm:StartSession", "*")))}
    carol = user_state("carol", "AIDARZ5WDQ3LCAR0L0001")
    dave = user_state("dave", "AIDARZ5WDQ3LDAVE00001")
    gm_before = {"group": "ops", "id": "ops-members", "name": "ops-members", "users": ["carol"]}
    gm = update("aws_iam_group_membership.ops", gm_before, {"users": ["carol", "dave"]})
    # 3. a boundary swapped between two customer policies outside the plan (not expandable)
    swapped = role_state("swapped", svc_trust, unique_id="AROARZ5WDQ3LSWAPPED01",
                         boundary="arn:aws:iam::123456789012:policy/boundary-narrow")
    swapped_rc = update("aws_iam_role.swapped", swapped, {"permissions_boundary": "arn:aws:iam::123456789012:policy/boundary-wide"})
    # 4. a role removed from state only: its grants stay in force
    kept = role_state("kept", svc_trust, unique_id="AROARZ5WDQ3LKEPT00001")
    kept_rc = RC("aws_iam_role.kept", ["forget"], kept, None,
                 reason="forgot_because_lifecycle_destroy_in_config")
    kept_pol = role_policy_state("kept", "logs", normalized(doc(stmt("logs:PutLogEvents", "*"))))
    kept_pol_rc = RC("aws_iam_role_policy.kept_logs", ["forget"], kept_pol, None,
                     reason="forgot_because_lifecycle_destroy_in_config")
    # 5. a data source read at apply (a dependency changes) with statement blocks known
    reader = role_state("reader", svc_trust, unique_id="AROARZ5WDQ3LREADER001")
    table = f"arn:aws:dynamodb:eu-west-1:{ACCT}:table/orders"
    ds_after = {"override_policy_documents": None, "source_policy_documents": None, "version": "2012-10-17",
                "statement": [{"actions": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:DeleteItem"],
                               "condition": [], "effect": "Allow", "not_actions": [], "not_principals": [],
                               "not_resources": [], "principals": [], "resources": [table], "sid": "Orders"}]}
    ds = RC("data.aws_iam_policy_document.reader", ["read"], None, ds_after, mode="data",
            unknown={"id": True, "json": True, "minified_json": True}, reason="read_because_dependency_pending")
    rp_before = role_policy_state("reader", "orders", normalized(doc(stmt(["dynamodb:GetItem", "dynamodb:Query"], table, sid="Orders"))))
    rp_after = dict(rp_before)
    del rp_after["policy"]
    rp = RC("aws_iam_role_policy.reader", ["update"], rp_before, rp_after, unknown={"policy": True})
    cfg = config([
        cres("aws_iam_policy.builder_ecr", {"name": const("builder-ecr"), "policy": {}}),
        cres("aws_iam_role.builder", {"assume_role_policy": {}, "name": const("builder")}),
        cres("aws_iam_role_policy_attachments_exclusive.builder", {
            "role_name": ref_attr("aws_iam_role.builder", "name"),
            "policy_arns": refs("aws_iam_policy.builder_ecr.arn", "aws_iam_policy.builder_ecr")}),
        cres("aws_iam_group.ops", {"name": const("ops")}),
        cres("aws_iam_group_policy.ops_ssm", {"group": ref_attr("aws_iam_group.ops", "name"), "policy": {}}),
        cres("aws_iam_user.carol", {"name": const("carol")}),
        cres("aws_iam_user.dave", {"name": const("dave")}),
        cres("aws_iam_group_membership.ops", {"group": ref_attr("aws_iam_group.ops", "name"),
                                              "name": const("ops-members"),
                                              "users": refs("aws_iam_user.carol.name", "aws_iam_user.carol",
                                                            "aws_iam_user.dave.name", "aws_iam_user.dave")}),
        cres("aws_iam_role.swapped", {"assume_role_policy": {}, "name": const("swapped"),
                                      "permissions_boundary": const("arn:aws:iam::aws:policy/PowerUserAccess")}),
        cres("aws_iam_role.reader", {"assume_role_policy": {}, "name": const("reader")}),
        cres("aws_iam_role_policy.reader", {"name": const("orders"), "role": ref_attr("aws_iam_role.reader", "name"),
                                            "policy": ref_attr("data.aws_iam_policy_document.reader", "json")}),
        cres("data.aws_iam_policy_document.reader", {"statement": [{"actions": const(
            ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:DeleteItem"]), "resources": const([table])}]}, mode="data"),
    ])
    rcs = [noop("aws_iam_role.builder", builder), new_pol, excl, noop("aws_iam_group.ops", ops),
           noop("aws_iam_group_policy.ops_ssm", ops_pol), noop("aws_iam_user.carol", carol),
           noop("aws_iam_user.dave", dave), gm, swapped_rc, kept_rc, kept_pol_rc, noop("aws_iam_role.reader", reader),
           ds, rp]
    emit("more-grants.json", plan(rcs, cfg, tf="1.9.5", timestamp="2025-06-13T10:00:00Z"), [
        ("aws_iam_role.builder", "widened"), ("aws_iam_user.dave", "widened"), ("aws_iam_user.carol", "unchanged"),
        ("aws_iam_group.ops", "unchanged"), ("aws_iam_role.swapped", "widened"), ("aws_iam_role.kept", "unchanged"),
        ("aws_iam_role.reader", "widened")])


# ---------------------------------------------------------------- typed-conditions
def typed_conditions():
    """IP, date, set and ARN condition operators, each compared by value, not by text."""
    t = normalized(service_trust("lambda.amazonaws.com"))
    rcs, res = [], []

    def add(key, name, uid, old_policy, new_policy):
        role_policy_change(rcs, res, t, key, name, uid, old_policy, new_policy)

    def one(action, resource, condition):
        return doc(stmt(action, resource, sid="Scoped", condition=condition))

    # A CIDR narrowed from /16 to /24: narrowed, although the text changed.
    add("office_ip", "office-uploader", "AROARZ5WDQ3LOFF1CE01",
        normalized(one("s3:PutObject", "arn:aws:s3:::acme-uploads/*", {"IpAddress": {"aws:SourceIp": "203.0.0.0/16"}})),
        jsonencode(one("s3:PutObject", "arn:aws:s3:::acme-uploads/*", {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}})))
    # A temporary grant's expiry moved later: widened, witness a time in between.
    add("break_glass", "break-glass", "AROARZ5WDQ3LBREAKGL1",
        normalized(one("ec2:StopInstances", "*", {"DateLessThan": {"aws:CurrentTime": "2025-07-01T00:00:00Z"}})),
        jsonencode(one("ec2:StopInstances", "*", {"DateLessThan": {"aws:CurrentTime": "2025-12-31T23:59:59Z"}})))
    # Allowed tag keys on create: one more key allowed.
    add("tagger", "resource-tagger", "AROARZ5WDQ3LTAGGER01",
        normalized(one("ec2:CreateTags", "*", {"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env"]}})),
        jsonencode(one("ec2:CreateTags", "*", {"ForAllValues:StringEquals": {"aws:TagKeys": ["cost-center", "env", "team"]}})))
    # The calling function's ARN opened from one region to all.
    add("invoker", "queue-invoker", "AROARZ5WDQ3LINV0KER1",
        normalized(one("sqs:SendMessage", f"arn:aws:sqs:eu-west-1:{ACCT}:jobs",
                       {"ArnLike": {"aws:SourceArn": f"arn:aws:lambda:eu-west-1:{ACCT}:function:*"}})),
        jsonencode(one("sqs:SendMessage", f"arn:aws:sqs:eu-west-1:{ACCT}:jobs",
                       {"ArnLike": {"aws:SourceArn": f"arn:aws:lambda:*:{ACCT}:function:*"}})))
    emit("typed-conditions.json", plan(rcs, config(res), timestamp="2025-06-13T11:00:00Z"), [
        ("aws_iam_role.office_ip", "narrowed"),
        ("aws_iam_role.break_glass", "widened"),
        ("aws_iam_role.tagger", "widened"),
        ("aws_iam_role.invoker", "widened")])


# ---------------------------------------------------------------- owners
def owners():
    """Whose each new role is, from its tags in several spellings.

    aws_iam_role.billing    tags {Owner = "ann@acme.example"}                 owner ann@acme.example (tag Owner)
    aws_iam_role.payments   tags {team = "payments"}, default tags {Team = "platform"}   payments (tag team)
    aws_iam_role.lake       default tags only {owning-team = "data"}          data (tag owning-team)
    aws_iam_role.secretive  tags {Owner = (sensitive)}                        no owner: never printed
    aws_iam_role.orphan     no tags                                           no owner
    """
    trust_doc = normalized(service_trust("lambda.amazonaws.com"))
    rcs, res = [], []

    def new(key, name, tags=None, tags_all=None, sens=None):
        after, unknown = role_create(name, trust_doc, inline=[], managed=[], tags=tags)
        if tags_all is not None:
            after["tags_all"] = tags_all
            unknown.pop("tags_all", None)
        rcs.append(RC(f"aws_iam_role.{key}", ["create"], None, after, unknown=unknown,
                      after_sens=sens))
        res.append(cres(f"aws_iam_role.{key}", {"name": const(name)}))

    new("billing", "billing-export", tags={"Owner": "ann@acme.example"})
    new("payments", "payments-api", tags={"team": "payments"},
        tags_all={"Team": "platform", "team": "payments"})
    new("lake", "lake-loader", tags_all={"owning-team": "data"})
    new("secretive", "secretive", tags={"Owner": "hidden-owner"},
        tags_all={"Owner": "hidden-owner"}, sens={"tags": {"Owner": True}, "tags_all": {"Owner": True}})
    new("orphan", "orphan")
    emit("owners.json", plan(rcs, config(res), timestamp="2025-06-16T10:00:00Z"), [
        ("aws_iam_role.billing", "created"), ("aws_iam_role.payments", "created"),
        ("aws_iam_role.lake", "created"), ("aws_iam_role.secretive", "created"),
        ("aws_iam_role.orphan", "created")])


for f in [ci_role_widened, equivalent_rewrite, narrowed, unknown_policy, sensitive_policy, module_for_each,
          replace_same_policy, created_deleted, deny_removed, boundary_removed, notaction, conditions,
          trust_widened, managed_attachments, groups, data_source_policy, resource_wildcards, opentofu,
          format_01, hostile_names, more_grants, typed_conditions, owners]:
    f()

# Trust and resource policies, diffed by principal (reach.py).
REACH, ABSENT = reach.generate(emit)

# Content rules PD014-PD022: fixtures that fire each and near misses (rules.py).
rules.generate(emit)

# Typed AWS requests and the exact delta of an added grant (typed.py).
typed.generate(emit)

# GCP IAM role bindings, per member (gcp.py).
gcp.generate(emit)
# What GCP members newly gain that the content rules name (gcp_risks.py).
gcp_risks.generate(emit)
# Values known only after apply, judged by what is known and the worst case (unknowns.py).
unknowns.generate(emit)

# Resources that carry access beyond IAM identities (carriers.py).
carriers.generate(emit)

# Who uses a role, and what its new grant reaches (workloads.py).
workloads.generate(emit)

# What an identity can newly become through sts:AssumeRole (paths.py).
paths.generate(emit)

# Azure RBAC role assignments, per principal (azure.py).
azure.generate(emit)
# What Azure principals newly gain that the content rules name (azure_risks.py).
azure_risks.generate(emit)
# Roles assigned on one resource: only what applies there (azure_risks.py).
azure_risks.resource_scopes(emit)

# Kubernetes RBAC, per binding subject (kubernetes.py).
kubernetes.generate(emit)

with open(os.path.join(OUT, "EXPECTED.tsv"), "w") as fh:
    fh.write("file\taddress\tverdict\n")
    for row in EXPECTED:
        fh.write("\t".join(row) + "\n")
with open(os.path.join(OUT, "REACH.tsv"), "w") as fh:
    fh.write("file\tsubject\tprincipal_class\tconcern\n")
    for row in REACH:
        fh.write("\t".join(row) + "\n")
with open(os.path.join(OUT, "ABSENT.tsv"), "w") as fh:
    fh.write("file\taddress\n")
    for row in ABSENT:
        fh.write("\t".join(row) + "\n")
print(len(EXPECTED), "expected rows,", len(REACH), "reach rows,", len(ABSENT), "absent rows")
