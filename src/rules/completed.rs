//! Findings for the routes the plan newly completes (see `crate::checks`): what the identity can
//! now do, one example request per part of the route, and the added grants that completed it.

use super::finding::{cause, finding, request_with_context};
use crate::checks::Hit;
use crate::model::list;
use crate::report::{Finding, IdentityReport};

/// One finding per hit, under the rule that reports its capability, at the route's own
/// severity when it has one.
pub fn for_hits(id: &IdentityReport, hits: &[Hit]) -> Vec<Finding> {
    hits.iter()
        .map(|h| {
            let examples: Vec<String> = h.requests.iter().map(request_with_context).collect();
            let mut m = format!(
                "{} can now {}: {}",
                id.address,
                h.label,
                examples.join(" with ")
            );
            if !h.grants.is_empty() {
                m.push_str(&format!(" (added by {})", list(&h.grants, 3)));
            }
            let address = h
                .grants
                .iter()
                .find_map(|src| {
                    id.added
                        .iter()
                        .find(|g| &g.source == src)
                        .map(|g| cause(id, g))
                })
                .unwrap_or(&id.address);
            let rule = super::completing(h.completes);
            let mut f = finding(rule, &id.address, address, m);
            f.severity = h.severity.unwrap_or(rule.severity);
            f.requests = h.requests.clone();
            f.grants = h.grants.clone();
            f
        })
        .collect()
}
