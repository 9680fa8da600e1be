"""Fixtures for AWS resources that carry access beyond the IAM identities (issue 18, item 5).

aws-resource-policies.json: every resource policy type read since privdiff names what it skips.
  aws_elasticsearch_domain.logs     policy created: es:* for Principal {"AWS": "*"} (terragoat's
                                    domain policy)                        widened, PD006 critical
  aws_dynamodb_table.orders         table policy for account 444455556666 goes from GetItem to
                                    dynamodb:*                            widened, cross-account
  aws_kinesis_stream.events         created with a stream policy whose resource_arn is the new
                                    stream's, known after apply           created
  aws_codeartifact_domain.acme      domain policy narrowed from codeartifact:* to
                                    GetAuthorizationToken                 narrowed
  aws_codeartifact_repository.npm   repository policy: ReadFromRepository for "*" within the
                                    organisation (pinned, not public)     created
  aws_s3tables_table_bucket.lake    table bucket policy: s3tables:* for 444455556666  widened
  aws_efs_file_system.shared        file system policy: ClientMount/ClientWrite for "*" with only
                                    aws:SecureTransport (not a pin)       widened, PD006
  aws_glue_resource_policy.catalog  glue:* for Principal {"AWS": "*"}     created, PD006 critical
"""
from lib import RC, plan, config, cres, const, refs, doc, stmt, jsonencode, normalized, noop, update
from lib import ACCT, AWS, user_state

# The provider that still takes `acl` on aws_s3_bucket (deprecated since 4.0).
AWS3 = AWS

REGION = "eu-west-1"
OTHER = "444455556666"


def arn(service, rest):
    return f"arn:aws:{service}:{REGION}:{ACCT}:{rest}"


def generate(emit):
    resource_policies(emit)
    acls(emit)
    credentials(emit)


def resource_policies(emit):
    rcs, res, expected = [], [], []

    def existing(address, state, exprs):
        rcs.append(noop(address, state))
        res.append(cres(address, exprs))

    def create(address, after, unknown, exprs):
        rcs.append(RC(address, ["create"], None, after, unknown=unknown))
        res.append(cres(address, exprs))

    def changed(address, before, changes, exprs):
        rcs.append(update(address, before, changes))
        res.append(cres(address, exprs))

    # Elasticsearch: a domain opened to every AWS principal.
    domain = arn("es", "domain/logs")
    existing("aws_elasticsearch_domain.logs",
             {"arn": domain, "domain_name": "logs", "elasticsearch_version": "7.10", "id": domain},
             {"domain_name": const("logs")})
    anyone = doc(stmt("es:*", f"{domain}/*", principal={"AWS": "*"}))
    create("aws_elasticsearch_domain_policy.logs",
           {"access_policies": jsonencode(anyone), "domain_name": "logs"}, {"id": True},
           {"domain_name": refs("aws_elasticsearch_domain.logs.domain_name",
                                "aws_elasticsearch_domain.logs"), "access_policies": {}})
    expected.append(("aws_elasticsearch_domain.logs", "widened"))

    # DynamoDB: a partner account's read becomes everything.
    table = arn("dynamodb", "table/orders")
    existing("aws_dynamodb_table.orders", {"arn": table, "id": "orders", "name": "orders",
                                           "stream_arn": f"{table}/stream/2026-01-01T00:00:00.000"},
             {"name": const("orders")})
    partner = {"AWS": f"arn:aws:iam::{OTHER}:root"}
    before = {"confirm_remove_self_resource_access": False, "id": table, "resource_arn": table,
              "policy": normalized(doc(stmt("dynamodb:GetItem", table, principal=partner))),
              "revision_id": "1"}
    changed("aws_dynamodb_resource_policy.orders", before,
            {"policy": jsonencode(doc(stmt("dynamodb:*", [table, f"{table}/*"], principal=partner)))},
            {"resource_arn": refs("aws_dynamodb_table.orders.arn", "aws_dynamodb_table.orders"),
             "policy": {}})
    expected.append(("aws_dynamodb_table.orders", "widened"))

    # Kinesis: a new stream and its policy, which names the stream's ARN known after apply.
    create("aws_kinesis_stream.events", {"name": "events", "shard_count": 1},
           {"arn": True, "id": True}, {"name": const("events")})
    stream_reader = doc(stmt(["kinesis:DescribeStream", "kinesis:GetRecords", "kinesis:GetShardIterator"],
                             arn("kinesis", "stream/events"), principal=partner))
    create("aws_kinesis_resource_policy.events", {"policy": jsonencode(stream_reader)},
           {"id": True, "resource_arn": True},
           {"resource_arn": refs("aws_kinesis_stream.events.arn", "aws_kinesis_stream.events"),
            "policy": {}})
    expected.append(("aws_kinesis_stream.events", "created"))

    # CodeArtifact: a domain policy narrowed; a repository readable inside the organisation.
    cad = arn("codeartifact", "domain/acme")
    existing("aws_codeartifact_domain.acme", {"arn": cad, "domain": "acme", "id": cad,
                                              "owner": ACCT}, {"domain": const("acme")})
    before = {"domain": "acme", "domain_owner": ACCT, "id": cad, "resource_arn": cad,
              "policy_revision": "1",
              "policy_document": normalized(doc(stmt("codeartifact:*", cad, principal=partner)))}
    changed("aws_codeartifact_domain_permissions_policy.acme", before,
            {"policy_document": jsonencode(doc(stmt("codeartifact:GetAuthorizationToken", cad,
                                                    principal=partner)))},
            {"domain": refs("aws_codeartifact_domain.acme.domain", "aws_codeartifact_domain.acme"),
             "policy_document": {}})
    expected.append(("aws_codeartifact_domain.acme", "narrowed"))
    repo = arn("codeartifact", "repository/acme/npm-internal")
    existing("aws_codeartifact_repository.npm",
             {"arn": repo, "domain": "acme", "id": repo, "repository": "npm-internal"},
             {"domain": const("acme"), "repository": const("npm-internal")})
    org = {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    read = doc(stmt(["codeartifact:ReadFromRepository", "codeartifact:DescribePackageVersion"], repo,
                    principal="*", condition=org))
    create("aws_codeartifact_repository_permissions_policy.npm",
           {"domain": "acme", "repository": "npm-internal", "policy_document": jsonencode(read)},
           {"id": True, "resource_arn": True, "policy_revision": True, "domain_owner": True},
           {"domain": const("acme"), "policy_document": {},
            "repository": refs("aws_codeartifact_repository.npm.repository",
                               "aws_codeartifact_repository.npm")})
    expected.append(("aws_codeartifact_repository.npm", "widened"))

    # S3 Tables: a table bucket given to a partner account.
    lake = arn("s3tables", "bucket/lake")
    existing("aws_s3tables_table_bucket.lake", {"arn": lake, "name": "lake", "owner_account_id": ACCT},
             {"name": const("lake")})
    create("aws_s3tables_table_bucket_policy.lake",
           {"table_bucket_arn": lake,
            "resource_policy": jsonencode(doc(stmt("s3tables:*", [lake, f"{lake}/*"], principal=partner)))},
           {}, {"table_bucket_arn": refs("aws_s3tables_table_bucket.lake.arn",
                                         "aws_s3tables_table_bucket.lake"), "resource_policy": {}})
    expected.append(("aws_s3tables_table_bucket.lake", "widened"))

    # EFS: mounting opened to anyone who uses TLS.
    fs = arn("elasticfilesystem", "file-system/fs-0a1b2c3d4e5f60718")
    existing("aws_efs_file_system.shared", {"arn": fs, "creation_token": "shared",
                                            "id": "fs-0a1b2c3d4e5f60718"},
             {"creation_token": const("shared")})
    tls = {"Bool": {"aws:SecureTransport": "true"}}
    create("aws_efs_file_system_policy.shared",
           {"bypass_policy_lockout_safety_check": False, "file_system_id": "fs-0a1b2c3d4e5f60718",
            "policy": jsonencode(doc(stmt(["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                                          fs, principal={"AWS": "*"}, condition=tls)))},
           {"id": True}, {"file_system_id": refs("aws_efs_file_system.shared.id",
                                                 "aws_efs_file_system.shared"), "policy": {}})
    expected.append(("aws_efs_file_system.shared", "widened"))

    # Glue: the account's Data Catalog opened to every AWS principal.
    create("aws_glue_resource_policy.catalog",
           {"enable_hybrid": None,
            "policy": jsonencode(doc(stmt("glue:*", arn("glue", "*"), principal={"AWS": "*"})))},
           {"id": True}, {"policy": {}})
    expected.append(("aws_glue_resource_policy.catalog", "created"))

    emit("aws-resource-policies.json", plan(rcs, config(res), timestamp="2026-12-07T12:00:00Z"),
         expected)


OWNER_ID = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def acls(emit):
    """s3-acls.json: bucket ACLs read as the policy statements they amount to, weighed with the
    bucket's object ownership and public access block.
      aws_s3_bucket.downloads  aws_s3_bucket_acl "public-read" created (ownership ObjectWriter,
                               public access block all false)      widened, PD006 (list)
      aws_s3_bucket.uploads    access_control_policy gains AllUsers WRITE   widened, PD006 (write)
      aws_s3_bucket.reports    "public-read", but ignore_public_acls is true   unchanged, a note
      aws_s3_bucket.archive    "authenticated-read", but BucketOwnerEnforced   unchanged, a note
      aws_s3_bucket.legacy     created with the provider-3 argument acl = "public-read-write"
                               created, PD006
      aws_s3_bucket.logs       "log-delivery-write": the S3 log delivery service may write
                               widened, no public finding
    """
    rcs, res, expected = [], [], []

    def bucket(name):
        state = {"arn": f"arn:aws:s3:::acme-{name}", "bucket": f"acme-{name}", "id": f"acme-{name}",
                 "force_destroy": False}
        rcs.append(noop(f"aws_s3_bucket.{name}", state))
        res.append(cres(f"aws_s3_bucket.{name}", {"bucket": const(f"acme-{name}")}))

    def on_bucket(name):
        return refs(f"aws_s3_bucket.{name}.id", f"aws_s3_bucket.{name}")

    def canned_acl(name, acl):
        rcs.append(RC(f"aws_s3_bucket_acl.{name}", ["create"], None,
                      {"acl": acl, "bucket": f"acme-{name}", "expected_bucket_owner": None},
                      unknown={"access_control_policy": True, "id": True}))
        res.append(cres(f"aws_s3_bucket_acl.{name}", {"acl": const(acl), "bucket": on_bucket(name)}))

    def pab(name, settings):
        state = {"bucket": f"acme-{name}", "id": f"acme-{name}", **settings}
        rcs.append(noop(f"aws_s3_bucket_public_access_block.{name}", state))
        res.append(cres(f"aws_s3_bucket_public_access_block.{name}",
                        {"bucket": on_bucket(name), **{k: const(v) for k, v in settings.items()}}))

    def ownership(name, rule):
        state = {"bucket": f"acme-{name}", "id": f"acme-{name}", "rule": [{"object_ownership": rule}]}
        rcs.append(noop(f"aws_s3_bucket_ownership_controls.{name}", state))
        res.append(cres(f"aws_s3_bucket_ownership_controls.{name}",
                        {"bucket": on_bucket(name), "rule": [{"object_ownership": const(rule)}]}))

    off = {"block_public_acls": False, "block_public_policy": False, "ignore_public_acls": False,
           "restrict_public_buckets": False}

    bucket("downloads")
    ownership("downloads", "ObjectWriter")
    pab("downloads", off)
    canned_acl("downloads", "public-read")
    expected.append(("aws_s3_bucket.downloads", "widened"))

    bucket("uploads")
    ownership("uploads", "BucketOwnerPreferred")
    owner = {"display_name": "", "id": OWNER_ID}

    def grant(permission, *, uri="", id=""):
        return {"grantee": [{"display_name": "", "email_address": "", "id": id,
                             "type": "Group" if uri else "CanonicalUser", "uri": uri}],
                "permission": permission}
    before = {"acl": None, "bucket": "acme-uploads", "expected_bucket_owner": None, "id": "acme-uploads",
              "access_control_policy": [{"grant": [grant("FULL_CONTROL", id=OWNER_ID)],
                                         "owner": [owner]}]}
    rcs.append(update("aws_s3_bucket_acl.uploads", before, {"access_control_policy": [
        {"grant": [grant("FULL_CONTROL", id=OWNER_ID), grant("WRITE", uri=ALL_USERS)],
         "owner": [owner]}]}))
    res.append(cres("aws_s3_bucket_acl.uploads", {"bucket": on_bucket("uploads"),
                                                  "access_control_policy": [{}]}))
    expected.append(("aws_s3_bucket.uploads", "widened"))

    bucket("reports")
    pab("reports", {**off, "ignore_public_acls": True})
    canned_acl("reports", "public-read")
    expected.append(("aws_s3_bucket.reports", "unchanged"))

    bucket("archive")
    ownership("archive", "BucketOwnerEnforced")
    canned_acl("archive", "authenticated-read")
    expected.append(("aws_s3_bucket.archive", "unchanged"))

    rcs.append(RC("aws_s3_bucket.legacy", ["create"], None,
                  {"acl": "public-read-write", "bucket": "acme-legacy", "force_destroy": False},
                  unknown={"arn": True, "id": True, "grant": True}, provider=AWS3))
    res.append(cres("aws_s3_bucket.legacy", {"acl": const("public-read-write"),
                                             "bucket": const("acme-legacy")}))
    expected.append(("aws_s3_bucket.legacy", "created"))

    bucket("logs")
    ownership("logs", "ObjectWriter")
    canned_acl("logs", "log-delivery-write")
    expected.append(("aws_s3_bucket.logs", "widened"))

    emit("s3-acls.json", plan(rcs, config(res), timestamp="2026-12-07T12:30:00Z"), expected)


def credentials(emit):
    """aws-credentials.json: long-lived credentials created for IAM users, and a function URL.
      aws_iam_user.deploy   an active access key without pgp_key (secret in the state)
                            widened, PD024; an Inactive key beside it counts for nothing
      aws_iam_user.ops      created with a console password encrypted by pgp_key
                            created, PD024 (no word of the state)
      aws_iam_user.legacy   its access key deleted                       narrowed
      aws_lambda_function.api  a function URL with authorization_type NONE (a note) and a
                            permission for "*" to invoke it by URL       widened, PD006
    """
    rcs, res, expected = [], [], []
    on = lambda addr: refs(f"{addr}.name", addr)

    rcs.append(noop("aws_iam_user.deploy", user_state("deploy", "AIDARZ5WDQ3LDEPL0Y001")))
    res.append(cres("aws_iam_user.deploy", {"name": const("deploy")}))
    key = {"pgp_key": None, "status": "Active", "user": "deploy"}
    rcs.append(RC("aws_iam_access_key.deploy", ["create"], None, key,
                  unknown={"create_date": True, "encrypted_secret": True, "id": True,
                           "key_fingerprint": True, "secret": True, "ses_smtp_password_v4": True},
                  after_sens={"secret": True, "ses_smtp_password_v4": True}))
    res.append(cres("aws_iam_access_key.deploy", {"user": on("aws_iam_user.deploy")}))
    rcs.append(RC("aws_iam_access_key.paused", ["create"], None, {**key, "status": "Inactive"},
                  unknown={"create_date": True, "id": True, "secret": True}))
    res.append(cres("aws_iam_access_key.paused", {"user": on("aws_iam_user.deploy"),
                                                  "status": const("Inactive")}))
    expected.append(("aws_iam_user.deploy", "widened"))

    rcs.append(RC("aws_iam_user.ops", ["create"], None,
                  {"name": "ops", "path": "/", "force_destroy": False, "permissions_boundary": None,
                   "tags": None},
                  unknown={"arn": True, "id": True, "unique_id": True, "tags_all": True}))
    res.append(cres("aws_iam_user.ops", {"name": const("ops")}))
    rcs.append(RC("aws_iam_user_login_profile.ops", ["create"], None,
                  {"pgp_key": "keybase:acme_ops", "password_reset_required": True, "user": "ops"},
                  unknown={"encrypted_password": True, "id": True, "key_fingerprint": True,
                           "password": True, "password_length": True}))
    res.append(cres("aws_iam_user_login_profile.ops", {"user": on("aws_iam_user.ops"),
                                                       "pgp_key": const("keybase:acme_ops")}))
    expected.append(("aws_iam_user.ops", "created"))

    rcs.append(noop("aws_iam_user.legacy", user_state("legacy", "AIDARZ5WDQ3LLEGACY01")))
    res.append(cres("aws_iam_user.legacy", {"name": const("legacy")}))
    rcs.append(RC("aws_iam_access_key.legacy", ["delete"],
                  {"id": "AKIARZ5WDQ3LLEGACY01", "pgp_key": None, "status": "Active",
                   "user": "legacy", "create_date": "2021-05-04T10:00:00Z"}, None))
    expected.append(("aws_iam_user.legacy", "narrowed"))

    fn = arn("lambda", "function:api")
    rcs.append(noop("aws_lambda_function.api", {"arn": fn, "function_name": "api", "id": "api",
                                                "role": f"arn:aws:iam::{ACCT}:role/api"}))
    res.append(cres("aws_lambda_function.api", {"function_name": const("api")}))
    rcs.append(RC("aws_lambda_function_url.api", ["create"], None,
                  {"authorization_type": "NONE", "cors": [], "function_name": "api",
                   "qualifier": None},
                  unknown={"function_arn": True, "function_url": True, "id": True, "url_id": True}))
    res.append(cres("aws_lambda_function_url.api", {
        "authorization_type": const("NONE"),
        "function_name": refs("aws_lambda_function.api.function_name", "aws_lambda_function.api")}))
    rcs.append(RC("aws_lambda_permission.url", ["create"], None,
                  {"action": "lambda:InvokeFunctionUrl", "event_source_token": None,
                   "function_name": "api", "function_url_auth_type": "NONE", "principal": "*",
                   "principal_org_id": None, "qualifier": None, "source_account": None,
                   "source_arn": None, "statement_id": "PublicUrl", "statement_id_prefix": None},
                  unknown={"id": True}))
    res.append(cres("aws_lambda_permission.url", {
        "action": const("lambda:InvokeFunctionUrl"), "principal": const("*"),
        "function_url_auth_type": const("NONE"),
        "function_name": refs("aws_lambda_function.api.function_name", "aws_lambda_function.api")}))
    expected.append(("aws_lambda_function.api", "widened"))

    emit("aws-credentials.json", plan(rcs, config(res), timestamp="2026-12-07T13:00:00Z"), expected)
