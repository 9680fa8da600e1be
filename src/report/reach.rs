//! Who can newly reach what: one entry per principal that gains access to a role (trust) or a
//! resource (resource policy).

use crate::model::{ScopeKind, Witness};
use serde::Serialize;

/// One principal that can newly reach a subject through a trust or resource policy.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Reach {
    /// Address of the role (trust) or resource (resource policy) it reaches.
    pub subject: String,
    /// Resource type of the subject: `aws_iam_role`, `aws_s3_bucket`...
    pub subject_kind: &'static str,
    /// `trust` or `resource`.
    pub scope: ScopeKind,
    /// The principal as the policy names it: `*`, `AWS:arn:aws:iam::444455556666:root`,
    /// `Service:sns.amazonaws.com`, `Federated:arn:aws:iam::…:oidc-provider/…`.
    pub principal: String,
    pub class: PrincipalClass,
    /// The account the principal belongs to, or that a condition pins it to, when one is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// What it may newly do: the added grant's actions (the excluded ones for `NotAction`).
    pub actions: Vec<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub not_actions: bool,
    /// On which resources (resource policies; empty for trust).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// Safeguards this change removes or that the new access lacks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub concerns: Vec<Concern>,
    /// Plan addresses of the resources that bring the access, the likeliest cause first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
    /// A request from this principal that the new policy allows and the old did not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Witness>,
}

/// Who a principal is, from the most exposed to the least. `reach[]` is sorted by it.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum PrincipalClass {
    /// Anyone: `*` with no condition that pins it to an account, organisation, source, network
    /// or VPC (S3's definition of a public policy).
    Public,
    /// An AWS account that is neither one of the plan's own nor a trusted one.
    ForeignAccount,
    /// Identities of an OIDC or SAML provider (`Federated`).
    Federated,
    /// An AWS service (`Service`).
    Service,
    /// Anyone, but only from a fixed source (a VPC, a VPC endpoint, an IP range, a resource
    /// ARN that names no account).
    Restricted,
    /// Anyone in an AWS Organization (`*` pinned by `aws:PrincipalOrgID` or `aws:PrincipalOrgPaths`).
    Organization,
    /// An account listed as trusted (`--trusted-account`).
    TrustedAccount,
    /// One of the accounts this plan's resources live in.
    OwnAccount,
}

impl PrincipalClass {
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalClass::Public => "public",
            PrincipalClass::ForeignAccount => "foreign-account",
            PrincipalClass::Federated => "federated",
            PrincipalClass::Service => "service",
            PrincipalClass::Restricted => "restricted",
            PrincipalClass::Organization => "organization",
            PrincipalClass::TrustedAccount => "trusted-account",
            PrincipalClass::OwnAccount => "own-account",
        }
    }
}

/// A safeguard a reach entry lacks: a stable code and a one-line explanation.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Concern {
    pub code: ConcernCode,
    pub message: String,
}

/// Which safeguard a reach entry lacks.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum ConcernCode {
    /// A web-identity trust without a condition on the token's subject: anyone the issuer
    /// issues a token to may assume the role.
    OidcSubjectMissing,
    /// A web-identity trust whose subject condition admits more than one workload.
    OidcSubjectBroad,
    /// `sts:ExternalId` is no longer required.
    ExternalIdRemoved,
    /// `aws:PrincipalOrgID` or `aws:PrincipalOrgPaths` is no longer required.
    OrgConditionRemoved,
    /// A service may act for any account's resources: no `aws:SourceArn` or
    /// `aws:SourceAccount` condition.
    SourceConditionMissing,
    /// An S3 public access block was turned off or removed.
    PublicAccessBlockDisabled,
}

impl ConcernCode {
    /// The code, e.g. `external-id-removed`.
    pub fn as_str(self) -> &'static str {
        match self {
            ConcernCode::OidcSubjectMissing => "oidc-subject-missing",
            ConcernCode::OidcSubjectBroad => "oidc-subject-broad",
            ConcernCode::ExternalIdRemoved => "external-id-removed",
            ConcernCode::OrgConditionRemoved => "org-condition-removed",
            ConcernCode::SourceConditionMissing => "source-condition-missing",
            ConcernCode::PublicAccessBlockDisabled => "public-access-block-disabled",
        }
    }
}
