//! `azurerm_role_definition` (custom roles) on one side, and how an assignment names its role.

use super::{attr_ref, key};
use crate::catalog::azure::{definition_guid, Permission, Role};
use crate::plan::side::{AttributeRef, Obj, Step};
use serde_json::Value;

pub const KIND: &str = "azurerm_role_definition";

/// A custom role in the plan: what names it, and its permissions unless known only after
/// apply.
#[derive(Debug, Clone)]
pub struct Custom {
    pub address: String,
    pub name: Option<String>,
    /// GUID, lower case (from `role_definition_id` or `role_definition_resource_id`).
    pub guid: Option<String>,
    pub role: Result<Role, AttributeRef>,
}

impl Custom {
    /// Whether an assignment's `role_definition_name` or `role_definition_id` names this role.
    pub fn named(&self, name_or_id: &str) -> bool {
        self.name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case(name_or_id.trim()))
            || self
                .guid
                .as_deref()
                .is_some_and(|g| g == definition_guid(name_or_id))
    }
}

pub fn read(obj: &Obj) -> Custom {
    let name = obj.str("name").filter(|n| !n.is_empty());
    let guid = ["role_definition_id", "role_definition_resource_id", "id"]
        .iter()
        .filter_map(|a| obj.str(a))
        .find(|v| !v.is_empty())
        .map(|v| definition_guid(&v))
        // `id` is `{guid}|{scope}` in some provider versions.
        .map(|g| g.split('|').next().unwrap_or_default().to_string());
    Custom {
        address: obj.address.to_string(),
        name: name.clone(),
        guid: guid.clone(),
        role: permissions(obj).map(|permissions| Role {
            name: name.unwrap_or_else(|| obj.address.to_string()),
            id: guid.unwrap_or_default(),
            permissions,
        }),
    }
}

/// The `permissions` blocks; an unknown list in any of them makes the role unknown.
fn permissions(obj: &Obj) -> Result<Vec<Permission>, AttributeRef> {
    if obj.is_unknown(&key("permissions")) {
        return Err(attr_ref(obj, "permissions"));
    }
    let blocks = match obj.get(&key("permissions")) {
        Some(Value::Array(a)) => a,
        _ => return Ok(Vec::new()),
    };
    let mut out = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let mut lists: [Vec<String>; 4] = Default::default();
        for (slot, attr) in
            lists
                .iter_mut()
                .zip(["actions", "not_actions", "data_actions", "not_data_actions"])
        {
            if obj.is_unknown(&[Step::Key("permissions"), Step::Index(i), Step::Key(attr)]) {
                return Err(attr_ref(obj, "permissions"));
            }
            *slot = b
                .get(attr)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
        }
        let [actions, not_actions, data_actions, not_data_actions] = lists;
        out.push(Permission {
            actions,
            not_actions,
            data_actions,
            not_data_actions,
            condition: None,
        });
    }
    Ok(out)
}
