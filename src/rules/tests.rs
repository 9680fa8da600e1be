use super::{find, RULES};

use crate::testing::golden;

#[test]
fn codes_and_names_are_unique_and_in_order() {
    for (i, r) in RULES.iter().enumerate() {
        assert!(
            RULES[..i].iter().all(|o| o.code != r.code),
            "duplicate {}",
            r.code
        );
        assert!(
            RULES[..i].iter().all(|o| o.name != r.name),
            "duplicate {}",
            r.name
        );
        assert!(
            RULES[..i].iter().all(|o| o.code < r.code),
            "RULES is in code order"
        );
    }
}

#[test]
fn every_rule_is_documented() {
    for r in RULES {
        for (field, text) in [
            ("summary", r.summary),
            ("detects", r.detects),
            ("why", r.why),
            ("example", r.example),
            ("fix", r.fix),
        ] {
            assert!(text.len() > 20, "{} has no {field}", r.code);
        }
        assert!(!r.standards.is_empty(), "{} maps to no standard", r.code);
        let row = format!("| `{}` | `{}` | {} |", r.code, r.name, r.severity);
        assert!(
            include_str!("../../docs/json-schema.md").contains(&row),
            "docs/json-schema.md lacks {row}"
        );
    }
}

#[test]
fn codes_are_found_in_any_case() {
    assert_eq!(find("pd006").map(|r| r.code), Some("PD006"));
    assert_eq!(find(" PD001 ").map(|r| r.code), Some("PD001"));
    assert!(find("PD999").is_none());
}

/// The index of `docs/rules/`.
fn index() -> String {
    let mut s = String::from(
        "# Rules\n\nGenerated from `src/rules/` (`privdiff rules` lists the same; `privdiff explain CODE` prints one).\n\n| Code | Severity | Name | Reports |\n| --- | --- | --- | --- |\n",
    );
    for r in RULES {
        s.push_str(&format!(
            "| [{}]({}.md) | {} | `{}` | {} |\n",
            r.code, r.code, r.severity, r.name, r.summary
        ));
    }
    s
}

/// `docs/rules/` is generated from the rules: each file must be what the rule says now.
/// `PRIVDIFF_UPDATE_SNAPSHOTS=1 cargo test --lib rules` rewrites them (review the diff).
#[test]
fn docs_rules_match_the_registry() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let mut expected: Vec<(String, String)> = RULES
        .iter()
        .map(|r| (format!("{}.md", r.code), r.markdown()))
        .collect();
    expected.push(("README.md".into(), index()));
    golden::check_all(
        expected
            .iter()
            .map(|(name, text)| (format!("docs/rules/{name}"), text)),
    );
    let listed: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for name in listed {
        assert!(
            expected.iter().any(|(n, _)| *n == name),
            "docs/rules/{name} belongs to no rule"
        );
    }
}
