"""Fixtures for the content rules PD014-PD022: identities that become able to escalate, run code,
mint credentials, read secrets, copy data, expose resources or combine duties, and near misses
that widen without becoming risky.

The rules judge an identity's whole permission scope after the change (inline, attached managed
and group policies together, less Deny statements, capped by its boundary) and fire only when the
risky combination holds after and did not before. "Any" resource: a pattern admitting an arbitrary
name (`*`, `arn:aws:iam::*:role/*`, `arn:aws:iam::111122223333:role/*`); a fixed ARN or a fixed
prefix (`role/app-*`) is not any. Own account: 111122223333 (lib.ACCT).

escalation.json
  policy_admin      inline policy adds iam:CreatePolicyVersion on *                       widened  PD014
  self_editor       inline policy adds iam:PutRolePolicy on its own role's ARN            widened  PD014
  trust_manager     new inline policy: iam:UpdateAssumeRolePolicy on role/*; sts:AssumeRole on one
                    fixed role came from the already-attached aws_iam_policy.deploy_hop    widened  PD014
  lambda_deployer   new inline policy: iam:PassRole on *; lambda:CreateFunction and
                    lambda:InvokeFunction came from the already-attached aws_iam_policy.lambda_deploy
                                                                                           widened  PD015
  fleet_launcher    inline policy adds iam:PassRole and ec2:RunInstances on *             widened  PD015
  hotfix            inline policy adds lambda:UpdateFunctionCode on arn:aws:lambda:*:*:function:*
                                                                                           widened  PD016
  sandbox           permissions_boundary sandbox-boundary -> null (its inline policy reaches past
                    the boundary only with sqs:ReceiveMessage/DeleteMessage)                widened  PD021
escalation-quiet.json (none of PD014-PD016, PD021)
  orders_deployer   adds lambda:CreateFunction/InvokeFunction on function:orders-* and
                    iam:PassRole on one fixed role (with iam:PassedToService)             widened
  bootstrap         adds iam:PutRolePolicy on role/app-* (a fixed prefix; it is platform-bootstrap)
                                                                                           widened
  orders_hotfix     adds lambda:UpdateFunctionCode on one fixed function                  widened
  legacy_launcher   had iam:PassRole + ec2:RunInstances on * before; only its tags change unchanged
  batch_launcher    had iam:PassRole + ec2:RunInstances on * before (one inline policy); a second
                    inline policy adds s3:ListBucket on one bucket                         widened
  bounded           boundary stays; description changes and an inline policy adds sqs:SendMessage
                    on one queue                                                           widened
exposure.json
  ops_jump          adds sts:AssumeRole on *                                               widened  PD017
  key_rotator       (aws_iam_user) user policy adds iam:CreateAccessKey on arn:aws:iam::*:user/*
                                                                                           widened  PD017
  config_reader     secretsmanager:GetSecretValue: one secret ARN -> *                    widened  PD018
  param_reader      adds ssm:GetParametersByPath on arn:aws:ssm:eu-west-1:111122223333:parameter/*
                                                                                           widened  PD018
  analytics_export  s3:GetObject: arn:aws:s3:::acme-analytics/* -> arn:aws:s3:::*/*     widened  PD019
  bucket_admin      adds s3:PutBucketPolicy on *                                          widened  PD020
exposure-quiet.json (none of PD017-PD020)
  ci_image_push     adds ecr:GetAuthorizationToken on * and image push on one repository  widened
  deploy_hop        adds sts:AssumeRole on one fixed role                                  widened
  db_client         adds secretsmanager:GetSecretValue on one fixed secret                widened
  artifact_fetcher  adds s3:GetObject on arn:aws:s3:::acme-artifacts/*                   widened
  site_publisher    adds s3:PutBucketPolicy on one fixed bucket                           widened
separation-of-duties.json
  release_pipeline  had codepipeline:StartPipelineExecution on the release pipeline; a new inline
                    policy adds codepipeline:PutApprovalResult on its approval stage     widened  PD022 (high)
  ops_automation    had iam:AttachRolePolicy on role/app-*; adds cloudtrail:StopLogging on
                    the org trail                                                          widened  PD022 (critical)
  key_custodian     (aws_iam_user) holds kms:PutKeyPolicy on one key; joins the key-users group,
                    whose policy allows kms:Decrypt on that key                           widened  PD022 (high)
  key_users         (aws_iam_group) unchanged                                             unchanged
  release_approver  adds only codepipeline:PutApprovalResult (near miss)                 widened  no PD022
"""
from lib import *

REGION = "eu-west-1"
CREATED = "2024-11-05T09:30:00Z"


def acct_trust():
    return normalized(trust({"AWS": f"arn:aws:iam::{ACCT}:root"}))


def svc_trust(svc):
    return normalized(trust({"Service": svc}))


class Plan:
    """Collects resource changes and their configuration for one plan."""

    def __init__(self):
        self.rcs, self.res = [], []

    def role(self, key, name, uid, trust_policy, *, boundary=None, tags=None, description=None, changes=None,
             cfg=None):
        st = role_state(name, trust_policy, unique_id=uid, created=CREATED, boundary=boundary, tags=tags,
                        description=description)
        addr = f"aws_iam_role.{key}"
        self.rcs.append(update(addr, st, changes) if changes else noop(addr, st))
        exprs = {"assume_role_policy": {}, "name": const(name)}
        exprs.update(cfg or {})
        self.res.append(cres(addr, exprs))
        return st

    def user(self, key, name, uid):
        st = user_state(name, uid, path="/bots/")
        self.rcs.append(noop(f"aws_iam_user.{key}", st))
        self.res.append(cres(f"aws_iam_user.{key}", {"name": const(name), "path": const("/bots/")}))
        return st

    def inline(self, key, owner_key, owner_name, pol_name, old, new, kind="role"):
        """`aws_iam_{kind}_policy.KEY`: created when `old` is None, unchanged when `new` is None."""
        addr = f"aws_iam_{kind}_policy.{key}"
        if old is None:
            after = {"name": pol_name, "name_prefix": None, "policy": jsonencode(new), kind: owner_name}
            self.rcs.append(RC(addr, ["create"], None, after, unknown={"id": True}))
        else:
            st = {"id": f"{owner_name}:{pol_name}", "name": pol_name, "name_prefix": None,
                  "policy": normalized(old), kind: owner_name}
            if new is None:
                self.rcs.append(noop(addr, st))
            else:
                self.rcs.append(update(addr, st, {"policy": jsonencode(new)}))
        self.res.append(cres(addr, {"name": const(pol_name), "policy": {},
                                    kind: ref_attr(f"aws_iam_{kind}.{owner_key}", "id")}))

    def managed(self, key, name, policy_id, document, role_key, role_name, att_id, description=""):
        """An unchanged customer managed policy attached, unchanged, to a role."""
        pol = policy_state(name, jsonencode(document), description=description, policy_id=policy_id)
        self.rcs.append(noop(f"aws_iam_policy.{key}", pol))
        att = attachment_state(role_name, pol["arn"], att_id)
        self.rcs.append(noop(f"aws_iam_role_policy_attachment.{key}", att))
        self.res.append(cres(f"aws_iam_policy.{key}", {"description": const(description), "name": const(name),
                                                       "policy": {}}))
        self.res.append(cres(f"aws_iam_role_policy_attachment.{key}", {
            "policy_arn": ref_attr(f"aws_iam_policy.{key}", "arn"),
            "role": ref_attr(f"aws_iam_role.{role_key}", "name")}))
        return pol

    def plan(self, timestamp):
        return plan(self.rcs, config(self.res), timestamp=timestamp)


def role_arn(name):
    return f"arn:aws:iam::{ACCT}:role/{name}"


def fn_arn(name):
    return f"arn:aws:lambda:{REGION}:{ACCT}:function:{name}"


# ---------------------------------------------------------------- escalation
def escalation(emit):
    p = Plan()
    # PD014 through iam:CreatePolicyVersion on any policy.
    p.role("policy_admin", "policy-admin", "AROARZ5WDQ3LP0L1CYADM", acct_trust(),
           description="Reviews customer managed policies")
    read = stmt(["iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions"], "*", sid="ReadPolicies")
    p.inline("policy_admin", "policy_admin", "policy-admin", "policies", doc(read),
             doc(read, stmt("iam:CreatePolicyVersion", "*", sid="PublishVersions")))
    # PD014 through iam:PutRolePolicy on the role itself.
    p.role("self_editor", "self-editor", "AROARZ5WDQ3LSE1FED1T", svc_trust("lambda.amazonaws.com"))
    logs = stmt(["logs:CreateLogStream", "logs:PutLogEvents"],
                f"arn:aws:logs:{REGION}:{ACCT}:log-group:/aws/lambda/self-editor:*", sid="Logs")
    p.inline("self_editor", "self_editor", "self-editor", "self-editor", doc(logs),
             doc(logs, stmt("iam:PutRolePolicy", role_arn("self-editor"), sid="TuneOwnPolicy")))
    # PD014 through iam:UpdateAssumeRolePolicy on any role, completed across two policies:
    # sts:AssumeRole on one fixed role comes from an attached policy that does not change.
    p.role("trust_manager", "trust-manager", "AROARZ5WDQ3LTRUSTMGR", acct_trust())
    p.managed("deploy_hop", "deploy-hop", "ANPARZ5WDQ3LDEPL0YH0P",
              doc(stmt("sts:AssumeRole", role_arn("deploy-target"), sid="Hop")),
              "trust_manager", "trust-manager", "20241105093000000000000001",
              description="Assume the deploy target role")
    p.inline("trust_manager", "trust_manager", "trust-manager", "trust-policies", None,
             doc(stmt(["iam:GetRole", "iam:UpdateAssumeRolePolicy"], f"arn:aws:iam::{ACCT}:role/*",
                      sid="ManageTrust")))
    # PD015 completed across two policies: lambda:CreateFunction + lambda:InvokeFunction from an
    # attached policy that does not change, iam:PassRole on * from a new inline policy.
    p.role("lambda_deployer", "lambda-deployer", "AROARZ5WDQ3LLAMBDADP", acct_trust())
    p.managed("lambda_deploy", "lambda-deploy", "ANPARZ5WDQ3LLAMBDADP1",
              doc(stmt(["lambda:CreateFunction", "lambda:GetFunction", "lambda:InvokeFunction"],
                       f"arn:aws:lambda:{REGION}:{ACCT}:function:*", sid="Functions")),
              "lambda_deployer", "lambda-deployer", "20241105093000000000000002",
              description="Create and invoke functions")
    p.inline("lambda_deployer_pass", "lambda_deployer", "lambda-deployer", "pass-role", None,
             doc(stmt("iam:PassRole", "*", sid="PassExecutionRole")))
    # PD015 through iam:PassRole + ec2:RunInstances in one policy.
    p.role("fleet_launcher", "fleet-launcher", "AROARZ5WDQ3LFLEETLCH", svc_trust("codebuild.amazonaws.com"))
    describe = stmt(["ec2:DescribeImages", "ec2:DescribeInstances"], "*", sid="Describe")
    p.inline("fleet_launcher", "fleet_launcher", "fleet-launcher", "fleet", doc(describe),
             doc(describe, stmt(["ec2:RunInstances", "iam:PassRole"], "*", sid="Launch")))
    # PD016 through lambda:UpdateFunctionCode on every function.
    p.role("hotfix", "hotfix-deployer", "AROARZ5WDQ3LH0TF1XDP", acct_trust())
    get = stmt("lambda:GetFunction", "arn:aws:lambda:*:*:function:*", sid="Functions")
    p.inline("hotfix", "hotfix", "hotfix-deployer", "hotfix", doc(get),
             doc(stmt(["lambda:GetFunction", "lambda:UpdateFunctionCode"], "arn:aws:lambda:*:*:function:*",
                      sid="Functions")))
    # PD021: the boundary is removed. The boundary is an unchanged policy in the plan.
    b = policy_state("sandbox-boundary", jsonencode(doc(stmt(
        ["logs:*", "sqs:SendMessage"], "*", sid="SandboxBoundary"))),
        description="Permissions boundary for sandbox roles", policy_id="ANPARZ5WDQ3LSANDB0XB1")
    p.rcs.append(noop("aws_iam_policy.sandbox_boundary", b))
    p.res.append(cres("aws_iam_policy.sandbox_boundary", {
        "description": const("Permissions boundary for sandbox roles"), "name": const("sandbox-boundary"),
        "policy": {}}))
    p.role("sandbox", "sandbox-worker", "AROARZ5WDQ3LSANDB0XW", svc_trust("ecs-tasks.amazonaws.com"),
           boundary=b["arn"], changes={"permissions_boundary": None})
    p.inline("sandbox", "sandbox", "sandbox-worker", "sandbox", doc(stmt(
        ["logs:CreateLogStream", "logs:PutLogEvents", "sqs:DeleteMessage", "sqs:ReceiveMessage", "sqs:SendMessage"],
        "*", sid="Worker")), None)
    emit("escalation.json", p.plan("2025-06-14T09:00:00Z"), [
        ("aws_iam_role.policy_admin", "widened"), ("aws_iam_role.self_editor", "widened"),
        ("aws_iam_role.trust_manager", "widened"), ("aws_iam_role.lambda_deployer", "widened"),
        ("aws_iam_role.fleet_launcher", "widened"), ("aws_iam_role.hotfix", "widened"),
        ("aws_iam_role.sandbox", "widened")])


# ---------------------------------------------------------------- escalation-quiet
def escalation_quiet(emit):
    p = Plan()
    # A least-privilege deploy role: PassRole on one execution role only.
    p.role("orders_deployer", "orders-deployer", "AROARZ5WDQ3L0RDDEPL1", acct_trust())
    get = stmt("lambda:GetFunction", fn_arn("orders-api"), sid="Read")
    p.inline("orders_deployer", "orders_deployer", "orders-deployer", "deploy", doc(get), doc(
        get,
        stmt(["lambda:CreateFunction", "lambda:InvokeFunction"], fn_arn("orders-*"), sid="Functions"),
        stmt("iam:PassRole", role_arn("orders-lambda-exec"), sid="PassExecutionRole",
             condition={"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}})))
    # IAM writes on a fixed prefix that does not cover the identity's own name.
    p.role("bootstrap", "platform-bootstrap", "AROARZ5WDQ3LB00TSTRP", acct_trust())
    roles = stmt(["iam:GetRole", "iam:ListRolePolicies"], f"arn:aws:iam::{ACCT}:role/app-*", sid="AppRoles")
    p.inline("bootstrap", "bootstrap", "platform-bootstrap", "app-roles", doc(roles),
             doc(stmt(["iam:GetRole", "iam:ListRolePolicies", "iam:PutRolePolicy"],
                      f"arn:aws:iam::{ACCT}:role/app-*", sid="AppRoles")))
    # Code updates on one named function.
    p.role("orders_hotfix", "orders-hotfix", "AROARZ5WDQ3L0RDH0TFX", acct_trust())
    p.inline("orders_hotfix", "orders_hotfix", "orders-hotfix", "hotfix",
             doc(stmt("lambda:GetFunction", fn_arn("orders-api"), sid="OrdersApi")),
             doc(stmt(["lambda:GetFunction", "lambda:UpdateFunctionCode"], fn_arn("orders-api"), sid="OrdersApi")))
    # Already able to pass any role to EC2: a tag change only.
    launch = doc(stmt(["ec2:RunInstances", "iam:PassRole"], "*", sid="Launch"))
    tags0 = {"team": "platform"}
    tags1 = {"owner": "platform-oncall", "team": "platform"}
    p.role("legacy_launcher", "legacy-launcher", "AROARZ5WDQ3LLEGLNCH1", svc_trust("ec2.amazonaws.com"),
           tags=tags0, changes={"tags": tags1, "tags_all": tags1}, cfg={"tags": const(tags1)})
    p.inline("legacy_launcher", "legacy_launcher", "legacy-launcher", "launch", launch, None)
    # Already able to pass any role to EC2: an unrelated statement in another policy.
    p.role("batch_launcher", "batch-launcher", "AROARZ5WDQ3LBATCHLN1", svc_trust("batch.amazonaws.com"))
    p.inline("batch_launcher", "batch_launcher", "batch-launcher", "launch", launch, None)
    inputs = stmt("s3:GetObject", "arn:aws:s3:::acme-batch-input/*", sid="ReadInputs")
    p.inline("batch_launcher_inputs", "batch_launcher", "batch-launcher", "inputs", doc(inputs),
             doc(inputs, stmt("s3:ListBucket", "arn:aws:s3:::acme-batch-input", sid="ListInputs")))
    # The boundary stays while the role and its policy change.
    bnd = f"arn:aws:iam::{ACCT}:policy/worker-boundary"
    p.role("bounded", "bounded-worker", "AROARZ5WDQ3LB0UNDWRK", svc_trust("ecs-tasks.amazonaws.com"),
           boundary=bnd, description="Queue worker", changes={"description": "Queue worker for orders"},
           cfg={"description": const("Queue worker for orders"), "permissions_boundary": const(bnd)})
    recv = stmt(["sqs:DeleteMessage", "sqs:ReceiveMessage"], f"arn:aws:sqs:{REGION}:{ACCT}:orders-in", sid="In")
    p.inline("bounded", "bounded", "bounded-worker", "queues", doc(recv),
             doc(recv, stmt("sqs:SendMessage", f"arn:aws:sqs:{REGION}:{ACCT}:orders-out", sid="Out")))
    emit("escalation-quiet.json", p.plan("2025-06-14T09:30:00Z"), [
        ("aws_iam_role.orders_deployer", "widened"), ("aws_iam_role.bootstrap", "widened"),
        ("aws_iam_role.orders_hotfix", "widened"), ("aws_iam_role.legacy_launcher", "unchanged"),
        ("aws_iam_role.batch_launcher", "widened"), ("aws_iam_role.bounded", "widened")])


# ---------------------------------------------------------------- exposure
def exposure(emit):
    p = Plan()
    p.role("ops_jump", "ops-jump", "AROARZ5WDQ3L0PSJUMP1", acct_trust())
    p.inline("ops_jump", "ops_jump", "ops-jump", "hop", doc(stmt("sts:AssumeRole", role_arn("ops-readonly"), sid="Hop")),
             doc(stmt("sts:AssumeRole", "*", sid="Hop")))
    p.user("key_rotator", "key-rotator", "AIDARZ5WDQ3LKEYR0TAT")
    keys = stmt(["iam:ListAccessKeys"], "arn:aws:iam::*:user/*", sid="Keys")
    p.inline("key_rotator", "key_rotator", "key-rotator", "rotate", doc(keys),
             doc(stmt(["iam:CreateAccessKey", "iam:ListAccessKeys"], "arn:aws:iam::*:user/*", sid="Keys")),
             kind="user")
    secret = f"arn:aws:secretsmanager:{REGION}:{ACCT}:secret:app-config-Xy12Ab"
    p.role("config_reader", "app-config-reader", "AROARZ5WDQ3LC0NF1GRD", svc_trust("lambda.amazonaws.com"))
    p.inline("config_reader", "config_reader", "app-config-reader", "config",
             doc(stmt("secretsmanager:GetSecretValue", secret, sid="Config")),
             doc(stmt("secretsmanager:GetSecretValue", "*", sid="Config")))
    p.role("param_reader", "param-reader", "AROARZ5WDQ3LPARAMRD1", svc_trust("ecs-tasks.amazonaws.com"))
    p.inline("param_reader", "param_reader", "param-reader", "params", None,
             doc(stmt("ssm:GetParametersByPath", f"arn:aws:ssm:{REGION}:{ACCT}:parameter/*", sid="Params")))
    p.role("analytics_export", "analytics-export", "AROARZ5WDQ3LANALYEXP", svc_trust("glue.amazonaws.com"))
    p.inline("analytics_export", "analytics_export", "analytics-export", "read",
             doc(stmt("s3:GetObject", "arn:aws:s3:::acme-analytics/*", sid="Read")),
             doc(stmt("s3:GetObject", "arn:aws:s3:::*/*", sid="Read")))
    p.role("bucket_admin", "bucket-policy-admin", "AROARZ5WDQ3LBUCKETAD", acct_trust())
    lst = stmt("s3:ListAllMyBuckets", "*", sid="List")
    p.inline("bucket_admin", "bucket_admin", "bucket-policy-admin", "buckets", doc(lst),
             doc(lst, stmt(["s3:GetBucketPolicy", "s3:PutBucketPolicy"], "*", sid="Policies")))
    emit("exposure.json", p.plan("2025-06-14T10:00:00Z"), [
        ("aws_iam_role.ops_jump", "widened"), ("aws_iam_user.key_rotator", "widened"),
        ("aws_iam_role.config_reader", "widened"), ("aws_iam_role.param_reader", "widened"),
        ("aws_iam_role.analytics_export", "widened"), ("aws_iam_role.bucket_admin", "widened")])


# ---------------------------------------------------------------- exposure-quiet
def exposure_quiet(emit):
    p = Plan()
    repo = f"arn:aws:ecr:{REGION}:{ACCT}:repository/app"
    p.role("ci_image_push", "ci-image-push", "AROARZ5WDQ3LC1MGPUSH", svc_trust("codebuild.amazonaws.com"))
    pull = stmt(["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], repo, sid="Pull")
    p.inline("ci_image_push", "ci_image_push", "ci-image-push", "ecr", doc(pull), doc(
        stmt(["ecr:BatchGetImage", "ecr:CompleteLayerUpload", "ecr:GetDownloadUrlForLayer",
              "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"], repo, sid="Pull"),
        stmt("ecr:GetAuthorizationToken", "*", sid="Login")))
    p.role("deploy_hop", "deploy-hop", "AROARZ5WDQ3LDEPL0YHP", acct_trust())
    p.inline("deploy_hop", "deploy_hop", "deploy-hop", "hop", None,
             doc(stmt("sts:AssumeRole", role_arn("deploy-target"), sid="Hop")))
    secret = f"arn:aws:secretsmanager:{REGION}:{ACCT}:secret:orders-db-Q1w2E3"
    p.role("db_client", "orders-db-client", "AROARZ5WDQ3L0RDDBCL1", svc_trust("ecs-tasks.amazonaws.com"))
    kms = stmt("kms:Decrypt", f"arn:aws:kms:{REGION}:{ACCT}:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", sid="Key")
    p.inline("db_client", "db_client", "orders-db-client", "db", doc(kms),
             doc(kms, stmt("secretsmanager:GetSecretValue", secret, sid="DbPassword")))
    p.role("artifact_fetcher", "artifact-fetcher", "AROARZ5WDQ3LART1FETC", svc_trust("ec2.amazonaws.com"))
    lst = stmt("s3:ListBucket", "arn:aws:s3:::acme-artifacts", sid="List")
    p.inline("artifact_fetcher", "artifact_fetcher", "artifact-fetcher", "artifacts", doc(lst),
             doc(lst, stmt("s3:GetObject", "arn:aws:s3:::acme-artifacts/*", sid="Read")))
    p.role("site_publisher", "site-publisher", "AROARZ5WDQ3LS1TEPUBL", svc_trust("codebuild.amazonaws.com"))
    put = stmt("s3:PutObject", "arn:aws:s3:::acme-site/*", sid="Upload")
    p.inline("site_publisher", "site_publisher", "site-publisher", "site", doc(put),
             doc(put, stmt("s3:PutBucketPolicy", "arn:aws:s3:::acme-site", sid="Policy")))
    emit("exposure-quiet.json", p.plan("2025-06-14T10:30:00Z"), [
        ("aws_iam_role.ci_image_push", "widened"), ("aws_iam_role.deploy_hop", "widened"),
        ("aws_iam_role.db_client", "widened"), ("aws_iam_role.artifact_fetcher", "widened"),
        ("aws_iam_role.site_publisher", "widened")])


# ---------------------------------------------------------------- separation-of-duties
def separation_of_duties(emit):
    p = Plan()
    pipeline = f"arn:aws:codepipeline:{REGION}:{ACCT}:release"
    p.role("release_pipeline", "release-pipeline", "AROARZ5WDQ3LRELPIPE1", svc_trust("codebuild.amazonaws.com"))
    p.inline("release_pipeline", "release_pipeline", "release-pipeline", "run",
             doc(stmt(["codepipeline:GetPipelineState", "codepipeline:StartPipelineExecution"], pipeline, sid="Run")),
             None)
    p.inline("release_approve", "release_pipeline", "release-pipeline", "approve", None,
             doc(stmt("codepipeline:PutApprovalResult", f"{pipeline}/Approve/*", sid="Approve")))
    p.role("ops_automation", "ops-automation", "AROARZ5WDQ3L0PSAUT0M", acct_trust())
    attach = stmt(["iam:AttachRolePolicy", "iam:DetachRolePolicy"], f"arn:aws:iam::{ACCT}:role/app-*",
                  sid="AppRolePolicies")
    p.inline("ops_automation", "ops_automation", "ops-automation", "ops", doc(attach),
             doc(attach, stmt("cloudtrail:StopLogging", f"arn:aws:cloudtrail:{REGION}:{ACCT}:trail/org-trail",
                              sid="PauseTrail")))
    # The KMS combination is completed through a group: the user already administers the key, and
    # joins a group whose policy may decrypt with it. (A group membership is no policy pair, so the
    # oracle test, whose simulator wants a key policy for KMS requests, does not sample it.)
    key = f"arn:aws:kms:{REGION}:{ACCT}:key/9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
    p.user("key_custodian", "key-custodian", "AIDARZ5WDQ3LKEYCUST1")
    p.inline("key_custodian", "key_custodian", "key-custodian", "administer-key",
             doc(stmt(["kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy"], key, sid="Administer")), None,
             kind="user")
    users = group_state("key-users", "AGPARZ5WDQ3LKEYUSERS")
    p.rcs.append(noop("aws_iam_group.key_users", users))
    p.res.append(cres("aws_iam_group.key_users", {"name": const("key-users")}))
    p.inline("key_users", "key_users", "key-users", "use-key",
             doc(stmt(["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], key, sid="Use")), None, kind="group")
    p.rcs.append(RC("aws_iam_user_group_membership.key_custodian", ["create"], None,
                    {"groups": ["key-users"], "user": "key-custodian"}, unknown={"id": True}))
    p.res.append(cres("aws_iam_user_group_membership.key_custodian", {
        "groups": ref_attr("aws_iam_group.key_users", "name"),
        "user": ref_attr("aws_iam_user.key_custodian", "name")}))
    p.role("release_approver", "release-approver", "AROARZ5WDQ3LRELAPPR1", acct_trust())
    state = stmt(["codepipeline:GetPipeline", "codepipeline:GetPipelineState"], pipeline, sid="Read")
    p.inline("release_approver", "release_approver", "release-approver", "approve", doc(state),
             doc(state, stmt("codepipeline:PutApprovalResult", f"{pipeline}/Approve/*", sid="Approve")))
    emit("separation-of-duties.json", p.plan("2025-06-14T11:00:00Z"), [
        ("aws_iam_role.release_pipeline", "widened"), ("aws_iam_role.ops_automation", "widened"),
        ("aws_iam_user.key_custodian", "widened"), ("aws_iam_group.key_users", "unchanged"), ("aws_iam_role.release_approver", "widened")])


def generate(emit):
    for f in [escalation, escalation_quiet, exposure, exposure_quiet, separation_of_duties]:
        f(emit)
