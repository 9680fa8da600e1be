"""Fixtures for typed AWS requests and the exact delta an added grant reports.

An action meets only resources of its own catalog resource types, so a statement that pairs an
action with a resource of another type grants nothing; and an added grant reports exactly the
actions it adds (`access`, `exact`, `named`), how its conditions changed (`condition_change`) or
why the request was refused before (`detail`). tests/typed.rs checks those fields. Own account:
111122223333 (lib.ACCT). Every role keeps its inline `aws_iam_role_policy.KEY`; only the policy
changes.

typed-delta.json
  list_objects   s3:GetObject on acme-data/* -> that plus statements no request can meet:
                 s3:ListBucket on acme-data/* (takes a bucket), iam:PassRole on
                 arn:aws:iam::111122223333:user/* (takes a role), s3:ListAllMyBuckets on
                 arn:aws:s3:::acme-data (takes no resource: only `*`)                unchanged
  deny_dropped   ec2:* on * with Deny NoDestroy (ec2:TerminateInstances, ec2:DeleteVolume on *)
                 -> the Deny dropped: exactly those 2 actions, previously denied      widened
  vpc_dropped    s3:PutObject on acme-data/* with StringEquals aws:SourceVpc vpc-0a1b2c3d
                 -> the condition dropped: `without ... aws:SourceVpc ...`           widened
  team_beta      s3:GetObject on acme-data/* with StringEquals aws:PrincipalTag/team alpha
                 -> alpha, beta: `now also when aws:PrincipalTag/team is beta`       widened
  get_star       s3:GetObject -> s3:Get* on acme-artifacts/*: the 15 object-level Get actions
                 other than s3:GetObject (the README example)                         widened

typed-examples.json: witnesses name what the plan names. The plan creates the bucket
acme-reports-2026 (its ARN unknown until apply) and keeps the function orders-api; its AWS
provider works in eu-west-1, its account is 111122223333 (role ARNs). No SQS queue.
  exporter       s3:GetObject on acme-reports-2026/public/* -> on *: the example is an object of
                 the plan's bucket outside public/ (arn:aws:s3:::acme-reports-2026/<object-name>)
  deployer       lambda:GetFunction on * -> plus lambda:UpdateFunctionCode on
                 arn:aws:lambda:*:*:function:*: the example is the plan's function
  notifier       nothing -> sqs:SendMessage on *: no queue in the plan, so the example is one
                 of the plan's region and account with a marked name (<queue-name>)   widened
"""
from lib import *
from rules import Plan

DATA = "arn:aws:s3:::acme-data"
ARTIFACTS = "arn:aws:s3:::acme-artifacts"


def svc_trust(svc):
    return normalized(trust({"Service": svc}))


def change(p, key, name, uid, old, new, service="ec2.amazonaws.com"):
    """An unchanged role `aws_iam_role.KEY` whose inline policy `aws_iam_role_policy.KEY` goes
    from `old` to `new`."""
    p.role(key, name, uid, svc_trust(service))
    p.inline(key, key, name, name, old, new)


# ---------------------------------------------------------------- typed-delta
def typed_delta(emit):
    p = Plan()
    read = stmt("s3:GetObject", f"{DATA}/*", sid="ReadData")
    change(p, "list_objects", "data-lister", "AROARZ5WDQ3LL1ST0BJS1",
           doc(read),
           doc(read,
               stmt("s3:ListBucket", f"{DATA}/*", sid="ListData"),
               stmt("iam:PassRole", f"arn:aws:iam::{ACCT}:user/*", sid="PassUsers"),
               stmt("s3:ListAllMyBuckets", DATA, sid="ListBuckets")))

    allow = stmt("ec2:*", "*", sid="Ec2Admin")
    no_destroy = stmt(["ec2:TerminateInstances", "ec2:DeleteVolume"], "*", effect="Deny", sid="NoDestroy")
    change(p, "deny_dropped", "ec2-operator", "AROARZ5WDQ3LDENYDR0P1", doc(allow, no_destroy), doc(allow))

    def put(condition=None):
        return doc(stmt("s3:PutObject", f"{DATA}/*", sid="WriteData", condition=condition))

    change(p, "vpc_dropped", "data-writer", "AROARZ5WDQ3LVPCDR0P01",
           put({"StringEquals": {"aws:SourceVpc": "vpc-0a1b2c3d"}}), put(),
           service="lambda.amazonaws.com")

    def team(values):
        return doc(stmt("s3:GetObject", f"{DATA}/*", sid="TeamData",
                        condition={"StringEquals": {"aws:PrincipalTag/team": values}}))

    change(p, "team_beta", "team-reader", "AROARZ5WDQ3LTEAMBETA1", team("alpha"), team(["alpha", "beta"]))

    def artifacts(action):
        return doc(stmt(action, f"{ARTIFACTS}/*", sid="ReadArtifacts"))

    change(p, "get_star", "artifact-fetcher", "AROARZ5WDQ3LGETSTAR01",
           artifacts("s3:GetObject"), artifacts("s3:Get*"))

    emit("typed-delta.json", p.plan("2025-06-16T09:00:00Z"), [
        ("aws_iam_role.list_objects", "unchanged"),
        ("aws_iam_role.deny_dropped", "widened"),
        ("aws_iam_role.vpc_dropped", "widened"),
        ("aws_iam_role.team_beta", "widened"),
        ("aws_iam_role.get_star", "widened")])


# ---------------------------------------------------------------- typed-examples
def typed_examples(emit):
    from reach import function_state
    p = Plan()
    bucket = "acme-reports-2026"
    after = {"bucket": bucket, "force_destroy": False, "tags": {"team": "data"},
             "tags_all": {"team": "data"}, "timeouts": None}
    unknown = {k: True for k in ["arn", "bucket_domain_name", "bucket_regional_domain_name",
                                 "hosted_zone_id", "id", "region"]}
    p.rcs.append(RC("aws_s3_bucket.reports", ["create"], None, after, unknown=unknown))
    p.res.append(cres("aws_s3_bucket.reports", {"bucket": const(bucket), "tags": const({"team": "data"})}))
    fn = function_state("orders-api", role=f"arn:aws:iam::{ACCT}:role/orders-api")
    p.rcs.append(noop("aws_lambda_function.orders", fn))
    p.res.append(cres("aws_lambda_function.orders", {"function_name": const("orders-api")}))

    def read(resource):
        return doc(stmt("s3:GetObject", resource, sid="ReadReports"))

    change(p, "exporter", "report-exporter", "AROARZ5WDQ3LEXP0RTER1",
           read(f"arn:aws:s3:::{bucket}/public/*"), read("*"), service="glue.amazonaws.com")
    get = stmt("lambda:GetFunction", "*", sid="ReadFunctions")
    change(p, "deployer", "function-deployer", "AROARZ5WDQ3LDEPL0YER1", doc(get),
           doc(get, stmt("lambda:UpdateFunctionCode", "arn:aws:lambda:*:*:function:*", sid="Deploy")),
           service="codebuild.amazonaws.com")
    logs = stmt("logs:CreateLogGroup", "*", sid="Logs")
    change(p, "notifier", "event-notifier", "AROARZ5WDQ3LN0T1F1ER1", doc(logs),
           doc(logs, stmt("sqs:SendMessage", "*", sid="Notify")), service="lambda.amazonaws.com")
    emit("typed-examples.json", p.plan("2026-12-07T09:00:00Z"), [
        ("aws_iam_role.exporter", "widened"),
        ("aws_iam_role.deployer", "widened"),
        ("aws_iam_role.notifier", "widened")])


def generate(emit):
    typed_delta(emit)
    typed_examples(emit)
