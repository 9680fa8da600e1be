//! Loading and validating config files: each mistake is one error naming the block and field.

use super::*;

fn ok(text: &str) -> Config {
    parse(text, FILE_NAME).unwrap_or_else(|e| panic!("{e}"))
}

fn err(text: &str) -> String {
    match parse(text, FILE_NAME) {
        Ok(c) => panic!("accepted: {c:?}"),
        Err(e) => e.to_string(),
    }
}

/// An ignore block with `body` inside.
fn ignore(body: &str) -> String {
    format!("ignore {{\n{body}\n}}\n")
}

#[test]
fn the_example_file_is_valid() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/config/example.privdiff.hcl");
    let config = load(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(config.fail_on, Some(FailOn::Severity(Severity::High)));
    assert_eq!(config.trusted_accounts, ["111122223333", "444455556666"]);
    assert_eq!(config.rules.len(), 2);
    assert_eq!(config.ignores.len(), 2);
    assert_eq!(config.ignores[1].index, 2);
    assert_eq!(
        config.sod,
        [Sod {
            name: "deploy-and-approve".into(),
            actions: vec![
                vec!["codepipeline:PutApprovalResult".into()],
                vec![
                    "codepipeline:StartPipelineExecution".into(),
                    "codepipeline:UpdatePipeline".into()
                ],
            ],
            severity: Severity::High,
        }]
    );
}

#[test]
fn an_empty_file_is_an_empty_config() {
    let config = ok("# nothing yet\n");
    assert_eq!(config.fail_on, None);
    assert!(config.rules.is_empty() && config.ignores.is_empty() && config.sod.is_empty());
}

#[test]
fn every_field_is_read() {
    let config = ok(r#"
fail_on = "widened"
trusted_accounts = ["111122223333"]
rule "pd012" {
  severity = "low"
  enabled  = false
}
ignore {
  rule     = "pd001"
  address  = "aws_iam_role_policy.ci"
  identity = "aws_iam_role.*"
  reason   = "CI needs this"
  expires  = "2027-03-01"
}
sod "x" {
  actions = [["s3:Get*"], ["iam:Pass?ole", "*:*"]]
}
"#);
    assert_eq!(config.fail_on, Some(FailOn::Widened));
    assert_eq!(
        config.rules,
        [RuleSetting {
            code: "PD012",
            severity: Some(Severity::Low),
            enabled: false
        }]
    );
    let ignore = &config.ignores[0];
    assert_eq!(ignore.rule, Some("PD001"));
    assert_eq!(ignore.address, Some(Pattern::new("aws_iam_role_policy.ci")));
    assert_eq!(ignore.identity, Some(Pattern::new("aws_iam_role.*")));
    assert_eq!(ignore.reason, "CI needs this");
    assert_eq!(ignore.expires, Date::parse("2027-03-01"));
    assert_eq!(
        ignore.selectors(),
        "rule PD001, address aws_iam_role_policy.ci, identity aws_iam_role.*"
    );
    assert_eq!(config.sod[0].severity, Severity::High, "the default");
}

#[test]
fn every_fail_on_value_is_accepted() {
    for name in FailOn::NAMES {
        let config = ok(&format!("fail_on = \"{name}\"\n"));
        assert_eq!(config.fail_on.map(FailOn::as_str), Some(name));
    }
}

#[test]
fn unknown_fields_and_blocks() {
    assert_eq!(
        err("fail_onn = \"high\"\n"),
        ".privdiff.hcl: unknown field \"fail_onn\" (the fields are fail_on, owner_tags, rules_url, trusted_accounts)"
    );
    assert_eq!(
        err("ignores {\n}\n"),
        ".privdiff.hcl: unknown block \"ignores\" (the blocks are rule, ignore and sod)"
    );
    assert!(err(&ignore(
        "rule = \"PD001\"\nreason = \"r\"\nexpire = \"2027-01-01\""
    ))
    .starts_with(".privdiff.hcl: ignore block 1: unknown field \"expire\""));
    assert_eq!(
        err("rule \"PD001\" {\n  when {\n  }\n}\n"),
        ".privdiff.hcl: rule \"PD001\": unknown block \"when\""
    );
    assert!(err("sod \"x\" {\n  action = [[\"a:b\"], [\"c:d\"]]\n}\n")
        .starts_with(".privdiff.hcl: sod \"x\": unknown field \"action\""));
}

#[test]
fn duplicates() {
    assert_eq!(
        err("fail_on = \"high\"\nfail_on = \"low\"\n"),
        ".privdiff.hcl: line 2, column 1: \"fail_on\" is set twice"
    );
    assert_eq!(
        err(&ignore("rule = \"PD001\"\nreason = \"a\"\nreason = \"b\"")),
        ".privdiff.hcl: line 4, column 1: \"reason\" is set twice"
    );
    // Labels are compared as the codes they name.
    assert_eq!(
        err("rule \"PD001\" {\n}\nrule \"pd001\" {\n  enabled = false\n}\n"),
        ".privdiff.hcl: rule \"PD001\" is configured twice"
    );
    let sod = "sod \"x\" {\n  actions = [[\"a:b\"], [\"c:d\"]]\n}\n";
    assert_eq!(
        err(&format!("{sod}{sod}")),
        ".privdiff.hcl: sod \"x\" is configured twice"
    );
}

#[test]
fn wrong_types() {
    assert_eq!(
        err("fail_on = 3\n"),
        ".privdiff.hcl: \"fail_on\" must be a string, not a number"
    );
    assert_eq!(
        err("trusted_accounts = \"111122223333\"\n"),
        ".privdiff.hcl: \"trusted_accounts\" must be a list, not a string"
    );
    assert_eq!(
        err("trusted_accounts = [111122223333]\n"),
        ".privdiff.hcl: \"trusted_accounts\" item 1 must be a string, not a number"
    );
    assert_eq!(
        err("rule \"PD001\" {\n  enabled = \"no\"\n}\n"),
        ".privdiff.hcl: rule \"PD001\": \"enabled\" must be true or false, not a string"
    );
    assert_eq!(
        err(&ignore("rule = \"PD001\"\nreason = var.why")),
        ".privdiff.hcl: ignore block 1: \"reason\" must be a string, not a reference"
    );
    assert_eq!(
        err(&ignore("rule = \"PD001\"\nreason = \"r ${var.x}\"")),
        ".privdiff.hcl: ignore block 1: \"reason\" must be a string, not a template"
    );
}

#[test]
fn ignore_needs_a_reason_and_a_selector() {
    assert_eq!(
        err(&format!(
            "{}{}",
            ignore("rule = \"PD001\"\nreason = \"r\""),
            ignore("rule = \"PD001\"")
        )),
        ".privdiff.hcl: ignore block 2: \"reason\" is required"
    );
    assert_eq!(
        err(&ignore("rule = \"PD001\"\nreason = \"  \"")),
        ".privdiff.hcl: ignore block 1: \"reason\" must not be empty"
    );
    assert!(err(&ignore("reason = \"r\""))
        .starts_with(".privdiff.hcl: ignore block 1: needs at least one of \"rule\", \"address\" and \"identity\""));
    assert_eq!(
        err(&ignore("address = \"\"\nreason = \"r\"")),
        ".privdiff.hcl: ignore block 1: \"address\" must not be empty"
    );
    assert_eq!(
        err("ignore \"x\" {\n  rule = \"PD001\"\n  reason = \"r\"\n}\n"),
        ".privdiff.hcl: ignore block 1: an ignore block takes no label"
    );
}

#[test]
fn expires_must_be_a_real_date() {
    for bad in [
        "2027-02-30",
        "2027-3-1",
        "March 1st",
        "2027-03-01T00:00:00Z",
    ] {
        assert_eq!(
            err(&ignore(&format!("rule = \"PD001\"\nreason = \"r\"\nexpires = \"{bad}\""))),
            format!(".privdiff.hcl: ignore block 1: \"expires\" must be a date as YYYY-MM-DD, not \"{bad}\"")
        );
    }
}

#[test]
fn rule_codes_must_exist() {
    assert_eq!(
        err("rule \"PD999\" {\n  enabled = false\n}\n"),
        ".privdiff.hcl: rule \"PD999\": no such rule (see privdiff rules)"
    );
    assert_eq!(
        err(&ignore("rule = \"PD999\"\nreason = \"r\"")),
        ".privdiff.hcl: ignore block 1: \"rule\": no such rule \"PD999\" (see privdiff rules)"
    );
    assert!(err("rule {\n}\n").starts_with(".privdiff.hcl: a rule block takes one label"));
}

#[test]
fn severities_and_fail_on_must_be_known() {
    assert_eq!(
        err("sod \"deploy-and-approve\" {\n  actions = [[\"a:b\"], [\"c:d\"]]\n  severity = \"urgent\"\n}\n"),
        ".privdiff.hcl: sod \"deploy-and-approve\": \"severity\" must be one of critical, high, medium, low, info, not \"urgent\""
    );
    assert_eq!(
        err("rule \"PD001\" {\n  severity = \"High\"\n}\n"),
        ".privdiff.hcl: rule \"PD001\": \"severity\" must be one of critical, high, medium, low, info, not \"High\""
    );
    assert_eq!(
        err("fail_on = \"always\"\n"),
        ".privdiff.hcl: \"fail_on\" must be one of never, info, low, medium, high, critical, widened, unverifiable, not \"always\""
    );
}

#[test]
fn trusted_accounts_are_12_digit_ids() {
    for bad in ["11112222333", "1111222233334", "11112222333a", ""] {
        assert_eq!(
            err(&format!("trusted_accounts = [\"{bad}\"]\n")),
            format!(".privdiff.hcl: \"trusted_accounts\": \"{bad}\" is not an AWS account id (12 digits)")
        );
    }
}

#[test]
fn sod_needs_two_groups_of_actions() {
    let sod = |actions: &str| err(&format!("sod \"x\" {{\n  actions = {actions}\n}}\n"));
    assert!(sod("[[\"iam:CreateUser\"]]")
        .starts_with(".privdiff.hcl: sod \"x\": \"actions\" must be a list of at least 2 groups"));
    assert!(err("sod \"x\" {\n}\n").ends_with("sod \"x\": \"actions\" is required"));
    assert_eq!(
        sod("[\"iam:CreateUser\", \"iam:CreateAccessKey\"]"),
        ".privdiff.hcl: sod \"x\": \"actions\" group 1 must be a list of actions, not a string"
    );
    assert_eq!(
        sod("[[\"iam:CreateUser\"], []]"),
        ".privdiff.hcl: sod \"x\": \"actions\" group 2 is empty"
    );
    assert_eq!(
        sod("[[\"iam:CreateUser\"], [true]]"),
        ".privdiff.hcl: sod \"x\": \"actions\" group 2: an action must be a string, not a bool"
    );
    assert!(err("sod {\n}\n").starts_with(".privdiff.hcl: a sod block takes one label"));
    assert_eq!(
        err("sod \" \" {\n  actions = [[\"a:b\"], [\"c:d\"]]\n}\n"),
        ".privdiff.hcl: sod \" \": the name must not be empty"
    );
}

#[test]
fn sod_actions_are_service_colon_action() {
    for bad in [
        "iamCreateUser",
        "iam:",
        ":CreateUser",
        "iam:Create:User",
        "*",
        "iam: CreateUser",
    ] {
        assert_eq!(
            err(&format!("sod \"x\" {{\n  actions = [[\"iam:CreateUser\"], [\"{bad}\"]]\n}}\n")),
            format!(".privdiff.hcl: sod \"x\": \"actions\" group 2: \"{bad}\" is not an IAM action (service:Action, with * and ? as wildcards)")
        );
    }
}

#[test]
fn syntax_errors_are_one_line_with_a_position() {
    let e = err("fail_on = \"high\"\nrule \"PD001\" {\n  enabled = \n}\n");
    assert!(e.starts_with(".privdiff.hcl: line "), "{e}");
    assert!(e.contains(": HCL syntax error: "), "{e}");
    assert!(!e.contains('\n'), "{e}");
}

#[test]
fn find_reads_the_file_in_the_directory_or_the_one_named() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(find(None, dir.path()).unwrap(), None);
    std::fs::write(dir.path().join(FILE_NAME), "fail_on = \"never\"\n").unwrap();
    let found = find(None, dir.path()).unwrap().unwrap();
    assert_eq!(
        (found.file.as_str(), found.fail_on),
        (FILE_NAME, Some(FailOn::Never))
    );
    let other = dir.path().join("other.hcl");
    std::fs::write(&other, "fail_on = \"low\"\n").unwrap();
    let named = find(Some(&other), dir.path()).unwrap().unwrap();
    assert_eq!(named.fail_on, Some(FailOn::Severity(Severity::Low)));
    assert_eq!(named.file, other.display().to_string());
    let missing = dir.path().join("missing.hcl");
    let e = find(Some(&missing), dir.path()).unwrap_err();
    assert!(matches!(e, Error::Read { .. }), "{e}");
    assert!(e.to_string().starts_with("cannot read config file "), "{e}");
}

#[test]
fn rules_url_is_an_address_a_link_can_hold() {
    let config = ok("rules_url = \"https://docs.example.com/privdiff/rules/\"\n");
    assert_eq!(
        config.rules_url.map(|p| p.page("PD001")),
        Some("https://docs.example.com/privdiff/rules/PD001.md".to_string())
    );
    assert_eq!(ok("").rules_url, None);
    assert_eq!(
        err("rules_url = \"https://example.com/x)](javascript:alert(1)\"\n"),
        ".privdiff.hcl: \"rules_url\": \"https://example.com/x)](javascript:alert(1)\" has ')' in it; an address of letters, digits and - . _ ~ / : % @ + = , is needed"
    );
}
