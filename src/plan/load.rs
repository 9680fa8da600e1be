//! Reading the input: tell a plan from everything else Terraform writes, with one clear line.

use super::model::{PriorState, StateModule, StateResource, Top};
use super::Plan;
use serde_json::error::Category;
use std::fmt;

/// Why the input is not a plan privdiff can read. Each message is one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    Empty,
    SavedPlanFile,
    Truncated { line: usize, column: usize },
    TooDeep { line: usize, column: usize },
    InvalidJson(String),
    NotAnObject(&'static str),
    UiStream,
    Encrypted,
    HcpBookmark,
    RawState,
    StateJson,
    ConfigurationOnly,
    NotAPlan,
    BadFormatVersion(String),
    UnsupportedFormatVersion(String),
    Malformed(String),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use LoadError::*;
        match self {
            Empty => write!(f, "the input is empty: expected the JSON of a plan (`terraform show -json plan.out`)"),
            SavedPlanFile => write!(f, "this is a saved binary plan file (ZIP): run `terraform show -json FILE > plan.json` (or `tofu show -json FILE`) and pass the JSON"),
            Truncated { line, column } => write!(f, "the JSON ends early at line {line} column {column}: the file looks truncated"),
            TooDeep { line, column } => write!(f, "the JSON nests too deeply (at line {line} column {column}); a plan never does"),
            InvalidJson(e) => write!(f, "the input is not valid JSON: {e}"),
            NotAnObject(kind) => write!(f, "expected the JSON object of a plan, found {kind}"),
            UiStream => write!(f, "this is the streaming UI output of `terraform plan -json`, not a plan: save the plan with `terraform plan -out=plan.out`, then run `terraform show -json plan.out`"),
            Encrypted => write!(f, "this is an OpenTofu encrypted plan or state: run `tofu show -json FILE` with your encryption configuration to get the plan JSON"),
            HcpBookmark => write!(f, "this is an HCP Terraform saved-plan bookmark, which holds no changes: run `terraform show -json FILE` where the remote run can be reached"),
            RawState => write!(f, "this is a Terraform state file, not a plan: run `terraform plan -out=plan.out && terraform show -json plan.out`"),
            StateJson => write!(f, "this is the JSON of a state (`terraform show -json` without a plan file), not a plan: run `terraform show -json plan.out`"),
            ConfigurationOnly => write!(f, "this is a configuration-only document (`tofu show -json -config`), which holds no changes: pass the JSON of a plan"),
            NotAPlan => write!(f, "this JSON is not a Terraform or OpenTofu plan: it has no `format_version`; run `terraform show -json plan.out`"),
            BadFormatVersion(v) => write!(f, "the plan's format_version {v} is not a version number"),
            UnsupportedFormatVersion(v) => write!(f, "the plan's format_version {v} is not supported: privdiff reads format_version 0.1 to 1.x (a newer privdiff may read it)"),
            Malformed(e) => write!(f, "the plan is malformed: {e}"),
        }
    }
}

impl std::error::Error for LoadError {}

/// Reads plan JSON. The returned plan borrows raw values from `input`.
pub fn load(input: &[u8]) -> Result<Plan<'_>, LoadError> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let first = input.iter().position(|b| !b.is_ascii_whitespace());
    let Some(first) = first else {
        return Err(LoadError::Empty);
    };
    if input.starts_with(b"PK\x03\x04") || input.starts_with(b"PK\x05\x06") {
        return Err(LoadError::SavedPlanFile);
    }
    let kind = match input[first] {
        b'{' => None,
        b'[' => Some("an array"),
        b'"' => Some("a string"),
        b'0'..=b'9' | b'-' => Some("a number"),
        b't' | b'f' => Some("a boolean"),
        b'n' => Some("null"),
        _ => None,
    };
    if let Some(kind) = kind {
        // A JSON array would otherwise fill the struct positionally.
        return Err(
            match serde_json::from_slice::<serde::de::IgnoredAny>(input) {
                Err(e) if e.classify() != Category::Data => classify(input, e),
                _ => LoadError::NotAnObject(kind),
            },
        );
    }
    let top: Top = match serde_json::from_slice(input) {
        Ok(t) => t,
        Err(e) => return Err(classify(input, e)),
    };
    if top.ui_level.is_some() {
        return Err(LoadError::UiStream);
    }
    if top.encrypted_data.is_some() || top.encryption_version.is_some() {
        return Err(LoadError::Encrypted);
    }
    if top.remote_plan_format.is_some() {
        return Err(LoadError::HcpBookmark);
    }
    if top.lineage.is_some() || top.serial.is_some() {
        return Err(LoadError::RawState);
    }
    let Some(version) = top.format_version else {
        if top.root_module.is_some() || top.provider_config.is_some() {
            return Err(LoadError::ConfigurationOnly);
        }
        return Err(LoadError::NotAPlan);
    };
    let format_version = check_version(version.get())?;
    if top.planned_values.is_none() && top.resource_changes.is_none() {
        return Err(LoadError::StateJson);
    }
    let terraform_version = top
        .terraform_version
        .and_then(|v| serde_json::from_str::<String>(v.get()).ok());
    let mut prior_state = Vec::new();
    if let Some(PriorState {
        values: Some(values),
    }) = top.prior_state
    {
        if let Some(root) = values.root_module {
            flatten(root, &mut prior_state);
        }
    }
    Ok(Plan {
        format_version,
        terraform_version,
        errored: top.errored.unwrap_or(false),
        resource_changes: top.resource_changes.unwrap_or_default(),
        prior_state,
        configuration: top.configuration,
    })
}

fn classify(input: &[u8], e: serde_json::Error) -> LoadError {
    let (line, column) = (e.line(), e.column());
    let msg = e.to_string();
    if msg.starts_with("recursion limit exceeded") {
        return LoadError::TooDeep { line, column };
    }
    if e.classify() == Category::Eof {
        return LoadError::Truncated { line, column };
    }
    if msg.starts_with("trailing characters") && looks_like_ui_stream(input) {
        return LoadError::UiStream;
    }
    match e.classify() {
        Category::Data => LoadError::Malformed(msg),
        _ => LoadError::InvalidJson(msg),
    }
}

/// `terraform plan -json` writes one JSON object per line, each with `@level` and `type`.
fn looks_like_ui_stream(input: &[u8]) -> bool {
    let line = input.split(|b| *b == b'\n').next().unwrap_or_default();
    match serde_json::from_slice::<serde_json::Value>(line) {
        Ok(serde_json::Value::Object(o)) => o.contains_key("@level") || o.contains_key("@message"),
        _ => false,
    }
}

fn check_version(raw: &str) -> Result<String, LoadError> {
    let Ok(v) = serde_json::from_str::<String>(raw) else {
        return Err(LoadError::BadFormatVersion(clip(raw)));
    };
    let mut parts = v.split('.');
    let major = parts.next().and_then(|m| m.parse::<u64>().ok());
    let minor_ok = parts.next().is_some_and(|m| m.parse::<u64>().is_ok());
    match major {
        Some(m) if minor_ok && parts.next().is_none() => {
            if m >= 2 {
                Err(LoadError::UnsupportedFormatVersion(clip(&format!("{v:?}"))))
            } else {
                Ok(v)
            }
        }
        _ => Err(LoadError::BadFormatVersion(clip(&format!("{v:?}")))),
    }
}

/// Keeps quoted input short and printable in an error line.
fn clip(s: &str) -> String {
    let clean: String = s.chars().filter(|c| !c.is_control()).take(40).collect();
    if clean.len() < s.len() {
        format!("{clean}…")
    } else {
        clean
    }
}

fn flatten<'a>(m: StateModule<'a>, out: &mut Vec<StateResource<'a>>) {
    out.extend(m.resources);
    for c in m.child_modules {
        flatten(c, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(s: &str) -> LoadError {
        load(s.as_bytes()).unwrap_err()
    }

    #[test]
    fn tells_inputs_apart() {
        assert_eq!(err(""), LoadError::Empty);
        assert_eq!(err("  \n"), LoadError::Empty);
        assert_eq!(
            load(b"PK\x03\x04rest").unwrap_err(),
            LoadError::SavedPlanFile
        );
        assert_eq!(err(r#"{"format_version":"1.0"}"#), LoadError::StateJson);
        assert_eq!(
            err(r#"{"format_version":"1.0","values":{"root_module":{}}}"#),
            LoadError::StateJson
        );
        assert_eq!(
            err(r#"{"version":4,"serial":3,"lineage":"x","resources":[]}"#),
            LoadError::RawState
        );
        assert_eq!(
            err("{\"@level\":\"info\",\"@message\":\"hi\",\"type\":\"version\"}\n{\"@level\":\"info\"}\n"),
            LoadError::UiStream
        );
        assert_eq!(
            err(r#"{"meta":{},"encrypted_data":"abc","encryption_version":"v0"}"#),
            LoadError::Encrypted
        );
        assert_eq!(
            err(r#"{"remote_plan_format":1,"run_id":"run-x","hostname":"app.terraform.io"}"#),
            LoadError::HcpBookmark
        );
        assert_eq!(err("[1,2]"), LoadError::NotAnObject("an array"));
        assert!(matches!(
            err(r#"{"format_version":"#),
            LoadError::Truncated { .. }
        ));
        assert!(matches!(
            err(r#"{"format_version":"2.0","planned_values":{}}"#),
            LoadError::UnsupportedFormatVersion(_)
        ));
        assert!(matches!(
            err(r#"{"format_version":1,"planned_values":{}}"#),
            LoadError::BadFormatVersion(_)
        ));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let open = "[".repeat(100_000);
        assert!(matches!(
            load(open.as_bytes()),
            Err(LoadError::Truncated { .. })
        ));
        let balanced = format!("{open}{}", "]".repeat(100_000));
        assert!(load(balanced.as_bytes()).is_err());
        // Subtrees the loader skips are scanned without recursion: the plan loads, and the deep
        // value is left raw for whoever reads it (which parses it with serde's depth limit).
        let deep = format!(
            r#"{{"format_version":"1.2","planned_values":{}{}}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(load(deep.as_bytes()).is_ok());
        let deep = format!(
            r#"{{"format_version":"1.2","planned_values":{{}},"resource_changes":[{{"address":"a.b","type":"a","change":{{"actions":[],"after":{}{}}}}}]}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let plan = load(deep.as_bytes()).expect("loads; the value stays raw");
        let after = plan.resource_changes[0].change.after.unwrap();
        assert!(serde_json::from_str::<serde_json::Value>(after.get()).is_err());
    }

    #[test]
    fn reads_a_minimal_plan() {
        let p = load(br#"{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{},"resource_changes":[{"address":"a.b","type":"a","name":"b","change":{"actions":["no-op"],"before":{},"after":{}}}],"unknown_key":1}"#).unwrap();
        assert_eq!(p.resource_changes.len(), 1);
        assert_eq!(p.terraform_version.as_deref(), Some("1.9.5"));
    }
}
