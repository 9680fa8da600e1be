//! A complete GCP role catalog the user supplies (`--gcp-roles FILE`): IAM API `Role` objects
//! as `gcloud iam roles describe ROLE --format=json` prints one, or a JSON array of them as the
//! IAM API's `roles.list` with `view=FULL` returns them.
//!
//! Loaded roles take precedence over the curated table in [`super`]: their permissions
//! are exact, with no wildcards standing for the rest of a service.

use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// Role name (`roles/editor`, `projects/p/roles/x`) → its permissions, as IAM spells them.
#[derive(Debug, Clone, Default)]
pub struct RoleCatalog {
    roles: Arc<HashMap<String, Vec<String>>>,
}

impl RoleCatalog {
    /// Reads a file's text. Every role must have a `name`. A role without an
    /// `includedPermissions` list is left out (the IAM API omits an empty list, but so does an
    /// export without `--view=FULL`, and a role read as granting nothing could hide a
    /// widening): it stays unexpanded. A file where no role has the list is an error.
    pub fn parse(text: &str) -> Result<RoleCatalog, String> {
        let doc: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        let items = match &doc {
            Value::Array(a) => a.iter().collect(),
            Value::Object(_) => vec![&doc],
            _ => return Err("expected an IAM Role object or a JSON array of them".into()),
        };
        let mut roles = HashMap::new();
        for (i, r) in items.into_iter().enumerate() {
            let name = r
                .get("name")
                .and_then(Value::as_str)
                .filter(|n| n.contains("roles/"))
                .ok_or_else(|| format!("role {} has no `name` such as roles/editor", i + 1))?;
            let Some(perms) = r.get("includedPermissions").and_then(Value::as_array) else {
                continue;
            };
            let perms = perms
                .iter()
                .map(|p| {
                    p.as_str()
                        .filter(|p| !p.is_empty() && !p.contains('*'))
                        .map(str::to_string)
                        .ok_or_else(|| {
                            format!("role {name} has a permission that is not a permission name")
                        })
                })
                .collect::<Result<Vec<_>, _>>()?;
            roles.insert(name.to_string(), perms);
        }
        if roles.is_empty() {
            return Err("no role in it has an `includedPermissions` list (export roles with `gcloud iam roles describe ROLE --format=json`, or `gcloud iam roles list --view=FULL --format=json`)".into());
        }
        Ok(RoleCatalog {
            roles: Arc::new(roles),
        })
    }

    /// The permissions of a role, if the catalog has it.
    pub fn role(&self, name: &str) -> Option<&[String]> {
        self.roles.get(name).map(Vec::as_slice)
    }

    pub fn len(&self) -> usize {
        self.roles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.roles.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_role_or_a_list_of_roles() {
        let one = r#"{"name": "roles/dns.admin", "title": "DNS Administrator",
            "includedPermissions": ["dns.changes.create", "dns.managedZones.update"], "etag": "AA=="}"#;
        let c = RoleCatalog::parse(one).unwrap();
        assert_eq!(c.role("roles/dns.admin").unwrap().len(), 2);
        assert!(c.role("roles/editor").is_none());
        let list = format!("[{one}, {{\"name\": \"roles/x.y\", \"includedPermissions\": []}}]");
        assert_eq!(RoleCatalog::parse(&list).unwrap().len(), 2);
        // Without its list a role is not known, rather than known to grant nothing.
        let partial = format!("[{one}, {{\"name\": \"roles/x.y\"}}]");
        let c = RoleCatalog::parse(&partial).unwrap();
        assert!(c.role("roles/x.y").is_none() && c.role("roles/dns.admin").is_some());
    }

    #[test]
    fn a_role_without_its_permissions_or_a_bad_document_is_an_error() {
        for (text, says) in [
            ("{", "not JSON"),
            ("42", "expected an IAM Role"),
            ("[]", "no role in it"),
            (r#"[{"title": "x"}]"#, "no `name`"),
            (
                r#"{"name": "roles/a.b", "title": "x"}"#,
                "no role in it has",
            ),
            (
                r#"{"name": "roles/a.b", "includedPermissions": [1]}"#,
                "not a permission",
            ),
            (
                r#"{"name": "roles/a.b", "includedPermissions": ["a.*"]}"#,
                "not a permission",
            ),
        ] {
            let e = RoleCatalog::parse(text).unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
        }
    }
}
