use super::*;
use crate::model::{Provider, Scope};
use serde_json::{json, Value};

const BUCKET_ARN: &str = "arn:aws:s3:::acme-data";
const KEY_ARN: &str = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// A subject of type `kind` whose after side has `arn` and the resource policy `policy`, read
/// from `aws_s3_bucket_policy.p` (sensitive or not).
fn subject(
    kind: &'static str,
    arn: Option<&str>,
    policy: Value,
    sensitive: bool,
) -> IdentityScopes {
    let mut e = IdentityScopes::outside_plan("aws_x.subject", Provider::Aws, kind, true);
    let origin = e.add_origin("aws_s3_bucket_policy.p", sensitive, &[]);
    let statements = crate::providers::aws::policy::parse(&policy).unwrap();
    e.after.arn = arn.map(str::to_string);
    e.after.resource_policy = Some(Scope {
        statements: crate::model::with_origin(&statements, origin),
        boundary: None,
    });
    e
}

fn allow(action: Value, resource: Value) -> Value {
    json!({"Effect": "Allow", "Principal": "*", "Action": action, "Resource": resource})
}

fn doc(statements: &[Value]) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// The after side's statements as (actions, resources), as shown.
fn kept(e: &IdentityScopes) -> Vec<(Vec<String>, Vec<String>)> {
    e.after
        .resource_policy
        .as_ref()
        .unwrap()
        .statements
        .iter()
        .map(|s| (s.actions.display.to_vec(), s.resources.display.to_vec()))
        .collect()
}

fn notes(e: &IdentityScopes) -> Vec<String> {
    e.after.notes.iter().map(Note::to_string).collect()
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_statement_on_another_bucket_grants_nothing_and_says_why() {
    let mut e = subject(
        BUCKET,
        Some(BUCKET_ARN),
        doc(&[
            allow(json!("s3:GetObject"), json!("arn:aws:s3:::acme-data/*")),
            allow(json!("s3:GetObject"), json!("arn:aws:s3:::other-bucket/*")),
        ]),
        false,
    );
    judge(&mut e);
    assert_eq!(
        kept(&e),
        [(
            strings(&["s3:GetObject"]),
            strings(&["arn:aws:s3:::acme-data/*"])
        )]
    );
    assert_eq!(
        notes(&e),
        ["statement 2 of aws_s3_bucket_policy.p names arn:aws:s3:::other-bucket/*, not this bucket: AWS refuses such a policy at apply (MalformedPolicy: Policy has invalid resource), so it grants nothing here"]
    );
}

#[test]
fn a_statement_partly_on_the_bucket_keeps_that_part() {
    let both = json!([
        "arn:aws:s3:::acme-data-logs/*",
        "arn:aws:s3:::acme-data/in/*"
    ]);
    let mut e = subject(
        BUCKET,
        Some(BUCKET_ARN),
        doc(&[allow(json!("s3:PutObject"), both)]),
        false,
    );
    judge(&mut e);
    assert_eq!(
        kept(&e),
        [(
            strings(&["s3:PutObject"]),
            strings(&["arn:aws:s3:::acme-data/in/*"])
        )]
    );
    let n = notes(&e);
    assert_eq!(n.len(), 1);
    assert!(
        n[0].starts_with(
            "aws_s3_bucket_policy.p also names arn:aws:s3:::acme-data-logs/*, not this bucket"
        ) && n[0].ends_with("only its part on this bucket is counted"),
        "{n:?}"
    );
}

#[test]
fn wildcards_that_reach_the_bucket_cover_it() {
    for resource in [
        "*",
        "arn:aws:s3:::acme-*",
        "arn:aws:s3:::acme-data",
        "arn:aws:s3:::acme-data/*",
        "arn:aws:s3:::*/*",
        "arn:aws:s3:::acme-data/${aws:username}/*",
        "arn:aws:s3:::${aws:PrincipalTag/bucket}/*",
    ] {
        let mut e = subject(
            BUCKET,
            Some(BUCKET_ARN),
            doc(&[allow(json!("s3:GetObject"), json!(resource))]),
            false,
        );
        judge(&mut e);
        assert_eq!(kept(&e).len(), 1, "{resource}");
        assert!(notes(&e).is_empty(), "{resource}: {:?}", notes(&e));
    }
    for resource in [
        "arn:aws:s3:::acme-data-logs",
        "arn:aws:s3:::acme-datax/*",
        "arn:aws:s3:::other/acme-data/*",
    ] {
        let mut e = subject(
            BUCKET,
            Some(BUCKET_ARN),
            doc(&[allow(json!("s3:GetObject"), json!(resource))]),
            false,
        );
        judge(&mut e);
        assert!(kept(&e).is_empty(), "{resource}");
    }
}

#[test]
fn not_resource_grants_nothing_only_when_it_leaves_out_the_whole_bucket() {
    let not_resource = |list: Value| json!({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "NotResource": list});
    let mut e = subject(
        BUCKET,
        Some(BUCKET_ARN),
        doc(&[
            not_resource(json!([
                "arn:aws:s3:::acme-data",
                "arn:aws:s3:::acme-data/*"
            ])),
            not_resource(json!(["arn:aws:s3:::acme-data/private/*"])),
        ]),
        false,
    );
    judge(&mut e);
    assert_eq!(
        kept(&e),
        [(
            strings(&["s3:GetObject"]),
            strings(&["arn:aws:s3:::acme-data/private/*"])
        )]
    );
    assert_eq!(
        notes(&e),
        ["statement 1 of aws_s3_bucket_policy.p excludes every resource of this bucket with NotResource, so it grants nothing here"]
    );
}

#[test]
fn a_bucket_created_in_the_plan_is_judged_by_its_name_in_any_partition() {
    let mut e = subject(
        BUCKET,
        None,
        doc(&[
            allow(json!("s3:GetObject"), json!("arn:aws-cn:s3:::acme-data/*")),
            allow(json!("s3:GetObject"), json!("arn:aws:s3:::acme-other/*")),
        ]),
        false,
    );
    e.after.name = Some("acme-data".into());
    judge(&mut e);
    assert_eq!(
        kept(&e),
        [(
            strings(&["s3:GetObject"]),
            strings(&["arn:aws-cn:s3:::acme-data/*"])
        )]
    );
    assert_eq!(notes(&e).len(), 1);
    // Its ARN is not known: the policy is not capped to it.
    let policy = e.after.resource_policy.as_ref().unwrap();
    let boundary = &policy.boundary.as_ref().unwrap()[0];
    assert_eq!(boundary.resources, Match::any());
    assert_eq!(&*boundary.actions.patterns, ["s3:*"]);
}

#[test]
fn a_key_policy_is_judged_on_its_key_without_claiming_a_refusal() {
    let mut e = subject(
        "aws_kms_key",
        Some(KEY_ARN),
        doc(&[
            allow(json!("kms:*"), json!("*")),
            allow(
                json!("kms:Decrypt"),
                json!("arn:aws:kms:eu-west-1:111122223333:key/other"),
            ),
        ]),
        false,
    );
    judge(&mut e);
    assert_eq!(kept(&e), [(strings(&["kms:*"]), strings(&["*"]))]);
    assert_eq!(
        notes(&e),
        ["statement 2 of aws_s3_bucket_policy.p names arn:aws:kms:eu-west-1:111122223333:key/other, not this key: a key policy decides only requests on its own key, so it grants nothing here"]
    );
}

#[test]
fn actions_of_another_service_are_ignored_and_star_means_the_service() {
    let mut e = subject(
        BUCKET,
        Some(BUCKET_ARN),
        doc(&[
            allow(json!("ec2:*"), json!("arn:aws:s3:::acme-data/*")),
            allow(
                json!(["s3:GetObject", "iam:PassRole"]),
                json!("arn:aws:s3:::acme-data/*"),
            ),
            allow(json!("*"), json!("arn:aws:s3:::acme-data/*")),
        ]),
        false,
    );
    judge(&mut e);
    assert_eq!(
        kept(&e),
        [
            (
                strings(&["s3:GetObject"]),
                strings(&["arn:aws:s3:::acme-data/*"])
            ),
            (strings(&["s3:*"]), strings(&["arn:aws:s3:::acme-data/*"])),
        ]
    );
    assert_eq!(
        notes(&e),
        [
            "statement 1 of aws_s3_bucket_policy.p names ec2:*, which is not an action of S3: a bucket policy decides only S3 requests, so it is ignored",
            "statement 2 of aws_s3_bucket_policy.p names iam:PassRole, which is not an action of S3: a bucket policy decides only S3 requests, so it is ignored",
        ]
    );
}

#[test]
fn unknown_actions_grant_nothing_and_are_named() {
    let mut e = subject(
        BUCKET,
        Some(BUCKET_ARN),
        doc(&[allow(
            json!(["s3:GetBucket", "s3:GetObject", "s3:Gett*"]),
            json!("arn:aws:s3:::acme-data/*"),
        )]),
        false,
    );
    judge(&mut e);
    assert_eq!(
        kept(&e),
        [(
            strings(&["s3:GetObject"]),
            strings(&["arn:aws:s3:::acme-data/*"])
        )]
    );
    assert_eq!(
        notes(&e),
        ["aws_s3_bucket_policy.p names s3:GetBucket, s3:Gett*, which are not actions of S3 (privdiff's catalog of AWS actions has no match for them); they grant nothing here, and AWS refuses such a policy at apply (MalformedPolicy: Policy has invalid action)"]
    );
}

#[test]
fn each_action_pattern_meets_its_fate() {
    let kept = |p: &str, shown: &str| Fate::Kept(p.into(), shown.into());
    assert_eq!(fate("*", "*", "s3"), kept("s3:*", "s3:*"));
    assert_eq!(fate("s3:get*", "s3:Get*", "s3"), kept("s3:get*", "s3:Get*"));
    assert_eq!(
        fate("s*:getobject", "S*:GetObject", "s3"),
        kept("s3:getobject", "s3:GetObject")
    );
    assert_eq!(fate("s3*", "s3*", "s3"), kept("s3*", "s3*"));
    assert_eq!(fate("ec2:*", "ec2:*", "s3"), Fate::OtherService);
    assert_eq!(fate("ec2*", "ec2*", "s3"), Fate::OtherService);
    assert_eq!(
        fate("q*:getobject", "q*:GetObject", "s3"),
        Fate::OtherService
    );
    assert_eq!(fate("s3:getbucket", "s3:GetBucket", "s3"), Fate::Unknown);
    assert_eq!(
        fate("invalid_action", "invalid_action", "s3"),
        Fate::Unknown
    );
    // SNS policies are written in upper case; matching ignores it.
    assert_eq!(
        fate("sns:publish", "SNS:Publish", "sns"),
        kept("sns:publish", "SNS:Publish")
    );
    // A service the catalog does not have is not judged.
    assert_eq!(
        fate("nosuchsvc:doit", "nosuchsvc:DoIt", "nosuchsvc"),
        kept("nosuchsvc:doit", "nosuchsvc:DoIt")
    );
}

#[test]
fn a_sensitive_document_is_judged_without_naming_its_content() {
    let mut e = subject(
        BUCKET,
        Some(BUCKET_ARN),
        doc(&[
            allow(json!("s3:GetObject"), json!("arn:aws:s3:::secret-bucket/*")),
            allow(json!("ec2:RunInstances"), json!("arn:aws:s3:::acme-data/*")),
        ]),
        true,
    );
    judge(&mut e);
    assert!(kept(&e).is_empty());
    let n = notes(&e).join("\n");
    assert!(
        !n.contains("secret-bucket") && !n.contains("RunInstances"),
        "{n}"
    );
    assert!(n.contains("not shown: the document is sensitive"), "{n}");
}

#[test]
fn the_policy_is_capped_to_the_subject_and_its_service() {
    let mut e = subject(
        BUCKET,
        Some(BUCKET_ARN),
        doc(&[allow(json!("s3:GetObject"), json!("*"))]),
        false,
    );
    judge(&mut e);
    let boundary = e.after.resource_policy.unwrap().boundary.unwrap();
    assert_eq!(
        &*boundary[0].resources.patterns,
        ["arn:aws:s3:::acme-data", "arn:aws:s3:::acme-data/*"]
    );
    assert_eq!(&*boundary[0].actions.patterns, ["s3:*"]);
}

/// A bucket whose policy changes from `old` to `new`, analysed.
fn bucket_change(old: Value, new: Value) -> crate::report::Report {
    let bucket = json!({"bucket": "acme-data", "arn": BUCKET_ARN, "id": "acme-data"});
    let policy =
        |p: &Value| json!({"bucket": "acme-data", "id": "acme-data", "policy": p.to_string()});
    let changes = json!([
        {"address": "aws_s3_bucket.data", "mode": "managed", "type": "aws_s3_bucket", "name": "data",
         "change": {"actions": ["no-op"], "before": bucket, "after": bucket, "after_unknown": {}}},
        {"address": "aws_s3_bucket_policy.data", "mode": "managed", "type": "aws_s3_bucket_policy",
         "name": "data", "change": {"actions": ["update"], "before": policy(&old), "after": policy(&new),
         "after_unknown": {}}},
    ]);
    crate::analyze::tests::analyse(changes, json!({}), &Default::default())
}

#[test]
fn not_action_in_a_bucket_policy_reaches_only_s3_actions() {
    let own = allow(json!("s3:GetObject"), json!("arn:aws:s3:::acme-data/*"));
    let mut wide = json!({"Effect": "Allow", "Principal": "*", "NotAction": "s3:DeleteObject",
                          "Resource": "arn:aws:s3:::acme-data/*"});
    wide["Sid"] = json!("Wide");
    let r = bucket_change(doc(std::slice::from_ref(&own)), doc(&[own, wide]));
    let example = r.reach[0].example.as_ref().unwrap();
    assert!(example.action.starts_with("s3:"), "{example:?}");
}

#[test]
fn identity_policies_keep_unknown_actions_as_they_are() {
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetBucket", "Resource": "*"}]});
    let role = |p: Option<&Value>| {
        let mut r = json!({"name": "app", "arn": "arn:aws:iam::111122223333:role/app",
                           "assume_role_policy": doc(&[json!({"Effect": "Allow",
                               "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})]).to_string(),
                           "inline_policy": []});
        if let Some(p) = p {
            r["inline_policy"] = json!([{"name": "p", "policy": p.to_string()}]);
        }
        r
    };
    let changes = json!([{"address": "aws_iam_role.app", "mode": "managed", "type": "aws_iam_role",
        "name": "app", "change": {"actions": ["update"], "before": role(None), "after": role(Some(&policy)),
        "after_unknown": {}}}]);
    let r = crate::analyze::tests::analyse(changes, json!({}), &Default::default());
    let added = &r.identities[0].added;
    assert_eq!(added[0].actions, ["s3:GetBucket"]);
    assert!(r.identities[0].notes.is_empty());
}
