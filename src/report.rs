//! The report: the one view-model every renderer reads.
//!
//! Analysis fills it once; renderers only format it. It is also the JSON wire format
//! (`--format json`), documented in `docs/json-schema.md`. Field names here are a public
//! contract: add fields freely, but renaming or removing one needs a `SCHEMA_VERSION` bump.

use crate::model::{Grant, Provider, ScopeKind, Verdict, Witness};
use crate::plan::side::AttributeRef;
use serde::Serialize;

/// Version of the JSON report schema (`schema_version`).
pub const SCHEMA_VERSION: &str = "1.3";

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: &'static str,
    pub tool: ToolInfo,
    pub plan: PlanInfo,
    pub summary: Summary,
    /// Identities whose scope was looked at, sorted by address. Unchanged ones are included.
    pub identities: Vec<IdentityReport>,
    /// Resources whose resource policy (or public access block) the plan touches, sorted by
    /// address: who may use them. Same record as an identity; their grants have scope
    /// `resource`.
    pub resources: Vec<IdentityReport>,
    /// Who can newly reach what: one entry per principal that gains access to a role (trust)
    /// or a resource (resource policy), the most exposed first (see [`PrincipalClass`]).
    pub reach: Vec<Reach>,
    /// One finding per noteworthy change, sorted by identity address then code.
    pub findings: Vec<Finding>,
    /// Plan-level remarks (e.g. the plan errored and changes are partial).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ToolInfo {
    pub name: &'static str,
    pub version: &'static str,
    /// The packages privdiff's embedded data was generated from, as `--version` lists them.
    pub data: Vec<DataInfo>,
}

/// One source of privdiff's embedded data (see [`crate::catalog::sources`]).
#[derive(Debug, Clone, Serialize)]
pub struct DataInfo {
    pub package: &'static str,
    pub version: &'static str,
    /// `YYYY-MM-DD`.
    pub date: &'static str,
}

impl From<crate::catalog::DataSource> for DataInfo {
    fn from(s: crate::catalog::DataSource) -> Self {
        DataInfo {
            package: s.package,
            version: s.version,
            date: s.date,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanInfo {
    pub format_version: String,
    pub terraform_version: Option<String>,
    /// True when Terraform reported that planning failed: changes may be partial.
    pub errored: bool,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub identities: usize,
    pub widened: usize,
    pub narrowed: usize,
    pub unchanged: usize,
    pub unverifiable: usize,
    pub created: usize,
    pub deleted: usize,
    /// The same counts over `resources[]`.
    pub resources: Counts,
    /// `reach[]` entries whose principal is public (`class` `public`).
    pub public_reach: usize,
    /// `reach[]` entries whose principal is in an account that is neither the plan's own nor
    /// trusted (`class` `foreign-account`).
    pub foreign_reach: usize,
}

/// Verdict counts over a list of subjects.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub total: usize,
    pub widened: usize,
    pub narrowed: usize,
    pub unchanged: usize,
    pub unverifiable: usize,
    pub created: usize,
    pub deleted: usize,
}

impl Counts {
    pub fn of(subjects: &[IdentityReport]) -> Counts {
        let mut c = Counts {
            total: subjects.len(),
            ..Counts::default()
        };
        for s in subjects {
            *match s.verdict {
                Verdict::Widened => &mut c.widened,
                Verdict::Narrowed => &mut c.narrowed,
                Verdict::Unchanged => &mut c.unchanged,
                Verdict::Unverifiable => &mut c.unverifiable,
                Verdict::Created => &mut c.created,
                Verdict::Deleted => &mut c.deleted,
            } += 1;
        }
        c
    }
}

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
    /// Values that Terraform marks sensitive; their text never appears in any output.
    pub sensitive: Vec<AttributeRef>,
    /// Caveats on the verdict (e.g. an unexpanded managed policy was not counted in the old scope).
    pub notes: Vec<String>,
    /// Where the identity's resource is declared, when the Terraform sources were given
    /// (`--source-dir`) and it was found there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Normalised policy documents of this identity, before and after, for review diffs.
    /// Sensitive documents are replaced by a placeholder before they reach the report.
    #[serde(skip)]
    pub documents: Documents,
}

#[derive(Debug, Clone, Default)]
pub struct Documents {
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Stable finding code, e.g. `PD001`.
    pub code: &'static str,
    /// Kebab-case name of the finding kind, e.g. `permissions-widened`.
    pub name: &'static str,
    pub severity: crate::model::Severity,
    /// Address of the identity the finding is about.
    pub identity: String,
    /// Address of the plan resource that caused it (the resource of the first added grant, or
    /// of the unknown value), else the identity: where annotations point.
    pub address: String,
    /// Where `address` (else the identity) is declared, when the sources were given and it
    /// was found there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// One-line, plain-text message (renderers escape it).
    pub message: String,
    /// For a finding about a `reach[]` entry (PD006–PD010): the principal it is about, as the
    /// entry names it. Two such findings on one subject differ by it (and by `concern`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    /// For a finding about a reach entry's concern (PD008–PD010): the concern's `code`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concern: Option<ConcernCode>,
    /// For a rule completed by a combination (PD014–PD022): one allowed request per action
    /// the combination needs, e.g. `iam:PassRole` on a role and `ec2:RunInstances`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requests: Vec<Witness>,
    /// The added grants (by source) that allow one of `requests`: what this plan added to
    /// complete the combination. Empty when it was completed otherwise (a Deny removed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<String>,
    /// Set when an `ignore` block of the config file accepts the finding: it is still reported,
    /// but does not fail a severity gate and is left out of annotations and Code Quality.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression: Option<Suppression>,
}

/// Why a finding is ignored: the `ignore` block of `.privdiff.hcl` that matched it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Suppression {
    /// The block's `reason`.
    pub reason: String,
    /// The block's `expires`, `YYYY-MM-DD`, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Which `ignore` block of the file, 1-based.
    pub ignore: usize,
}

/// Where a resource block is declared: a path relative to the working directory (with `/`
/// separators), and its first and last line, 1-based.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub end_line: usize,
}

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

impl Report {
    /// Identities and resources: every subject the report compares.
    pub fn subjects(&self) -> impl Iterator<Item = &IdentityReport> {
        self.identities.iter().chain(&self.resources)
    }

    /// Fills in the `location` of identities and findings from `find` (a plan address →
    /// where it is declared). A finding without a location of its own resource falls back to
    /// its identity's.
    pub fn locate(&mut self, find: impl Fn(&str) -> Option<Location>) {
        for id in self.identities.iter_mut().chain(&mut self.resources) {
            id.location = find(&id.address);
        }
        for f in &mut self.findings {
            f.location = find(&f.address).or_else(|| find(&f.identity));
        }
    }
}
