//! GCP's vocabulary for witnesses: real permission names, ranked by consequence. A candidate is
//! used only when it has exactly the atom's signature, so this affects how a witness reads,
//! never whether it is correct.

use crate::model::vocabulary::Vocabulary;
use crate::model::Statement;

/// GCP's words.
pub struct Gcp;

impl Vocabulary for Gcp {
    fn known_actions(&self, _: &Statement, _: &[&Statement]) -> Vec<String> {
        gcp_permissions()
    }

    fn shows_actions_as_written(&self) -> bool {
        true
    }

    fn rank(&self, permission: &str) -> usize {
        gcp_rank(permission)
    }
}

/// Real GCP permission names to try as witnesses: every literal one of the curated role table.
pub fn gcp_permissions() -> Vec<String> {
    let mut out: Vec<String> = crate::catalog::gcp::ROLES
        .iter()
        .flat_map(|(_, perms)| perms.iter())
        // A permission a role's exception takes out is a real one too.
        .map(|p| p.trim_start_matches('-'))
        .filter(|p| !p.contains('*'))
        .map(|p| p.to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// How consequential a GCP permission reads, most first: one that changes IAM or acts as
/// another identity (0), one that reads secret data (1), a write (2), anything else (3).
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
    if IDENTITY.iter().any(|k| p.contains(k)) {
        0
    } else if SECRET.iter().any(|k| p.contains(k)) {
        1
    } else if WRITE.iter().any(|k| p.contains(k)) {
        2
    } else {
        3
    }
}
