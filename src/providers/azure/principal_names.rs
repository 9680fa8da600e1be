//! Display names for principals the plan knows only by object id (`--principal-names`): an
//! Azure role assignment names its principal by a GUID, which a reviewer cannot read.

use std::collections::HashMap;

/// Object id (lower case) → display name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrincipalNames(HashMap<String, String>);

impl PrincipalNames {
    /// A JSON object of object id → display name, e.g. from
    /// `az ad sp list --all --query "[].{id:id, name:displayName}"` reshaped with `jq`.
    pub fn parse(text: &str) -> Result<PrincipalNames, String> {
        let map: HashMap<String, String> = serde_json::from_str(text)
            .map_err(|e| format!("expected a JSON object of object id to display name: {e}"))?;
        let mut out = HashMap::with_capacity(map.len());
        for (id, name) in map {
            let id = id.trim().to_ascii_lowercase();
            if id.is_empty() {
                return Err("an object id is empty".into());
            }
            if name.trim().is_empty() {
                return Err(format!("the display name of {id:?} is empty"));
            }
            out.insert(id, name);
        }
        Ok(PrincipalNames(out))
    }

    /// The display name of an object id, compared case-insensitively as Azure does.
    pub fn get(&self, object_id: &str) -> Option<&str> {
        self.0
            .get(&object_id.trim().to_ascii_lowercase())
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_whatever_their_case() {
        let names =
            PrincipalNames::parse(r#"{"9F01AB00-0000-0000-0000-000000000001": "deploy-bot"}"#)
                .unwrap();
        assert_eq!(
            names.get("9f01ab00-0000-0000-0000-000000000001"),
            Some("deploy-bot")
        );
        assert_eq!(names.get("9f01ab00-0000-0000-0000-000000000002"), None);
    }

    #[test]
    fn anything_but_an_object_of_names_is_refused() {
        for bad in [
            "[]",
            r#"{"a": 1}"#,
            r#"{"": "x"}"#,
            r#"{"a": " "}"#,
            "not json",
        ] {
            assert!(PrincipalNames::parse(bad).is_err(), "{bad}");
        }
    }
}
