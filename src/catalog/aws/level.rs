//! AWS access levels, in their own file so that the catalog and its hand-kept
//! [`overrides`](super::overrides) can both name them without reading each other.

/// How AWS classifies what an action does (the "Access level" column of the Service
/// Authorization Reference). Ordered from least to most sensitive-looking, by declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AccessLevel {
    List,
    Read,
    Write,
    /// Changes who may do what (`iam:PutRolePolicy`, `s3:PutBucketPolicy`, ...). AWS also
    /// counts these actions as Write; the catalog keeps the more specific level.
    PermissionsManagement,
    /// Only changes tags. Also Write for AWS; the catalog keeps the more specific level.
    Tagging,
}

impl AccessLevel {
    /// The name AWS uses, e.g. `"Permissions management"`.
    pub fn label(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::PermissionsManagement => "Permissions management",
            AccessLevel::Tagging => "Tagging",
        }
    }

    /// Most consequential first, for choosing examples and ordering summaries: permissions
    /// management 0, write 1, read 2, list 3, tagging 4.
    /// The level of a [`AccessLevel::rank`].
    pub fn from_rank(rank: u8) -> AccessLevel {
        match rank {
            0 => AccessLevel::PermissionsManagement,
            1 => AccessLevel::Write,
            2 => AccessLevel::Read,
            3 => AccessLevel::List,
            _ => AccessLevel::Tagging,
        }
    }

    pub fn rank(self) -> u8 {
        match self {
            AccessLevel::PermissionsManagement => 0,
            AccessLevel::Write => 1,
            AccessLevel::Read => 2,
            AccessLevel::List => 3,
            AccessLevel::Tagging => 4,
        }
    }

    /// The one-letter code of the catalog's data format (see the parent module).
    pub(super) fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "L" => AccessLevel::List,
            "R" => AccessLevel::Read,
            "W" => AccessLevel::Write,
            "P" => AccessLevel::PermissionsManagement,
            "T" => AccessLevel::Tagging,
            _ => return None,
        })
    }
}
