"""What an identity can newly become (issue 21): sts:AssumeRole paths between the plan's roles
that the change opens, and what the identity gains by them."""
from lib import *

GH_OIDC = f"arn:aws:iam::{ACCT}:oidc-provider/token.actions.githubusercontent.com"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"


def arn(name):
    return f"arn:aws:iam::{ACCT}:role/{name}"


def gh_trust(repo):
    return trust({"Federated": GH_OIDC}, "sts:AssumeRoleWithWebIdentity", {
        "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                         "token.actions.githubusercontent.com:sub": f"repo:{repo}:ref:refs/heads/main"}})


def role_with_policy(rcs, key, name, trust_before, trust_after, policy_before, policy_after, uid):
    """A role and its inline role policy, each a no-op or an update as the sides differ."""
    state = role_state(name, normalized(trust_before), unique_id=uid)
    if trust_before == trust_after:
        rcs.append(noop(f"aws_iam_role.{key}", state))
    else:
        rcs.append(update(f"aws_iam_role.{key}", state, {"assume_role_policy": normalized(trust_after)}))
    if policy_before is None:
        return
    pol = role_policy_state(name, key, normalized(policy_before))
    if policy_before == policy_after:
        rcs.append(noop(f"aws_iam_role_policy.{key}", pol))
    else:
        rcs.append(update(f"aws_iam_role_policy.{key}", pol, {"policy": jsonencode(policy_after)}))


def admin_trust(emit):
    """The issue's example and its neighbours, in one account.

    aws_iam_role.ci_runner     unchanged itself; may sts:AssumeRole on role/deploy-*. The plan adds
                               it to the trust of deploy-admin (AdministratorAccess): it can now
                               become an administrator (PD011 through the path). It could already
                               become deploy-reader, whose s3:GetObject stays quiet.
    aws_iam_role.reporting     its policy gains sts:AssumeRole on role/analytics, whose trust
                               admits the whole account: it gains athena:* (PD026, opened by its
                               own policy).
    aws_iam_role.cycle_b       cycle_a could already become cycle_b; now cycle_a's trust admits
                               cycle_b too: cycle_b gains dynamodb:* through the cycle, cycle_a
                               nothing new.
    aws_iam_role.solo          the trust of queues (sqs:*) now names it, bounded and denied: solo
                               can become queues without any sts:AssumeRole of its own (PD026);
                               denied's own Deny of sts:AssumeRole and bounded's permissions
                               boundary (logs:* only) keep them out.
    aws_iam_role.builder       may create and invoke Lambda functions; its iam:PassRole widens
                               from role/lambda-reader to role/lambda-*: it can now pass
                               lambda-admin (AdministratorAccess, trusts Lambda) to a function of
                               its own (PD011 through the path, naming the role).
    aws_iam_role.key_minter    may now create access keys for the user release-bot (ecr:*): PD026.
    aws_iam_role.trust_editor  may now rewrite lambda-admin's trust policy to admit itself: PD011
                               through the path.
    """
    rcs = []
    runner_policy = doc(stmt("sts:AssumeRole", arn("deploy-*"), sid="Deploy"))
    role_with_policy(rcs, "ci_runner", "ci-runner", gh_trust("acme/app"), gh_trust("acme/app"),
                     runner_policy, runner_policy, "AROARZ5WDQ3LCIRUN0001")
    ec2 = trust({"Service": "ec2.amazonaws.com"})
    admitted = doc(
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"},
        {"Sid": "CiRunner", "Effect": "Allow", "Principal": {"AWS": arn("ci-runner")},
         "Action": "sts:AssumeRole"})
    role_with_policy(rcs, "deploy_admin", "deploy-admin", ec2, admitted, None, None,
                     "AROARZ5WDQ3LDADMIN001")
    rcs.append(noop("aws_iam_role_policy_attachment.deploy_admin",
                    attachment_state("deploy-admin", ADMIN, "20240311091244000000001")))
    reader_trust = trust({"AWS": arn("ci-runner")})
    reader = doc(stmt("s3:GetObject", "arn:aws:s3:::acme-artifacts/*"))
    role_with_policy(rcs, "deploy_reader", "deploy-reader", reader_trust, reader_trust, reader, reader,
                     "AROARZ5WDQ3LREADER01")

    account = trust({"AWS": f"arn:aws:iam::{ACCT}:root"})
    role_with_policy(rcs, "analytics", "analytics", account, account,
                     doc(stmt("athena:*", "*")), doc(stmt("athena:*", "*")), "AROARZ5WDQ3LANALYT01")
    logs = stmt(["logs:PutLogEvents"], f"arn:aws:logs:eu-west-1:{ACCT}:log-group:reporting:*", sid="Logs")
    role_with_policy(rcs, "reporting", "reporting", ec2, ec2, doc(logs),
                     doc(logs, stmt("sts:AssumeRole", arn("analytics"), sid="Analytics")),
                     "AROARZ5WDQ3LREPORT01")

    assume_any = doc(stmt("sts:AssumeRole", "*"))
    a_trust_before = trust({"Service": "lambda.amazonaws.com"})
    a_trust_after = doc(
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": {"AWS": arn("cycle-b")}, "Action": "sts:AssumeRole"})
    role_with_policy(rcs, "cycle_a", "cycle-a", a_trust_before, a_trust_after,
                     doc(stmt("sts:AssumeRole", "*"), stmt("dynamodb:*", "*")),
                     doc(stmt("sts:AssumeRole", "*"), stmt("dynamodb:*", "*")), "AROARZ5WDQ3LCYCLEA01")
    b_trust = trust({"AWS": arn("cycle-a")})
    role_with_policy(rcs, "cycle_b", "cycle-b", b_trust, b_trust, assume_any, assume_any,
                     "AROARZ5WDQ3LCYCLEB01")
    # Three callers a new trust statement names by ARN, in the same account: IAM needs nothing
    # of solo's own policies, but denied's Deny and bounded's permissions boundary still apply.
    queue = doc(stmt("sqs:*", "*"))
    old_trust = trust({"Service": "lambda.amazonaws.com"})
    new_trust = doc(
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"},
        {"Sid": "Callers", "Effect": "Allow",
         "Principal": {"AWS": [arn("solo"), arn("denied"), arn("bounded")]}, "Action": "sts:AssumeRole"})
    role_with_policy(rcs, "queues", "queues", old_trust, new_trust, queue, queue, "AROARZ5WDQ3LQUEUES01")
    logs = doc(stmt("logs:PutLogEvents", "*"))
    role_with_policy(rcs, "solo", "solo", ec2, ec2, logs, logs, "AROARZ5WDQ3LSOLO0001")
    no_assume = doc(stmt("logs:PutLogEvents", "*"), stmt("sts:AssumeRole", "*", effect="Deny"))
    role_with_policy(rcs, "denied", "denied", ec2, ec2, no_assume, no_assume, "AROARZ5WDQ3LDENIED01")
    boundary_arn = f"arn:aws:iam::{ACCT}:policy/logs-only"
    rcs.append(noop("aws_iam_policy.logs_only",
                    policy_state("logs-only", normalized(doc(stmt("logs:*", "*"))),
                                 policy_id="ANPARZ5WDQ3LLOGSONLY1")))
    bounded = role_state("bounded", normalized(ec2), unique_id="AROARZ5WDQ3LBOUNDED1", boundary=boundary_arn)
    rcs.append(noop("aws_iam_role.bounded", bounded))
    rcs.append(noop("aws_iam_role_policy.bounded", role_policy_state("bounded", "bounded", normalized(logs))))
    # PassRole: builder may now pass role/lambda-* to a new function it creates and invokes;
    # lambda-admin (AdministratorAccess) trusts Lambda, lambda-reader (s3:GetObject) was
    # passable before.
    lam = trust({"Service": "lambda.amazonaws.com"})
    role_with_policy(rcs, "lambda_admin", "lambda-admin", lam, lam, None, None, "AROARZ5WDQ3LLAMBDAA1")
    rcs.append(noop("aws_iam_role_policy_attachment.lambda_admin",
                    attachment_state("lambda-admin", ADMIN, "20240311091244000000002")))
    functions = stmt(["lambda:CreateFunction", "lambda:InvokeFunction"], "*", sid="Functions")
    role_with_policy(rcs, "builder", "builder", ec2, ec2,
                     doc(functions, stmt("iam:PassRole", arn("lambda-reader"), sid="Pass")),
                     doc(functions, stmt("iam:PassRole", arn("lambda-*"), sid="Pass")),
                     "AROARZ5WDQ3LBUILDER1")
    reader_policy = doc(stmt("s3:GetObject", "arn:aws:s3:::acme-artifacts/*"))
    role_with_policy(rcs, "lambda_reader", "lambda-reader", lam, lam, reader_policy, reader_policy,
                     "AROARZ5WDQ3LLAMBDAR1")
    # Credentials and trust rewrites: key-minter may now create release-bot's access keys
    # (ecr:*); trust-editor may now rewrite lambda-admin's trust policy to admit itself.
    rcs.append(noop("aws_iam_user.release_bot", user_state("release-bot", "AIDARZ5WDQ3LRELEASE1")))
    bot = normalized(doc(stmt("ecr:*", "*")))
    rcs.append(noop("aws_iam_user_policy.release_bot",
                    {"id": "release-bot:ecr", "name": "ecr", "name_prefix": None, "policy": bot,
                     "user": "release-bot"}))
    role_with_policy(rcs, "key_minter", "key-minter", ec2, ec2, logs,
                     doc(stmt("logs:PutLogEvents", "*"),
                         stmt("iam:CreateAccessKey", f"arn:aws:iam::{ACCT}:user/release-bot", sid="Keys")),
                     "AROARZ5WDQ3LKEYMINT1")
    role_with_policy(rcs, "trust_editor", "trust-editor", ec2, ec2, logs,
                     doc(stmt("logs:PutLogEvents", "*"),
                         stmt("iam:UpdateAssumeRolePolicy", arn("lambda-admin"), sid="Trust")),
                     "AROARZ5WDQ3LTRUSTED1")
    emit("paths.json", plan(rcs, config([]), timestamp="2025-07-02T10:00:00Z"), [
        ("aws_iam_role.key_minter", "widened"),
        ("aws_iam_role.trust_editor", "widened"),
        ("aws_iam_role.ci_runner", "unchanged"),
        ("aws_iam_role.deploy_admin", "widened"),
        ("aws_iam_role.reporting", "widened"),
        ("aws_iam_role.cycle_a", "widened"),
        ("aws_iam_role.cycle_b", "unchanged"),
        ("aws_iam_role.queues", "widened"),
        ("aws_iam_role.solo", "unchanged"),
        ("aws_iam_role.denied", "unchanged"),
        ("aws_iam_role.bounded", "unchanged"),
        ("aws_iam_role.builder", "widened"),
    ])


def gcp_paths(emit):
    """paths-gcp.json: service accounts of acme-prod that can newly become others.

    serviceAccount:ci@…        new roles/iam.serviceAccountTokenCreator on owner-sa, which holds
                               roles/owner on the project: it can mint owner-sa's tokens and so
                               becomes an owner (PD011 through the path, opened by the binding).
    serviceAccount:deployer@…  held the same role on owner-sa before: the path existed (quiet).
    serviceAccount:builder@…   may already create Cloud Run services; new roles/iam.serviceAccountUser
                               on runtime-sa (roles/storage.admin): it can run a service as
                               runtime-sa and gains storage.* (PD026).
    serviceAccount:auditor@…   new roles/iam.serviceAccountKeyAdmin on logger-sa (roles/logging.viewer,
                               which auditor already holds): a path with nothing to gain (quiet).
    """
    import gcp_risks as g
    rcs, res = [], []

    def project_member(name, role, who, before=True):
        address = f"google_project_iam_member.{name}"
        after = g.state(role, who)
        if before:
            rcs.append(RC(address, ["no-op"], after, after, provider=g.GOOGLE))
        else:
            rcs.append(RC(address, ["create"], None, g.member(role, who),
                          unknown={"etag": True, "id": True}, provider=g.GOOGLE))
        res.append(cres(address, {"member": const(who), "project": const(g.PROJECT),
                                  "role": const(role)}, key="google"))

    def sa_member(name, role, who, on, before=True):
        address = f"google_service_account_iam_member.{name}"
        target = f"projects/{g.PROJECT}/serviceAccounts/{on}@{g.PROJECT}.iam.gserviceaccount.com"
        value = {"condition": [], "member": who, "role": role, "service_account_id": target}
        if before:
            state = dict(value, etag="BwYJ0aRk1kE=", id=f"{target}/{role}/{who}")
            rcs.append(RC(address, ["no-op"], state, state, provider=g.GOOGLE))
        else:
            rcs.append(RC(address, ["create"], None, value, unknown={"etag": True, "id": True},
                          provider=g.GOOGLE))
        res.append(cres(address, {"member": const(who), "role": const(role),
                                  "service_account_id": const(target)}, key="google"))

    project_member("owner_sa", "roles/owner", g.sa("owner-sa"))
    sa_member("ci_token_creator", "roles/iam.serviceAccountTokenCreator", g.sa("ci"), "owner-sa",
              before=False)
    project_member("ci_logs", "roles/logging.logWriter", g.sa("ci"))
    sa_member("deployer_token_creator", "roles/iam.serviceAccountTokenCreator", g.sa("deployer"),
              "owner-sa")
    project_member("runtime_storage", "roles/storage.admin", g.sa("runtime-sa"))
    project_member("builder_run", "roles/run.developer", g.sa("builder"))
    sa_member("builder_acts_as_runtime", "roles/iam.serviceAccountUser", g.sa("builder"), "runtime-sa",
              before=False)
    project_member("logger_viewer", "roles/logging.viewer", g.sa("logger-sa"))
    project_member("auditor_viewer", "roles/logging.viewer", g.sa("auditor"))
    sa_member("auditor_keys", "roles/iam.serviceAccountKeyAdmin", g.sa("auditor"), "logger-sa",
              before=False)
    emit("paths-gcp.json", plan(rcs, config(res, provider=g.provider()),
                                timestamp="2026-12-07T10:00:00Z"), [
        (g.sa("ci"), "widened"),
        (g.sa("deployer"), "unchanged"),
        (g.sa("builder"), "widened"),
        (g.sa("auditor"), "widened"),
        (g.sa("owner-sa"), "unchanged"),
    ])


def kubernetes_paths(emit):
    """paths-kubernetes.json: subjects that can newly become a service account of the cluster.

    system:serviceaccount:ci:runner     new RoleBinding in namespace build to a Role that creates
                                        pods; build's image-builder is bound to cluster-admin:
                                        runner can start a pod as it and becomes cluster-admin
                                        (PD011 through the path).
    system:serviceaccount:ops:operator  could create pods in build before (quiet).
    User:dana                           new Role in build that impersonates publisher (reads
                                        build's secrets): PD026.
    """
    import kubernetes as k
    rcs, res = [], []

    def keep(address, state):
        rcs.append(RC(address, ["no-op"], state, state, provider=k.K8S))
        res.append(k.cfg(address))

    def add(address, state):
        rcs.append(k.created(address, state))
        res.append(k.cfg(address))

    keep("kubernetes_cluster_role_binding_v1.image_builder",
         k.binding("image-builder-admin", None, "ClusterRole", "cluster-admin",
                   [k.subject("ServiceAccount", "image-builder", "build")]))
    starter = k.role("pod-starter", "build", [k.rule([""], ["pods"], ["create", "get"])])
    keep("kubernetes_role_v1.pod_starter", starter)
    keep("kubernetes_role_binding_v1.operator",
         k.binding("operator-starts-pods", "build", "Role", "pod-starter",
                   [k.subject("ServiceAccount", "operator", "ops")]))
    add("kubernetes_role_binding_v1.runner",
        k.binding("runner-starts-pods", "build", "Role", "pod-starter",
                  [k.subject("ServiceAccount", "runner", "ci")]))
    keep("kubernetes_role_binding_v1.runner_view",
         k.binding("runner-view", "ci", "ClusterRole", "view",
                   [k.subject("ServiceAccount", "runner", "ci")]))
    keep("kubernetes_role_v1.secret_reader",
         k.role("secret-reader", "build", [k.rule([""], ["secrets"], ["get", "list"])]))
    keep("kubernetes_role_binding_v1.publisher",
         k.binding("publisher-secrets", "build", "Role", "secret-reader",
                   [k.subject("ServiceAccount", "publisher", "build")]))
    add("kubernetes_role_v1.impersonate_publisher",
        k.role("impersonate-publisher", "build",
               [k.rule([""], ["serviceaccounts"], ["impersonate"], names=["publisher"])]))
    add("kubernetes_role_binding_v1.dana",
        k.binding("dana-impersonates", "build", "Role", "impersonate-publisher",
                  [k.subject("User", "dana")]))
    emit("paths-kubernetes.json", plan(rcs, config(res, provider=k.provider()),
                                       timestamp="2026-12-07T10:00:00Z"), [
        ("system:serviceaccount:ci:runner", "widened"),
        ("system:serviceaccount:ops:operator", "unchanged"),
        ("User:dana", "widened"),
        ("system:serviceaccount:build:image-builder", "unchanged"),
    ])


def azure_paths(emit):
    """paths-azure.json: principals that can newly attach a user-assigned identity to compute.

    principal:…0051 (pipeline)  Virtual Machine Contributor on app-rg held; new Contributor on the
                                identity ops-admin, which is Owner of the subscription: it can
                                attach ops-admin to a VM it creates and so becomes an Owner
                                (PD011 through the path).
    principal:…0052 (legacy)    held both before: the path existed (quiet).
    """
    import azure as z
    rcs, res = [], []
    identity_id = f"{z.RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/ops-admin"

    def assignment(name, principal, role, scope, new=False):
        address = f"azurerm_role_assignment.{name}"
        state = z.assignment_state(name, principal, role, scope)
        if new:
            after, unknown = z.planned(state)
            rcs.append(RC(address, ["create"], None, after, unknown=unknown, provider=z.AZURERM))
        else:
            rcs.append(RC(address, ["no-op"], state, state, provider=z.AZURERM))
        res.append(cres(address, {"principal_id": const(principal), "role_definition_name": const(role),
                                  "scope": const(scope)}, key="azurerm"))

    rcs.append(noop("azurerm_user_assigned_identity.ops_admin", z.identity_state("ops-admin", z.pid(50)),
                    provider=z.AZURERM))
    res.append(cres("azurerm_user_assigned_identity.ops_admin", {"name": const("ops-admin")}, key="azurerm"))
    assignment("ops_admin_owner", z.pid(50), "Owner", z.SUB_SCOPE)
    assignment("pipeline_vms", z.pid(51), "Virtual Machine Contributor", z.RG)
    assignment("pipeline_identity", z.pid(51), "Contributor", identity_id, new=True)
    assignment("legacy_vms", z.pid(52), "Virtual Machine Contributor", z.RG)
    assignment("legacy_identity", z.pid(52), "Contributor", identity_id)
    emit("paths-azure.json", plan(rcs, config(res, provider=z.provider()),
                                  timestamp="2026-12-08T10:00:00Z"), [
        (f"principal:{z.pid(51)}", "widened"),
        (f"principal:{z.pid(52)}", "unchanged"),
        ("azurerm_user_assigned_identity.ops_admin", "unchanged"),
    ])


def generate(emit):
    admin_trust(emit)
    gcp_paths(emit)
    azure_paths(emit)
    kubernetes_paths(emit)
