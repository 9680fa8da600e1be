//! The embedded AWS data: fresh (matches what `scripts/aws-data` pins, and what `SOURCE.txt`
//! says about it) and right (spot checks of content a reviewer can verify in AWS's docs).

#[path = "aws_data/sha256.rs"]
mod sha256;

use privdiff::catalog::aws::{catalog, managed, AccessLevel};
use privdiff::catalog::sources;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn json(path: &str) -> Value {
    serde_json::from_slice(&std::fs::read(root().join(path)).unwrap()).unwrap()
}

fn source_lines(kind: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(root().join("data/aws/SOURCE.txt")).unwrap();
    text.lines()
        .filter_map(|l| l.strip_prefix(kind)?.strip_prefix(' '))
        .map(|l| l.split(' ').map(String::from).collect())
        .collect()
}

fn counts() -> BTreeMap<String, usize> {
    source_lines("count")
        .into_iter()
        .map(|f| (f[0].clone(), f[1].parse().unwrap()))
        .collect()
}

#[test]
fn source_versions_are_the_pinned_ones() {
    let pinned = json("scripts/aws-data/package.json");
    let lock = json("scripts/aws-data/package-lock.json");
    let recorded = sources();
    let deps = pinned["dependencies"].as_object().unwrap();
    assert_eq!(deps.len(), recorded.len(), "{deps:?} vs {recorded:?}");
    for s in &recorded {
        let hint = "regenerate with scripts/update-aws-data";
        assert_eq!(
            deps[s.package], s.version,
            "{} in package.json; {hint}",
            s.package
        );
        let locked = &lock["packages"][format!("node_modules/{}", s.package)]["version"];
        assert_eq!(
            locked, s.version,
            "{} in package-lock.json; {hint}",
            s.package
        );
    }
}

#[test]
fn source_hashes_match_the_committed_files() {
    let files = source_lines("file");
    assert_eq!(files.len(), 2, "{files:?}");
    for f in files {
        let bytes = std::fs::read(root().join("data/aws").join(&f[0])).unwrap();
        assert_eq!(
            sha256::hex(&bytes),
            f[1],
            "{} changed since SOURCE.txt",
            f[0]
        );
        let mut content = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut content)
            .unwrap();
        assert_eq!(sha256::hex(&content), f[2], "{} content", f[0]);
        // Reproducible gzip: no timestamp, no file name, OS "unknown".
        assert_eq!(&bytes[3..10], [0, 0, 0, 0, 0, 0, 255], "{} header", f[0]);
    }
}

#[test]
fn source_counts_match_the_parsed_data() {
    let counts = counts();
    let c = catalog();
    assert_eq!(counts["services"], c.services().count());
    assert_eq!(counts["actions"], c.len());
    assert_eq!(
        counts["wildcard-only-actions"],
        c.actions().filter(|a| a.wildcard_only).count()
    );
    for (level, key) in [
        (AccessLevel::List, "list"),
        (AccessLevel::Read, "read"),
        (AccessLevel::Write, "write"),
        (AccessLevel::PermissionsManagement, "permissions-management"),
        (AccessLevel::Tagging, "tagging"),
    ] {
        let n = c.actions().filter(|a| a.level == level).count();
        assert_eq!(counts[&format!("actions.{key}")], n, "{level:?}");
    }
    assert_eq!(counts["managed-policies"], managed::count());
    // Roughly what the packages held when this was written; a refresh may move these a little.
    assert!((400..600).contains(&c.services().count()));
    assert!((20_000..30_000).contains(&c.len()));
    assert!((1_400..2_500).contains(&managed::count()));
}

#[test]
fn actions_have_the_levels_and_resource_types_aws_documents() {
    let c = catalog();
    let get = c.action("s3:GetObject").unwrap();
    assert_eq!((get.service, get.name), ("s3", "GetObject"));
    assert_eq!(get.level, AccessLevel::Read);
    // Either an object or an access point object: neither is required on its own.
    let types: Vec<_> = get
        .resource_types
        .iter()
        .map(|r| (r.name, r.required))
        .collect();
    assert_eq!(types, [("accesspointobject", false), ("object", false)]);
    let object = c.resource_type("s3", "object").unwrap();
    assert_eq!(
        object.arn_patterns,
        ["arn:${Partition}:s3:::${BucketName}/${ObjectName}"]
    );
    assert_eq!(c.action("IAM:passrole").unwrap().level, AccessLevel::Write);
    assert_eq!(c.action("iam:PassRole").unwrap().name, "PassRole");
    let put = c.action("iam:PutRolePolicy").unwrap();
    assert_eq!(put.level, AccessLevel::PermissionsManagement);
    assert_eq!(c.action("iam:TagRole").unwrap().level, AccessLevel::Tagging);
    assert_eq!(c.action("s3:ListBucket").unwrap().level, AccessLevel::List);
    assert!(c.action("s3:ListAllMyBuckets").unwrap().wildcard_only);
    assert!(!get.wildcard_only);
    assert!(c.has_service("EC2") && c.has_service("sts") && !c.has_service("nosuch"));
    assert_eq!(c.action("s3:NoSuchAction"), None);
}

#[test]
fn patterns_expand_against_the_whole_catalog() {
    let c = catalog();
    let get = c.matching("s3:Get*");
    let names: Vec<&str> = get.iter().map(|&id| c.by_id(id).name).collect();
    assert!(names.contains(&"GetBucketPolicy") && names.contains(&"GetObject"));
    assert!(names.iter().all(|n| n.starts_with("Get")));
    assert!(get.len() >= 60, "{}", get.len());
    assert!(get.iter().all(|&id| c.by_id(id).service == "s3"));
    assert_eq!(c.matching("*").len(), c.len());
    assert_eq!(c.matching("*:*").len(), c.len());
    assert_eq!(
        c.matching("s3:?etObject")[..],
        [c.id("s3:GetObject").unwrap()]
    );
    assert_eq!(
        c.matching("iam:*").len(),
        c.actions().filter(|a| a.service == "iam").count()
    );
    assert!(c.matching("nosuch:*").is_empty());
    // Sorted, dense ids: by_id and the iteration agree.
    let all: Vec<_> = c.actions().collect();
    assert!(all
        .windows(2)
        .all(|w| (w[0].service, w[0].name.to_ascii_lowercase())
            < (w[1].service, w[1].name.to_ascii_lowercase())));
}

fn policy(arn: &str) -> Value {
    let doc = managed::document(arn).unwrap_or_else(|| panic!("{arn} missing"));
    serde_json::from_str(doc).unwrap()
}

#[test]
fn managed_policies_are_the_current_documents() {
    let admin = policy("arn:aws:iam::aws:policy/AdministratorAccess");
    let statements = admin["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 1);
    assert_eq!(statements[0]["Effect"], "Allow");
    assert_eq!(statements[0]["Action"], "*");
    assert_eq!(statements[0]["Resource"], "*");

    let power = policy("arn:aws:iam::aws:policy/PowerUserAccess");
    let not_action = &power["Statement"][0]["NotAction"];
    assert!(
        not_action.as_array().unwrap().contains(&"iam:*".into()),
        "{power}"
    );

    let emr = policy("arn:aws:iam::aws:policy/service-role/AmazonElasticMapReduceRole");
    assert!(emr["Statement"].is_array());
    let job = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess";
    assert!(policy(job)["Statement"].is_array());
    assert!(managed::document("arn:aws:iam::aws:policy/AmazonElasticMapReduceRole").is_none());
    assert!(managed::document("arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess").is_some());
}
