//! The report: the one view-model every renderer reads.
//!
//! Analysis fills it once; renderers only format it. It is also the JSON wire format
//! (`--format json`), documented in `docs/json-schema.md`. Field names here are a public
//! contract: add fields freely, but renaming or removing one needs a `SCHEMA_VERSION` bump.

mod finding;
#[cfg(test)]
pub(crate) mod fixtures;
mod gate;
mod path;
mod reach;
mod subject;
mod summary;
mod usage;

pub use finding::{Finding, Suppression};
pub use gate::{Decision, Gate};
pub use path::{Hop, Path};
pub use reach::{Concern, ConcernCode, PrincipalClass, Reach};
use serde::Serialize;
pub use subject::{Documents, IdentityReport, Location, Owner, UnknownBound};
pub use summary::{Counts, Summary};
pub use usage::Usage;

/// Version of the JSON report schema (`schema_version`).
pub const SCHEMA_VERSION: &str = "2.4";

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
    /// The gate's decision, once a run has decided it (every command that analyses a plan).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gate: Option<Gate>,
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

impl Report {
    /// The report of one analysis: the subjects sorted by address as given, the findings
    /// ordered by subject then code (stable: within one, in the order they were made), the
    /// counts of all of them.
    pub fn new(
        plan: PlanInfo,
        identities: Vec<IdentityReport>,
        resources: Vec<IdentityReport>,
        reach: Vec<Reach>,
        mut findings: Vec<Finding>,
        notes: Vec<String>,
    ) -> Report {
        findings.sort_by(|a, b| (&a.identity, a.code).cmp(&(&b.identity, b.code)));
        Report {
            schema_version: SCHEMA_VERSION,
            tool: ToolInfo {
                name: "privdiff",
                version: env!("CARGO_PKG_VERSION"),
                data: crate::catalog::sources()
                    .into_iter()
                    .map(Into::into)
                    .collect(),
            },
            plan,
            summary: Summary::of(&identities, &resources, &reach),
            identities,
            resources,
            reach,
            findings,
            notes,
            gate: None,
        }
    }

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
