//! Scope comparison on small policy pairs, including the tricky cases.

use super::parse_str;
use crate::compare::{compare, Limits};
use crate::model::{Request, Scope};
use crate::providers::aws::vocabulary::Aws;

fn scope(doc: &str) -> Scope {
    Scope {
        statements: parse_str(doc).unwrap().unwrap_or_default(),
        boundary: None,
    }
}

fn widening(old: &Scope, new: &Scope) -> Option<Request> {
    compare(old, new, &Limits::default(), &Aws::default())
        .unwrap()
        .witness()
        .cloned()
}

fn allow(actions: &str, resources: &str) -> String {
    format!(r#"{{"Statement":[{{"Effect":"Allow","Action":{actions},"Resource":{resources}}}]}}"#)
}

#[test]
fn get_star_widens_get_object() {
    let old = scope(&allow(r#""s3:GetObject""#, r#""arn:aws:s3:::b/*""#));
    let new = scope(&allow(r#""s3:Get*""#, r#""arn:aws:s3:::b/*""#));
    let w = widening(&old, &new).expect("widened");
    let a = w.action.to_lowercase();
    assert!(a.starts_with("s3:get") && a != "s3:getobject", "{w:?}");
    assert!(w.resource.starts_with("arn:aws:s3:::b/"), "{w:?}");
    assert!(widening(&new, &old).is_none(), "narrowing is not widening");
}

#[test]
fn rewrites_are_not_widening() {
    let old = scope(
        r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/*"},
            {"Effect":"Allow","Action":"sqs:SendMessage","Resource":["arn:aws:sqs:eu-west-1:1:q"]}]}"#,
    );
    let new = scope(
        r#"{"Statement":[
            {"Resource":"arn:aws:sqs:eu-west-1:1:q","Action":["SQS:sendmessage"],"Effect":"Allow"},
            {"Effect":"Allow","Action":["s3:putobject","S3:GetObject","s3:GetObject"],"Resource":["arn:aws:s3:::b/*"]}],
            "Version":"2012-10-17"}"#,
    );
    assert!(old.same_statements(&new));
    assert!(widening(&old, &new).is_none());
    assert!(widening(&new, &old).is_none());
}

#[test]
fn resources_are_case_sensitive_actions_are_not() {
    let old = scope(&allow(r#""s3:getobject""#, r#""arn:aws:s3:::b/*""#));
    let new = scope(&allow(r#""S3:GETOBJECT""#, r#""arn:aws:s3:::B/*""#));
    let w = widening(&old, &new).expect("bucket B is another bucket");
    assert!(w.resource.starts_with("arn:aws:s3:::B/"));
}

#[test]
fn resource_prefix_containment() {
    let narrow = scope(&allow(r#""s3:GetObject""#, r#""arn:aws:s3:::b/logs/*""#));
    let wide = scope(&allow(r#""s3:GetObject""#, r#""arn:aws:s3:::b/*""#));
    let w = widening(&narrow, &wide).expect("widened");
    assert!(!w.resource.starts_with("arn:aws:s3:::b/logs/"), "{w:?}");
    assert!(widening(&wide, &narrow).is_none());
}

#[test]
fn question_mark_is_one_character() {
    let q = scope(&allow(r#""s3:GetObject""#, r#""arn:aws:s3:::b/log?""#));
    let one = scope(&allow(r#""s3:GetObject""#, r#""arn:aws:s3:::b/log1""#));
    assert!(widening(&q, &one).is_none());
    let w = widening(&one, &q).expect("log? covers more than log1");
    assert_eq!(w.resource.len(), "arn:aws:s3:::b/log1".len());
}

#[test]
fn union_coverage() {
    let old = scope(&allow(r#"["s3:Get*","s3:Put*"]"#, r#""*""#));
    let new = scope(&allow(r#"["s3:GetObject","s3:PutObject"]"#, r#""*""#));
    assert!(widening(&old, &new).is_none());
    let old = scope(&allow(r#"["s3:GetObject","s3:GetObjectAcl"]"#, r#""*""#));
    let new = scope(&allow(r#""s3:GetObject*""#, r#""*""#));
    let w = widening(&old, &new).expect("s3:GetObject* covers more");
    let a = w.action.to_lowercase();
    assert!(a != "s3:getobject" && a != "s3:getobjectacl" && a.starts_with("s3:getobject"));
}

#[test]
fn not_action_shrinking_widens() {
    let old = scope(&allow(r#"null"#, r#""*""#).replace(
        r#""Action":null"#,
        r#""NotAction":["iam:*","organizations:*"]"#,
    ));
    let new =
        scope(&allow(r#"null"#, r#""*""#).replace(r#""Action":null"#, r#""NotAction":"iam:*""#));
    let w = widening(&old, &new).expect("organizations now allowed");
    assert!(
        w.action.to_lowercase().starts_with("organizations:"),
        "{w:?}"
    );
    assert!(widening(&new, &old).is_none());
}

#[test]
fn removing_a_deny_widens() {
    let old = scope(
        r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},
            {"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}"#,
    );
    let new = scope(&allow(r#""s3:*""#, r#""*""#));
    let w = widening(&old, &new).expect("widened");
    assert_eq!(w.action.to_lowercase(), "s3:deletebucket");
    assert!(widening(&new, &old).is_none());
}

#[test]
fn boundary_caps_and_its_removal_widens() {
    let mut old = scope(&allow(r#""s3:*""#, r#""*""#));
    old.boundary = Some(
        parse_str(&allow(r#""s3:Get*""#, r#""*""#))
            .unwrap()
            .unwrap(),
    );
    let mut new = old.clone();
    new.boundary = None;
    let w = widening(&old, &new).expect("boundary removed");
    assert!(!w.action.to_lowercase().starts_with("s3:get"));
    assert!(widening(&new, &old).is_none());
}

fn with_condition(cond: &str) -> Scope {
    scope(&format!(
        r#"{{"Statement":[{{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*","Condition":{cond}}}]}}"#
    ))
}

#[test]
fn conditions() {
    let plain = scope(&allow(r#""ec2:RunInstances""#, r#""*""#));
    let eu = with_condition(r#"{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}"#);
    let eu2 =
        with_condition(r#"{"StringEquals":{"aws:RequestedRegion":["eu-west-1","eu-central-1"]}}"#);
    let eu2_reordered =
        with_condition(r#"{"StringEquals":{"AWS:RequestedRegion":["eu-central-1","eu-west-1"]}}"#);
    // Dropping a condition widens, with the key absent (or another value) in the witness.
    let w = widening(&eu, &plain).expect("dropped condition");
    assert_eq!(w.context.len(), 1);
    assert!(widening(&plain, &eu).is_none());
    // Adding a value widens; the witness uses the new value.
    let w = widening(&eu, &eu2).expect("added value");
    assert_eq!(w.context[0].1, "eu-central-1");
    assert!(widening(&eu2, &eu).is_none());
    // Same condition, written differently.
    assert!(widening(&eu2, &eu2_reordered).is_none());
    assert!(widening(&eu2_reordered, &eu2).is_none());
    // StringLike with a wildcard covers more than StringEquals.
    let like = with_condition(r#"{"StringLike":{"aws:RequestedRegion":"eu-*"}}"#);
    assert!(widening(&eu2, &like).is_some());
    assert!(widening(&like, &eu2).is_none());
    // IfExists lets requests without the key through.
    let if_exists =
        with_condition(r#"{"StringEqualsIfExists":{"aws:RequestedRegion":"eu-west-1"}}"#);
    let w = widening(&eu, &if_exists).expect("IfExists");
    assert_eq!(w.context[0].1, "(absent)");
}

#[test]
fn unmodelled_operators_compare_by_identity() {
    let binary = |v: &str| with_condition(&format!(r#"{{"BinaryEquals":{{"aws:Payload":{v}}}}}"#));
    assert!(widening(&binary(r#"["QQ==","Qg=="]"#), &binary(r#"["Qg==","QQ=="]"#)).is_none());
    // Not modelled: a change reads as a widening even when it narrows (a reader can dismiss
    // it), and is never hidden.
    assert!(widening(&binary(r#"["QQ==","Qg=="]"#), &binary(r#"["QQ=="]"#)).is_some());
    let plain = scope(&allow(r#""ec2:RunInstances""#, r#""*""#));
    assert!(widening(&binary(r#"["QQ=="]"#), &plain).is_some());
    assert!(widening(&plain, &binary(r#"["QQ=="]"#)).is_none());
    // The comparison says when it relied on an unmodelled clause.
    let approximate = |old: &Scope, new: &Scope| {
        crate::compare::compare_both(old, new, &Limits::default(), &Aws::default())
            .unwrap()
            .0
            .approximate
    };
    assert!(approximate(&binary(r#"["QQ=="]"#), &plain));
    let modelled = with_condition(r#"{"ForAnyValue:StringLike":{"aws:TagKeys":["team"]}}"#);
    assert!(!approximate(&modelled, &plain));
}

fn trust(principal: &str) -> Scope {
    scope(&format!(
        r#"{{"Statement":[{{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{principal}}}]}}"#
    ))
}

#[test]
fn principals() {
    let star = trust(r#""*""#);
    let aws_star = trust(r#"{"AWS":"*"}"#);
    assert!(widening(&star, &aws_star).is_none() && widening(&aws_star, &star).is_none());
    // How aws_iam_policy_document writes `principals { type = "*" }`.
    let star_star = trust(r#"{"*":["*"]}"#);
    assert!(widening(&star, &star_star).is_none() && widening(&star_star, &star).is_none());
    let account = trust(r#"{"AWS":"444455556666"}"#);
    let w = widening(&star, &account).map(|w| w.principal);
    assert_eq!(w, None);
    let w = widening(&account, &star).expect("anyone").principal;
    assert!(!w.contains("444455556666"), "{w}");
    let w = widening(&star_star, &account);
    assert!(w.is_none());
    let named = widening(
        &trust(r#"{"AWS":"arn:aws:iam::111122223333:root"}"#),
        &account,
    )
    .expect("another account")
    .principal;
    assert_eq!(named, "AWS:arn:aws:iam::444455556666:root");
    let acct = trust(r#"{"AWS":"arn:aws:iam::111122223333:root"}"#);
    let bare = trust(r#"{"AWS":"111122223333"}"#);
    assert!(widening(&acct, &bare).is_none() && widening(&bare, &acct).is_none());
    let w = widening(&acct, &star).expect("anyone");
    assert!(!w.principal.contains("111122223333"), "{w:?}");
    let role = trust(r#"{"AWS":"arn:aws:iam::111122223333:role/ci"}"#);
    assert!(widening(&acct, &role).is_none());
    assert!(widening(&role, &acct).is_some());
}

#[test]
fn oidc_subject_widening() {
    let pinned = trust(
        r#"{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}"#,
    );
    let mut pinned = pinned;
    let sub = |op: &str, v: &str| {
        crate::providers::aws::policy::parse_str(&format!(
            r#"{{"Statement":[{{"Effect":"Allow","Action":"sts:AssumeRoleWithWebIdentity","Principal":{{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}},"Condition":{{"{op}":{{"token.actions.githubusercontent.com:sub":"{v}"}}}}}}]}}"#
        ))
        .unwrap()
        .unwrap()
    };
    pinned.statements = sub("StringEquals", "repo:acme/api:ref:refs/heads/main");
    let mut wide = pinned.clone();
    wide.statements = sub("StringLike", "repo:acme/*");
    let w = widening(&pinned, &wide).expect("any acme repository");
    let v = &w.context[0].1;
    assert!(
        v.starts_with("repo:acme/") && v != "repo:acme/api:ref:refs/heads/main",
        "{w:?}"
    );
    assert!(widening(&wide, &pinned).is_none());
}

#[test]
fn wrong_types_are_errors() {
    assert!(parse_str("42").is_err());
    assert!(
        parse_str(r#"{"Statement":[{"Effect":"Allow","Action":{"a":1},"Resource":"*"}]}"#).is_err()
    );
    assert!(
        parse_str(r#"{"Statement":[{"Effect":"Maybe","Action":"a","Resource":"*"}]}"#).is_err()
    );
    assert!(parse_str("{not json").is_err());
    assert_eq!(parse_str("").unwrap(), None);
}

#[test]
fn ip_conditions_compare_by_containment() {
    let wide = with_condition(r#"{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#);
    let narrow = with_condition(r#"{"IpAddress":{"aws:SourceIp":["10.1.0.0/16","10.2.3.4"]}}"#);
    assert!(widening(&wide, &narrow).is_none());
    let w = widening(&narrow, &wide).expect("10.0.0.0/8 covers more");
    let ip = &w.context[0].1;
    assert!(ip.starts_with("10.") && !ip.starts_with("10.1."), "{w:?}");
    // NotIpAddress: shrinking the excluded range widens.
    let not_wide = with_condition(r#"{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#);
    let not_narrow = with_condition(r#"{"NotIpAddress":{"aws:SourceIp":"10.1.0.0/16"}}"#);
    assert!(widening(&not_wide, &not_narrow).is_some());
    assert!(widening(&not_narrow, &not_wide).is_none());
    // IPv6 is another family: adding a v6 range widens a v4-only condition.
    let both = with_condition(r#"{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]}}"#);
    let w = widening(&wide, &both).expect("IPv6 added");
    assert!(w.context[0].1.contains(':'), "{w:?}");
}

#[test]
fn numeric_and_date_conditions_compare_by_value() {
    let lt = |n: &str| with_condition(&format!(r#"{{"NumericLessThan":{{"s3:max-keys":"{n}"}}}}"#));
    assert!(widening(&lt("100"), &lt("10")).is_none());
    let w = widening(&lt("10"), &lt("100")).expect("higher bound");
    let n: f64 = w.context[0].1.parse().unwrap();
    assert!((10.0..100.0).contains(&n), "{w:?}");
    let before = |d: &str| {
        with_condition(&format!(
            r#"{{"DateLessThan":{{"aws:CurrentTime":"{d}"}}}}"#
        ))
    };
    assert!(widening(
        &before("2026-01-01T00:00:00Z"),
        &before("2025-06-01T00:00:00Z")
    )
    .is_none());
    let w = widening(
        &before("2025-06-01T00:00:00Z"),
        &before("2026-01-01T00:00:00+00:00"),
    )
    .expect("later expiry");
    assert!(w.context[0].1.starts_with("2025-"), "{w:?}");
    let same = before("2026-01-01");
    assert!(widening(&before("2026-01-01T00:00:00Z"), &same).is_none());
    // NumericNotEquals with one more value excluded narrows.
    let ne = |v: &str| with_condition(&format!(r#"{{"NumericNotEquals":{{"k":{v}}}}}"#));
    assert!(widening(&ne("[1]"), &ne("[1,2]")).is_none());
    assert!(widening(&ne("[1,2]"), &ne("[1]")).is_some());
}

#[test]
fn set_operators() {
    let all = |v: &str| {
        with_condition(&format!(
            r#"{{"ForAllValues:StringEquals":{{"aws:TagKeys":{v}}}}}"#
        ))
    };
    let any = |v: &str| {
        with_condition(&format!(
            r#"{{"ForAnyValue:StringEquals":{{"aws:TagKeys":{v}}}}}"#
        ))
    };
    // Allowing more tag keys widens; fewer narrows; order does not matter.
    assert!(widening(&all(r#"["team"]"#), &all(r#"["env","team"]"#)).is_some());
    assert!(widening(&all(r#"["env","team"]"#), &all(r#"["team"]"#)).is_none());
    assert!(widening(&all(r#"["env","team"]"#), &all(r#"["team","env"]"#)).is_none());
    // ForAllValues holds for a request without tags: dropping it for ForAnyValue narrows.
    let w = widening(&any(r#"["team"]"#), &all(r#"["team"]"#)).expect("no tags at all");
    assert_eq!(w.context[0].1, "(absent)", "{w:?}");
    // A ForAnyValue request needs one matching element; the witness is a set of values.
    let w = widening(&any(r#"["team"]"#), &any(r#"["env","team"]"#)).expect("env");
    assert!(
        w.context[0].1.contains("env") && !w.context[0].1.contains("team"),
        "{w:?}"
    );
    // Set and single-valued operators on one key: not modelled together, still sound.
    let mixed = with_condition(
        r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["team"]},"StringEquals":{"aws:TagKeys":"team"}}"#,
    );
    assert!(widening(&mixed, &all(r#"["team"]"#)).is_some());
}

#[test]
fn case_insensitive_operators_fold_case() {
    let eq = |op: &str, v: &str| {
        with_condition(&format!(r#"{{"{op}":{{"aws:PrincipalTag/team":"{v}"}}}}"#))
    };
    let ic = |v: &str| eq("StringEqualsIgnoreCase", v);
    assert!(widening(&ic("Payments"), &ic("PAYMENTS")).is_none());
    assert!(widening(&ic("payments"), &ic("search")).is_some());
    let ne = |v: &str| eq("StringNotEqualsIgnoreCase", v);
    assert!(widening(&ne("Payments"), &ne("payments")).is_none());
    let w = widening(&ne("payments"), &ic("payments")).expect("excluded becomes required");
    assert_eq!(w.context[0].1, "payments", "{w:?}");
    let b = |v: &str| with_condition(&format!(r#"{{"Bool":{{"aws:SecureTransport":"{v}"}}}}"#));
    assert!(widening(&b("true"), &b("TRUE")).is_none());
}

#[test]
fn arn_conditions_compare_component_by_component() {
    let src = |v: &str| with_condition(&format!(r#"{{"ArnLike":{{"aws:SourceArn":"{v}"}}}}"#));
    let one_region = src("arn:aws:lambda:us-east-1:111122223333:function:*");
    let any_region = src("arn:aws:lambda:*:111122223333:function:*");
    assert!(widening(&any_region, &one_region).is_none());
    let w = widening(&one_region, &any_region).expect("other regions");
    let arn = &w.context[0].1;
    assert!(
        arn.starts_with("arn:aws:lambda:") && !arn.contains("us-east-1"),
        "{w:?}"
    );
    // A `*` in the region component cannot swallow the account's colon.
    assert_eq!(arn.split(':').count(), 7, "{w:?}");
}

#[test]
fn a_key_twice_in_one_object_is_rejected_not_resolved() {
    for doc in [
        r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Action":"*","Resource":"*"}]}"#,
        r#"{"Statement":[],"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true","aws:SecureTransport":"false"}}}}"#,
    ] {
        let e = parse_str(doc).unwrap_err();
        assert!(e.0.contains("a key twice"), "{e}");
    }
    // The same key in two objects is fine.
    assert!(parse_str(
        r#"{"Statement":[{"Effect":"Allow","Action":"a:b","Resource":"*"},{"Effect":"Allow","Action":"a:c","Resource":"*"}]}"#
    )
    .is_ok());
}

#[test]
fn copies_of_a_statement_each_get_the_delta_of_the_first() {
    let old = scope(&allow(r#""s3:GetObject""#, r#""*""#));
    let one = r#"{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}"#;
    let new = scope(&format!(r#"{{"Statement":[{one},{one},{one}]}}"#));
    let delta = compare(&old, &new, &Limits::default(), &Aws::default()).unwrap();
    let at: Vec<usize> = delta.statements.iter().map(|d| d.statement).collect();
    assert_eq!(at, [0, 1, 2]);
    assert!(delta
        .statements
        .iter()
        .all(|d| d.example == delta.statements[0].example));
}

/// The exact added actions of a comparison, by name.
fn added_actions(old: &str, new: &str) -> Vec<String> {
    let delta = compare(
        &scope(old),
        &scope(new),
        &Limits::default(),
        &Aws::default(),
    )
    .unwrap();
    let cat = crate::catalog::aws::catalog();
    let mut names: Vec<String> = delta
        .statements
        .iter()
        .flat_map(|d| d.exact.clone().unwrap_or_default().actions)
        .map(|id| {
            let a = cat.by_id(id);
            format!("{}:{}", a.service, a.name)
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

fn allow_one(action: &str, resource: &str) -> String {
    allow(&format!("{action:?}"), &format!("{resource:?}"))
}

#[test]
fn a_wildcard_over_object_actions_adds_only_the_object_level_ones() {
    let old = allow_one("s3:GetObject", "arn:aws:s3:::acme-artifacts/*");
    let new = allow_one("s3:Get*", "arn:aws:s3:::acme-artifacts/*");
    let added = added_actions(&old, &new);
    assert_eq!(added.len(), 15, "{added:?}");
    assert!(
        added.iter().all(|a| a.starts_with("s3:GetObject")),
        "{added:?}"
    );
    let w = widening(&scope(&old), &scope(&new)).unwrap();
    assert!(w.action.starts_with("s3:GetObject"), "{w:?}");
    assert!(
        w.resource.starts_with("arn:aws:s3:::acme-artifacts/"),
        "{w:?}"
    );
}

#[test]
fn statements_no_request_can_meet_grant_nothing() {
    let none = r#"{"Statement":[]}"#;
    // A bucket action on objects, PassRole on users, an action that takes only `*` on an ARN.
    for (action, resource) in [
        ("s3:ListBucket", "arn:aws:s3:::b/*"),
        ("iam:PassRole", "arn:aws:iam::123456789012:user/*"),
        ("s3:ListAllMyBuckets", "arn:aws:s3:::b"),
    ] {
        let new = allow_one(action, resource);
        assert_eq!(
            widening(&scope(none), &scope(&new)),
            None,
            "{action} on {resource}"
        );
    }
    // The same actions on resources of their own types do grant.
    for (action, resource) in [
        ("s3:ListBucket", "arn:aws:s3:::b"),
        ("iam:PassRole", "arn:aws:iam::123456789012:role/*"),
        ("s3:ListAllMyBuckets", "*"),
    ] {
        let new = allow_one(action, resource);
        assert!(
            widening(&scope(none), &scope(&new)).is_some(),
            "{action} on {resource}"
        );
    }
}

#[test]
fn a_removed_deny_adds_exactly_the_actions_it_denied() {
    let old = r#"{"Statement":[
        {"Effect":"Allow","Action":"ec2:*","Resource":"*"},
        {"Effect":"Deny","Action":["ec2:TerminateInstances","ec2:DeleteVolume"],"Resource":"*"}]}"#;
    let new = r#"{"Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}"#;
    assert_eq!(
        added_actions(old, new),
        ["ec2:DeleteVolume", "ec2:TerminateInstances"]
    );
}

#[test]
fn an_action_the_catalog_lacks_keeps_any_resource() {
    let none = r#"{"Statement":[]}"#;
    let new = allow_one("s3:GetBucketWidgets", "arn:aws:s3:::b/*");
    let delta = compare(
        &scope(none),
        &scope(&new),
        &Limits::default(),
        &Aws::default(),
    )
    .unwrap();
    let exact = delta.statements[0].exact.clone().unwrap();
    assert!(exact.actions.is_empty());
    assert_eq!(exact.unknown, [0]);
}
