//! Readable example values for Azure witnesses: operation names from the curated built-in
//! roles, ranked by consequence, and example scopes (see `docs/azure.md`).

use crate::model::vocabulary::Vocabulary;
use crate::model::Statement;

/// Azure's words.
pub struct Azure;

impl Vocabulary for Azure {
    /// An operation's key is its plane and resource provider, `action:microsoft.compute/` for
    /// `action:microsoft.compute/*/read`: one plane alone would put every Azure pattern in one
    /// search.
    fn service_key<'p>(&self, pattern: &'p str) -> Option<&'p str> {
        let first = pattern.find([':', '.'])? + 1;
        let end = if pattern.starts_with(AZURE_ACTION) || pattern.starts_with(AZURE_DATA_ACTION) {
            first + pattern[first..].find('/')? + 1
        } else {
            first
        };
        let key = &pattern[..end];
        (!key.contains(['*', '?'])).then_some(key)
    }

    fn known_actions(&self, _: &Statement, all: &[&Statement]) -> Vec<String> {
        // A subtracted operation that is allowed again reads best as itself.
        let mut known = Vec::new();
        for st in all {
            let except = st.except.iter().flat_map(|m| m.display.iter());
            known.extend(except.filter(|d| !d.contains(['*', '?'])).cloned());
        }
        known.extend(azure_operations());
        let mut seen = std::collections::HashSet::new();
        known.retain(|k| seen.insert(k.to_lowercase()));
        known
    }

    fn ranking_operations(&self) -> Vec<String> {
        azure_operations()
    }

    fn rank(&self, operation: &str) -> usize {
        azure_rank(operation)
    }

    fn resource_examples(&self, _: &str) -> Vec<String> {
        AZURE_SCOPES.iter().map(|r| r.to_string()).collect()
    }

    /// Azure scopes match in lower case (see `docs/azure.md`); candidates are shown as written.
    fn resources_fold_case(&self) -> bool {
        true
    }
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
