//! Which of the plan's resources run with which user-assigned managed identity: each
//! `identity` block's `identity_ids`. A widening of the identity widens every resource that
//! carries it, and an identity many resources carry is a catch-all.

use crate::model::usage::{add, Workload, Workloads};
use crate::plan::refs::{Address, Config};
use crate::plan::side::{Obj, Step, World};
use serde_json::Value;

const USER_ASSIGNED: &str = "azurerm_user_assigned_identity";

/// What a resource type is called, for the types that usually run code with an identity.
const NOUNS: &[(&str, &str)] = &[
    ("azurerm_linux_virtual_machine", "virtual machine"),
    ("azurerm_windows_virtual_machine", "virtual machine"),
    ("azurerm_virtual_machine", "virtual machine"),
    ("azurerm_linux_virtual_machine_scale_set", "VM scale set"),
    ("azurerm_windows_virtual_machine_scale_set", "VM scale set"),
    (
        "azurerm_orchestrated_virtual_machine_scale_set",
        "VM scale set",
    ),
    ("azurerm_linux_web_app", "web app"),
    ("azurerm_windows_web_app", "web app"),
    ("azurerm_linux_function_app", "function app"),
    ("azurerm_windows_function_app", "function app"),
    ("azurerm_container_app", "container app"),
    ("azurerm_container_app_job", "container app job"),
    ("azurerm_container_group", "container group"),
    ("azurerm_kubernetes_cluster", "AKS cluster"),
    ("azurerm_logic_app_workflow", "logic app"),
    ("azurerm_data_factory", "data factory"),
    ("azurerm_automation_account", "automation account"),
    ("azurerm_spring_cloud_app", "Spring app"),
];

/// The workloads of one side, by the address of the user-assigned identity they carry.
pub fn workloads(world: &World, config: Option<&Config>) -> Workloads {
    let mut out = Workloads::new();
    let identities: Vec<&Obj> = world
        .objs
        .iter()
        .filter(|o| o.kind == USER_ASSIGNED && !o.data)
        .collect();
    if identities.is_empty() {
        return out;
    }
    // Azure resource ids compare without case.
    let by_id: std::collections::HashMap<String, &Obj> = identities
        .iter()
        .filter_map(|i| Some((i.text("id")?.to_ascii_lowercase(), *i)))
        .collect();
    let ids = [
        Step::Key("identity"),
        Step::Index(0),
        Step::Key("identity_ids"),
    ];
    for o in world
        .objs
        .iter()
        .filter(|o| !o.data && o.kind != USER_ASSIGNED)
    {
        let carried: Vec<&Obj> = match o.get(&ids) {
            Some(Value::Array(items)) => {
                let mut found: Vec<&Obj> = items
                    .iter()
                    .filter_map(Value::as_str)
                    .filter_map(|id| by_id.get(&id.to_ascii_lowercase()).copied())
                    .collect();
                // An element known only after apply: the configuration says which identity.
                if o.is_unknown(&ids) || found.len() < items.len() {
                    found.extend(referenced(o, config, &identities));
                }
                found
            }
            None if o.is_unknown(&ids) => referenced(o, config, &identities),
            _ => continue,
        };
        let kind = NOUNS
            .iter()
            .find(|(t, _)| *t == o.kind)
            .map_or("Azure resource", |(_, noun)| noun);
        let name = o
            .str("name")
            .filter(|n| !n.is_empty() && !o.is_sensitive(&[Step::Key("name")]))
            .unwrap_or_else(|| o.address.to_string());
        let w = Workload {
            kind,
            name,
            address: o.address.to_string(),
            via: None,
        };
        for i in carried {
            add(&mut out, i.address, w.clone());
        }
    }
    out
}

/// The user-assigned identities `o`'s `identity` block refers to in the configuration.
fn referenced<'w, 'p>(
    o: &Obj,
    config: Option<&Config>,
    identities: &[&'w Obj<'p>],
) -> Vec<&'w Obj<'p>> {
    let Some(config) = config else {
        return Vec::new();
    };
    let prefix = format!("{USER_ASSIGNED}.");
    let targets: Vec<_> = config
        .targets_within(o.address, "identity")
        .into_iter()
        .filter(|t| t.local.starts_with(&prefix))
        .collect();
    identities
        .iter()
        .copied()
        .filter(|i| {
            Address::parse(i.address).is_some_and(|a| targets.iter().any(|t| t.matches(&a)))
        })
        .collect()
}
