//! GCP's vocabulary for witnesses: real permission names, ranked by consequence. A candidate is
//! used only when it has exactly the atom's signature, so this affects how a witness reads,
//! never whether it is correct.

use crate::model::pattern::Glob;
use crate::model::vocabulary::Vocabulary;
use crate::model::Statement;

/// GCP's words.
pub struct Gcp;

impl Vocabulary for Gcp {
    fn known_actions(&self, statement: &Statement, _: &[&Statement]) -> Vec<String> {
        gcp_permissions(&statement.actions.patterns, &statement.actions.display)
    }

    fn shows_actions_as_written(&self) -> bool {
        true
    }

    fn rank(&self, permission: &str) -> usize {
        gcp_rank(permission)
    }
}

/// Real GCP permission names to try as witnesses of a statement whose action patterns are
/// `patterns` (matching form) written as `displays`: its literal permissions as written, and
/// every permission of the complete catalog that one of its wildcards matches.
pub fn gcp_permissions(patterns: &[String], displays: &[String]) -> Vec<String> {
    let wild: Vec<Glob> = patterns
        .iter()
        .filter(|p| p.contains('*'))
        .map(|p| Glob::wildcard(p))
        .collect();
    let mut out: Vec<String> = displays
        .iter()
        .filter(|d| !d.contains('*'))
        .cloned()
        .collect();
    if !wild.is_empty() {
        out.extend(crate::catalog::gcp::embedded::matching(&wild).map(str::to_string));
    }
    out.sort();
    out.dedup();
    out
}

/// How consequential a GCP permission reads, most first: one that changes IAM or acts as
/// another identity (0), one that reads secret data (1), one that acts (a write, or any verb
/// that does more than look) (2), one that only looks (3), a name no predefined role has (4).
pub fn gcp_rank(permission: &str) -> usize {
    const IDENTITY: &[&str] = &[
        "setiampolicy",
        "actas",
        "getaccesstoken",
        "signblob",
        "signjwt",
        "implicitdelegation",
        "serviceaccountkeys.create",
        "roles.update",
    ];
    const SECRET: &[&str] = &[
        "versions.access",
        "objects.get",
        "getcredentials",
        "secrets.get",
        "usetodecrypt",
        "getdata",
        "privatelogentries",
        "subscriptions.consume",
    ];
    const WRITE: &[&str] = &[
        ".create",
        ".update",
        ".delete",
        ".set",
        ".run",
        ".exec",
        ".add",
        ".sourcecodeset",
        ".invoke",
        ".publish",
        ".attach",
    ];
    let p = permission.to_lowercase();
    if !crate::catalog::gcp::embedded::has(&p) {
        // A name no role has (a custom role's own, or a comparison's representative made of
        // its patterns' letters, `apikeys.setiampolicy`) reads as nothing a reviewer knows:
        // a real permission is always the better example.
        4
    } else if IDENTITY.iter().any(|k| p.contains(k)) {
        0
    } else if SECRET.iter().any(|k| p.contains(k)) {
        1
    } else if WRITE.iter().any(|k| p.contains(k)) || !reads(&p) {
        2
    } else {
        3
    }
}

/// Whether a permission (in lower case) only looks: its verb reads, lists or checks. Any other
/// verb acts (`useToEncrypt`, `connect`, `restore`, `export`...) and ranks as a write.
fn reads(permission: &str) -> bool {
    const LOOKING: &[&str] = &[
        "get", "list", "search", "lookup", "check", "view", "watch", "describe", "read", "query",
        "validate", "test",
    ];
    let verb = permission.rsplit('.').next().unwrap_or(permission);
    LOOKING.iter().any(|l| verb.starts_with(l))
}

#[cfg(test)]
mod tests {
    use super::gcp_rank;

    #[test]
    fn a_permission_ranks_by_what_it_does_and_names_no_role_has_rank_last() {
        assert_eq!(gcp_rank("iam.serviceAccounts.actAs"), 0);
        assert_eq!(gcp_rank("secretmanager.versions.access"), 1);
        assert_eq!(gcp_rank("storage.objects.delete"), 2);
        // Using a key is more than looking at it.
        assert_eq!(gcp_rank("cloudkms.cryptoKeyVersions.useToEncrypt"), 2);
        assert_eq!(gcp_rank("cloudkms.keyRings.get"), 3);
        assert_eq!(gcp_rank("storage.buckets.list"), 3);
        assert_eq!(gcp_rank("apikeys.setiampolicy"), 4);
    }
}
