//! Which subscriptions the plan puts under which management group, on one side.
//!
//! A management group's scope (`/providers/Microsoft.Management/managementGroups/MG`) does not
//! contain its subscriptions' scopes as text, so an assignment there is widened by the
//! subscriptions the plan shows under it (see `docs/azure.md`).

use super::key;
use crate::extract::world::Obj;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Management group scope, lower case → subscription scopes (`/subscriptions/GUID`).
pub type Children = BTreeMap<String, BTreeSet<String>>;

pub fn relevant(kind: &str) -> bool {
    matches!(
        kind,
        "azurerm_management_group" | "azurerm_management_group_subscription_association"
    )
}

pub fn read(obj: &Obj, out: &mut Children) {
    match obj.kind {
        "azurerm_management_group" => {
            let id = obj.str("id").filter(|i| !i.is_empty()).or_else(|| {
                obj.str("name")
                    .map(|n| format!("/providers/Microsoft.Management/managementGroups/{n}"))
            });
            let Some(id) = id else { return };
            let subs: Vec<String> = match obj.get(&key("subscription_ids")) {
                Some(Value::Array(a)) => a
                    .iter()
                    .filter_map(Value::as_str)
                    .map(subscription_scope)
                    .collect(),
                _ => Vec::new(),
            };
            out.entry(super::normal(&id)).or_default().extend(subs);
        }
        "azurerm_management_group_subscription_association" => {
            if let (Some(mg), Some(sub)) =
                (obj.str("management_group_id"), obj.str("subscription_id"))
            {
                out.entry(super::normal(&mg))
                    .or_default()
                    .insert(subscription_scope(&sub));
            }
        }
        _ => {}
    }
}

/// `/subscriptions/GUID` from a GUID or a subscription id.
fn subscription_scope(v: &str) -> String {
    let v = v.trim().trim_end_matches('/');
    if v.to_ascii_lowercase().starts_with("/subscriptions/") {
        v.to_string()
    } else {
        format!("/subscriptions/{v}")
    }
}
