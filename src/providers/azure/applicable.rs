//! Which of a role's operations take effect at an assignment's scope. On a management group,
//! subscription or resource group every operation does: the scope holds resources of every
//! type. On one resource (`…/providers/Microsoft.Network/azureFirewalls/fw`) only the
//! operations of its type and of the types under it (`Microsoft.Network/azureFirewalls/…`)
//! do, and those of the extension resource providers, whose resources attach to any resource
//! (role assignments, locks, diagnostic settings, tags): Contributor on a firewall cannot run
//! commands on virtual machines, as nothing under a firewall is one.

/// Resource providers whose resources extend any other resource, so that their operations
/// apply at every scope. Taking in one too many only counts operations that cannot be used
/// there (the worst case); one too few would hide a widening.
const EXTENSIONS: &[&str] = &[
    "Microsoft.Advisor",
    "Microsoft.Authorization",
    "Microsoft.ChangeAnalysis",
    "Microsoft.GuestConfiguration",
    "Microsoft.Insights",
    "Microsoft.Maintenance",
    "Microsoft.PolicyInsights",
    "Microsoft.ResourceHealth",
    "Microsoft.Resources",
    "Microsoft.Security",
    "Microsoft.Support",
];

/// Whether operation `op` (`Microsoft.Insights/diagnosticSettings/write`) is one of an
/// extension resource provider's, which apply at every scope.
pub fn extends_any(op: &str) -> bool {
    EXTENSIONS.iter().any(|e| {
        op.as_bytes().get(e.len()) == Some(&b'/')
            && op.get(..e.len()).is_some_and(|p| p.eq_ignore_ascii_case(e))
    })
}

/// The resource type a scope names (`Microsoft.Network/azureFirewalls`,
/// `Microsoft.Network/virtualNetworks/subnets`), or `None` for a scope that holds resources
/// of every type (a management group, subscription or resource group) or that privdiff cannot
/// read as a resource id (every operation then counts: the worst case).
pub fn resource_type(scope: &str) -> Option<String> {
    let trimmed = scope.trim().trim_end_matches('/');
    // The resource an extension resource is on is named before the last `providers`.
    let lower = trimmed.to_lowercase();
    let at = lower.rfind("/providers/")?;
    let rest: Vec<&str> = trimmed[at + "/providers/".len()..].split('/').collect();
    // Namespace, then type/name pairs.
    let (namespace, pairs) = rest.split_first()?;
    if namespace.is_empty() || pairs.is_empty() || pairs.len() % 2 != 0 {
        return None;
    }
    let types: Vec<&str> = pairs.iter().step_by(2).copied().collect();
    if types.iter().any(|t| t.is_empty()) {
        return None;
    }
    let ty = format!("{namespace}/{}", types.join("/"));
    // A management group is a scope of scopes, not a resource.
    if ty.eq_ignore_ascii_case("Microsoft.Management/managementGroups") {
        return None;
    }
    Some(ty)
}

/// The part of operation pattern `pattern` that takes effect on a resource of type `ty`: the
/// patterns whose union is exactly what `pattern` matches of the operations of `ty`, the
/// types under it and the extension providers. Empty when none does.
pub fn at_resource(pattern: &str, ty: &str) -> Vec<String> {
    let mut out = Vec::new();
    let prefixes = std::iter::once(ty.to_string())
        .chain(EXTENSIONS.iter().map(|e| e.to_string()))
        .map(|p| format!("{p}/"));
    for (i, prefix) in prefixes.enumerate() {
        let p: Vec<char> = pattern.chars().collect();
        let q: Vec<char> = prefix.chars().collect();
        let mut found = Vec::new();
        within(&p, &q, String::new(), &mut found);
        // `*/read` read at an extension provider leaves `Microsoft.Insights/read`, which names
        // no operation: a resource's operations are `Provider/type/…/verb`, and the
        // provider-level ones (`register/action`) are done on a subscription.
        let provider_level =
            |f: &String| !f.contains(['*', '?']) && f[prefix.len()..].split('/').count() == 1;
        out.extend(found.into_iter().filter(|f| i == 0 || !provider_level(f)));
    }
    // The type's own first, as a reviewer reads them; each once.
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(p.to_lowercase()));
    out
}

/// Adds to `out` patterns (each starting with `done`) whose union is exactly the strings
/// `pattern` matches that start with the literal `prefix`, compared case-insensitively as
/// Azure compares operations. `*` matches any run of characters, `?` any one.
fn within(pattern: &[char], prefix: &[char], done: String, out: &mut Vec<String>) {
    let Some((&q, q_rest)) = prefix.split_first() else {
        out.push(done + &pattern.iter().collect::<String>());
        return;
    };
    match pattern.split_first() {
        None => {}
        Some(('*', p_rest)) => {
            // The star matches nothing, or the prefix's next character and maybe more.
            within(p_rest, prefix, done.clone(), out);
            within(pattern, q_rest, format!("{done}{q}"), out);
        }
        Some(('?', p_rest)) => within(p_rest, q_rest, format!("{done}{q}"), out),
        Some((&c, p_rest)) if c.eq_ignore_ascii_case(&q) => {
            within(p_rest, q_rest, format!("{done}{c}"), out)
        }
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::pattern::wildcard_matches;

    #[test]
    fn a_resource_scope_names_its_type() {
        let rg = "/subscriptions/s/resourceGroups/rg";
        let fw = format!("{rg}/providers/Microsoft.Network/azureFirewalls/fw");
        assert_eq!(
            resource_type(&fw).as_deref(),
            Some("Microsoft.Network/azureFirewalls")
        );
        let subnet = format!("{rg}/providers/Microsoft.Network/virtualNetworks/v/subnets/a/");
        assert_eq!(
            resource_type(&subnet).as_deref(),
            Some("Microsoft.Network/virtualNetworks/subnets")
        );
        let ext = format!("{fw}/providers/Microsoft.Insights/diagnosticSettings/d");
        assert_eq!(
            resource_type(&ext).as_deref(),
            Some("Microsoft.Insights/diagnosticSettings")
        );
        assert_eq!(resource_type(rg), None);
        assert_eq!(resource_type("/subscriptions/s"), None);
        let mg = "/providers/Microsoft.Management/managementGroups/m";
        assert_eq!(resource_type(mg), None);
        assert_eq!(
            resource_type(&format!("{rg}/providers/Microsoft.Network")),
            None
        );
    }

    #[test]
    fn a_pattern_keeps_exactly_what_applies_to_the_type() {
        let ty = "Microsoft.Network/azureFirewalls";
        let cut = |p: &str| at_resource(p, ty);
        let matched = |p: &str, op: &str| {
            cut(p)
                .iter()
                .any(|c| wildcard_matches(&c.to_lowercase(), &op.to_lowercase()))
        };
        // `*/read` keeps the firewall's own read, reads under it, and extension reads.
        for op in [
            "Microsoft.Network/azureFirewalls/read",
            "Microsoft.Network/azureFirewalls/ipConfigurations/read",
            "Microsoft.Authorization/roleAssignments/read",
        ] {
            assert!(matched("*/read", op), "{op}");
        }
        for op in [
            "Microsoft.Compute/virtualMachines/read",
            "Microsoft.Network/azureFirewallsX/read",
            "Microsoft.Network/azureFirewalls/write",
        ] {
            assert!(!matched("*/read", op), "{op}");
        }
        // Nor a provider-level name no operation has.
        let reads = cut("*/read");
        assert!(!reads
            .iter()
            .any(|r| r.eq_ignore_ascii_case("Microsoft.Insights/read")));
        assert!(
            reads.iter().any(|r| r == "Microsoft.Insights/*/read"),
            "{reads:?}"
        );
        // `*` keeps the type's operations, not another type's.
        assert!(matched("*", "Microsoft.Network/azureFirewalls/write"));
        assert!(!matched(
            "*",
            "Microsoft.Compute/virtualMachines/runCommand/action"
        ));
        assert!(!matched(
            "*",
            "Microsoft.Storage/storageAccounts/listKeys/action"
        ));
        // Case does not matter; a literal of another type is gone.
        assert_eq!(
            cut("microsoft.network/AZUREFIREWALLS/write"),
            ["microsoft.network/AZUREFIREWALLS/write"]
        );
        assert!(cut("Microsoft.Compute/virtualMachines/*").is_empty());
        assert_eq!(
            cut("Microsoft.Network/*"),
            ["Microsoft.Network/azureFirewalls/*"]
        );
    }
}
