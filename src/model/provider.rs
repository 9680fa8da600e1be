//! Which cloud a subject belongs to.

use serde::Serialize;
use std::fmt;

/// A cloud whose identities privdiff reads (see `crate::providers`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// IAM roles, users and groups; resources with a resource policy.
    Aws,
    /// IAM members of projects, folders, organizations and resources.
    Gcp,
    /// Principals and managed identities with role assignments.
    Azure,
    /// Service accounts, users and groups bound to RBAC roles.
    Kubernetes,
}

impl Provider {
    /// Every provider, AWS first.
    pub const ALL: [Provider; 4] = [
        Provider::Aws,
        Provider::Gcp,
        Provider::Azure,
        Provider::Kubernetes,
    ];

    /// The name the JSON report gives it: `aws`, `gcp`, `azure`, `kubernetes`.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Aws => "aws",
            Provider::Gcp => "gcp",
            Provider::Azure => "azure",
            Provider::Kubernetes => "kubernetes",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
