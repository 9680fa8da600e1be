//! Who acts as each identity: the callers its trust admits after the change and the plan's
//! workloads that run as it on each side.

use crate::model::{Extracted, Provider};
use crate::providers::aws::callers::callers;
use crate::report::{IdentityReport, Usage};

/// Sets `used_by` on every identity the plan shows a caller or a workload of.
pub fn assign<'r>(found: &Extracted, identities: impl IntoIterator<Item = &'r mut IdentityReport>) {
    let scopes: std::collections::HashMap<&str, &crate::model::IdentityScopes> = found
        .identities
        .iter()
        .map(|s| (s.address.as_str(), s))
        .collect();
    for id in identities {
        let mut callers = match scopes.get(id.address.as_str()) {
            // A trust document marked sensitive is not summarised: its principals are its text.
            Some(s) if s.provider == Provider::Aws => match &s.after.trust {
                Some(trust)
                    if !trust
                        .statements
                        .iter()
                        .any(|st| s.origins[st.origin].sensitive) =>
                {
                    callers(trust)
                }
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        callers.extend(
            found
                .callers
                .get(&id.address)
                .into_iter()
                .flatten()
                .cloned(),
        );
        let [before, after] = &found.workloads;
        let workloads = after.get(&id.address).cloned().unwrap_or_default();
        let workloads_before = before.get(&id.address).map_or(0, Vec::len);
        if callers.is_empty() && workloads.is_empty() && workloads_before == 0 {
            continue;
        }
        id.used_by = Some(Usage {
            callers,
            workloads,
            workloads_before,
        });
    }
}
