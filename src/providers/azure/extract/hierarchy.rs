//! Which scopes the plan puts under which management group, on one side.
//!
//! A management group's scope (`/providers/Microsoft.Management/managementGroups/MG`) does not
//! contain its child groups' and subscriptions' scopes as text, so an assignment there is
//! widened by the scopes the plan shows under it, at any depth (see `docs/azure.md`).

use super::{key, normal};
use crate::plan::side::Obj;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Management group scope (compared form) → the scopes directly under it, as written: its
/// subscriptions (`/subscriptions/GUID`) and child management groups.
#[derive(Debug, Default)]
pub struct Children(BTreeMap<String, BTreeSet<String>>);

pub fn relevant(kind: &str) -> bool {
    matches!(
        kind,
        "azurerm_management_group" | "azurerm_management_group_subscription_association"
    )
}

impl Children {
    pub fn read(&mut self, obj: &Obj) {
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
                self.0.entry(normal(&id)).or_default().extend(subs);
                if let Some(parent) = obj.str("parent_management_group_id") {
                    self.0.entry(normal(&parent)).or_default().insert(id);
                }
            }
            "azurerm_management_group_subscription_association" => {
                if let (Some(mg), Some(sub)) =
                    (obj.str("management_group_id"), obj.str("subscription_id"))
                {
                    self.0
                        .entry(normal(&mg))
                        .or_default()
                        .insert(subscription_scope(&sub));
                }
            }
            _ => {}
        }
    }

    /// Every scope under `scope`, at any depth, as written (empty unless it is a management
    /// group the plan shows children of).
    pub fn under(&self, scope: &str) -> Vec<String> {
        let mut seen: BTreeSet<String> = BTreeSet::from([normal(scope)]);
        let mut out = Vec::new();
        let mut todo = vec![normal(scope)];
        while let Some(s) = todo.pop() {
            for child in self.0.get(&s).into_iter().flatten() {
                // A cycle (hostile input) ends where it closes.
                if seen.insert(normal(child)) {
                    out.push(child.clone());
                    todo.push(normal(child));
                }
            }
        }
        out.sort();
        out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_under_a_group_are_found_at_any_depth_and_cycles_end() {
        let mut c = Children::default();
        let mg = |n: &str| format!("/providers/Microsoft.Management/managementGroups/{n}");
        let mut put = |parent: &str, child: &str| {
            c.0.entry(normal(parent))
                .or_default()
                .insert(child.to_string());
        };
        put(&mg("root"), &mg("Apps"));
        put(&mg("apps"), "/subscriptions/s1");
        put(&mg("apps"), &mg("root"));
        assert_eq!(
            c.under(&mg("ROOT")),
            vec![mg("Apps"), "/subscriptions/s1".to_string()]
        );
        assert!(c.under("/subscriptions/s1").is_empty());
    }
}
