//! The report: the one view-model every renderer reads.
//!
//! Analysis fills it once; renderers only format it. It is also the JSON wire format
//! (`--format json`), documented in `docs/json-schema.md`. Field names here are a public
//! contract: add fields freely, but renaming or removing one needs a `SCHEMA_VERSION` bump.

use serde::Serialize;
use std::collections::BTreeMap;

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

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Widened,
    Unverifiable,
    Created,
    Deleted,
    Narrowed,
    Unchanged,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Widened => "widened",
            Verdict::Narrowed => "narrowed",
            Verdict::Unchanged => "unchanged",
            Verdict::Unverifiable => "unverifiable",
            Verdict::Created => "created",
            Verdict::Deleted => "deleted",
        }
    }

    /// Whether this verdict means new access may exist after apply (created counts as widened).
    pub fn grants_new_access(self) -> bool {
        matches!(self, Verdict::Widened | Verdict::Created)
    }
}

/// Which question a grant answers.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum ScopeKind {
    /// What the identity may do (identity policies, capped by the permissions boundary).
    Permissions,
    /// Who may become the identity (a role's trust policy).
    Trust,
    /// Who may use the resource (its resource policy, or a permission such as
    /// `aws_lambda_permission` that is one statement of it).
    Resource,
}

impl ScopeKind {
    /// Whether grants of this scope name principals (who may reach the subject).
    pub fn names_principals(self) -> bool {
        matches!(self, ScopeKind::Trust | ScopeKind::Resource)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct IdentityReport {
    /// Terraform address of the identity resource, or `aws_iam_role.<name>`-like pseudo address
    /// (`external:aws_iam_role/NAME`) for identities that only appear as attachment targets.
    pub address: String,
    /// Cloud provider: `aws`.
    pub provider: &'static str,
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

/// A group of added or removed access: the product of actions × resources (× principals for
/// trust), under conditions, as written in one statement.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Grant {
    pub scope: ScopeKind,
    /// Where the statement comes from: `aws_iam_role_policy.x`, `inline_policy "name"`, a managed
    /// policy ARN, `permissions_boundary`, `assume_role_policy`...
    pub source: String,
    /// `Allow`, or `Deny` for a removed or added deny statement.
    pub effect: String,
    /// Action patterns; when `not_actions` is true these are the *excluded* actions (NotAction).
    pub actions: Vec<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub not_actions: bool,
    /// Actions the grant's own role takes out of `actions` (Azure `NotActions` and
    /// `NotDataActions`): subtracted from this grant only, not denied.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub except_actions: Vec<String>,
    pub resources: Vec<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub not_resources: bool,
    /// Principals (trust and resource scopes only), `TYPE:ID` such as
    /// `AWS:arn:aws:iam::123456789012:root`, or `*`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub principals: Vec<String>,
    /// Conditions as written, one entry per `Operator key values` clause.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// Special kinds of change that are not a statement: `managed-policy-unexpanded`,
    /// `group-membership-unexpanded`, `role-unexpanded` (GCP, Azure), `boundary-removed`, `boundary-added`, `boundary-changed`,
    /// `public-access-block-disabled`, `public-access-block-enabled`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Plan addresses of the resources that bring this statement, the likeliest cause of the
    /// change first: an edited policy before the attachment that attaches it, a new attachment
    /// of an unchanged policy before the policy.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
    /// The real AWS actions the grant's action patterns cover (for `NotAction`, the actions
    /// they leave out), from the embedded catalog: permissions grants that are statements and
    /// not hidden only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access: Option<AccessSummary>,
    /// Free-text detail, e.g. "partly: s3:GetObject was already allowed".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// A request this change concerns: newly allowed (in `added`) or no longer allowed (in
    /// `removed`). Absent for changes that are not statements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Witness>,
    /// Index of the statement in the scope it was read from (the new scope for additions),
    /// for later analysis stages; not part of the report.
    #[serde(skip)]
    pub statement: Option<usize>,
}

impl Grant {
    /// What a grant allows: `Allow s3:GetObject on arn:aws:s3:::b/*`, `trust: Allow sts:AssumeRole
    /// for AWS:arn:aws:iam::1:root`, with at most `max` items of each list. Conditions, source and
    /// detail are left to the caller, which shows them in full or counts them.
    pub fn describe(&self, max: usize) -> String {
        let grant = self;
        let mut s = String::new();
        if grant.actions.is_empty() && !grant.not_actions {
            // Not a statement but another kind of change (a boundary removed...): its kind names it.
            let kind = grant.kind.as_deref().unwrap_or(&grant.effect);
            s.push_str(&format!("{kind}: {}", grant.source));
            return s;
        }
        match grant.scope {
            ScopeKind::Trust => s.push_str("trust: "),
            ScopeKind::Resource => s.push_str("resource policy: "),
            ScopeKind::Permissions => {}
        }
        s.push_str(&grant.effect);
        if grant.not_actions {
            s.push_str(&format!(
                " every action except {}",
                list(&grant.actions, max)
            ));
        } else {
            s.push_str(&format!(" {}", list(&grant.actions, max)));
        }
        if !grant.except_actions.is_empty() {
            s.push_str(&format!(" except {}", list(&grant.except_actions, max)));
        }
        if grant.not_resources {
            s.push_str(&format!(
                " on every resource except {}",
                list(&grant.resources, max)
            ));
        } else if !grant.resources.is_empty() {
            s.push_str(&format!(" on {}", list(&grant.resources, max)));
        }
        if !grant.principals.is_empty() {
            s.push_str(&format!(" for {}", list(&grant.principals, max)));
        }
        if let Some(kind) = &grant.kind {
            s.push_str(&format!(" [{kind}]"));
        }
        s
    }
}

/// `a, b (+3 more)` naming at most `max` items; `(none)` for an empty list.
pub fn list(items: &[String], max: usize) -> String {
    if items.is_empty() {
        return "(none)".to_string();
    }
    let shown = items[..items.len().min(max)].join(", ");
    match items.len().saturating_sub(max) {
        0 => shown,
        more => format!("{shown} (+{more} more)"),
    }
}

/// Catalog actions a grant covers.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AccessSummary {
    /// How many catalog actions.
    pub actions: usize,
    /// `[access level, count]`, most consequential first: Permissions management, Write, Read,
    /// List, Tagging (levels with no action left out).
    pub levels: Vec<(String, usize)>,
    /// Service prefixes of those actions, sorted.
    pub services: Vec<String>,
    /// Action patterns that match no catalog action (a new or unknown service or action).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<String>,
}

impl AccessSummary {
    /// `63 actions: 2 Permissions management, 12 Write, 49 Read in s3`.
    pub fn describe(&self, max_services: usize) -> String {
        let levels: Vec<String> = self
            .levels
            .iter()
            .map(|(level, n)| format!("{n} {level}"))
            .collect();
        let mut s = match self.actions {
            1 => "1 action".to_string(),
            n => format!("{n} actions"),
        };
        if !levels.is_empty() {
            s.push_str(&format!(": {}", levels.join(", ")));
        }
        if !self.services.is_empty() {
            s.push_str(&format!(" in {}", list(&self.services, max_services)));
        }
        if !self.unknown.is_empty() {
            s.push_str(&format!(
                ", and {} not in the catalog",
                list(&self.unknown, max_services)
            ));
        }
        s
    }
}

/// A request that proves a widening.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Witness {
    pub scope: ScopeKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    pub action: String,
    pub resource: String,
    /// Condition keys and the value they take in the request; `(absent)` when the key is missing.
    pub context: BTreeMap<String, String>,
}

/// A plan attribute of some resource, e.g. `aws_iam_role_policy.x` / `policy`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct AttributeRef {
    pub address: String,
    pub attribute: String,
}

impl AttributeRef {
    pub fn new(address: &str, attribute: &str) -> AttributeRef {
        AttributeRef {
            address: address.to_string(),
            attribute: attribute.to_string(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Stable finding code, e.g. `PD001`.
    pub code: &'static str,
    /// Kebab-case name of the finding kind, e.g. `permissions-widened`.
    pub name: &'static str,
    pub severity: crate::rules::Severity,
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
    pub concern: Option<&'static str>,
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
    /// `oidc-subject-missing`, `oidc-subject-broad`, `external-id-removed`,
    /// `org-condition-removed`, `source-condition-missing`, `public-access-block-disabled`.
    pub code: &'static str,
    pub message: String,
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
