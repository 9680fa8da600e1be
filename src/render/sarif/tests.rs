use super::*;
use crate::model::Severity;
use crate::report::fixtures;
use serde_json::Value;

/// The official SARIF 2.1.0 schema (draft-07); where the copy comes from:
/// `testdata/schemas/README.md`.
const SCHEMA_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/testdata/schemas/sarif-schema-2.1.0.json"
);

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(SCHEMA_PATH)
        .unwrap_or_else(|e| panic!("cannot read {SCHEMA_PATH}: {e}"));
    let mut schema: Value = serde_json::from_str(&text).unwrap();
    // This copy keeps the log's own schema in `definitions.Root` and has no root keyword that
    // points there, so as it stands it would accept any JSON at all.
    assert!(schema.get("properties").is_none() && schema.get("$ref").is_none());
    schema["$ref"] = Value::from("#/definitions/Root");
    // The pattern of `language` (in `run` and `toolComponent`) has a stray `]` that JavaScript
    // tolerates and the validator's regex engine rejects, which fails the schema itself.
    // privdiff writes no `language`; the pattern becomes the one intended.
    for def in ["run", "toolComponent"] {
        let language = &mut schema["definitions"][def]["properties"]["language"]["pattern"];
        assert_eq!(language, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
        *language = Value::from("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
    }
    // Offline: the schema's `$id` is a URL, and nothing may be fetched from it.
    jsonschema::draft7::options()
        .offline()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn sarif(report: &Report) -> Value {
    serde_json::from_str(&render(report, None)).expect("SARIF output is JSON")
}

fn assert_valid(validator: &jsonschema::Validator, what: &str, log: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

/// [`fixtures::report`] without any source location, as when no sources were read.
/// The fixture with its first finding accepted by an ignore block.
fn ignored() -> Report {
    let mut report = fixtures::report();
    report.findings[0].suppression = Some(crate::report::Suppression {
        reason: format!("CI needs this until the Q2 migration{}", fixtures::HOSTILE),
        expires: Some("2027-03-01".into()),
        ignore: 1,
    });
    report
}

fn unlocated() -> Report {
    let mut report = fixtures::report();
    report.findings.iter_mut().for_each(|f| f.location = None);
    report
}

#[test]
fn every_scenario_is_valid_against_the_official_schema() {
    let validator = validator();
    for (what, report) in [
        ("report", fixtures::report()),
        ("hostile", fixtures::hostile()),
        ("no findings", fixtures::no_findings()),
        ("no locations", unlocated()),
        ("ignored", ignored()),
        ("huge", fixtures::huge(50)),
    ] {
        assert_valid(&validator, what, &sarif(&report));
    }
}

#[test]
fn the_schema_check_rejects_what_is_not_sarif() {
    let validator = validator();
    let mut log = sarif(&fixtures::report());
    log["runs"][0]["results"][0]["level"] = Value::from("critical");
    assert!(!validator.is_valid(&log));
    let mut log = sarif(&fixtures::report());
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    assert!(!validator.is_valid(&log));
    assert!(!validator.is_valid(&serde_json::json!({"version": "2.1.0"})));
    // Formats are checked too: a path left unencoded is not a URI reference.
    let mut log = sarif(&fixtures::report());
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        Value::from("iam/a b<c>.tf");
    assert!(!validator.is_valid(&log));
}

#[test]
fn the_run_names_the_tool_and_has_one_result_per_finding_in_order() {
    let log = sarif(&fixtures::report());
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["$schema"], SCHEMA);
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "privdiff");
    assert_eq!(run["tool"]["driver"]["version"], "0.1.0");
    let ids: Vec<&str> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["PD001", "PD002", "PD003", "PD005", "PD006", "PD010", "PD007", "PD009", "PD008"]
    );
    assert_eq!(
        run["results"][0]["message"]["text"],
        fixtures::report().findings[0].message
    );
}

#[test]
fn rules_are_the_finding_kinds_each_once_and_results_point_at_theirs() {
    let log = sarif(&fixtures::report());
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let codes: Vec<&str> = crate::rules::RULES.iter().map(|r| r.code).collect();
    assert_eq!(ids, codes);
    assert_eq!(rules[0]["name"], "PermissionsWidened");
    assert_eq!(
        rules[0]["fullDescription"]["text"],
        crate::rules::RULES[0].detects
    );
    assert_eq!(rules[0]["properties"]["tags"][0], "security");
    for result in log["runs"][0]["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
}

#[test]
fn levels_and_scores_are_as_the_module_documents() {
    let doc: String = include_str!("../sarif.rs")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for severity in Severity::ALL {
        let row = format!(
            "| {severity} | `{}` | `{}` |",
            level(severity),
            security_severity(severity)
        );
        assert!(doc.contains(&row), "the module doc lacks {row}");
    }
    assert_eq!(level(Severity::Critical), "error");
    assert_eq!(level(Severity::High), "error");
    assert_eq!(level(Severity::Medium), "warning");
    assert_eq!(level(Severity::Low), "note");
    assert_eq!(level(Severity::Info), "note");
    let log = sarif(&fixtures::report());
    let rules = &log["runs"][0]["tool"]["driver"]["rules"];
    assert_eq!(rules[0]["defaultConfiguration"]["level"], "warning");
    assert_eq!(rules[0]["properties"]["security-severity"], "5.5");
    assert_eq!(log["runs"][0]["results"][2]["level"], "note");
}

fn fingerprints(report: &Report) -> Vec<String> {
    sarif(report)["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["partialFingerprints"]["privdiff/v1"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn fingerprints_survive_a_new_message_and_a_moved_line() {
    let before = fingerprints(&fixtures::report());
    let mut edited = fixtures::report();
    for f in &mut edited.findings {
        f.message.push_str(" (and more)");
        if let Some(at) = &mut f.location {
            at.line += 7;
            at.end_line += 7;
        }
    }
    assert_eq!(fingerprints(&edited), before);
}

#[test]
fn fingerprints_tell_identities_and_codes_apart() {
    let prints = fingerprints(&fixtures::report());
    // PD001 and PD002 are both about aws_iam_role.app; PD003 about aws_iam_role.ci.
    assert_ne!(prints[0], prints[1]);
    assert_ne!(prints[0], prints[2]);
    let mut other = fixtures::report();
    other.findings[0].identity = "aws_iam_role.other".to_string();
    assert_ne!(fingerprints(&other)[0], prints[0]);
}

#[test]
fn a_located_finding_points_at_its_block() {
    let log = sarif(&fixtures::report());
    let at = &log["runs"][0]["results"][0]["locations"][0];
    let physical = &at["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "iam/policies.tf");
    assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(physical["region"]["startLine"], 14);
    assert_eq!(physical["region"]["endLine"], 30);
    assert_eq!(
        at["logicalLocations"][0]["fullyQualifiedName"],
        "aws_iam_role_policy.app"
    );
    assert_eq!(at["logicalLocations"][0]["kind"], "resource");
}

#[test]
fn an_unlocated_finding_names_its_address_in_place_of_a_file() {
    let log = sarif(&fixtures::report());
    let at = &log["runs"][0]["results"][2]["locations"][0];
    let physical = &at["physicalLocation"];
    assert_eq!(
        physical["artifactLocation"]["uri"],
        "aws_iam_role_policy.ci"
    );
    assert!(physical["artifactLocation"].get("uriBaseId").is_none());
    assert_eq!(physical["region"]["startLine"], 1);
    assert!(physical["region"].get("endLine").is_none());
    assert_eq!(
        at["logicalLocations"][0]["fullyQualifiedName"],
        "aws_iam_role_policy.ci"
    );
}

#[test]
fn hostile_text_cannot_form_a_link_or_break_a_line() {
    let log = sarif(&fixtures::hostile());
    let result = &log["runs"][0]["results"][0];
    let text = result["message"]["text"].as_str().unwrap();
    assert!(text.contains("\\[l\\](https://e.x)"), "{text}");
    assert!(!text.chars().any(char::is_control), "{text:?}");
    let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert!(uri.starts_with("iam/policies.tf%3C/details%3E"), "{uri}");
    assert!(
        uri.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)),
        "{uri}"
    );
}

#[test]
fn reach_findings_are_errors_at_the_policy_that_opens_the_subject() {
    let log = sarif(&fixtures::report());
    let results = log["runs"][0]["results"].as_array().unwrap();
    let result = |code: &str| {
        results
            .iter()
            .find(|r| r["ruleId"] == code)
            .unwrap_or_else(|| panic!("no {code}"))
    };
    for code in ["PD006", "PD007", "PD008", "PD010"] {
        assert_eq!(result(code)["level"], "error", "{code}");
    }
    assert_eq!(result("PD005")["level"], "warning");
    assert_eq!(result("PD009")["level"], "warning");
    let rules = &log["runs"][0]["tool"]["driver"]["rules"];
    let index = result("PD006")["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["name"], "PublicAccess");
    assert_eq!(rules[index]["properties"]["security-severity"], "9.5");
    // Not located in the fixture: the bucket policy's address stands where a file would be.
    let at = &result("PD006")["locations"][0];
    assert_eq!(
        at["physicalLocation"]["artifactLocation"]["uri"],
        "aws_s3_bucket_policy.logs"
    );
    assert_eq!(
        at["logicalLocations"][0]["fullyQualifiedName"],
        "aws_s3_bucket_policy.logs"
    );
    let at = &result("PD007")["locations"][0]["physicalLocation"];
    assert_eq!(at["artifactLocation"]["uri"], "iam/roles.tf");
    assert_eq!(at["region"]["startLine"], 3);
}

#[test]
fn reach_findings_on_one_subject_keep_their_own_fingerprints() {
    let mut report = fixtures::report();
    // A second account reaching the same role, and the same public grant twice.
    let mut other = report
        .findings
        .iter()
        .find(|f| f.code == "PD007")
        .unwrap()
        .clone();
    other.principal = Some("AWS:arn:aws:iam::444455556666:root".to_string());
    let twin = report
        .findings
        .iter()
        .find(|f| f.code == "PD006")
        .unwrap()
        .clone();
    report.findings.extend([other, twin]);
    let prints = fingerprints(&report);
    for (i, p) in prints.iter().enumerate() {
        assert!(!prints[..i].contains(p), "{prints:?}");
    }
    // The findings already there keep theirs.
    let before = fingerprints(&fixtures::report());
    assert_eq!(prints[..before.len()], before[..]);
}

#[test]
fn an_ignored_finding_keeps_its_result_marked_suppressed() {
    let all = sarif(&fixtures::report());
    let log = sarif(&ignored());
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(
        results.len(),
        all["runs"][0]["results"].as_array().unwrap().len()
    );
    let suppressions = &results[0]["suppressions"];
    assert_eq!(suppressions[0]["kind"], "external");
    assert_eq!(suppressions[0]["status"], "accepted");
    let justification = suppressions[0]["justification"].as_str().unwrap();
    assert!(justification.starts_with("CI needs this until the Q2 migration"));
    assert!(!justification.contains('\n'), "{justification}");
    // The other results are not suppressed, and no fingerprint moved.
    assert!(results[1..].iter().all(|r| r.get("suppressions").is_none()));
    assert_eq!(fingerprints(&ignored()), fingerprints(&fixtures::report()));
}

#[test]
fn each_rule_carries_its_documentation_and_its_page_when_given() {
    let pages = Pages::parse("https://github.com/acme/privdiff/blob/v1.2.0/docs/rules").unwrap();
    let linked: Value = serde_json::from_str(&render(&fixtures::report(), Some(&pages))).unwrap();
    assert_valid(&validator(), "with pages", &linked);
    let rules = linked["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), RULES.len());
    for (rule, r) in rules.iter().zip(RULES) {
        assert_eq!(
            rule["helpUri"],
            format!(
                "https://github.com/acme/privdiff/blob/v1.2.0/docs/rules/{}.md",
                r.code
            )
        );
        assert_eq!(rule["help"]["markdown"], r.markdown());
        assert!(rule["help"]["text"]
            .as_str()
            .unwrap()
            .starts_with(r.summary));
    }
    let plain = sarif(&fixtures::report());
    let rules = plain["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules
        .iter()
        .all(|r| r.get("helpUri").is_none() && r["help"].is_object()));
}
