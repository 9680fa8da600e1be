//! The Azure routes of the content rules, from the Azure built-in role documentation, the CIS
//! Azure benchmark and published managed-identity abuse paths (see
//! `../shared/knowledge/risks.md` §6).
//!
//! Requests are written as the Azure extractor shows them, `Action:{operation}` for the
//! control plane and `DataAction:{operation}` for the data plane, in Azure's spelling (actions
//! match case-insensitively); the places are scope patterns in the extractor's matching form,
//! lower case (`/subscriptions/{id}/resourcegroups/{name}`).

use crate::model::route::{anywhere, at, concrete, on, route, Capability, Novelty, Route, Table};
use crate::model::{Provider, Severity};

pub const TABLE: Table = Table {
    provider: Provider::Azure,
    novelty: Novelty::OfRequest,
    any: Some(ANY_ACTION),
    concrete,
    routes: ROUTES,
    separate: &[],
    reads: |a| a.to_lowercase().ends_with("/read"),
    public: &[],
};

/// A control-plane operation no role names: only `*` (Owner, Contributor) allows it.
pub const ANY_ACTION: &str = "Action:Privdiff.Example/anythings/anything";

const ASSIGN_ROLES: &str = "Action:Microsoft.Authorization/roleAssignments/write";

/// A management group, a subscription or the root scope itself: where a grant reaches whole
/// subscriptions.
fn subscription_or_above(p: &str) -> bool {
    p == "/"
        || one("/subscriptions/", p)
        || one("/providers/microsoft.management/managementgroups/", p)
}

/// A resource group itself.
fn resource_group(p: &str) -> bool {
    p.strip_prefix("/subscriptions/")
        .and_then(|rest| rest.split_once("/resourcegroups/"))
        .is_some_and(|(sub, rg)| id(sub) && id(rg))
}

/// Whether `p` is `prefix` and one id.
fn one(prefix: &str, p: &str) -> bool {
    p.strip_prefix(prefix).is_some_and(id)
}

fn id(s: &str) -> bool {
    !s.is_empty() && !s.contains(['/', '*'])
}

const AUTHORIZATION: &[&str] = &[
    ASSIGN_ROLES,
    "Action:Microsoft.Authorization/roleDefinitions/write",
];

/// The tenant root scope, the only place where Azure honours `elevateAccess`.
fn root(p: &str) -> bool {
    p == "/"
}

/// What creates or changes compute that runs with a managed identity attached to it.
pub const RUN_WITH_IDENTITY: &[&str] = &[
    "Action:Microsoft.Compute/virtualMachines/write",
    "Action:Microsoft.Compute/virtualMachineScaleSets/write",
    "Action:Microsoft.Web/sites/write",
    "Action:Microsoft.ContainerInstance/containerGroups/write",
    "Action:Microsoft.Automation/automationAccounts/write",
];

const ROUTES: &[Route] = &[
    // Owner: every operation, and the right to give it away. Contributor has the first half
    // only (its NotActions take out role assignment), User Access Administrator the second.
    route(
        Capability::AdminEquivalent,
        "use and assign every permission on a subscription or management group (Owner)",
        &[
            on(&[ANY_ACTION], subscription_or_above),
            on(&[ASSIGN_ROLES], subscription_or_above),
        ],
    ),
    at(
        Severity::High,
        route(
            Capability::AdminEquivalent,
            "use and assign every permission on a resource group (Owner)",
            &[
                on(&[ANY_ACTION], resource_group),
                on(&[ASSIGN_ROLES], resource_group),
            ],
        ),
    ),
    route(
        Capability::PrivilegeEscalation,
        "assign roles or write role definitions on a subscription or management group",
        &[on(AUTHORIZATION, subscription_or_above)],
    ),
    // A Global Administrator's way to every subscription; a grant of it below the root scope
    // (inside an Owner's `*` on a subscription) does nothing.
    route(
        Capability::PrivilegeEscalation,
        "elevate itself to User Access Administrator over every subscription of the tenant",
        &[on(
            &["Action:Microsoft.Authorization/elevateAccess/Action"],
            root,
        )],
    ),
    at(
        Severity::High,
        route(
            Capability::PrivilegeEscalation,
            "assign roles or write role definitions on a resource group or resource",
            &[on(AUTHORIZATION, anywhere)],
        ),
    ),
    route(
        Capability::PassroleCompute,
        "attach a managed identity to compute it creates or changes",
        &[
            on(
                &["Action:Microsoft.ManagedIdentity/userAssignedIdentities/assign/action"],
                anywhere,
            ),
            on(RUN_WITH_IDENTITY, anywhere),
        ],
    ),
    route(
        Capability::CodeExecution,
        "run commands on virtual machines or clusters, with their managed identities",
        &[on(
            &[
                "Action:Microsoft.Compute/virtualMachines/runCommand/action",
                "Action:Microsoft.Compute/virtualMachines/extensions/write",
                "Action:Microsoft.ContainerService/managedClusters/runcommand/action",
                "Action:Microsoft.Automation/automationAccounts/jobs/write",
                "Action:Microsoft.Web/sites/publish/Action",
            ],
            anywhere,
        )],
    ),
    route(
        Capability::CredentialsExposure,
        "list account keys or cluster credentials",
        &[on(
            &[
                "Action:Microsoft.Storage/storageAccounts/listKeys/action",
                "Action:Microsoft.ContainerService/managedClusters/listClusterAdminCredential/action",
                "Action:Microsoft.DocumentDB/databaseAccounts/listKeys/action",
                "Action:Microsoft.Web/sites/config/list/Action",
            ],
            anywhere,
        )],
    ),
    route(
        Capability::SecretsRead,
        "read Key Vault secrets",
        &[on(
            &["DataAction:Microsoft.KeyVault/vaults/secrets/getSecret/action"],
            anywhere,
        )],
    ),
    route(
        Capability::DataExfiltration,
        "read every blob of a subscription or management group",
        &[on(
            &["DataAction:Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"],
            subscription_or_above,
        )],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testing::optional;

    #[test]
    fn places_are_scopes_of_their_level() {
        assert!(subscription_or_above("/subscriptions/0000"));
        assert!(subscription_or_above(
            "/providers/microsoft.management/managementgroups/platform"
        ));
        assert!(subscription_or_above("/"));
        assert!(!subscription_or_above("/subscriptions/0000/*"));
        assert!(!subscription_or_above(
            "/subscriptions/0000/resourcegroups/rg"
        ));
        assert!(resource_group("/subscriptions/0000/resourcegroups/rg"));
        assert!(!resource_group("/subscriptions/0000/resourcegroups/rg/*"));
    }

    #[test]
    fn every_operation_of_the_routes_is_a_real_one() {
        // Named in the built-in catalog, literally or under a wildcard with a literal provider
        // namespace: a typo would make a route that can never hold.
        let Some(path) = optional::shared("catalogs/azure-role-definitions.json") else {
            return;
        };
        let text = std::fs::read_to_string(path).expect("the shared Azure role catalog");
        let roles: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut known = Vec::new();
        for r in roles.as_array().unwrap() {
            for p in r["permissions"].as_array().unwrap() {
                for k in ["actions", "notActions", "dataActions", "notDataActions"] {
                    let plane = if k.to_lowercase().contains("data") {
                        "DataAction:"
                    } else {
                        "Action:"
                    };
                    for op in p[k].as_array().into_iter().flatten() {
                        let op = op.as_str().unwrap().to_lowercase();
                        if !op.starts_with('*') {
                            known.push(format!("{plane}{op}"));
                        }
                    }
                }
            }
        }
        for r in ROUTES {
            for op in r.parts.iter().flat_map(|p| p.listed().iter()) {
                if *op == ANY_ACTION {
                    continue;
                }
                let op = op.to_lowercase();
                let named = known
                    .iter()
                    .any(|k| crate::model::pattern::Glob::wildcard(&k.to_lowercase()).matches(&op));
                assert!(named, "{op} is in no Azure role");
            }
        }
    }
}
