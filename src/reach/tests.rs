use crate::analyze::{analyze, Options};
use crate::compare::Limits;
use crate::report::{PrincipalClass, Report};
use serde_json::{json, Value};

/// A plan that changes one role's trust policy from `old` to `new`.
fn trust_change(old: Value, new: Value) -> Vec<u8> {
    trust_change_marked(old, new, json!({}))
}

/// The same, with `after_sensitive` set to `marks`.
fn trust_change_marked(old: Value, new: Value, marks: Value) -> Vec<u8> {
    let role = |policy: &Value| {
        json!({
            "name": "deploy",
            "arn": "arn:aws:iam::111122223333:role/deploy",
            "assume_role_policy": policy.to_string(),
        })
    };
    let plan = json!({
        "format_version": "1.2",
        "resource_changes": [{
            "address": "aws_iam_role.deploy",
            "mode": "managed",
            "type": "aws_iam_role",
            "name": "deploy",
            "change": {
                "actions": ["update"],
                "before": role(&old),
                "after": role(&new),
                "after_unknown": {},
                "before_sensitive": {},
                "after_sensitive": marks,
            }
        }]
    });
    serde_json::to_vec(&plan).unwrap()
}

fn run(old: Value, new: Value, options: &Options) -> Report {
    let bytes = trust_change(old, new);
    let plan = crate::plan::load(&bytes).unwrap();
    analyze(&plan, &Limits::default(), options).unwrap()
}

fn trust(principal: Value, condition: Value) -> Value {
    let mut st = json!({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"});
    if !condition.is_null() {
        st["Condition"] = condition;
    }
    json!({"Version": "2012-10-17", "Statement": [st]})
}

#[test]
fn a_new_account_is_foreign_unless_trusted() {
    let own = trust(json!({"AWS": "111122223333"}), Value::Null);
    let both = trust(
        json!({"AWS": ["111122223333", "444455556666"]}),
        Value::Null,
    );
    let r = run(own.clone(), both.clone(), &Options::default());
    assert_eq!(r.reach.len(), 1, "{:?}", r.reach);
    let entry = &r.reach[0];
    assert_eq!(entry.class, PrincipalClass::ForeignAccount);
    assert_eq!(entry.account.as_deref(), Some("444455556666"));
    let example = entry.example.as_ref().unwrap();
    assert_eq!(
        example.principal.as_deref(),
        Some("AWS:arn:aws:iam::444455556666:root")
    );
    assert_eq!(r.summary.foreign_reach, 1);

    let trusting = Options {
        trusted_accounts: vec!["444455556666".into()],
        ..Options::default()
    };
    let r = run(own, both, &trusting);
    assert_eq!(r.reach[0].class, PrincipalClass::TrustedAccount);
    assert_eq!(r.summary.foreign_reach, 0);
}

#[test]
fn equivalent_spellings_reach_nobody_new() {
    let cases = [
        (json!("*"), json!({"AWS": "*"})),
        (
            json!({"AWS": "111122223333"}),
            json!({"AWS": "arn:aws:iam::111122223333:root"}),
        ),
        (
            json!({"AWS": "111122223333"}),
            json!({"AWS": ["111122223333"]}),
        ),
    ];
    for (a, b) in cases {
        let r = run(
            trust(a.clone(), Value::Null),
            trust(b.clone(), Value::Null),
            &Options::default(),
        );
        assert!(r.reach.is_empty(), "{a} vs {b}: {:?}", r.reach);
        assert_eq!(r.summary.unchanged, 1, "{a} vs {b}");
    }
}

#[test]
fn removed_external_id_is_named_and_the_example_omits_it() {
    let cond = json!({"StringEquals": {"sts:ExternalId": "acme-7f3a"}});
    let p = json!({"AWS": "arn:aws:iam::999988887777:root"});
    let r = run(
        trust(p.clone(), cond),
        trust(p, Value::Null),
        &Options::default(),
    );
    let entry = &r.reach[0];
    let codes: Vec<&str> = entry.concerns.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(codes, ["external-id-removed"]);
    let example = entry.example.as_ref().unwrap();
    assert_eq!(
        example.context.get("sts:ExternalId").map(String::as_str),
        Some("(absent)")
    );
    // The secret-like value itself is never printed.
    let text = serde_json::to_string(&r.reach).unwrap();
    assert!(!text.contains("acme-7f3a"), "{text}");
}

#[test]
fn an_org_pinned_star_is_an_organization_and_unpinning_it_is_public() {
    let org = json!({"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3"}});
    let none = trust(json!({"AWS": "111122223333"}), Value::Null);
    let r = run(none, trust(json!("*"), org.clone()), &Options::default());
    assert_eq!(r.reach[0].class, PrincipalClass::Organization);
    let r = run(
        trust(json!("*"), org),
        trust(json!("*"), Value::Null),
        &Options::default(),
    );
    assert_eq!(r.reach[0].class, PrincipalClass::Public);
    assert_eq!(
        r.reach[0].concerns[0].code.as_str(),
        "org-condition-removed"
    );
    assert_eq!(r.summary.public_reach, 1);
    assert!(r.findings.iter().any(|f| f.code == "PD006"));
}

#[test]
fn web_identity_subjects() {
    let gh = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
    let web = |cond: Value| {
        json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Federated": gh},
            "Action": "sts:AssumeRoleWithWebIdentity", "Condition": cond}]})
    };
    let aud = json!({"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"});
    let mut pinned = aud.clone();
    pinned["token.actions.githubusercontent.com:sub"] = json!("repo:acme/api:ref:refs/heads/main");
    let old = web(json!({"StringEquals": pinned}));

    let org_wide = web(json!({"StringEquals": aud.clone(),
        "StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/*"}}));
    let r = run(old.clone(), org_wide, &Options::default());
    let entry = &r.reach[0];
    assert_eq!(entry.class, PrincipalClass::Federated);
    assert_eq!(entry.concerns[0].code.as_str(), "oidc-subject-broad");
    assert!(entry.concerns[0].message.contains("any repository of acme"));
    let sub = &entry.example.as_ref().unwrap().context["token.actions.githubusercontent.com:sub"];
    assert_eq!(sub, "repo:acme/other:pull_request");

    let aud_only = web(json!({"StringEquals": aud}));
    let r = run(old, aud_only, &Options::default());
    let entry = &r.reach[0];
    assert_eq!(entry.concerns[0].code.as_str(), "oidc-subject-missing");
    let ctx = &entry.example.as_ref().unwrap().context;
    assert_eq!(
        ctx["token.actions.githubusercontent.com:sub"],
        "repo:someone-else/any-repo:pull_request"
    );
    assert_eq!(
        ctx["token.actions.githubusercontent.com:aud"],
        "sts.amazonaws.com"
    );
    // The identity's witness is the same realistic request.
    assert_eq!(r.identities[0].witness.as_ref(), entry.example.as_ref());
    assert!(r.findings.iter().any(|f| f.code == "PD008"));
}

#[test]
fn a_sensitive_trust_policy_is_classed_but_never_shown() {
    let old = trust(json!({"AWS": "111122223333"}), Value::Null);
    let new = trust(
        json!({"AWS": "arn:aws:iam::444455556666:role/secret-partner"}),
        Value::Null,
    );
    let bytes = trust_change_marked(old, new, json!({"assume_role_policy": true}));
    let plan = crate::plan::load(&bytes).unwrap();
    let r = analyze(&plan, &Limits::default(), &Options::default()).unwrap();
    assert_eq!(r.reach.len(), 1);
    let entry = &r.reach[0];
    assert_eq!(entry.class, PrincipalClass::ForeignAccount);
    assert_eq!(entry.principal, "(sensitive)");
    assert!(entry.example.is_none() && entry.account.is_none());
    let text = serde_json::to_string(&r).unwrap();
    assert!(
        !text.contains("444455556666") && !text.contains("secret-partner"),
        "{text}"
    );
}

/// A plan that changes the policy of bucket `oracle-r0` from `old` to `new`.
fn bucket_policy_change(old: Value, new: Value) -> Report {
    let bucket = json!({"bucket": "oracle-r0", "id": "oracle-r0", "arn": "arn:aws:s3:::oracle-r0"});
    let policy =
        |p: &Value| json!({"bucket": "oracle-r0", "id": "oracle-r0", "policy": p.to_string()});
    let change = |address: &str, kind: &str, before: Value, after: Value, actions: &str| {
        json!({
            "address": address, "mode": "managed", "type": kind,
            "name": address.split('.').nth(1).unwrap(),
            "change": {"actions": [actions], "before": before, "after": after,
                       "after_unknown": {}, "before_sensitive": {}, "after_sensitive": {}}
        })
    };
    let plan = json!({
        "format_version": "1.2",
        "resource_changes": [
            change("aws_s3_bucket.b", "aws_s3_bucket", bucket.clone(), bucket, "no-op"),
            change("aws_s3_bucket_policy.b", "aws_s3_bucket_policy", policy(&old), policy(&new), "update"),
        ]
    });
    let bytes = serde_json::to_vec(&plan).unwrap();
    let plan = crate::plan::load(&bytes).unwrap();
    analyze(&plan, &Limits::default(), &Options::default()).unwrap()
}

#[test]
fn a_bucket_policy_reaches_only_its_bucket() {
    let statement = |resource: &str, value: &str| {
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:*",
            resource: value}]})
    };
    // NotResource of the bucket: everything else it governs, its objects, is new; an IAM role or
    // another bucket is not this policy's to grant.
    let r = bucket_policy_change(
        statement("Resource", "arn:aws:s3:::oracle-r0"),
        statement("NotResource", "arn:aws:s3:::oracle-r0"),
    );
    let bucket = &r.resources[0];
    assert_eq!(bucket.verdict, crate::model::Verdict::Widened);
    let example = bucket.witness.as_ref().unwrap();
    assert!(
        example.resource.starts_with("arn:aws:s3:::oracle-r0/"),
        "{example:?}"
    );
    // Resource * and the bucket's own ARNs say the same thing in a bucket policy.
    let r = bucket_policy_change(
        statement("Resource", "*"),
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:*",
            "Resource": ["arn:aws:s3:::oracle-r0", "arn:aws:s3:::oracle-r0/*"]}]}),
    );
    assert_eq!(r.resources[0].verdict, crate::model::Verdict::Unchanged);
}
