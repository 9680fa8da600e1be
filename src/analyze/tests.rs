//! The pipeline end to end, and test support for the extractors: a plan made of resource
//! changes, analysed.

use super::{analyze, Options};
use crate::compare::Limits;
use crate::report::Report;
use serde_json::{json, Value};

/// A plan with these resource changes and this configuration, analysed with `options`.
pub(crate) fn analyse(changes: Value, configuration: Value, options: &Options) -> Report {
    let plan = json!({
        "format_version": "1.2",
        "planned_values": {},
        "configuration": configuration,
        "resource_changes": changes,
    });
    let bytes = serde_json::to_vec(&plan).unwrap();
    let plan = crate::plan::load(&bytes).unwrap();
    analyze(&plan, &Limits::default(), options).unwrap()
}

/// Each identity's address and verdict, in report order.
pub(crate) fn verdicts(r: &Report) -> Vec<(String, String)> {
    r.identities
        .iter()
        .map(|i| (i.address.clone(), format!("{:?}", i.verdict)))
        .collect()
}

#[test]
fn identities_past_the_plan_budget_are_unverifiable() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/plans/resource-wildcards.json"
    );
    let bytes = std::fs::read(path).unwrap();
    let plan = crate::plan::load(&bytes).unwrap();
    let full = analyze(&plan, &Limits::default(), &Options::default()).unwrap();
    assert_eq!(full.summary.unverifiable, 0);
    let tight = Limits {
        max_plan_work: 1,
        ..Limits::default()
    };
    let report = analyze(&plan, &tight, &Options::default()).unwrap();
    // The first identity (by address) is compared; the budget is then spent.
    assert_eq!(report.identities[0].verdict, full.identities[0].verdict);
    assert_eq!(report.summary.unverifiable, report.identities.len() - 1);
    assert!(report.identities[1].notes[0].contains("budget"));
}

/// A bucket whose new policy lets `principal` read it; nothing else in the plan names an account.
fn bucket_opened_to(principal: &str) -> Value {
    let bucket = json!({"bucket": "acme-data", "arn": "arn:aws:s3:::acme-data", "id": "acme-data"});
    let policy = json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": principal},
        "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-data/*"}]});
    let holder = |p: Option<&Value>| {
        let mut v = json!({"bucket": "acme-data", "id": "acme-data", "policy": ""});
        if let Some(p) = p {
            v["policy"] = p.to_string().into();
        }
        v
    };
    json!([
        {"address": "aws_s3_bucket.data", "mode": "managed", "type": "aws_s3_bucket", "name": "data",
         "change": {"actions": ["no-op"], "before": bucket, "after": bucket, "after_unknown": {}}},
        {"address": "aws_s3_bucket_policy.data", "mode": "managed", "type": "aws_s3_bucket_policy",
         "name": "data", "change": {"actions": ["update"], "before": holder(None),
         "after": holder(Some(&policy)), "after_unknown": {}}},
    ])
}

#[test]
fn a_plan_that_names_no_account_says_so_unless_its_provider_does() {
    let own = "arn:aws:iam::111122223333:role/reader";
    let alone = analyse(bucket_opened_to(own), json!({}), &Options::default());
    assert_eq!(
        alone.reach[0].class,
        crate::report::PrincipalClass::ForeignAccount
    );
    assert!(alone.notes[0].starts_with("no resource in this plan names its AWS account"));
    let configuration = json!({"provider_config": {"aws": {"name": "aws", "expressions": {
        "allowed_account_ids": {"constant_value": ["111122223333"]}}}}});
    let told = analyse(bucket_opened_to(own), configuration, &Options::default());
    assert_eq!(
        told.reach[0].class,
        crate::report::PrincipalClass::OwnAccount
    );
    assert!(told.notes.is_empty(), "{:?}", told.notes);
}
