//! One subject of the report: an identity or a resource, its verdict and what changed.

use crate::model::{Grant, Provider, Verdict, Witness};
use crate::plan::side::AttributeRef;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct IdentityReport {
    /// Terraform address of the identity resource, or `aws_iam_role.<name>`-like pseudo address
    /// (`external:aws_iam_role/NAME`) for identities that only appear as attachment targets.
    pub address: String,
    /// Cloud provider: `aws`, `gcp`, `azure` or `kubernetes`.
    pub provider: Provider,
    /// Resource type of the identity: `aws_iam_role`, `aws_iam_user`, `aws_iam_group`.
    pub kind: &'static str,
    /// Identity name (role/user/group name) when known.
    pub name: Option<String>,
    /// The kind of principal as the cloud names it, where the plan says (Azure's
    /// `principal_type`: `User`, `Group`, `ServicePrincipal`...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal_type: Option<String>,
    /// Whose it is: the owner its tags or labels name, when they name one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Owner>,
    /// Who acts as it: the callers its trust admits and the plan's workloads that run as it,
    /// where the plan shows any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub used_by: Option<super::Usage>,
    /// False when the identity itself is not managed in this plan (only grants to it are).
    pub managed_in_plan: bool,
    /// Terraform actions on the identity resource itself (`["update"]`, `["delete","create"]`...).
    pub actions: Vec<String>,
    pub verdict: Verdict,
    /// Grants the new scope allows that the old did not (grouped by statement), broadest first.
    pub added: Vec<Grant>,
    /// Grants the old scope allowed that the new does not.
    pub removed: Vec<Grant>,
    /// A concrete request the new scope allows and the old denies: the example of the first
    /// (most important) added grant that has one.
    pub witness: Option<Witness>,
    /// Values that decide the scope but are known only after apply.
    pub unknown: Vec<AttributeRef>,
    /// What those values could turn out to be, when there are some: only names of resources
    /// the plan manages, or anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unknown_bound: Option<UnknownBound>,
    /// Values that Terraform marks sensitive; their text never appears in any output.
    pub sensitive: Vec<AttributeRef>,
    /// Caveats on the verdict (e.g. an unexpanded managed policy was not counted in the old scope).
    pub notes: Vec<String>,
    /// The identities it can newly become whose permissions add to its own: what it gains
    /// beyond its own policies (see `docs/paths.md`). Its verdict is about its own scope.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<super::Path>,
    /// Where the identity's resource is declared, when the Terraform sources were given
    /// (`--source-dir`) and it was found there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Normalised policy documents of this identity, before and after, for review diffs.
    /// Sensitive documents are replaced by a placeholder before they reach the report.
    #[serde(skip)]
    pub documents: Documents,
}

impl IdentityReport {
    /// How a reader knows the subject: its address, and the name it goes by when the address
    /// does not say it (an Azure principal known by object id, `--principal-names` naming it).
    pub fn label(&self) -> String {
        match &self.name {
            Some(name) if !self.managed_in_plan && !self.address.contains(name.as_str()) => {
                format!("{} ({name})", self.address)
            }
            _ => self.address.clone(),
        }
    }

    /// The kind, with the kind of principal the cloud gives where the plan says it
    /// (`azure_principal, ServicePrincipal`).
    pub fn kind_label(&self) -> String {
        match &self.principal_type {
            Some(t) => format!("{}, {t}", self.kind),
            None => self.kind.to_string(),
        }
    }
}

/// Who owns an identity, and where that is said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Owner {
    /// The team or person, as written: `platform`.
    pub name: String,
    /// Where it is written: `tag Team`, `label owner`.
    pub source: String,
}

/// What values known only after apply could turn out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnknownBound {
    /// The configuration computes each from nothing but names of resources the plan manages
    /// (`Resource = aws_s3_bucket.new.arn`): the scope is what it reads, on those resources.
    Names,
    /// Something else (a variable, a data source's document, another module's output, a
    /// resource's attribute that is not its name): the value could be anything.
    Anything,
}

#[derive(Debug, Clone, Default)]
pub struct Documents {
    pub before: String,
    pub after: String,
}

/// Where a resource block is declared: a path relative to the working directory (with `/`
/// separators), and its first and last line, 1-based.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub end_line: usize,
}
