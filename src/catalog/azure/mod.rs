//! Azure role definitions: a curated table of built-in roles, and roles loaded from the output
//! of `az role definition list` (`--azure-roles`).
//!
//! The built-in roles here are the ones that matter most for privilege review: those that grant
//! everything or the power to grant it, read secrets, keys and storage data, or run code as a
//! managed identity. Each is copied exactly from Azure's definition (the test
//! `curated_roles_equal_the_catalog` compares them with a complete catalog). Every other
//! built-in role comes from the embedded catalog (`embedded.rs`). A role in no table is
//! reported as not expanded: its grant makes the identity unverifiable, never safe.
//!
//! This file reads role definitions ([`RoleTable`]); the built-in table is in `builtin.rs`.

mod builtin;
pub mod embedded;

pub use builtin::{Builtin, BUILTIN};

use serde_json::Value;

/// One `permissions` entry of a role definition. Azure grants `actions` minus `not_actions`
/// (control plane) and `data_actions` minus `not_data_actions` (data plane).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Permission {
    pub actions: Vec<String>,
    pub not_actions: Vec<String>,
    pub data_actions: Vec<String>,
    pub not_data_actions: Vec<String>,
    /// An ABAC condition on the role's data actions, as written.
    pub condition: Option<String>,
}

/// A role definition: built-in, from `--azure-roles`, or an `azurerm_role_definition`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub name: String,
    /// The definition's GUID, lower case.
    pub id: String,
    pub permissions: Vec<Permission>,
}

/// Roles loaded from a file, consulted before the built-in table.
#[derive(Debug, Clone, Default)]
pub struct RoleTable {
    roles: Vec<Role>,
}

impl RoleTable {
    /// Reads the JSON `az role definition list` prints (an array of role definitions), or one
    /// definition (`az role definition list --name X` prints an array of one; a saved single
    /// object is accepted too).
    pub fn parse(text: &str) -> Result<RoleTable, String> {
        let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        let items = match v {
            Value::Array(a) => a,
            o @ Value::Object(_) => vec![o],
            _ => return Err("expected a JSON array of role definitions".into()),
        };
        let roles = items
            .iter()
            .enumerate()
            .map(|(i, r)| from_json(r).map_err(|e| format!("role definition {}: {e}", i + 1)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(RoleTable { roles })
    }

    pub fn len(&self) -> usize {
        self.roles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.roles.is_empty()
    }

    /// A role by name (case-insensitive, as Azure compares them) or by definition id (a GUID,
    /// or a full `…/roleDefinitions/GUID`): this table first, then the curated built-in one,
    /// then every built-in role of the embedded catalog.
    pub fn find(&self, name_or_id: &str) -> Option<Role> {
        let key = name_or_id.trim();
        let guid = definition_guid(key);
        // Some built-in names end in a space ("Azure Arc VMware Administrator role ").
        let hit = |name: &str, id: &str| name.trim().eq_ignore_ascii_case(key) || id == guid;
        self.roles
            .iter()
            .find(|r| hit(&r.name, &r.id))
            .cloned()
            .or_else(|| {
                BUILTIN
                    .iter()
                    .find(|b| hit(b.name, b.id))
                    .map(Builtin::role)
            })
            .or_else(|| embedded::find(key, &guid))
    }
}

/// The GUID of a role definition id (`/subscriptions/S/providers/Microsoft.Authorization/
/// roleDefinitions/GUID`, `/providers/…/roleDefinitions/GUID` or the GUID alone), lower case.
pub fn definition_guid(id: &str) -> String {
    let lower = id.trim().trim_end_matches('/').to_ascii_lowercase();
    match lower.rsplit_once("/roledefinitions/") {
        Some((_, guid)) => guid.to_string(),
        None => lower,
    }
}

fn from_json(r: &Value) -> Result<Role, String> {
    let name = r
        .get("roleName")
        .and_then(Value::as_str)
        .ok_or("no `roleName`")?;
    let id = r
        .get("name")
        .and_then(Value::as_str)
        .or_else(|| r.get("id").and_then(Value::as_str))
        .ok_or("no `name` (the definition's GUID)")?;
    let perms = match r.get("permissions") {
        Some(Value::Array(a)) => a,
        _ => return Err(format!("`{name}` has no `permissions` list")),
    };
    let list = |p: &Value, key: &str| -> Result<Vec<String>, String> {
        match p.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(a)) => a
                .iter()
                .map(|x| x.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| format!("`{name}`: `{key}` holds a value that is not a string")),
            Some(_) => Err(format!("`{name}`: `{key}` is not a list")),
        }
    };
    let permissions = perms
        .iter()
        .map(|p| {
            Ok(Permission {
                actions: list(p, "actions")?,
                not_actions: list(p, "notActions")?,
                data_actions: list(p, "dataActions")?,
                not_data_actions: list(p, "notDataActions")?,
                condition: p
                    .get("condition")
                    .and_then(Value::as_str)
                    .filter(|c| !c.is_empty())
                    .map(str::to_string),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Role {
        name: name.to_string(),
        id: definition_guid(id),
        permissions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_found_by_name_or_definition_id() {
        let t = RoleTable::default();
        assert_eq!(t.find("owner").unwrap().name, "Owner");
        let by_id = t
            .find("/subscriptions/0000/providers/Microsoft.Authorization/roleDefinitions/ACDD72A7-3385-48EF-BD42-F606FBA81AE7")
            .unwrap();
        assert_eq!(by_id.name, "Reader");
        assert_eq!(
            t.find("/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635")
                .unwrap()
                .name,
            "Owner"
        );
        assert!(t.find("Some Custom Role").is_none());
        // A built-in role the curated table lacks, from the embedded catalog.
        let dns = t.find("DNS Zone Contributor").expect("embedded");
        assert!(dns.permissions[0]
            .actions
            .iter()
            .any(|a| a == "Microsoft.Network/dnsZones/*"));
        assert_eq!(
            t.find("befefa01-2a29-4197-83a8-272ff33ce314").unwrap().name,
            "DNS Zone Contributor"
        );
    }

    #[test]
    fn the_curated_roles_are_the_embedded_ones() {
        for b in BUILTIN {
            let e = embedded::find(b.name, b.id).expect(b.name);
            assert_eq!(e, b.role(), "{}", b.name);
        }
        let count = embedded::SOURCE
            .lines()
            .find_map(|l| l.strip_prefix("count roles "))
            .and_then(|n| n.parse::<usize>().ok())
            .expect("SOURCE.txt counts the roles");
        assert_eq!(embedded::all().len(), count);
    }

    #[test]
    fn a_loaded_role_wins_over_the_builtin_one() {
        let text = r#"[{"roleName": "Reader", "name": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
            "permissions": [{"actions": ["Microsoft.Compute/*/read"], "notActions": [],
            "dataActions": null, "notDataActions": []}]}]"#;
        let t = RoleTable::parse(text).unwrap();
        let r = t.find("READER").unwrap();
        assert_eq!(r.permissions[0].actions, vec!["Microsoft.Compute/*/read"]);
        let single = RoleTable::parse(
            r#"{"roleName": "X", "name": "g", "permissions": [{"actions": ["*"]}]}"#,
        )
        .unwrap();
        assert_eq!(single.find("x").unwrap().id, "g");
    }

    #[test]
    fn malformed_role_files_are_refused() {
        assert!(RoleTable::parse("{").is_err());
        assert!(RoleTable::parse("3").is_err());
        let e = RoleTable::parse(
            r#"[{"roleName": "A", "name": "g", "permissions": [{"actions": "*"}]}]"#,
        )
        .unwrap_err();
        assert!(e.contains("`actions` is not a list"), "{e}");
        assert!(RoleTable::parse(r#"[{"name": "g", "permissions": []}]"#).is_err());
    }
}
