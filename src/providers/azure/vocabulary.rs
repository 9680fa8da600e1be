//! Readable example values for Azure witnesses: operation names from the curated built-in
//! roles, ranked by consequence, and example scopes (see `docs/azure.md`).

/// Whether a statement's actions are Azure operations (`action:…` / `dataaction:…`, see
/// `docs/azure.md`): witnesses then come from Azure's vocabulary, on Azure scopes.
pub fn is_azure(actions: &crate::model::Match) -> bool {
    let p = &actions.patterns;
    !p.is_empty()
        && p.iter()
            .all(|a| a.starts_with(AZURE_ACTION) || a.starts_with(AZURE_DATA_ACTION))
}

/// The matching-form prefixes of Azure control-plane and data-plane operations.
pub const AZURE_ACTION: &str = "action:";
pub const AZURE_DATA_ACTION: &str = "dataaction:";

/// Real Azure operations to try as witnesses, the most consequential first: every literal one
/// of the curated built-in roles, in display form (`Action:…`, `DataAction:…`).
pub fn azure_operations() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in crate::catalog::azure::BUILTIN {
        for (plane, list) in [("Action:", r.actions), ("DataAction:", r.data_actions)] {
            out.extend(
                list.iter()
                    .filter(|a| !a.contains(['*', '?']))
                    .map(|a| format!("{plane}{a}")),
            );
        }
    }
    out.sort_by_key(|a| (azure_rank(a), a.to_lowercase()));
    out.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    out
}

/// How consequential an Azure operation reads, most first: one that changes who may do what or
/// lets the caller act as another identity (0), one that reads secrets, keys or data (1), a
/// write (2), anything else (3).
pub fn azure_rank(operation: &str) -> usize {
    let o = operation.to_lowercase();
    let write = ["/write", "/delete", "/action"]
        .iter()
        .any(|w| o.ends_with(w));
    let grants = o.ends_with("/write") || o.ends_with("/action");
    let identity = (o.contains("microsoft.authorization/") && grants)
        || o.contains("elevateaccess")
        || o.contains("microsoft.managedidentity/userassignedidentities/assign/action");
    let secret = o.contains("/secrets/")
        || o.contains("/keys/")
        || o.contains("listkeys")
        || o.contains("listcredential")
        || (o.starts_with(AZURE_DATA_ACTION) && o.ends_with("/read"));
    if identity {
        0
    } else if secret {
        1
    } else if write {
        2
    } else {
        3
    }
}

/// Azure scopes to try as witness resources when a statement's own do not fit.
pub const AZURE_SCOPES: &[&str] = &[
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/example",
    "/subscriptions/00000000-0000-0000-0000-000000000000",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_are_ranked_authorization_writes_first() {
        let ops = azure_operations();
        assert_eq!(
            ops.first().map(|o| azure_rank(o)),
            Some(0),
            "{:?}",
            &ops[..3]
        );
        assert!(ops
            .windows(2)
            .all(|w| azure_rank(&w[0]) <= azure_rank(&w[1])));
        assert!(ops
            .iter()
            .all(|o| o.starts_with("Action:") || o.starts_with("DataAction:")));
        assert_eq!(
            azure_rank("Action:Microsoft.Authorization/roleAssignments/write"),
            0
        );
        assert_eq!(
            azure_rank("Action:Microsoft.Authorization/roleAssignments/delete"),
            2
        );
        assert_eq!(
            azure_rank("DataAction:Microsoft.KeyVault/vaults/secrets/getSecret/action"),
            1
        );
        assert_eq!(
            azure_rank("Action:Microsoft.Compute/virtualMachines/write"),
            2
        );
        assert_eq!(
            azure_rank("Action:Microsoft.Compute/virtualMachines/read"),
            3
        );
    }
}
