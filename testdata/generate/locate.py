"""Writes testdata/tf/plan.json: the plan of the Terraform tree in testdata/tf, for the tests of
`privdiff::locate` (tests/locate.rs).

    python3 testdata/generate/locate.py

Nested modules with instance keys, a `count` resource, data sources, a registry module (listed in
the tree's .terraform/modules/modules.json) with a local module inside it, a module whose directory
is missing, and one widened role: module.ci["app"].module.inner.aws_iam_role.deployer[0], whose
inline policy goes from s3:GetObject to s3:*.
"""
import os
from lib import *

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tf", "plan.json")


def ec2_or_codebuild(svc):
    return normalized(trust({"Service": svc}))


def s3(action, app):
    return doc(stmt(action, f"arn:aws:s3:::acme-{app}-artifacts/*"))


rcs = []
uid = iter(f"AROARZ5WDQ3LL0CATE{i:03d}" for i in range(100))
rcs.append(noop("aws_iam_role.admin", role_state(
    "admin", normalized(trust({"AWS": f"arn:aws:iam::{ACCT}:root"})),
    description="Break-glass administrator", unique_id=next(uid))))
for i in range(2):
    rcs.append(noop(f"aws_iam_user.bot[{i}]", user_state(f"bot-{i}", f"AIDARZ5WDQ3LL0CATEB{i}", path="/bots/"),
                    index=i))
rcs.append(noop("aws_iam_group.ops", group_state("ops", "AGPARZ5WDQ3LL0CATEOPS")))
for app in ["app", "web"]:
    mod = f'module.ci["{app}"]'
    inner = f"{mod}.module.inner"
    rcs.append(noop(f"{mod}.aws_iam_role.ci", role_state(
        f"{app}-ci", ec2_or_codebuild("codebuild.amazonaws.com"), unique_id=next(uid)), module=mod))
    role = f"{app}-deployer"
    rcs.append(noop(f"{inner}.aws_iam_role.deployer[0]", role_state(
        role, ec2_or_codebuild("codebuild.amazonaws.com"), unique_id=next(uid)), module=inner, index=0))
    pol = role_policy_state(role, "deploy", normalized(s3("s3:GetObject", app)))
    if app == "app":
        rcs.append(update(f"{inner}.aws_iam_role_policy.deployer[0]", pol,
                          {"policy": jsonencode(s3("s3:*", app))}, module=inner, index=0))
    else:
        rcs.append(noop(f"{inner}.aws_iam_role_policy.deployer[0]", pol, module=inner, index=0))
rcs.append(noop("module.remote.aws_iam_policy.this", policy_state(
    "remote-readonly", normalized(doc(stmt(["iam:Get*", "iam:List*"], "*"))), policy_id="ANPARZ5WDQ3LL0CATEREM",
    attachments=0), module="module.remote"))
rcs.append(noop("module.remote.module.sub.aws_iam_role.sub", role_state(
    "remote-sub", ec2_or_codebuild("ec2.amazonaws.com"), unique_id=next(uid)), module="module.remote.module.sub"))
rcs.append(noop("module.gone.aws_iam_role.gone", role_state(
    "gone", ec2_or_codebuild("ec2.amazonaws.com"), unique_id=next(uid)), module="module.gone"))



def policy_document(id, principal):
    """What aws_iam_policy_document reads: its `json` is indented."""
    return {"id": id, "json": heredoc(trust(principal)).rstrip("\n")}


assume = RC("data.aws_iam_policy_document.assume", ["read"],
            policy_document("3123456789", {"AWS": f"arn:aws:iam::{ACCT}:root"}), None, mode="data")
ci_trust = RC('module.ci["app"].data.aws_iam_policy_document.ci_trust', ["read"],
              policy_document("2123456789", {"Service": "codebuild.amazonaws.com"}), None, mode="data",
              module='module.ci["app"]')

inner_cfg = {"resources": [
    cres("aws_iam_role.deployer", {"name": refs("var.name")}, count={"references": ["var.enabled"]}),
    cres("aws_iam_role_policy.deployer", {"name": const("deploy"), "policy": refs("var.name"),
                                          "role": ref_attr("aws_iam_role.deployer[0]", "id")},
         count={"references": ["var.enabled"]}),
], "variables": {"enabled": {"default": True}, "name": {}}}
ci_cfg = {"resources": [
    cres("aws_iam_role.ci", {"assume_role_policy": ref_attr("data.aws_iam_policy_document.ci_trust", "json"),
                             "name": refs("var.app")}),
    cres("data.aws_iam_policy_document.ci_trust", {}, mode="data"),
], "module_calls": {"inner": {"source": "../inner", "expressions": {"name": refs("var.app")}, "module": inner_cfg}},
    "variables": {"app": {}}}
remote_cfg = {"resources": [cres("aws_iam_policy.this", {"name": const("remote-readonly")})],
              "module_calls": {"sub": {"source": "./modules/sub", "module": {
                  "resources": [cres("aws_iam_role.sub", {"name": const("remote-sub")})]}}}}
cfg = config([
    cres("aws_iam_role.admin", {"assume_role_policy": ref_attr("data.aws_iam_policy_document.assume", "json"),
                                "name": const("admin")}),
    cres("aws_iam_user.bot", {"name": refs("count.index"), "path": const("/bots/")}, count=const(2)),
    cres("aws_iam_group.ops", {"name": const("ops"), "path": const("/")}),
    cres("data.aws_iam_policy_document.assume", {}, mode="data"),
], module_calls={
    "ci": {"source": "./modules/ci", "expressions": {"app": refs("each.key")},
           "for_each_expression": const(["app", "web"]), "module": ci_cfg},
    "remote": {"source": "acme/iam/aws", "version_constraint": "1.2.0", "module": remote_cfg},
    "gone": {"source": "./modules/gone", "module": {
        "resources": [cres("aws_iam_role.gone", {"name": const("gone")})]}},
})
write(OUT, plan(rcs, cfg, prior_data=[assume, ci_trust], timestamp="2025-06-14T09:00:00Z"))
print("wrote", os.path.normpath(OUT))
