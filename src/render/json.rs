//! `--format json`: the report itself, pretty-printed. The schema is documented field by field
//! in `docs/json-schema.md`.
//!
//! No escaping is needed beyond JSON's own: serde_json escapes quotes, backslashes and control
//! characters, and a consumer that puts the values in HTML or a terminal must escape them there.

use crate::report::Report;

/// The report as pretty JSON with a trailing newline. Deterministic because the report is sorted
/// and holds no hash maps.
pub fn render(report: &Report) -> String {
    // Cannot fail: every map in the report has string keys and no type has a custom Serialize.
    let mut out = serde_json::to_string_pretty(report).expect("the report serialises to JSON");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;
    use serde_json::Value;

    #[test]
    fn parses_back_with_the_schema_version() {
        let out = render(&fixtures::report());
        let value: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value["schema_version"], crate::report::SCHEMA_VERSION);
        assert_eq!(value["identities"].as_array().unwrap().len(), 4);
        assert_eq!(value["summary"]["widened"], 1);
        assert!(out.ends_with("}\n"));
    }

    #[test]
    fn resources_and_reach_are_part_of_the_json() {
        let value: Value = serde_json::from_str(&render(&fixtures::report())).unwrap();
        assert_eq!(value["resources"][0]["address"], "aws_s3_bucket.logs");
        assert_eq!(value["resources"][0]["added"][0]["scope"], "resource");
        assert_eq!(
            value["resources"][0]["added"][1]["kind"],
            "public-access-block-disabled"
        );
        let classes: Vec<&str> = value["reach"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["class"].as_str().unwrap())
            .collect();
        assert_eq!(
            classes,
            ["public", "public", "foreign-account", "federated"]
        );
        assert_eq!(
            value["reach"][2]["concerns"][0]["code"],
            "external-id-removed"
        );
        assert_eq!(value["summary"]["resources"]["widened"], 1);
        assert_eq!(value["summary"]["public_reach"], 2);
        let pd009 = &value["findings"][7];
        assert_eq!(pd009["code"], "PD009");
        assert_eq!(pd009["principal"], "AWS:arn:aws:iam::999999999999:root");
        assert_eq!(pd009["concern"], "external-id-removed");
        // Findings about an identity's own scope name no principal.
        assert!(value["findings"][0].get("principal").is_none());
    }

    #[test]
    fn policy_documents_are_not_part_of_the_json() {
        let out = render(&fixtures::report());
        assert!(!out.contains("documents"));
        assert!(!out.contains("s3:ListBucket"));
    }

    #[test]
    fn hostile_text_round_trips_exactly() {
        let out = render(&fixtures::hostile());
        let value: Value = serde_json::from_str(&out).unwrap();
        let address = value["identities"][0]["address"].as_str().unwrap();
        assert!(address.ends_with(fixtures::HOSTILE));
    }

    /// Every field name the JSON can contain, found by walking a report that fills every
    /// optional field. Map keys of `witness.context` are data, not fields, and are skipped.
    fn field_names(value: &Value, names: &mut std::collections::BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    names.insert(key.clone());
                    if key != "context" {
                        field_names(child, names);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| field_names(item, names)),
            _ => {}
        }
    }

    #[test]
    fn schema_doc_names_every_field() {
        let doc = include_str!("../../docs/json-schema.md");
        let mut report = fixtures::report();
        // The fixture's witness is a permissions witness; give it the optional principal too.
        for id in &mut report.identities {
            if let Some(w) = &mut id.witness {
                w.principal = Some("AWS:arn:aws:iam::999999999999:root".to_string());
            }
        }
        let value: Value = serde_json::from_str(&render(&report)).unwrap();
        let mut names = std::collections::BTreeSet::new();
        field_names(&value, &mut names);
        let missing: Vec<&String> = names
            .iter()
            .filter(|n| !doc.contains(&format!("`{n}`")))
            .collect();
        assert!(missing.is_empty(), "docs/json-schema.md lacks {missing:?}");
    }

    #[test]
    fn schema_doc_example_is_a_report_of_this_version() {
        let doc = include_str!("../../docs/json-schema.md");
        let example = doc
            .split("```json\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .expect("a json example");
        let example: Value = serde_json::from_str(example).unwrap();
        let ours: Value = serde_json::from_str(&render(&fixtures::report())).unwrap();
        assert_eq!(example["schema_version"], crate::report::SCHEMA_VERSION);
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&example), keys(&ours));
        assert_eq!(
            keys(&example["identities"][0]),
            keys(&ours["identities"][0])
        );
    }
}
