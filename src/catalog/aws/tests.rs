//! The catalog's parsing and lookups on a tiny hand-written catalog. The embedded data's
//! content is checked in `tests/aws_data.rs`.

use super::*;

const TINY: &str = "S\tec2
A\tRunInstances\tW\t
S\ts3
R\tbucket\tarn:${Partition}:s3:::${BucketName}
R\tobject\tarn:${Partition}:s3:::${BucketName}/${ObjectName}
A\tGetBucketPolicy\tR\t0!
A\tGetObject\tR\t1!
A\tListAllMyBuckets\tL\t
A\tPutBucketPolicy\tP\t0!
A\tPutObject\tW\t0,1!
A\tTagResource\tT\t0
";

fn tiny() -> Catalog {
    Catalog::parse(TINY).unwrap()
}

fn names(c: &Catalog, ids: &[u32]) -> Vec<String> {
    ids.iter()
        .map(|&id| {
            let a = c.by_id(id);
            format!("{}:{}", a.service, a.name)
        })
        .collect()
}

#[test]
fn lookups_ignore_case() {
    let c = tiny();
    assert_eq!(c.services().collect::<Vec<_>>(), ["ec2", "s3"]);
    assert!(c.has_service("S3") && !c.has_service("s4"));
    let get = c.action("S3:getobject").unwrap();
    assert_eq!(
        (get.service, get.name, get.level),
        ("s3", "GetObject", AccessLevel::Read)
    );
    assert_eq!(
        get.resource_types,
        [ResourceTypeRef {
            name: "object",
            required: true
        }]
    );
    assert!(!get.wildcard_only);
    assert!(c.action("s3:ListAllMyBuckets").unwrap().wildcard_only);
    assert_eq!(c.action("s3:GetObjects"), None);
    assert_eq!(c.action("s3GetObject"), None);
    assert_eq!(c.action("s4:GetObject"), None);
    let put = c.action("s3:PutObject").unwrap();
    assert_eq!(
        put.resource_types
            .iter()
            .map(|r| r.required)
            .collect::<Vec<_>>(),
        [false, true]
    );
    let object = c.resource_type("S3", "OBJECT").unwrap();
    assert_eq!(
        object.arn_patterns,
        ["arn:${Partition}:s3:::${BucketName}/${ObjectName}"]
    );
    assert_eq!(c.resource_type("s3", "key"), None);
}

#[test]
fn ids_are_dense_and_sorted() {
    let c = tiny();
    assert_eq!(c.len(), 7);
    let all: Vec<String> = c
        .actions()
        .map(|a| format!("{}:{}", a.service, a.name))
        .collect();
    assert_eq!(all[0], "ec2:RunInstances");
    assert_eq!(all[6], "s3:TagResource");
    for (id, a) in c.actions().enumerate() {
        assert_eq!(c.id(&format!("{}:{}", a.service, a.name)), Some(id as u32));
    }
}

#[test]
fn patterns_match_as_iam_does() {
    let c = tiny();
    assert_eq!(c.matching("*").to_vec(), (0..7).collect::<Vec<u32>>());
    assert_eq!(
        names(&c, &c.matching("s3:Get*")),
        ["s3:GetBucketPolicy", "s3:GetObject"]
    );
    assert_eq!(names(&c, &c.matching("S3:?ETOBJECT")), ["s3:GetObject"]);
    assert_eq!(names(&c, &c.matching("*:*Instances")), ["ec2:RunInstances"]);
    assert_eq!(names(&c, &c.matching("s?:PutObject")), ["s3:PutObject"]);
    assert_eq!(names(&c, &c.matching("s3?PutObject")), ["s3:PutObject"]);
    assert_eq!(names(&c, &c.matching("s3*GetObject")), ["s3:GetObject"]);
    assert_eq!(
        names(&c, &c.matching("*:*Policy")),
        ["s3:GetBucketPolicy", "s3:PutBucketPolicy"]
    );
    assert!(c.matching("s3:Get:*").is_empty());
    assert_eq!(names(&c, &c.matching("*BucketPolicy")).len(), 2);
    assert!(c.matching("s4:*").is_empty());
    assert!(c.matching("s3").is_empty());
    // Cached: the same answer again, whatever the pattern's case.
    assert_eq!(c.matching("s3:get*"), c.matching("s3:Get*"));
}

#[test]
fn access_level_labels_are_aws_names() {
    assert_eq!(
        AccessLevel::PermissionsManagement.label(),
        "Permissions management"
    );
    assert_eq!(AccessLevel::Tagging.label(), "Tagging");
}

#[test]
fn corrupt_text_is_an_error_naming_the_line() {
    let bad = [
        ("A\tX\tR\t\n", "line 1: before any service"),
        ("S\ts3\nA\tX\tQ\t\n", "line 2: bad access level"),
        ("S\ts3\nA\tX\tR\t3\n", "line 2: no such resource type"),
        ("S\ts3\nA\tB\tR\t\nA\ta\tR\t\n", "line 3: out of order"),
        ("S\ts3\nS\tec2\n", "line 2: out of order"),
        (
            "S\ts3\nA\tB\tR\t\nR\tx\tarn\n",
            "line 3: resource type after",
        ),
        ("S\tS3\n", "line 1: bad service prefix"),
    ];
    for (text, error) in bad {
        let got = Catalog::parse(text).unwrap_err();
        assert!(got.starts_with(error), "{text:?}: {got}");
    }
}
