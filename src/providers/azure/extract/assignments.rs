//! `azurerm_role_assignment` on one side: who (the principal), what (the role) and where (the
//! scope), each resolved through the plan's configuration when known only after apply.

use super::definitions::{self, Custom};
use super::{attr_ref, key, normal};
use crate::plan::refs::{Address, Config};
use crate::plan::side::{AttributeRef, Obj, Step, World};
use std::collections::HashMap;

pub const KIND: &str = "azurerm_role_assignment";
pub const USER_ASSIGNED: &str = "azurerm_user_assigned_identity";

/// Identity kinds (see `docs/azure.md`).
pub const KIND_USER_ASSIGNED: &str = "azure_user_assigned_identity";
pub const KIND_SYSTEM_ASSIGNED: &str = "azure_system_assigned_identity";
pub const KIND_PRINCIPAL: &str = "azure_principal";
/// The identity running Terraform, as `data.azurerm_client_config` reads it.
pub const KIND_DEPLOYER: &str = "azure_deploying_identity";

/// The data sources that read the identity running Terraform.
const DEPLOYER_SOURCES: &[&str] = &["azurerm_client_config", "azuread_client_config"];

/// The identity running Terraform by object id (lower case): the address of the data source
/// that reads it, on either side (a data source is read again each plan, so either side tells).
pub fn deployers(worlds: &[&World]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for o in worlds.iter().flat_map(|w| &w.objs) {
        if !(o.data && DEPLOYER_SOURCES.contains(&o.kind)) {
            continue;
        }
        if let Some(id) = o.str("object_id").filter(|i| !i.is_empty()) {
            out.entry(normal(&id))
                .or_insert_with(|| o.address.to_string());
        }
    }
    out
}

/// Who an assignment grants to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// An identity privdiff can name: a resource of the plan, or `principal:<object id>`.
    Known {
        address: String,
        kind: &'static str,
        /// The address is a resource of the plan (it exists only where the resource does).
        resource: bool,
        /// The object id, where the plan knows it.
        object_id: Option<String>,
    },
    /// Known only after apply, and no configuration reference says whose.
    Unknown(AttributeRef),
    /// Marked sensitive: never printed.
    Sensitive(AttributeRef),
}

/// How an assignment names its role.
#[derive(Debug, Clone)]
pub enum RoleRef {
    /// By name or definition id, as written.
    Named(String),
    /// A custom role of the plan that the configuration refers to.
    Custom(Custom),
    Unknown(AttributeRef),
    Sensitive,
}

#[derive(Debug, Clone)]
pub struct Assignment {
    pub address: String,
    pub principal: Principal,
    /// `User`, `Group`, `ServicePrincipal`..., as the assignment says (Azure fills it in when
    /// the configuration does not).
    pub principal_type: Option<String>,
    pub role: RoleRef,
    /// The scope as written, or the attribute known only after apply.
    pub scope: Result<String, AttributeRef>,
    pub condition: Result<Option<String>, AttributeRef>,
    /// The scope or condition, if marked sensitive: the grant's content is not shown.
    pub sensitive: Option<AttributeRef>,
    /// The scope is known only after apply and stands as the path in `scope`, built from the
    /// resource (this address) the configuration says it is the id of.
    pub scope_after_apply: Option<String>,
}

/// The plan's identities on one side, by principal id (lower case): address and kind.
pub type Principals = HashMap<String, (String, &'static str)>;

/// The principal id of a resource that is (or has) a managed identity, with the identity kind.
pub fn principal_of(obj: &Obj) -> Option<(String, &'static str)> {
    if obj.kind == USER_ASSIGNED {
        return obj.str("principal_id").map(|p| (p, KIND_USER_ASSIGNED));
    }
    let at = [
        Step::Key("identity"),
        Step::Index(0),
        Step::Key("principal_id"),
    ];
    let p = obj.get(&at)?;
    Some((p.as_str()?.to_string(), KIND_SYSTEM_ASSIGNED))
}

/// The identity kind a resource of the plan would give its principal.
fn kind_of(obj: &Obj) -> &'static str {
    if obj.kind == USER_ASSIGNED {
        KIND_USER_ASSIGNED
    } else if obj.get(&key("identity")).is_some() || obj.is_unknown(&key("identity")) {
        KIND_SYSTEM_ASSIGNED
    } else {
        KIND_PRINCIPAL
    }
}

pub struct Reader<'w, 'p> {
    pub world: &'w World<'p>,
    pub config: Option<&'w Config<'w>>,
    pub principals: &'w Principals,
    /// The identity running Terraform, by object id.
    pub deployers: &'w HashMap<String, String>,
    pub custom: &'w [Custom],
    /// The one subscription the `azurerm` provider configurations name as a constant.
    pub subscription: Option<&'w str>,
}

impl Reader<'_, '_> {
    pub fn read(&self, obj: &Obj) -> Assignment {
        let condition = if obj.is_unknown(&key("condition")) {
            Err(attr_ref(obj, "condition"))
        } else {
            Ok(obj.str("condition").filter(|c| !c.trim().is_empty()))
        };
        let mut scope_after_apply = None;
        let scope = match obj.str("scope") {
            Some(s) if !s.trim().is_empty() => Ok(super::trimmed(&s).to_string()),
            None if obj.is_unknown(&key("scope")) => match self.scope_after_apply(obj) {
                Some((s, of)) => {
                    scope_after_apply = Some(of);
                    Ok(s)
                }
                None => Err(attr_ref(obj, "scope")),
            },
            _ => Err(attr_ref(obj, "scope")),
        };
        Assignment {
            scope_after_apply,
            address: obj.address.to_string(),
            principal: self.principal(obj),
            principal_type: obj
                .str("principal_type")
                .filter(|t| !t.trim().is_empty() && !obj.is_sensitive(&key("principal_type"))),
            role: self.role(obj),
            scope,
            condition,
            sensitive: ["scope", "condition"]
                .into_iter()
                .find(|a| obj.is_sensitive(&key(a)))
                .map(|a| attr_ref(obj, a)),
        }
    }

    fn principal(&self, obj: &Obj) -> Principal {
        if obj.is_sensitive(&key("principal_id")) {
            return Principal::Sensitive(attr_ref(obj, "principal_id"));
        }
        if let Some(id) = obj.str("principal_id").filter(|p| !p.is_empty()) {
            let object_id = Some(normal(&id));
            return match self.principals.get(&id.to_ascii_lowercase()) {
                Some((address, kind)) => Principal::Known {
                    address: address.clone(),
                    kind,
                    resource: true,
                    object_id,
                },
                None => match self.deployers.get(&normal(&id)) {
                    // The identity running Terraform, granting itself or being granted.
                    Some(source) => Principal::Known {
                        address: source.clone(),
                        kind: KIND_DEPLOYER,
                        resource: false,
                        object_id,
                    },
                    None => Principal::Known {
                        address: format!("principal:{id}"),
                        kind: KIND_PRINCIPAL,
                        resource: false,
                        object_id,
                    },
                },
            };
        }
        // A new identity's principal id is known only after apply: the configuration says
        // which resource it comes from.
        match self.referenced(obj, "principal_id", &|_| true) {
            Some(target) if target.data && DEPLOYER_SOURCES.contains(&target.kind) => {
                Principal::Known {
                    address: target.address.to_string(),
                    kind: KIND_DEPLOYER,
                    resource: false,
                    object_id: target.str("object_id").map(|i| normal(&i)),
                }
            }
            Some(target) => Principal::Known {
                address: target.address.to_string(),
                kind: kind_of(target),
                resource: true,
                object_id: None,
            },
            None => Principal::Unknown(attr_ref(obj, "principal_id")),
        }
    }

    fn role(&self, obj: &Obj) -> RoleRef {
        for attr in ["role_definition_name", "role_definition_id"] {
            if obj.is_sensitive(&key(attr)) {
                return RoleRef::Sensitive;
            }
            if let Some(v) = obj.str(attr).filter(|v| !v.trim().is_empty()) {
                return RoleRef::Named(v);
            }
        }
        let custom = |o: &Obj| o.kind == definitions::KIND;
        for attr in ["role_definition_id", "role_definition_name"] {
            if let Some(target) = self.referenced(obj, attr, &custom) {
                if let Some(c) = self.custom.iter().find(|c| c.address == target.address) {
                    return RoleRef::Custom(c.clone());
                }
            }
        }
        let attr = if obj.is_unknown(&key("role_definition_id")) {
            "role_definition_id"
        } else {
            "role_definition_name"
        };
        RoleRef::Unknown(attr_ref(obj, attr))
    }

    /// The scope an assignment's `scope` known only after apply will be, where the configuration
    /// says whose id it is: the path of that resource, its parts the plan does not know yet
    /// standing as names no real scope has (`⟨subscription of azurerm_resource_group.app, known
    /// after apply⟩`). The level (management group, subscription, resource group, resource)
    /// comes from the resource's type, so the grant lands where it will. `None` when the
    /// configuration does not tell: the scope could be anything.
    fn scope_after_apply(&self, obj: &Obj) -> Option<(String, String)> {
        let target = self.referenced(obj, "scope", &|_| true)?;
        let name = |attr: &str| {
            target
                .str(attr)
                .filter(|v| !v.is_empty() && !target.is_sensitive(&key(attr)))
                .map(|v| symbol_safe(&v))
        };
        let unknown = |what: &str| format!("⟨{what} of {}, known after apply⟩", target.address);
        let subscription = || {
            name("subscription_id")
                .or_else(|| self.subscription())
                .unwrap_or_else(|| symbol_safe(&unknown("subscription")))
        };
        let group =
            |attr: &str| name(attr).unwrap_or_else(|| symbol_safe(&unknown("resource group name")));
        let scope = match target.kind {
            "azurerm_management_group" => format!(
                "/providers/Microsoft.Management/managementGroups/{}",
                name("name").unwrap_or_else(|| symbol_safe(&unknown("name")))
            ),
            "azurerm_subscription" => format!("/subscriptions/{}", subscription()),
            "azurerm_resource_group" => format!(
                "/subscriptions/{}/resourceGroups/{}",
                subscription(),
                group("name")
            ),
            // A resource: under its resource group, as a name of its own.
            _ => format!(
                "/subscriptions/{}/resourceGroups/{}/providers/{}",
                subscription(),
                group("resource_group_name"),
                symbol_safe(&unknown("id"))
            ),
        };
        Some((scope, target.address.to_string()))
    }

    /// The one subscription this side's `azurerm_subscription` / `azurerm_client_config` data
    /// sources and the provider configuration name, if they name exactly one.
    fn subscription(&self) -> Option<String> {
        let mut found = self
            .world
            .objs
            .iter()
            .filter(|o| {
                o.data && matches!(o.kind, "azurerm_subscription" | "azurerm_client_config")
            })
            .filter_map(|o| o.str("subscription_id").filter(|s| !s.is_empty()))
            .collect::<Vec<_>>();
        found.extend(self.subscription.map(str::to_string));
        found.sort();
        found.dedup();
        match found.as_slice() {
            [one] => Some(symbol_safe(one)),
            _ => None,
        }
    }

    /// The one object of this side that `attr` of `obj` refers to (and `wanted` accepts), per
    /// the configuration.
    fn referenced(&self, obj: &Obj, attr: &str, wanted: &dyn Fn(&Obj) -> bool) -> Option<&Obj<'_>> {
        let config = self.config?;
        let targets = config.targets(obj.address, attr);
        let mut found = self.world.objs.iter().filter(|o| {
            wanted(o)
                && Address::parse(o.address).is_some_and(|a| targets.iter().any(|t| t.matches(&a)))
        });
        let first = found.next()?;
        // Several instances (a reference without an index into a counted resource): which
        // one is meant is not known.
        found.next().is_none().then_some(first)
    }
}

/// The plan's identities on one side, by principal id.
pub fn principals(world: &World) -> Principals {
    world
        .objs
        .iter()
        .filter_map(|o| {
            let (id, kind) = principal_of(o)?;
            Some((normal(&id), (o.address.to_string(), kind)))
        })
        .collect()
}

/// A value placed in a scope path as one segment: a `/` would split it, and `*`, `?` and `$`
/// read as patterns.
fn symbol_safe(v: &str) -> String {
    v.chars()
        .map(|c| match c {
            '/' | '*' | '?' | '$' => '_',
            c => c,
        })
        .collect()
}
