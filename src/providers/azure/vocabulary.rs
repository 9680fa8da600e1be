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
        let mut known: Vec<String> = Vec::new();
        for st in all {
            let except = st.except.iter().flat_map(|m| m.display.iter());
            for d in except.filter(|d| !d.contains(['*', '?'])) {
                if !known.iter().any(|k| k.eq_ignore_ascii_case(d)) {
                    known.push(d.clone());
                }
            }
        }
        // The catalog's operations are distinct already: only those named above are left out.
        let named = known.len();
        for op in azure_operations() {
            if !known[..named].iter().any(|k| k.eq_ignore_ascii_case(op)) {
                known.push(op.clone());
            }
        }
        known
    }

    fn ranking_operations(&self) -> Vec<String> {
        azure_operations().to_vec()
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
/// of the built-in roles (the embedded complete catalog and the curated table), in display
/// form (`Action:…`, `DataAction:…`).
pub fn azure_operations() -> &'static [String] {
    static OPERATIONS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    OPERATIONS.get_or_init(|| {
        let mut out: Vec<String> = Vec::new();
        let mut add = |plane: &str, list: &mut dyn Iterator<Item = &str>| {
            out.extend(
                list.filter(|a| !a.contains(['*', '?']))
                    .map(|a| format!("{plane}{a}")),
            );
        };
        for r in crate::catalog::azure::BUILTIN {
            add("Action:", &mut r.actions.iter().copied());
            add("DataAction:", &mut r.data_actions.iter().copied());
        }
        for p in crate::catalog::azure::embedded::all()
            .iter()
            .flat_map(|r| &r.permissions)
        {
            let control = p.actions.iter().chain(&p.not_actions);
            add("Action:", &mut control.map(String::as_str));
            let data = p.data_actions.iter().chain(&p.not_data_actions);
            add("DataAction:", &mut data.map(String::as_str));
        }
        // Elevating access is done on the tenant's root scope only, which no assignment
        // privdiff reads is on: as an example elsewhere it would name a request Azure
        // refuses.
        out.retain(|a| !a.to_lowercase().contains("/elevateaccess/"));
        out.sort_by_cached_key(|a| (azure_rank(a), a.to_lowercase()));
        out.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        out
    })
}

/// How consequential an Azure operation reads, most first: one that changes who may do what or
/// lets the caller act as another identity (0), one that reads secrets, keys or data (1), a
/// write (2), anything else (3); within each, an operation of a resource's own provider before
/// one of an extension provider (diagnostic settings, advisor recommendations), which attaches
/// to every resource and so says less about what a grant is for.
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
    let class = if identity {
        0
    } else if secret {
        1
    } else if write {
        2
    } else {
        3
    };
    let op = o.split_once(':').map_or(o.as_str(), |(_, op)| op);
    // In the identity class, changing role assignments and definitions and assigning an
    // identity come first; locks and policy assignments are the extension's aside.
    let core = ["/roleassignments/", "/roledefinitions/", "/assign/action"]
        .iter()
        .any(|k| op.contains(k));
    let aside = super::applicable::extends_any(op) && !core;
    class * 2 + usize::from(aside)
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
        // Done on the tenant root only: never an example.
        assert!(!ops
            .iter()
            .any(|o| o.to_lowercase().contains("/elevateaccess/")));
        assert!(ops.len() > 1000, "{}", ops.len());
        let rank = |o: &str| azure_rank(o);
        assert!(
            rank("Action:Microsoft.Authorization/roleAssignments/write")
                < rank("DataAction:Microsoft.KeyVault/vaults/secrets/getSecret/action")
        );
        assert!(
            rank("DataAction:Microsoft.KeyVault/vaults/secrets/getSecret/action")
                < rank("Action:Microsoft.Authorization/roleAssignments/delete")
        );
        assert_eq!(
            rank("Action:Microsoft.Authorization/roleAssignments/delete"),
            rank("Action:Microsoft.Compute/virtualMachines/write")
        );
        assert!(
            rank("Action:Microsoft.Authorization/roleAssignments/write")
                < rank("Action:Microsoft.Compute/virtualMachines/write")
        );
        assert!(
            rank("Action:Microsoft.Compute/virtualMachines/write")
                < rank("Action:Microsoft.Compute/virtualMachines/read")
        );
        // An extension provider's operation after a resource's own, in the same class.
        assert!(
            rank("Action:Microsoft.Network/azureFirewalls/write")
                < rank("Action:Microsoft.Insights/diagnosticSettings/write")
        );
        assert!(
            rank("Action:Microsoft.Insights/diagnosticSettings/write")
                < rank("Action:Microsoft.Network/azureFirewalls/read")
        );
    }
}
