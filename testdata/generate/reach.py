"""Fixtures for "who can reach it": trust policies and resource policies, diffed by principal.

Each function below writes one plan into testdata/plans/ through gen.py's `emit`, and records
  - EXPECTED.tsv rows (file, address, verdict) for every identity and every subject,
  - REACH.tsv rows (file, subject, principal_class, concern) for every subject whose verdict is
    `widened` through a trust or resource policy: the class of the most exposed principal that
    newly reaches it (order, most exposed first: public, foreign-account, federated, service,
    organization, trusted-account, own-account) and the expected concern code, or `-`;
  - ABSENT.tsv rows (file, address) for addresses that must appear neither in identities[] nor in
    resources[].
Own account: 111122223333 (lib.ACCT). Foreign accounts: 444455556666, 999988887777. No fixture
needs --trusted-account. Subjects are the resources a policy protects (aws_s3_bucket_policy.x ->
the aws_s3_bucket whose bucket is x.bucket, or external:aws_s3_bucket/NAME when it is not in the
plan); inline policies (aws_kms_key.policy, aws_sqs_queue.policy, ...) count only when the
attribute is set in `configuration`.

trust-oidc.json (identities[] only)
  api_deploy     GitHub sub repo:acme/api:ref:refs/heads/main -> StringLike repo:acme/*   widened  federated oidc-subject-broad
  docs_publish   GitHub sub condition dropped, only aud left                               widened  federated oidc-subject-missing
  infra_plan     same sub; heredoc with keys reordered, condition keys and action re-cased  unchanged
  gitlab_deploy  gitlab.com:sub project_path:acme/app:ref_type:branch:ref:main -> project_path:acme/*
                                                                                           widened  federated oidc-subject-broad
  tfc_apply      app.terraform.io:sub organization:acme:project:infra:workspace:prod:run_phase:apply
                 -> organization:acme:project:*:workspace:*:run_phase:*                    widened  federated oidc-subject-broad
  release        principal, action and condition values as strings -> one-element arrays  unchanged
trust-cross-account.json (identities[] only)
  vendor_audit   999988887777:root loses its sts:ExternalId condition                      widened  foreign-account external-id-removed
  org_reader     {"AWS":"*"} loses aws:PrincipalOrgID                                      widened  public org-condition-removed
  partner_ingest bare account id 444455556666 added next to the own account's root         widened  foreign-account -
  ci_runner      role ARN as a string -> one-element array                                 unchanged
  org_wide       "*" -> {"AWS":"*"}, same aws:PrincipalOrgID condition                     unchanged
  break_glass    "111122223333" -> arn:aws:iam::111122223333:root                          unchanged
resource-policies-storage.json
  aws_s3_bucket.assets          bucket policy adds s3:GetObject for "*" (was CloudFront only)   widened  public -
  external:aws_s3_bucket/acme-partner-drop  new bucket policy for a bucket outside the plan,
                                for 444455556666                                             widened  foreign-account -
  aws_kms_key.backup            aws_kms_key_policy adds kms:Decrypt for 444455556666          widened  foreign-account -
  aws_kms_key.logs              inline (configured) key policy drops a 999988887777 statement narrowed
  aws_glacier_vault.archive     access_policy: own root -> "*" pinned by aws:PrincipalOrgID   widened  organization -
  aws_backup_vault.main         aws_backup_vault_policy (cross-account copy) deleted          narrowed
  aws_secretsmanager_secret.db  secret policy becomes jsonencode() over a new role's ARN      unverifiable
  aws_iam_role.reporting        that new role                                                  created (identity)
resource-policies-messaging.json
  aws_sqs_queue.order_events    new queue policy: Service sns.amazonaws.com, no aws:SourceArn widened  service source-condition-missing
  aws_sqs_queue.order_events_dlq inline (configured) queue policy, no change                  unchanged
  aws_sns_topic.alerts          topic policy drops a 999988887777 sns:Subscribe statement     narrowed
  aws_sns_topic.legacy          topic and its policy deleted                                  deleted
  aws_ecr_repository.api        repository policy replaced (-replace), adds 444455556666 pull widened  foreign-account -
resource-policies-compute.json
  aws_lambda_function.thumbnailer new permission: s3.amazonaws.com without source_arn/account widened service source-condition-missing
  aws_lambda_function.webhook   new permission: "*", lambda:InvokeFunctionUrl, auth type NONE widened  public -
                                (function_name given as the function's ARN)
  aws_lambda_function.reports   permission replaced: own role -> account 444455556666         widened  foreign-account -
  aws_api_gateway_rest_api.internal rest API policy: two VPC endpoints -> one                 narrowed
  aws_opensearch_domain.logs    domain and its domain policy created                         created
  aws_cloudwatch_log_resource_policy.route53_query_logging  own policy holder; the
                                aws:SourceArn/aws:SourceAccount conditions are removed        widened  service source-condition-missing
  aws_vpc_endpoint.s3           endpoint policy: "*" pinned by aws:PrincipalAccount -> full access
                                                                                             widened  public -
kms-s3-unknown-trap.json
  aws_kms_key.cache             created, policy not configured (after_unknown.policy = true)  ABSENT
  aws_s3_bucket.scratch         created, policy not configured (after_unknown.policy = true)  ABSENT
  aws_kms_key.app               updated (rotation), policy not configured, state holds the
                                AWS default key policy                                        ABSENT
  aws_s3_bucket.reports         tags updated; its computed policy holds a policy set outside
                                Terraform (999988887777 may read) but is not configured        ABSENT
  aws_kms_key.signing           configured key policy becomes unknown (new role's ARN)        unverifiable
  aws_kms_key.tokens            created with a configured policy that is unknown              created (created wins,
                                                                                              as it does for identities)
  aws_s3_bucket.uploads         created with bucket_prefix (name unknown); its new bucket
                                policy is found through configuration (bucket = ...uploads.id) created
  aws_iam_role.signer           the new role                                                   created (identity)
public-access-block.json
  aws_s3_bucket.site            PAB block_public_policy and restrict_public_buckets true -> false,
                                unchanged public bucket policy becomes effective              widened  public public-access-block-disabled
  aws_s3_bucket.downloads       PAB deleted; unchanged public bucket policy                   widened  public public-access-block-disabled
  aws_s3_bucket.audit_logs      PAB tightened, all four false -> true (a guard added, nobody
                                named newly loses or gains: judged narrowed)                  narrowed
  aws_s3_account_public_access_block.this  all four true -> false                             widened  public public-access-block-disabled
resource-policies-judged.json (each policy judged on its own resource; only `shared` gains anything)
  aws_s3_bucket.exports         new statement for 444455556666 names another bucket
                                (arn:aws:s3:::acme-partner-exports/*): a note, no reach      unchanged
  aws_s3_bucket.staging         created with a bucket policy copied from prod: its Resource
                                names acme-prod, not acme-staging: a note, no public access  created
  aws_s3_bucket.logs            new statement "*" may ec2:* on the bucket's objects: ignored
                                with a note, no public access                                unchanged
  aws_s3_bucket.media           new statement "*" may s3:GetBucket (no such action): named
                                unknown in a note, no public access                         unchanged
  aws_s3_bucket.shared          new statement for 444455556666, Action "*", on the bucket's
                                objects and another bucket's: s3:* on this bucket only       widened  foreign-account -
  aws_kms_key.orders            new key policy statement for 444455556666 names another key  unchanged
own-account-evidence.json (no aws_caller_identity; only the ARN of a role a data source reads names the own
account)
  aws_s3_bucket.reports         bucket policy adds data.aws_iam_role.report_reader's ARN      widened  own-account -
  aws_s3_bucket.partner_feed    bucket policy adds a role of 444455556666 (a principal's ARN
                                is no evidence of the own account)                           widened  foreign-account -
"""
import copy
from lib import *

FOREIGN = "444455556666"
FOREIGN2 = "999988887777"
ORG_ID = "o-a1b2c3d4e5"
REGION = "eu-west-1"
CANONICAL = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
GH_OIDC = f"arn:aws:iam::{ACCT}:oidc-provider/token.actions.githubusercontent.com"
GITLAB_OIDC = f"arn:aws:iam::{ACCT}:oidc-provider/gitlab.com"
TFC_OIDC = f"arn:aws:iam::{ACCT}:oidc-provider/app.terraform.io"
ROOT = f"arn:aws:iam::{ACCT}:root"

REACH = []  # (file, subject, principal_class, concern)
ABSENT = []  # (file, address)


def out(emit, fname, p, expected, reach=(), absent=()):
    emit(fname, p, expected)
    for subject, cls, concern in reach:
        REACH.append((fname, subject, cls, concern))
    for addr in absent:
        ABSENT.append((fname, addr))


def pstmt(principal, actions, resources, sid=None, condition=None, effect="Allow"):
    return stmt(actions, resources, effect=effect, sid=sid, condition=condition, principal=principal)


# ---------------------------------------------------------------- AWS provider 5.x state objects

BUCKET_COMPUTED = [
    "acceleration_status", "acl", "arn", "bucket_domain_name", "bucket_prefix", "bucket_regional_domain_name",
    "cors_rule", "grant", "hosted_zone_id", "id", "lifecycle_rule", "logging", "object_lock_configuration",
    "object_lock_enabled", "policy", "region", "replication_configuration", "request_payer",
    "server_side_encryption_configuration", "versioning", "website", "website_domain", "website_endpoint"]


def bucket_state(name, *, policy="", tags=None, versioning=False):
    tags = tags or {}
    return {
        "acceleration_status": "",
        "acl": None,
        "arn": f"arn:aws:s3:::{name}",
        "bucket": name,
        "bucket_domain_name": f"{name}.s3.amazonaws.com",
        "bucket_prefix": "",
        "bucket_regional_domain_name": f"{name}.s3.{REGION}.amazonaws.com",
        "cors_rule": [],
        "force_destroy": False,
        "grant": [{"id": CANONICAL, "permissions": ["FULL_CONTROL"], "type": "CanonicalUser", "uri": ""}],
        "hosted_zone_id": "Z1BKCTXD74EZPE",
        "id": name,
        "lifecycle_rule": [],
        "logging": [],
        "object_lock_configuration": [],
        "object_lock_enabled": False,
        "policy": policy,
        "region": REGION,
        "replication_configuration": [],
        "request_payer": "BucketOwner",
        "server_side_encryption_configuration": [{"rule": [{
            "apply_server_side_encryption_by_default": [{"kms_master_key_id": "", "sse_algorithm": "AES256"}],
            "bucket_key_enabled": False}]}],
        "tags": tags or None,
        "tags_all": tags,
        "timeouts": None,
        "versioning": [{"enabled": versioning, "mfa_delete": False}],
        "website": [],
        "website_domain": None,
        "website_endpoint": None,
    }


def bucket_create(*, name=None, prefix=None, tags=None):
    """after + unknown marks for an aws_s3_bucket being created without `policy` configured."""
    after = {"force_destroy": False, "tags": tags, "timeouts": None}
    unknown = {k: True for k in BUCKET_COMPUTED}
    if name:
        after["bucket"] = name
    else:
        unknown["bucket"] = True
        after["bucket_prefix"] = prefix
        del unknown["bucket_prefix"]
    if tags:
        after["tags_all"] = tags
    else:
        unknown["tags_all"] = True
    return after, unknown


def bucket_policy_state(bucket, policy):
    return {"bucket": bucket, "id": bucket, "policy": policy}


def pab_state(bucket, on=True):
    return {"block_public_acls": on, "block_public_policy": on, "bucket": bucket, "id": bucket,
            "ignore_public_acls": on, "restrict_public_buckets": on, "skip_destroy": None}


def default_key_policy():
    return normalized({"Id": "key-default-1", "Version": V, "Statement": [
        pstmt({"AWS": ROOT}, "kms:*", "*", sid="Enable IAM User Permissions")]})


def key_state(key_id, description, policy, *, tags=None, rotation=True, deletion_window=30):
    tags = tags or {}
    return {
        "arn": f"arn:aws:kms:{REGION}:{ACCT}:key/{key_id}",
        "bypass_policy_lockout_safety_check": False,
        "custom_key_store_id": "",
        "customer_master_key_spec": "SYMMETRIC_DEFAULT",
        "deletion_window_in_days": deletion_window,
        "description": description,
        "enable_key_rotation": rotation,
        "id": key_id,
        "is_enabled": True,
        "key_id": key_id,
        "key_usage": "ENCRYPT_DECRYPT",
        "multi_region": False,
        "policy": policy,
        "rotation_period_in_days": 365 if rotation else 0,
        "tags": tags or None,
        "tags_all": tags,
        "timeouts": None,
        "xks_key_id": "",
    }


def key_create(description, *, policy=None, tags=None, deletion_window=10):
    """after + unknown marks for an aws_kms_key being created; policy None = unknown."""
    after = {"bypass_policy_lockout_safety_check": False, "custom_key_store_id": None,
             "customer_master_key_spec": "SYMMETRIC_DEFAULT", "deletion_window_in_days": deletion_window,
             "description": description, "enable_key_rotation": True, "is_enabled": True,
             "key_usage": "ENCRYPT_DECRYPT", "tags": tags, "timeouts": None, "xks_key_id": None}
    unknown = {"arn": True, "id": True, "key_id": True, "multi_region": True, "rotation_period_in_days": True}
    if policy is None:
        unknown["policy"] = True
    else:
        after["policy"] = policy
    if tags:
        after["tags_all"] = tags
    else:
        unknown["tags_all"] = True
    return after, unknown


# ---------------------------------------------------------------- trust-oidc
def oidc_provider(arn, url, client_ids, thumbprint):
    return {"arn": arn, "client_id_list": client_ids, "id": arn, "tags": None, "tags_all": {},
            "thumbprint_list": [thumbprint], "url": url}


def web_identity(provider, host, aud, sub=None, sub_op="StringEquals"):
    cond = {"StringEquals": {f"{host}:aud": aud}}
    if sub is not None:
        if sub_op == "StringEquals":
            cond["StringEquals"][f"{host}:sub"] = sub
        else:
            cond[sub_op] = {f"{host}:sub": sub}
    return trust({"Federated": provider}, "sts:AssumeRoleWithWebIdentity", cond)


GH = "token.actions.githubusercontent.com"


def trust_oidc(emit):
    rcs, res = [], []
    providers = {
        "github": (GH_OIDC, GH, ["sts.amazonaws.com"], "6938fd4d98bab03faadb97b34396831e3780aea1"),
        "gitlab": (GITLAB_OIDC, "gitlab.com", ["https://gitlab.com"], "b3dd7606d2b5a8b4a13771dbecc9ee1cecafa38a"),
        "tfc": (TFC_OIDC, "app.terraform.io", ["aws.workload.identity"], "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"),
    }
    for key, (arn, url, clients, thumb) in providers.items():
        rcs.append(noop(f"aws_iam_openid_connect_provider.{key}", oidc_provider(arn, url, clients, thumb)))
        res.append(cres(f"aws_iam_openid_connect_provider.{key}", {
            "client_id_list": const(clients), "thumbprint_list": const([thumb]), "url": const(f"https://{url}")}))

    def role(key, name, provider, before, after, *, uid, description, managed=(), changes=None, cfg_desc=None,
             tags=None):
        st = role_state(name, before, description=description, managed=managed, unique_id=uid,
                        created="2024-10-10T10:10:10Z", tags=tags)
        ch = {"assume_role_policy": after}
        ch.update(changes or {})
        rcs.append(update(f"aws_iam_role.{key}", st, ch))
        e = {"assume_role_policy": ref_attr(f"aws_iam_openid_connect_provider.{provider}", "arn"),
             "description": const(cfg_desc if cfg_desc is not None else description), "name": const(name)}
        if managed:
            e["managed_policy_arns"] = const(list(managed))
        new_tags = (changes or {}).get("tags", tags)
        if new_tags:
            e["tags"] = const(new_tags)
        res.append(cres(f"aws_iam_role.{key}", e))

    # GitHub: one branch of one repository -> every repository of the organisation.
    role("api_deploy", "api-deploy", "github",
         normalized(web_identity(GH_OIDC, GH, "sts.amazonaws.com", "repo:acme/api:ref:refs/heads/main")),
         jsonencode(web_identity(GH_OIDC, GH, "sts.amazonaws.com", "repo:acme/*", "StringLike")),
         uid="AROARZ5WDQ3LAP1DEP10Y", description="Deploys acme/api from GitHub Actions",
         managed=["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser"])
    # GitHub: the sub condition is dropped; only aud is left, so any repository on GitHub may assume it.
    role("docs_publish", "docs-publish", "github",
         normalized(web_identity(GH_OIDC, GH, "sts.amazonaws.com", "repo:acme/docs:ref:refs/heads/main")),
         jsonencode(web_identity(GH_OIDC, GH, "sts.amazonaws.com")),
         uid="AROARZ5WDQ3LD0CSPUB1S", description="Publishes acme/docs to the docs bucket")
    # GitHub: the same trust written as a heredoc, keys reordered, condition keys and action re-cased
    # (context key names and actions are case-insensitive); only the description changes.
    recased = heredoc({"Version": V, "Statement": [{
        "Condition": {"StringEquals": {f"{GH}:Sub": "repo:acme/infra:pull_request",
                                       f"{GH}:Aud": "sts.amazonaws.com"}},
        "Action": "sts:assumeRoleWithWebIdentity",
        "Principal": {"Federated": GH_OIDC},
        "Effect": "Allow"}]})
    role("infra_plan", "infra-plan", "github",
         normalized(web_identity(GH_OIDC, GH, "sts.amazonaws.com", "repo:acme/infra:pull_request")), recased,
         uid="AROARZ5WDQ3LINFRAP1AN", description="Plans acme/infra",
         managed=["arn:aws:iam::aws:policy/ReadOnlyAccess"],
         changes={"description": "Runs terraform plan for acme/infra pull requests"},
         cfg_desc="Runs terraform plan for acme/infra pull requests")
    # GitLab: one branch of one project -> every project of the group.
    role("gitlab_deploy", "gitlab-app-deploy", "gitlab",
         normalized(web_identity(GITLAB_OIDC, "gitlab.com", "https://gitlab.com",
                                 "project_path:acme/app:ref_type:branch:ref:main")),
         jsonencode(web_identity(GITLAB_OIDC, "gitlab.com", "https://gitlab.com", "project_path:acme/*",
                                 "StringLike")),
         uid="AROARZ5WDQ3LG1TLABDEP", description="Deploys acme/app from GitLab CI",
         managed=["arn:aws:iam::aws:policy/AWSLambda_FullAccess"])
    # Terraform Cloud: the apply phase of one workspace -> any phase of any workspace of any project.
    role("tfc_apply", "tfc-infra-apply", "tfc",
         normalized(web_identity(TFC_OIDC, "app.terraform.io", "aws.workload.identity",
                                 "organization:acme:project:infra:workspace:prod:run_phase:apply", "StringLike")),
         jsonencode(web_identity(TFC_OIDC, "app.terraform.io", "aws.workload.identity",
                                 "organization:acme:project:*:workspace:*:run_phase:*", "StringLike")),
         uid="AROARZ5WDQ3LTFCAPP1YX", description="Terraform Cloud apply runs for acme infra",
         managed=["arn:aws:iam::aws:policy/PowerUserAccess"])
    # GitHub: strings written as one-element arrays (principal, action, condition values): unchanged.
    tags0 = {"team": "release"}
    tags1 = {"team": "release", "tier": "prod"}
    as_arrays = jsonencode({"Version": V, "Statement": [{
        "Effect": "Allow", "Principal": {"Federated": [GH_OIDC]}, "Action": ["sts:AssumeRoleWithWebIdentity"],
        "Condition": {"StringEquals": {f"{GH}:aud": ["sts.amazonaws.com"],
                                       f"{GH}:sub": ["repo:acme/release-tools:environment:production"]}}}]})
    role("release", "release-tools", "github",
         normalized(web_identity(GH_OIDC, GH, "sts.amazonaws.com", "repo:acme/release-tools:environment:production")),
         as_arrays, uid="AROARZ5WDQ3LRE1EASET", description="Publishes acme/release-tools releases",
         tags=tags0, changes={"tags": tags1, "tags_all": tags1})

    cfg = config(res)
    out(emit, "trust-oidc.json", plan(rcs, cfg, timestamp="2025-06-14T09:00:00Z"), [
        ("aws_iam_role.api_deploy", "widened"),
        ("aws_iam_role.docs_publish", "widened"),
        ("aws_iam_role.infra_plan", "unchanged"),
        ("aws_iam_role.gitlab_deploy", "widened"),
        ("aws_iam_role.tfc_apply", "widened"),
        ("aws_iam_role.release", "unchanged"),
    ], reach=[
        ("aws_iam_role.api_deploy", "federated", "oidc-subject-broad"),
        ("aws_iam_role.docs_publish", "federated", "oidc-subject-missing"),
        ("aws_iam_role.gitlab_deploy", "federated", "oidc-subject-broad"),
        ("aws_iam_role.tfc_apply", "federated", "oidc-subject-broad"),
    ], absent=[f"aws_iam_openid_connect_provider.{k}" for k in providers])


# ---------------------------------------------------------------- trust-cross-account
def trust_cross_account(emit):
    rcs, res = [], []

    def role(key, name, before, after, *, uid, description, managed=(), inline=(), tags=None, new_tags=None):
        st = role_state(name, normalized(before), description=description, managed=managed, inline=inline,
                        unique_id=uid, created="2023-05-22T08:30:00Z", tags=tags)
        ch = {"assume_role_policy": jsonencode(after)}
        if new_tags:
            ch["tags"] = new_tags
            ch["tags_all"] = new_tags
        rcs.append(update(f"aws_iam_role.{key}", st, ch))
        e = {"assume_role_policy": {}, "description": const(description), "name": const(name)}
        if managed:
            e["managed_policy_arns"] = const(list(managed))
        if inline:
            e["inline_policy"] = [{"name": const(n), "policy": {}} for n, _ in inline]
        if new_tags or tags:
            e["tags"] = const(new_tags or tags)
        res.append(cres(f"aws_iam_role.{key}", e))

    # A third-party scanner's account loses the sts:ExternalId check (confused deputy).
    role("vendor_audit", "vendor-audit",
         trust({"AWS": f"arn:aws:iam::{FOREIGN2}:root"},
               condition={"StringEquals": {"sts:ExternalId": "acme-7Hq2xV9kLw"}}),
         trust({"AWS": f"arn:aws:iam::{FOREIGN2}:root"}),
         uid="AROARZ5WDQ3LVEND0RAU1", description="Read-only access for the Vendorly CSPM scanner",
         managed=["arn:aws:iam::aws:policy/SecurityAudit"])
    # Any principal of the organisation -> any principal anywhere.
    role("org_reader", "org-inventory-reader",
         trust({"AWS": "*"}, condition={"StringEquals": {"aws:PrincipalOrgID": ORG_ID}}),
         trust({"AWS": "*"}),
         uid="AROARZ5WDQ3L0RG1NVRDR", description="Inventory collection from every account of the organization",
         managed=["arn:aws:iam::aws:policy/ReadOnlyAccess"])
    # A partner account added by its bare 12-digit id.
    upload = normalized(doc(stmt("s3:PutObject", "arn:aws:s3:::acme-partner-drop/incoming/*", sid="PartnerUpload")))
    role("partner_ingest", "partner-ingest",
         trust({"AWS": ROOT}),
         trust({"AWS": [ROOT, FOREIGN]}),
         uid="AROARZ5WDQ3LPARTNER1N", description="Partner uploads into acme-partner-drop",
         inline=[("partner-upload", upload)])
    # Equivalent spellings, each with a tag change so the update is not empty.
    t0, t1 = {"owner": "platform"}, {"owner": "platform", "reviewed": "2025-06"}
    role("ci_runner", "ci-runner",
         trust({"AWS": f"arn:aws:iam::{ACCT}:role/ci-runner-host"}),
         trust({"AWS": [f"arn:aws:iam::{ACCT}:role/ci-runner-host"]}),
         uid="AROARZ5WDQ3LC1RUNNER7", description="Assumed by the self-hosted CI runners",
         managed=["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"], tags=t0, new_tags=t1)
    org_cond = {"StringEquals": {"aws:PrincipalOrgID": ORG_ID}}
    role("org_wide", "org-config-reader",
         trust("*", condition=org_cond),
         trust({"AWS": "*"}, condition=org_cond),
         uid="AROARZ5WDQ3L0RGW1DEC4", description="AWS Config aggregation across the organization",
         managed=["arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"], tags=t0, new_tags=t1)
    mfa = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    role("break_glass", "break-glass",
         trust({"AWS": ACCT}, condition=mfa),
         trust({"AWS": ROOT}, condition=mfa),
         uid="AROARZ5WDQ3LBRKGLASS2", description="Emergency administrator access",
         managed=["arn:aws:iam::aws:policy/AdministratorAccess"], tags=t0, new_tags=t1)

    out(emit, "trust-cross-account.json", plan(rcs, config(res), timestamp="2025-06-14T09:20:00Z"), [
        ("aws_iam_role.vendor_audit", "widened"),
        ("aws_iam_role.org_reader", "widened"),
        ("aws_iam_role.partner_ingest", "widened"),
        ("aws_iam_role.ci_runner", "unchanged"),
        ("aws_iam_role.org_wide", "unchanged"),
        ("aws_iam_role.break_glass", "unchanged"),
    ], reach=[
        ("aws_iam_role.vendor_audit", "foreign-account", "external-id-removed"),
        ("aws_iam_role.org_reader", "public", "org-condition-removed"),
        ("aws_iam_role.partner_ingest", "foreign-account", "-"),
    ])


# ---------------------------------------------------------------- resource-policies-storage
def resource_policies_storage(emit):
    rcs, res = [], []
    tags = {"team": "platform"}

    # 1. S3: a CloudFront-only bucket policy gains a public s3:GetObject statement.
    assets = "acme-site-assets"
    dist = f"arn:aws:cloudfront::{ACCT}:distribution/E2QWRUHAPOMQZL"
    oac = pstmt({"Service": "cloudfront.amazonaws.com"}, "s3:GetObject", f"arn:aws:s3:::{assets}/*",
                sid="AllowCloudFront", condition={"StringEquals": {"AWS:SourceArn": dist}})
    old = doc(oac)
    new = doc(oac, pstmt("*", "s3:GetObject", f"arn:aws:s3:::{assets}/*", sid="PublicRead"))
    rcs.append(noop("aws_s3_bucket.assets", bucket_state(assets, policy=normalized(old), tags=tags)))
    rcs.append(update("aws_s3_bucket_policy.assets", bucket_policy_state(assets, normalized(old)),
                      {"policy": jsonencode(new)}))
    res.append(cres("aws_s3_bucket.assets", {"bucket": const(assets), "tags": const(tags)}))
    res.append(cres("aws_s3_bucket_policy.assets", {"bucket": ref_attr("aws_s3_bucket.assets", "id"),
                                                    "policy": refs("aws_s3_bucket.assets.arn", "aws_s3_bucket.assets")}))

    # 2. S3: a bucket policy created for a bucket that is not in this plan (managed elsewhere).
    drop = "acme-partner-drop"
    drop_policy = doc(pstmt({"AWS": f"arn:aws:iam::{FOREIGN}:root"}, ["s3:PutObject", "s3:PutObjectAcl"],
                            f"arn:aws:s3:::{drop}/incoming/*", sid="PartnerWrites",
                            condition={"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}))
    rcs.append(RC("aws_s3_bucket_policy.partner_drop", ["create"], None,
                  {"bucket": drop, "policy": jsonencode(drop_policy)}, unknown={"id": True}))
    res.append(cres("aws_s3_bucket_policy.partner_drop", {"bucket": const(drop), "policy": refs("var.partner_account_id")}))

    # 3. KMS: aws_kms_key_policy shares the backup key with another account.
    backup_key_id = "5f2c6a1e-8b3d-4e7a-9c1f-2d4b6a8e0c13"
    backup_key_arn = f"arn:aws:kms:{REGION}:{ACCT}:key/{backup_key_id}"
    root_stmt = pstmt({"AWS": ROOT}, "kms:*", "*", sid="Enable IAM User Permissions")
    backup_svc = pstmt({"AWS": f"arn:aws:iam::{ACCT}:role/service-role/AWSBackupDefaultServiceRole"},
                       ["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*"], "*",
                       sid="AllowAWSBackup")
    old = doc(root_stmt, backup_svc)
    new = doc(root_stmt, backup_svc,
              pstmt({"AWS": f"arn:aws:iam::{FOREIGN}:root"}, ["kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant"],
                    "*", sid="AllowDrAccountCopy"))
    rcs.append(noop("aws_kms_key.backup", key_state(backup_key_id, "AWS Backup vault encryption", normalized(old),
                                                    tags=tags)))
    rcs.append(update("aws_kms_key_policy.backup", {"bypass_policy_lockout_safety_check": False,
                                                    "id": backup_key_id, "key_id": backup_key_id,
                                                    "policy": normalized(old)}, {"policy": jsonencode(new)}))
    res.append(cres("aws_kms_key.backup", {"deletion_window_in_days": const(30),
                                           "description": const("AWS Backup vault encryption"),
                                           "enable_key_rotation": const(True), "tags": const(tags)}))
    res.append(cres("aws_kms_key_policy.backup", {"key_id": ref_attr("aws_kms_key.backup", "id"), "policy": {}}))

    # 4. KMS: inline policy configured on the key; an old auditor account's statement is removed.
    logs_key_id = "0b7e3d2c-1a9f-4c8e-b6d5-3f2a1e0d9c8b"
    logs_svc = pstmt({"Service": f"logs.{REGION}.amazonaws.com"},
                     ["kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"], "*",
                     sid="AllowCloudWatchLogs",
                     condition={"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                                            f"arn:aws:logs:{REGION}:{ACCT}:log-group:*"}})
    auditor = pstmt({"AWS": f"arn:aws:iam::{FOREIGN2}:root"}, ["kms:Decrypt", "kms:DescribeKey"], "*",
                    sid="LegacyAuditorDecrypt")
    old = doc(root_stmt, logs_svc, auditor)
    new = doc(root_stmt, logs_svc)
    logs_key = key_state(logs_key_id, "CloudWatch Logs encryption", normalized(old), tags=tags)
    rcs.append(update("aws_kms_key.logs", logs_key, {"policy": jsonencode(new)}))
    res.append(cres("aws_kms_key.logs", {"deletion_window_in_days": const(30),
                                         "description": const("CloudWatch Logs encryption"),
                                         "enable_key_rotation": const(True), "policy": {}, "tags": const(tags)}))

    # 5. Glacier: the vault's own access_policy, own account root -> "*" pinned by aws:PrincipalOrgID.
    vault = "acme-compliance-archive"
    vault_arn = f"arn:aws:glacier:{REGION}:{ACCT}:vaults/{vault}"
    read = ["glacier:GetJobOutput", "glacier:InitiateJob", "glacier:ListJobs"]
    old = doc(pstmt({"AWS": ROOT}, read, vault_arn, sid="RetrieveArchives"))
    new = doc(pstmt("*", read, vault_arn, sid="RetrieveArchives",
                    condition={"StringEquals": {"aws:PrincipalOrgID": ORG_ID}}))
    gv = {"access_policy": normalized(old), "arn": vault_arn, "id": vault, "location": f"/{ACCT}/vaults/{vault}",
          "name": vault, "notification": [], "tags": tags, "tags_all": tags}
    rcs.append(update("aws_glacier_vault.archive", gv, {"access_policy": jsonencode(new)}))
    res.append(cres("aws_glacier_vault.archive", {"access_policy": {}, "name": const(vault), "tags": const(tags)}))

    # 6. Backup: the vault policy that let a DR account copy into the vault is deleted.
    bv = "acme-main"
    bv_arn = f"arn:aws:backup:{REGION}:{ACCT}:backup-vault:{bv}"
    bv_state = {"arn": bv_arn, "force_destroy": False, "id": bv, "kms_key_arn": backup_key_arn, "name": bv,
                "recovery_points": 1342, "tags": tags, "tags_all": tags, "timeouts": None}
    bvp = doc(pstmt({"AWS": f"arn:aws:iam::{FOREIGN}:root"}, "backup:CopyIntoBackupVault", "*",
                    sid="AllowDrAccountCopy"))
    rcs.append(noop("aws_backup_vault.main", bv_state))
    rcs.append(RC("aws_backup_vault_policy.main", ["delete"], {
        "backup_vault_arn": bv_arn, "backup_vault_name": bv, "id": bv, "policy": normalized(bvp)}, None,
        reason="delete_because_no_resource_config"))
    res.append(cres("aws_backup_vault.main", {"kms_key_arn": ref_attr("aws_kms_key.backup", "arn"),
                                              "name": const(bv), "tags": const(tags)}))

    # 7. Secrets Manager: the secret policy now names a role created in this plan: unknown until apply.
    secret_arn = f"arn:aws:secretsmanager:{REGION}:{ACCT}:secret:acme/prod/db-credentials-Xy12Ab"
    api_read = pstmt({"AWS": f"arn:aws:iam::{ACCT}:role/payments-api"}, "secretsmanager:GetSecretValue", "*",
                     sid="PaymentsApiRead")
    old = doc(api_read)
    secret = {"arn": secret_arn, "description": "Aurora credentials for the payments database",
              "force_overwrite_replica_secret": False, "id": secret_arn, "kms_key_id": "",
              "name": "acme/prod/db-credentials", "name_prefix": "", "policy": normalized(old),
              "recovery_window_in_days": 30, "replica": [], "tags": tags, "tags_all": tags}
    rcs.append(noop("aws_secretsmanager_secret.db", secret))
    sp = {"block_public_policy": True, "id": secret_arn, "policy": normalized(old), "secret_arn": secret_arn}
    rcs.append(update("aws_secretsmanager_secret_policy.db", sp, {"policy": DROP}, unknown={"policy": True}))
    res.append(cres("aws_secretsmanager_secret.db", {"description": const("Aurora credentials for the payments database"),
                                                     "name": const("acme/prod/db-credentials"), "tags": const(tags)}))
    res.append(cres("aws_secretsmanager_secret_policy.db", {
        "block_public_policy": const(True),
        "policy": refs("aws_iam_role.reporting.arn", "aws_iam_role.reporting"),
        "secret_arn": ref_attr("aws_secretsmanager_secret.db", "arn")}))
    rep_trust = jsonencode(trust({"Service": "ecs-tasks.amazonaws.com"}))
    after, unknown = role_create("payments-reporting", rep_trust, description="Nightly payments reporting task")
    rcs.append(RC("aws_iam_role.reporting", ["create"], None, after, unknown=unknown))
    res.append(cres("aws_iam_role.reporting", {"assume_role_policy": {},
                                               "description": const("Nightly payments reporting task"),
                                               "name": const("payments-reporting")}))

    cfg = config(res, variables={"partner_account_id": {"description": "Account of the partner that drops files"}})
    p = plan(rcs, cfg, variables={"partner_account_id": FOREIGN}, timestamp="2025-06-14T10:00:00Z")
    out(emit, "resource-policies-storage.json", p, [
        ("aws_s3_bucket.assets", "widened"),
        ("external:aws_s3_bucket/acme-partner-drop", "widened"),
        ("aws_kms_key.backup", "widened"),
        ("aws_kms_key.logs", "narrowed"),
        ("aws_glacier_vault.archive", "widened"),
        ("aws_backup_vault.main", "narrowed"),
        ("aws_secretsmanager_secret.db", "unverifiable"),
        ("aws_iam_role.reporting", "created"),
    ], reach=[
        ("aws_s3_bucket.assets", "public", "-"),
        ("external:aws_s3_bucket/acme-partner-drop", "foreign-account", "-"),
        ("aws_kms_key.backup", "foreign-account", "-"),
        ("aws_glacier_vault.archive", "organization", "-"),
    ], absent=["aws_s3_bucket_policy.assets", "aws_s3_bucket_policy.partner_drop", "aws_kms_key_policy.backup",
               "aws_backup_vault_policy.main", "aws_secretsmanager_secret_policy.db"])


# ---------------------------------------------------------------- resource-policies-messaging
def queue_state(name, *, policy="", tags=None):
    tags = tags or {}
    url = f"https://sqs.{REGION}.amazonaws.com/{ACCT}/{name}"
    return {"arn": f"arn:aws:sqs:{REGION}:{ACCT}:{name}", "content_based_deduplication": False,
            "deduplication_scope": "", "delay_seconds": 0, "fifo_queue": False, "fifo_throughput_limit": "",
            "id": url, "kms_data_key_reuse_period_seconds": 300, "kms_master_key_id": "",
            "max_message_size": 262144, "message_retention_seconds": 345600, "name": name, "name_prefix": "",
            "policy": policy, "receive_wait_time_seconds": 0, "redrive_allow_policy": "", "redrive_policy": "",
            "sqs_managed_sse_enabled": True, "tags": tags or None, "tags_all": tags, "url": url,
            "visibility_timeout_seconds": 30}


def topic_state(name, policy, *, tags=None, display_name=""):
    tags = tags or {}
    arn = f"arn:aws:sns:{REGION}:{ACCT}:{name}"
    s = {"application_failure_feedback_role_arn": "", "application_success_feedback_role_arn": "",
         "application_success_feedback_sample_rate": 0, "archive_policy": "", "arn": arn,
         "beginning_archive_time": "", "content_based_deduplication": False, "delivery_policy": "",
         "display_name": display_name, "fifo_topic": False, "firehose_failure_feedback_role_arn": "",
         "firehose_success_feedback_role_arn": "", "firehose_success_feedback_sample_rate": 0,
         "http_failure_feedback_role_arn": "", "http_success_feedback_role_arn": "",
         "http_success_feedback_sample_rate": 0, "id": arn, "kms_master_key_id": "",
         "lambda_failure_feedback_role_arn": "", "lambda_success_feedback_role_arn": "",
         "lambda_success_feedback_sample_rate": 0, "name": name, "name_prefix": "", "owner": ACCT,
         "policy": policy, "signature_version": 0, "sqs_failure_feedback_role_arn": "",
         "sqs_success_feedback_role_arn": "", "sqs_success_feedback_sample_rate": 0, "tags": tags or None,
         "tags_all": tags, "tracing_config": ""}
    return s


def topic_owner_statement(arn):
    return pstmt({"AWS": "*"}, ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
                                "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe",
                                "SNS:ListSubscriptionsByTopic", "SNS:Publish"], arn, sid="__default_statement_ID",
                 condition={"StringEquals": {"AWS:SourceOwner": ACCT}})


def resource_policies_messaging(emit):
    rcs, res = [], []
    tags = {"team": "orders"}

    # 1. SQS: a queue policy is created for an existing queue; SNS may send without aws:SourceArn.
    q = queue_state("order-events", tags=tags)
    qp = doc(pstmt({"Service": "sns.amazonaws.com"}, "sqs:SendMessage", q["arn"], sid="AllowSnsFanOut"))
    rcs.append(noop("aws_sqs_queue.order_events", q))
    rcs.append(RC("aws_sqs_queue_policy.order_events", ["create"], None,
                  {"policy": jsonencode(qp), "queue_url": q["url"]}, unknown={"id": True}))
    res.append(cres("aws_sqs_queue.order_events", {"name": const("order-events"), "tags": const(tags)}))
    res.append(cres("aws_sqs_queue_policy.order_events", {
        "policy": refs("aws_sqs_queue.order_events.arn", "aws_sqs_queue.order_events"),
        "queue_url": ref_attr("aws_sqs_queue.order_events", "id")}))

    # 2. SQS: a policy configured inline on the queue, not changed.
    dlq_name = "order-events-dlq"
    dlq_arn = f"arn:aws:sqs:{REGION}:{ACCT}:{dlq_name}"
    dlq_policy = doc(pstmt({"AWS": f"arn:aws:iam::{ACCT}:role/order-replayer"},
                           ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:ReceiveMessage"], dlq_arn,
                           sid="Replayer"))
    rcs.append(noop("aws_sqs_queue.order_events_dlq", queue_state(dlq_name, policy=normalized(dlq_policy), tags=tags)))
    res.append(cres("aws_sqs_queue.order_events_dlq", {"name": const(dlq_name), "policy": {}, "tags": const(tags)}))

    # 3. SNS: the topic policy drops an old subscription grant to another account.
    alerts = topic_state("platform-alerts", "", tags={"team": "platform"}, display_name="Platform alerts")
    owner = topic_owner_statement(alerts["arn"])
    old = {"Id": "__default_policy_ID", "Version": "2008-10-17", "Statement": [
        owner, pstmt({"AWS": f"arn:aws:iam::{FOREIGN2}:root"}, "SNS:Subscribe", alerts["arn"],
                     sid="OpsVendorSubscribe")]}
    new = {"Id": "__default_policy_ID", "Version": "2008-10-17", "Statement": [owner]}
    alerts["policy"] = normalized(old)
    rcs.append(noop("aws_sns_topic.alerts", alerts))
    rcs.append(update("aws_sns_topic_policy.alerts", {"arn": alerts["arn"], "id": alerts["arn"], "owner": ACCT,
                                                      "policy": normalized(old)}, {"policy": jsonencode(new)}))
    res.append(cres("aws_sns_topic.alerts", {"display_name": const("Platform alerts"), "name": const("platform-alerts"),
                                             "tags": const({"team": "platform"})}))
    res.append(cres("aws_sns_topic_policy.alerts", {"arn": ref_attr("aws_sns_topic.alerts", "arn"),
                                                    "policy": refs("aws_sns_topic.alerts.arn", "aws_sns_topic.alerts")}))

    # 4. SNS: a topic and its policy removed from the configuration.
    legacy = topic_state("legacy-notifications", "", tags=tags)
    lp = doc(pstmt({"Service": "events.amazonaws.com"}, "sns:Publish", legacy["arn"], sid="AllowEventBridge"))
    legacy["policy"] = normalized(lp)
    rcs.append(RC("aws_sns_topic.legacy", ["delete"], legacy, None, reason="delete_because_no_resource_config"))
    rcs.append(RC("aws_sns_topic_policy.legacy", ["delete"], {"arn": legacy["arn"], "id": legacy["arn"],
                                                              "owner": ACCT, "policy": normalized(lp)}, None,
                  reason="delete_because_no_resource_config"))

    # 5. ECR: the repository policy is replaced (terraform apply -replace) and adds a cross-account pull.
    repo = "acme/api"
    repo_state = {"arn": f"arn:aws:ecr:{REGION}:{ACCT}:repository/{repo}",
                  "encryption_configuration": [{"encryption_type": "AES256", "kms_key": ""}], "force_delete": None,
                  "id": repo, "image_scanning_configuration": [{"scan_on_push": True}],
                  "image_tag_mutability": "IMMUTABLE", "name": repo, "registry_id": ACCT,
                  "repository_url": f"{ACCT}.dkr.ecr.{REGION}.amazonaws.com/{repo}", "tags": tags,
                  "tags_all": tags, "timeouts": None}
    pull = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    own_pull = pstmt({"AWS": ROOT}, pull, None, sid="OwnAccountPull")
    old = doc(own_pull)
    new = doc(own_pull, pstmt({"AWS": f"arn:aws:iam::{FOREIGN}:root"}, pull, None, sid="StagingAccountPull"))
    rcs.append(noop("aws_ecr_repository.api", repo_state))
    rcs.append(RC("aws_ecr_repository_policy.api", ["delete", "create"],
                  {"id": repo, "policy": normalized(old), "registry_id": ACCT, "repository": repo},
                  {"policy": jsonencode(new), "repository": repo}, unknown={"id": True, "registry_id": True},
                  reason="replace_by_request"))
    res.append(cres("aws_ecr_repository.api", {
        "image_scanning_configuration": [{"scan_on_push": const(True)}],
        "image_tag_mutability": const("IMMUTABLE"), "name": const(repo), "tags": const(tags)}))
    res.append(cres("aws_ecr_repository_policy.api", {"policy": {},
                                                      "repository": ref_attr("aws_ecr_repository.api", "name")}))

    out(emit, "resource-policies-messaging.json", plan(rcs, config(res), timestamp="2025-06-14T10:20:00Z"), [
        ("aws_sqs_queue.order_events", "widened"),
        ("aws_sqs_queue.order_events_dlq", "unchanged"),
        ("aws_sns_topic.alerts", "narrowed"),
        ("aws_sns_topic.legacy", "deleted"),
        ("aws_ecr_repository.api", "widened"),
    ], reach=[
        ("aws_sqs_queue.order_events", "service", "source-condition-missing"),
        ("aws_ecr_repository.api", "foreign-account", "-"),
    ], absent=["aws_sqs_queue_policy.order_events", "aws_sns_topic_policy.alerts", "aws_ecr_repository_policy.api"])


# ---------------------------------------------------------------- resource-policies-compute
def function_state(name, *, role, handler="index.handler", runtime="nodejs20.x", memory=256, timeout=30,
                   sha="", size=0, modified="2025-04-02T09:14:51.000+0000", tags=None, env=None):
    tags = tags or {}
    arn = f"arn:aws:lambda:{REGION}:{ACCT}:function:{name}"
    invoke = f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{arn}/invocations"
    return {
        "architectures": ["arm64"], "arn": arn, "code_sha256": sha, "code_signing_config_arn": "",
        "dead_letter_config": [], "description": "",
        "environment": [{"variables": env}] if env else [],
        "ephemeral_storage": [{"size": 512}], "file_system_config": [], "filename": None, "function_name": name,
        "handler": handler, "id": name, "image_config": [], "image_uri": "", "invoke_arn": invoke,
        "kms_key_arn": "", "last_modified": modified, "layers": [],
        "logging_config": [{"application_log_level": "", "log_format": "Text", "log_group": f"/aws/lambda/{name}",
                            "system_log_level": ""}],
        "memory_size": memory, "package_type": "Zip", "publish": False, "qualified_arn": f"{arn}:$LATEST",
        "qualified_invoke_arn": f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{arn}:$LATEST/invocations",
        "replace_security_groups_on_destroy": None, "replacement_security_group_ids": None,
        "reserved_concurrent_executions": -1, "role": role, "runtime": runtime,
        "s3_bucket": "acme-lambda-artifacts", "s3_key": f"{name}/{modified[:10]}.zip", "s3_object_version": None,
        "signing_job_arn": "", "signing_profile_version_arn": "", "skip_destroy": False, "snap_start": [],
        "source_code_hash": sha, "source_code_size": size, "tags": tags or None, "tags_all": tags, "timeout": timeout,
        "timeouts": None, "tracing_config": [{"mode": "PassThrough"}], "version": "$LATEST", "vpc_config": [],
    }


def function_cfg(name, role, memory=256, env=None, tags=None):
    e = {"architectures": const(["arm64"]), "function_name": const(name), "handler": const("index.handler"),
         "memory_size": const(memory), "role": const(role), "runtime": const("nodejs20.x"),
         "s3_bucket": const("acme-lambda-artifacts"), "s3_key": refs("local.artifact_key"), "timeout": const(30)}
    if env:
        e["environment"] = [{"variables": const(env)}]
    if tags:
        e["tags"] = const(tags)
    return e


def permission_create(function_name, principal, *, action="lambda:InvokeFunction", statement_id=None,
                      source_arn=None, source_account=None, url_auth=None):
    after = {"action": action, "event_source_token": None, "function_name": function_name,
             "function_url_auth_type": url_auth, "principal": principal, "principal_org_id": None,
             "qualifier": None, "source_account": source_account, "source_arn": source_arn}
    unknown = {"id": True, "statement_id_prefix": True}
    if statement_id:
        after["statement_id"] = statement_id
    else:
        unknown["statement_id"] = True
    return after, unknown


def resource_policies_compute(emit):
    rcs, res = [], []
    tags = {"team": "media"}

    # 1. Lambda: S3 may invoke the function, from any bucket of any account (no source_arn/source_account).
    thumb = function_state("image-thumbnailer", role=f"arn:aws:iam::{ACCT}:role/image-thumbnailer",
                           sha="Qm9ZbW5oUjN0eVhrN0lGd2VjRk1TRjJ5U2t2a3h4cEs=", size=184320, tags=tags,
                           env={"OUTPUT_BUCKET": "acme-thumbnails"})
    rcs.append(noop("aws_lambda_function.thumbnailer", thumb))
    res.append(cres("aws_lambda_function.thumbnailer", function_cfg(
        "image-thumbnailer", f"arn:aws:iam::{ACCT}:role/image-thumbnailer", env={"OUTPUT_BUCKET": "acme-thumbnails"},
        tags=tags)))
    after, unknown = permission_create("image-thumbnailer", "s3.amazonaws.com", statement_id="AllowS3Invoke")
    rcs.append(RC("aws_lambda_permission.thumbnailer_s3", ["create"], None, after, unknown=unknown))
    res.append(cres("aws_lambda_permission.thumbnailer_s3", {
        "action": const("lambda:InvokeFunction"),
        "function_name": ref_attr("aws_lambda_function.thumbnailer", "function_name"),
        "principal": const("s3.amazonaws.com"), "statement_id": const("AllowS3Invoke")}))

    # 2. Lambda: a function URL with auth type NONE, and the permission that lets anyone call it
    #    (function_name is the function's ARN).
    hook = function_state("github-webhook", role=f"arn:aws:iam::{ACCT}:role/github-webhook",
                          sha="dGhpcyBpcyBub3QgYSByZWFsIGhhc2ggYnV0IGNsb3NlAA==", size=40960, tags=tags)
    rcs.append(noop("aws_lambda_function.webhook", hook))
    res.append(cres("aws_lambda_function.webhook", function_cfg(
        "github-webhook", f"arn:aws:iam::{ACCT}:role/github-webhook", tags=tags)))
    url_id = "q4z7xk2hn3vbtwrlmdsyc6fjpe5ga8ou"
    rcs.append(noop("aws_lambda_function_url.webhook", {
        "authorization_type": "NONE", "cors": [], "function_arn": hook["arn"], "function_name": "github-webhook",
        "function_url": f"https://{url_id}.lambda-url.{REGION}.on.aws/", "id": "github-webhook",
        "invoke_mode": "BUFFERED", "qualifier": "", "timeouts": None, "url_id": url_id}))
    res.append(cres("aws_lambda_function_url.webhook", {
        "authorization_type": const("NONE"),
        "function_name": ref_attr("aws_lambda_function.webhook", "function_name")}))
    after, unknown = permission_create(hook["arn"], "*", action="lambda:InvokeFunctionUrl",
                                       statement_id="FunctionURLAllowPublicAccess", url_auth="NONE")
    rcs.append(RC("aws_lambda_permission.webhook_url", ["create"], None, after, unknown=unknown))
    res.append(cres("aws_lambda_permission.webhook_url", {
        "action": const("lambda:InvokeFunctionUrl"),
        "function_name": ref_attr("aws_lambda_function.webhook", "arn"),
        "function_url_auth_type": const("NONE"), "principal": const("*"),
        "statement_id": const("FunctionURLAllowPublicAccess")}))

    # 3. Lambda: a permission replaced (principal forces a new one): own-account role -> another account.
    reports = function_state("reports-export", role=f"arn:aws:iam::{ACCT}:role/reports-export",
                             sha="cmVwb3J0cy1leHBvcnQtYnVpbGQtMjAyNS0wNC0wMg==", size=92160, tags=tags)
    rcs.append(noop("aws_lambda_function.reports", reports))
    res.append(cres("aws_lambda_function.reports", function_cfg(
        "reports-export", f"arn:aws:iam::{ACCT}:role/reports-export", tags=tags)))
    before = {"action": "lambda:InvokeFunction", "event_source_token": None, "function_name": "reports-export",
              "function_url_auth_type": None, "id": "AllowReportsInvoke",
              "principal": f"arn:aws:iam::{ACCT}:role/reports-reader", "principal_org_id": None, "qualifier": "",
              "source_account": None, "source_arn": None, "statement_id": "AllowReportsInvoke",
              "statement_id_prefix": ""}
    after, unknown = permission_create("reports-export", FOREIGN, statement_id="AllowReportsInvoke")
    rcs.append(RC("aws_lambda_permission.reports_partner", ["delete", "create"], before, after, unknown=unknown,
                  reason="replace_because_cannot_update", replace_paths=[["principal"]]))
    res.append(cres("aws_lambda_permission.reports_partner", {
        "action": const("lambda:InvokeFunction"), "function_name": const("reports-export"),
        "principal": refs("var.reports_consumer_account"), "statement_id": const("AllowReportsInvoke")}))

    # 4. API Gateway: a private API's policy keeps one of its two VPC endpoints.
    api_id = "k3m9x2p7qa"
    api_arn = f"arn:aws:execute-api:{REGION}:{ACCT}:{api_id}"
    vpces = ["vpce-0a1b2c3d4e5f60001", "vpce-0a1b2c3d4e5f60002"]

    def api_policy(endpoints):
        return doc(pstmt("*", "execute-api:Invoke", f"{api_arn}/*", sid="FromVpcEndpoints",
                         condition={"StringEquals": {"aws:SourceVpce": endpoints}}))

    old, new = api_policy(vpces), api_policy(vpces[:1])
    api = {"api_key_source": "HEADER", "arn": f"arn:aws:apigateway:{REGION}::/restapis/{api_id}",
           "binary_media_types": [], "body": None, "created_date": "2024-02-19T13:05:27Z",
           "description": "Internal API for acme services", "disable_execute_api_endpoint": False,
           "endpoint_configuration": [{"types": ["PRIVATE"], "vpc_endpoint_ids": vpces}],
           "execution_arn": api_arn, "fail_on_warnings": None, "id": api_id, "minimum_compression_size": "",
           "name": "acme-internal-api", "parameters": None, "policy": normalized(old),
           "put_rest_api_mode": "overwrite", "root_resource_id": "x7c2v9b4n1", "tags": {"team": "platform"},
           "tags_all": {"team": "platform"}}
    rcs.append(noop("aws_api_gateway_rest_api.internal", api))
    rcs.append(update("aws_api_gateway_rest_api_policy.internal", {"id": api_id, "policy": normalized(old),
                                                                   "rest_api_id": api_id},
                      {"policy": jsonencode(new)}))
    res.append(cres("aws_api_gateway_rest_api.internal", {
        "description": const("Internal API for acme services"),
        "endpoint_configuration": [{"types": const(["PRIVATE"]), "vpc_endpoint_ids": const(vpces)}],
        "name": const("acme-internal-api"), "tags": const({"team": "platform"})}))
    res.append(cres("aws_api_gateway_rest_api_policy.internal", {
        "policy": refs("aws_api_gateway_rest_api.internal.execution_arn", "aws_api_gateway_rest_api.internal",
                       "var.api_vpc_endpoints"),
        "rest_api_id": ref_attr("aws_api_gateway_rest_api.internal", "id")}))

    # 5. OpenSearch: a new domain and its domain policy (access_policies not configured on the domain).
    domain = "acme-logs"
    dom_after = {
        "cluster_config": [{"dedicated_master_count": None, "dedicated_master_enabled": False,
                            "dedicated_master_type": None, "instance_count": 2, "instance_type": "r6g.large.search",
                            "warm_count": None, "warm_enabled": None, "warm_type": None,
                            "zone_awareness_config": [{"availability_zone_count": 2}], "zone_awareness_enabled": True}],
        "cognito_options": [],
        "domain_endpoint_options": [{"custom_endpoint": None, "custom_endpoint_certificate_arn": None,
                                     "custom_endpoint_enabled": False, "enforce_https": True,
                                     "tls_security_policy": "Policy-Min-TLS-1-2-PFS-2023-10"}],
        "domain_name": domain,
        "ebs_options": [{"ebs_enabled": True, "volume_size": 100, "volume_type": "gp3"}],
        "encrypt_at_rest": [{"enabled": True}],
        "engine_version": "OpenSearch_2.13",
        "log_publishing_options": [],
        "node_to_node_encryption": [{"enabled": True}],
        "snapshot_options": [],
        "tags": {"team": "platform"},
        "tags_all": {"team": "platform"},
        "timeouts": None,
        "vpc_options": [],
    }
    dom_unknown = {k: True for k in [
        "access_policies", "advanced_options", "advanced_security_options", "arn", "auto_tune_options",
        "dashboard_endpoint", "dashboard_endpoint_v2", "domain_endpoint_v2_hosted_zone_id", "domain_id", "endpoint",
        "endpoint_v2", "id", "ip_address_type", "kibana_endpoint", "off_peak_window_options",
        "software_update_options"]}
    dom_unknown["cluster_config"] = [{"cold_storage_options": True, "multi_az_with_standby_enabled": True}]
    dom_unknown["ebs_options"] = [{"iops": True, "throughput": True}]
    dom_unknown["encrypt_at_rest"] = [{"kms_key_id": True}]
    rcs.append(RC("aws_opensearch_domain.logs", ["create"], None, dom_after, unknown=dom_unknown))
    dp = doc(pstmt({"AWS": f"arn:aws:iam::{ACCT}:role/log-shipper"}, ["es:ESHttpPost", "es:ESHttpPut"],
                   f"arn:aws:es:{REGION}:{ACCT}:domain/{domain}/*", sid="LogShipperWrites"))
    rcs.append(RC("aws_opensearch_domain_policy.logs", ["create"], None,
                  {"access_policies": jsonencode(dp), "domain_name": domain, "timeouts": None}, unknown={"id": True}))
    res.append(cres("aws_opensearch_domain.logs", {
        "cluster_config": [{"instance_count": const(2), "instance_type": const("r6g.large.search"),
                            "zone_awareness_config": [{"availability_zone_count": const(2)}],
                            "zone_awareness_enabled": const(True)}],
        "domain_endpoint_options": [{"enforce_https": const(True),
                                     "tls_security_policy": const("Policy-Min-TLS-1-2-PFS-2023-10")}],
        "domain_name": const(domain),
        "ebs_options": [{"ebs_enabled": const(True), "volume_size": const(100), "volume_type": const("gp3")}],
        "encrypt_at_rest": [{"enabled": const(True)}],
        "engine_version": const("OpenSearch_2.13"),
        "node_to_node_encryption": [{"enabled": const(True)}],
        "tags": const({"team": "platform"})}))
    res.append(cres("aws_opensearch_domain_policy.logs", {
        "access_policies": refs("aws_opensearch_domain.logs.domain_name", "aws_opensearch_domain.logs"),
        "domain_name": ref_attr("aws_opensearch_domain.logs", "domain_name")}))

    # 6. CloudWatch Logs resource policy (its own subject): Route 53 may now write on behalf of any account.
    logs_res = f"arn:aws:logs:us-east-1:{ACCT}:log-group:/aws/route53/*"
    r53 = pstmt({"Service": "route53.amazonaws.com"}, ["logs:CreateLogStream", "logs:PutLogEvents"], logs_res,
                sid="Route53QueryLogging")
    old = doc(dict(r53, Condition={"ArnLike": {"aws:SourceArn": "arn:aws:route53:::hostedzone/*"},
                                   "StringEquals": {"aws:SourceAccount": ACCT}}))
    new = doc(r53)
    rcs.append(update("aws_cloudwatch_log_resource_policy.route53_query_logging",
                      {"id": "route53-query-logging", "policy_document": normalized(old),
                       "policy_name": "route53-query-logging"}, {"policy_document": jsonencode(new)}))
    res.append(cres("aws_cloudwatch_log_resource_policy.route53_query_logging", {
        "policy_document": {}, "policy_name": const("route53-query-logging")}))

    # 7. VPC endpoint (its own subject): a policy limited to the own account -> the full-access policy.
    vpce_id = "vpce-0f1e2d3c4b5a69788"
    restricted = doc(pstmt("*", ["s3:GetObject", "s3:ListBucket", "s3:PutObject"],
                           ["arn:aws:s3:::acme-*", "arn:aws:s3:::acme-*/*"], sid="OwnAccountBuckets",
                           condition={"StringEquals": {"aws:PrincipalAccount": ACCT}}))
    full = {"Version": V, "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}
    ep = {"arn": f"arn:aws:ec2:{REGION}:{ACCT}:vpc-endpoint/{vpce_id}", "auto_accept": None,
          "cidr_blocks": ["3.5.64.0/21", "3.5.72.0/23", "52.92.0.0/17", "52.218.0.0/17"], "dns_entry": [],
          "dns_options": [], "id": vpce_id, "ip_address_type": "", "network_interface_ids": [], "owner_id": ACCT,
          "policy": normalized(restricted), "prefix_list_id": "pl-6da54004", "private_dns_enabled": False,
          "requester_managed": False, "resource_configuration_arn": "",
          "route_table_ids": ["rtb-0a1b2c3d4e5f60718", "rtb-0a1b2c3d4e5f60719"], "security_group_ids": [],
          "service_name": f"com.amazonaws.{REGION}.s3", "service_network_arn": "", "state": "available",
          "subnet_configuration": [], "subnet_ids": [], "tags": {"Name": "s3-gateway"},
          "tags_all": {"Name": "s3-gateway"}, "timeouts": None, "vpc_endpoint_type": "Gateway",
          "vpc_id": "vpc-0a1b2c3d4e5f60718"}
    rcs.append(update("aws_vpc_endpoint.s3", ep, {"policy": jsonencode(full)}))
    res.append(cres("aws_vpc_endpoint.s3", {
        "policy": {}, "route_table_ids": refs("var.private_route_table_ids"),
        "service_name": const(f"com.amazonaws.{REGION}.s3"), "tags": const({"Name": "s3-gateway"}),
        "vpc_id": refs("var.vpc_id")}))

    variables = {"api_vpc_endpoints": {"description": "VPC endpoints allowed by the internal API's policy"},
                 "private_route_table_ids": {"description": "Route tables of the private subnets"},
                 "reports_consumer_account": {"description": "Account that consumes the exported reports"},
                 "vpc_id": {}}
    cfg = config(res, variables=variables)
    p = plan(rcs, cfg, variables={"api_vpc_endpoints": vpces[:1],
                                  "private_route_table_ids": ep["route_table_ids"],
                                  "reports_consumer_account": FOREIGN, "vpc_id": ep["vpc_id"]},
             timestamp="2025-06-14T10:40:00Z")
    out(emit, "resource-policies-compute.json", p, [
        ("aws_lambda_function.thumbnailer", "widened"),
        ("aws_lambda_function.webhook", "widened"),
        ("aws_lambda_function.reports", "widened"),
        ("aws_api_gateway_rest_api.internal", "narrowed"),
        ("aws_opensearch_domain.logs", "created"),
        ("aws_cloudwatch_log_resource_policy.route53_query_logging", "widened"),
        ("aws_vpc_endpoint.s3", "widened"),
    ], reach=[
        ("aws_lambda_function.thumbnailer", "service", "source-condition-missing"),
        ("aws_lambda_function.webhook", "public", "-"),
        ("aws_lambda_function.reports", "foreign-account", "-"),
        ("aws_cloudwatch_log_resource_policy.route53_query_logging", "service", "source-condition-missing"),
        ("aws_vpc_endpoint.s3", "public", "-"),
    ], absent=["aws_lambda_permission.thumbnailer_s3", "aws_lambda_permission.webhook_url",
               "aws_lambda_permission.reports_partner", "aws_api_gateway_rest_api_policy.internal",
               "aws_opensearch_domain_policy.logs"])


# ---------------------------------------------------------------- kms-s3-unknown-trap
def kms_s3_unknown_trap(emit):
    rcs, res = [], []
    tags = {"team": "platform"}
    root_stmt = pstmt({"AWS": ROOT}, "kms:*", "*", sid="Enable IAM User Permissions")

    # The trap: created without `policy` in configuration -> after_unknown.policy = true, not a subject.
    after, unknown = key_create("ElastiCache at-rest encryption", tags=tags)
    rcs.append(RC("aws_kms_key.cache", ["create"], None, after, unknown=unknown))
    res.append(cres("aws_kms_key.cache", {"deletion_window_in_days": const(10),
                                          "description": const("ElastiCache at-rest encryption"),
                                          "enable_key_rotation": const(True), "tags": const(tags)}))
    after, unknown = bucket_create(name="acme-scratch-eu-west-1", tags=tags)
    rcs.append(RC("aws_s3_bucket.scratch", ["create"], None, after, unknown=unknown))
    res.append(cres("aws_s3_bucket.scratch", {"bucket": const("acme-scratch-eu-west-1"), "tags": const(tags)}))

    # Existing key, policy not configured: the computed policy (AWS default) stays as it is.
    app_id = "7c1d9e2f-3a4b-4c5d-8e6f-9a0b1c2d3e4f"
    app = key_state(app_id, "Application data encryption", default_key_policy(), tags=tags, rotation=False,
                    deletion_window=None)
    rcs.append(update("aws_kms_key.app", app, {"enable_key_rotation": True}))
    res.append(cres("aws_kms_key.app", {"description": const("Application data encryption"),
                                        "enable_key_rotation": const(True), "tags": const(tags)}))

    # Existing bucket, policy not configured: its computed policy was set outside Terraform.
    outside = doc(pstmt({"AWS": f"arn:aws:iam::{FOREIGN2}:root"}, "s3:GetObject", "arn:aws:s3:::acme-reports/*",
                        sid="AuditorRead"))
    rep = bucket_state("acme-reports", policy=normalized(outside), tags=tags)
    rcs.append(update("aws_s3_bucket.reports", rep, {"tags": {"team": "finance"}, "tags_all": {"team": "finance"}}))
    res.append(cres("aws_s3_bucket.reports", {"bucket": const("acme-reports"), "tags": const({"team": "finance"})}))

    # A role created in this plan, named by two key policies below.
    signer_trust = jsonencode(trust({"Service": "lambda.amazonaws.com"}))
    after, unknown = role_create("artifact-signer", signer_trust, description="Signs release artifacts")
    rcs.append(RC("aws_iam_role.signer", ["create"], None, after, unknown=unknown))
    res.append(cres("aws_iam_role.signer", {"assume_role_policy": {}, "description": const("Signs release artifacts"),
                                            "name": const("artifact-signer")}))
    signer_policy_refs = refs("aws_iam_role.signer.arn", "aws_iam_role.signer")

    # Existing key with a configured policy that is known only after apply: unverifiable.
    sign_id = "3e8a1b7c-6d5f-4a2e-9b1c-0d7e6f5a4b3c"
    old = doc(root_stmt, pstmt({"AWS": f"arn:aws:iam::{ACCT}:role/release-pipeline"}, ["kms:GetPublicKey", "kms:Sign"],
                               "*", sid="ReleaseSigning"))
    sign = key_state(sign_id, "Release signing key", normalized(old), tags=tags)
    sign["customer_master_key_spec"] = "ECC_NIST_P256"
    sign["key_usage"] = "SIGN_VERIFY"
    sign["enable_key_rotation"] = False
    sign["rotation_period_in_days"] = 0
    rcs.append(update("aws_kms_key.signing", sign, {"policy": DROP}, unknown={"policy": True}))
    res.append(cres("aws_kms_key.signing", {"customer_master_key_spec": const("ECC_NIST_P256"),
                                            "deletion_window_in_days": const(30),
                                            "description": const("Release signing key"),
                                            "key_usage": const("SIGN_VERIFY"), "policy": signer_policy_refs,
                                            "tags": const(tags)}))

    # New key whose configured policy is unknown: a subject, and created.
    after, unknown = key_create("Session token encryption", tags=tags)
    rcs.append(RC("aws_kms_key.tokens", ["create"], None, after, unknown=unknown))
    res.append(cres("aws_kms_key.tokens", {"deletion_window_in_days": const(10),
                                           "description": const("Session token encryption"),
                                           "enable_key_rotation": const(True), "policy": signer_policy_refs,
                                           "tags": const(tags)}))

    # New bucket named by bucket_prefix: its bucket policy's `bucket` and `policy` are unknown; the
    # subject is found through configuration (bucket = aws_s3_bucket.uploads.id).
    after, unknown = bucket_create(prefix="acme-uploads-", tags=tags)
    rcs.append(RC("aws_s3_bucket.uploads", ["create"], None, after, unknown=unknown))
    res.append(cres("aws_s3_bucket.uploads", {"bucket_prefix": const("acme-uploads-"), "tags": const(tags)}))
    rcs.append(RC("aws_s3_bucket_policy.uploads", ["create"], None, {}, unknown={"bucket": True, "id": True,
                                                                               "policy": True}))
    res.append(cres("aws_s3_bucket_policy.uploads", {
        "bucket": ref_attr("aws_s3_bucket.uploads", "id"),
        "policy": refs("aws_s3_bucket.uploads.arn", "aws_s3_bucket.uploads")}))

    out(emit, "kms-s3-unknown-trap.json", plan(rcs, config(res), timestamp="2025-06-14T11:00:00Z"), [
        ("aws_kms_key.signing", "unverifiable"),
        ("aws_kms_key.tokens", "created"),
        ("aws_s3_bucket.uploads", "created"),
        ("aws_iam_role.signer", "created"),
    ], absent=["aws_kms_key.cache", "aws_s3_bucket.scratch", "aws_kms_key.app", "aws_s3_bucket.reports",
               "aws_s3_bucket_policy.uploads"])


# ---------------------------------------------------------------- public-access-block
def public_access_block(emit):
    rcs, res = [], []
    tags = {"team": "web"}

    def public_bucket(key, name, prefix):
        pol = doc(pstmt("*", "s3:GetObject", f"arn:aws:s3:::{name}/{prefix}*", sid="PublicRead"))
        rcs.append(noop(f"aws_s3_bucket.{key}", bucket_state(name, policy=normalized(pol), tags=tags)))
        rcs.append(noop(f"aws_s3_bucket_policy.{key}", bucket_policy_state(name, normalized(pol))))
        res.append(cres(f"aws_s3_bucket.{key}", {"bucket": const(name), "tags": const(tags)}))
        res.append(cres(f"aws_s3_bucket_policy.{key}", {
            "bucket": ref_attr(f"aws_s3_bucket.{key}", "id"),
            "policy": refs(f"aws_s3_bucket.{key}.arn", f"aws_s3_bucket.{key}")}))

    # 1. block_public_policy and restrict_public_buckets turned off: the public bucket policy, which the
    #    block made ineffective, now applies.
    public_bucket("site", "acme-public-site", "")
    rcs.append(update("aws_s3_bucket_public_access_block.site", pab_state("acme-public-site"),
                      {"block_public_policy": False, "restrict_public_buckets": False}))
    res.append(cres("aws_s3_bucket_public_access_block.site", {
        "block_public_acls": const(True), "block_public_policy": const(False),
        "bucket": ref_attr("aws_s3_bucket.site", "id"), "ignore_public_acls": const(True),
        "restrict_public_buckets": const(False)}))

    # 2. The block is removed from the configuration altogether.
    public_bucket("downloads", "acme-downloads", "public/")
    rcs.append(RC("aws_s3_bucket_public_access_block.downloads", ["delete"], pab_state("acme-downloads"), None,
                  reason="delete_because_no_resource_config"))

    # 3. A block tightened from all-false to all-true (no bucket policy): judged narrowed.
    rcs.append(noop("aws_s3_bucket.audit_logs", bucket_state("acme-audit-logs", tags={"team": "security"},
                                                             versioning=True)))
    res.append(cres("aws_s3_bucket.audit_logs", {"bucket": const("acme-audit-logs"),
                                                 "tags": const({"team": "security"})}))
    rcs.append(update("aws_s3_bucket_public_access_block.audit_logs", pab_state("acme-audit-logs", on=False),
                      {"block_public_acls": True, "block_public_policy": True, "ignore_public_acls": True,
                       "restrict_public_buckets": True}))
    res.append(cres("aws_s3_bucket_public_access_block.audit_logs", {
        "block_public_acls": const(True), "block_public_policy": const(True),
        "bucket": ref_attr("aws_s3_bucket.audit_logs", "id"), "ignore_public_acls": const(True),
        "restrict_public_buckets": const(True)}))

    # 4. The account-wide block turned off.
    acct = {"account_id": ACCT, "block_public_acls": True, "block_public_policy": True, "id": ACCT,
            "ignore_public_acls": True, "restrict_public_buckets": True}
    rcs.append(update("aws_s3_account_public_access_block.this", acct,
                      {"block_public_acls": False, "block_public_policy": False, "ignore_public_acls": False,
                       "restrict_public_buckets": False}))
    res.append(cres("aws_s3_account_public_access_block.this", {
        "block_public_acls": const(False), "block_public_policy": const(False), "ignore_public_acls": const(False),
        "restrict_public_buckets": const(False)}))

    out(emit, "public-access-block.json", plan(rcs, config(res), timestamp="2025-06-14T11:20:00Z"), [
        ("aws_s3_bucket.site", "widened"),
        ("aws_s3_bucket.downloads", "widened"),
        ("aws_s3_bucket.audit_logs", "narrowed"),
        ("aws_s3_account_public_access_block.this", "widened"),
    ], reach=[
        ("aws_s3_bucket.site", "public", "public-access-block-disabled"),
        ("aws_s3_bucket.downloads", "public", "public-access-block-disabled"),
        ("aws_s3_account_public_access_block.this", "public", "public-access-block-disabled"),
    ], absent=["aws_s3_bucket_public_access_block.site", "aws_s3_bucket_public_access_block.downloads",
               "aws_s3_bucket_public_access_block.audit_logs", "aws_s3_bucket_policy.site"])


# ---------------------------------------------------------------- resource-policies-judged
def resource_policies_judged(emit):
    rcs, res = [], []
    tags = {"team": "data"}
    reader = f"arn:aws:iam::{ACCT}:role/data-reader"

    def bucket_policy(key, name, old, new):
        rcs.append(noop(f"aws_s3_bucket.{key}", bucket_state(name, policy=normalized(old), tags=tags)))
        rcs.append(update(f"aws_s3_bucket_policy.{key}", bucket_policy_state(name, normalized(old)),
                          {"policy": jsonencode(new)}))
        res.append(cres(f"aws_s3_bucket.{key}", {"bucket": const(name), "tags": const(tags)}))
        res.append(cres(f"aws_s3_bucket_policy.{key}", {"bucket": ref_attr(f"aws_s3_bucket.{key}", "id"),
                                                         "policy": {}}))

    def own_read(name):
        return pstmt({"AWS": reader}, "s3:GetObject", f"arn:aws:s3:::{name}/*", sid="DataReader")

    # 1. A statement whose Resource is another bucket (S3 refuses it at apply: Policy has invalid resource).
    old = doc(own_read("acme-exports"))
    new = doc(own_read("acme-exports"),
              pstmt({"AWS": f"arn:aws:iam::{FOREIGN}:root"}, "s3:GetObject", "arn:aws:s3:::acme-partner-exports/*",
                    sid="PartnerCopy"))
    bucket_policy("exports", "acme-exports", old, new)

    # 2. A bucket created with a policy copied from another bucket's: it names acme-prod, not acme-staging.
    after, unknown = bucket_create(name="acme-staging", tags=tags)
    rcs.append(RC("aws_s3_bucket.staging", ["create"], None, after, unknown=unknown))
    res.append(cres("aws_s3_bucket.staging", {"bucket": const("acme-staging"), "tags": const(tags)}))
    copied = doc(pstmt("*", "s3:GetObject", "arn:aws:s3:::acme-prod/*", sid="PublicRead"))
    rcs.append(RC("aws_s3_bucket_policy.staging", ["create"], None, {"policy": jsonencode(copied)},
                  unknown={"bucket": True, "id": True}))
    res.append(cres("aws_s3_bucket_policy.staging", {"bucket": ref_attr("aws_s3_bucket.staging", "id"),
                                                     "policy": {}}))

    # 3. Actions of another service: a bucket policy decides only S3 requests.
    old = doc(own_read("acme-logs"))
    new = doc(own_read("acme-logs"), pstmt("*", "ec2:*", "arn:aws:s3:::acme-logs/*", sid="Instances"))
    bucket_policy("logs", "acme-logs", old, new)

    # 4. An action S3 does not have (S3 refuses it at apply: Policy has invalid action).
    old = doc(own_read("acme-media"))
    new = doc(own_read("acme-media"), pstmt("*", "s3:GetBucket", "arn:aws:s3:::acme-media", sid="Describe"))
    bucket_policy("media", "acme-media", old, new)

    # 5. Action "*" on this bucket's objects and another bucket's: s3:* on this bucket's objects only.
    old = doc(own_read("acme-shared"))
    new = doc(own_read("acme-shared"),
              pstmt({"AWS": f"arn:aws:iam::{FOREIGN}:root"}, "*",
                    ["arn:aws:s3:::acme-shared/*", "arn:aws:s3:::acme-shared-archive/*"], sid="PartnerAll"))
    bucket_policy("shared", "acme-shared", old, new)

    # 6. A key policy statement on another key: a key policy decides only requests on its own key.
    key_id = "9d3b7e51-2c4a-4f8e-a1b6-7c0d2e4f6a8b"
    root_stmt = pstmt({"AWS": ROOT}, "kms:*", "*", sid="Enable IAM User Permissions")
    old = doc(root_stmt)
    new = doc(root_stmt, pstmt({"AWS": f"arn:aws:iam::{FOREIGN}:root"}, "kms:Decrypt",
                               f"arn:aws:kms:{REGION}:{ACCT}:key/0f4e2d1c-5b6a-4978-8c3d-e2f1a0b9c8d7",
                               sid="PartnerDecrypt"))
    rcs.append(noop("aws_kms_key.orders", key_state(key_id, "Order exports", normalized(old), tags=tags)))
    rcs.append(update("aws_kms_key_policy.orders", {"bypass_policy_lockout_safety_check": False, "id": key_id,
                                                    "key_id": key_id, "policy": normalized(old)},
                      {"policy": jsonencode(new)}))
    res.append(cres("aws_kms_key.orders", {"deletion_window_in_days": const(30), "description": const("Order exports"),
                                           "enable_key_rotation": const(True), "tags": const(tags)}))
    res.append(cres("aws_kms_key_policy.orders", {"key_id": ref_attr("aws_kms_key.orders", "id"), "policy": {}}))

    out(emit, "resource-policies-judged.json", plan(rcs, config(res), timestamp="2025-06-14T11:40:00Z"), [
        ("aws_s3_bucket.exports", "unchanged"),
        ("aws_s3_bucket.staging", "created"),
        ("aws_s3_bucket.logs", "unchanged"),
        ("aws_s3_bucket.media", "unchanged"),
        ("aws_s3_bucket.shared", "widened"),
        ("aws_kms_key.orders", "unchanged"),
    ], reach=[
        ("aws_s3_bucket.shared", "foreign-account", "-"),
    ], absent=["aws_s3_bucket_policy.exports", "aws_s3_bucket_policy.staging", "aws_s3_bucket_policy.logs",
               "aws_s3_bucket_policy.media", "aws_s3_bucket_policy.shared", "aws_kms_key_policy.orders"])


# ---------------------------------------------------------------- own-account-evidence
def own_account_evidence(emit):
    rcs, res = [], []
    tags = {"team": "reporting"}
    reader_arn = f"arn:aws:iam::{ACCT}:role/report-reader"
    # Read at plan time: only in prior_state. Its ARN is the one place the plan names its account.
    reader = RC("data.aws_iam_role.report_reader", ["read"], {
        "arn": reader_arn, "assume_role_policy": normalized(trust({"Service": "ecs-tasks.amazonaws.com"})),
        "create_date": "2024-02-02T10:00:00Z", "description": "Reads monthly reports", "id": "report-reader",
        "max_session_duration": 3600, "name": "report-reader", "path": "/", "permissions_boundary": "",
        "role_last_used": [{"last_used_date": "", "region": ""}], "tags": {}, "unique_id": "AROARZ5WDQ3LREP0RTRD"},
        None, mode="data")
    res.append(cres("data.aws_iam_role.report_reader", {"name": const("report-reader")}, mode="data"))

    def bucket_policy(key, name, principal, sid):
        logs = pstmt({"Service": "logging.s3.amazonaws.com"}, "s3:PutObject", f"arn:aws:s3:::{name}/logs/*",
                     sid="ServerAccessLogs")
        old = doc(logs)
        new = doc(logs, pstmt({"AWS": principal}, "s3:GetObject", f"arn:aws:s3:::{name}/*", sid=sid))
        rcs.append(noop(f"aws_s3_bucket.{key}", bucket_state(name, policy=normalized(old), tags=tags)))
        rcs.append(update(f"aws_s3_bucket_policy.{key}", bucket_policy_state(name, normalized(old)),
                          {"policy": jsonencode(new)}))
        res.append(cres(f"aws_s3_bucket.{key}", {"bucket": const(name), "tags": const(tags)}))
        res.append(cres(f"aws_s3_bucket_policy.{key}", {"bucket": ref_attr(f"aws_s3_bucket.{key}", "id"),
                                                         "policy": {}}))

    bucket_policy("reports", "acme-reports-archive", reader_arn, "ReportReader")
    # A principal's ARN is what the reach check judges, never evidence of the plan's own account.
    bucket_policy("partner_feed", "acme-partner-feed", f"arn:aws:iam::{FOREIGN}:role/feed-reader", "PartnerFeed")

    p = plan(rcs, config(res), prior_data=[reader], timestamp="2025-06-14T12:00:00Z")
    out(emit, "own-account-evidence.json", p, [
        ("aws_s3_bucket.reports", "widened"),
        ("aws_s3_bucket.partner_feed", "widened"),
    ], reach=[
        ("aws_s3_bucket.reports", "own-account", "-"),
        ("aws_s3_bucket.partner_feed", "foreign-account", "-"),
    ], absent=["aws_s3_bucket_policy.reports", "aws_s3_bucket_policy.partner_feed", "data.aws_iam_role.report_reader"])


def generate(emit):
    """Writes the reach fixtures; returns (REACH rows, ABSENT rows)."""
    for f in [trust_oidc, trust_cross_account, resource_policies_storage, resource_policies_messaging,
              resource_policies_compute, kms_s3_unknown_trap, public_access_block, resource_policies_judged,
              own_account_evidence]:
        f(emit)
    return REACH, ABSENT
