//! The clouds: each provider reads its resources into the provider-neutral model (its
//! `extract/`), says how its permissions read in a witness (`vocabulary.rs`) and lists the
//! combinations its content rules look for (`routes.rs`).
//!
//! The plan is seen as two sides: *before* (prior state) and *after* (planned values with
//! unknowns). Each extractor reads both with the same code, so a before/after difference is
//! always a difference in the plan, never in how it was read.

pub mod aws;
pub mod azure;
pub mod gcp;
pub mod kubernetes;
pub mod unread;

use crate::model::route::Table;
use crate::model::vocabulary::Vocabulary;
use crate::model::{Extracted, PlanNames, Provider};
use crate::plan::InputError;
use std::sync::Arc;

/// The routes of `provider`.
pub fn routes(provider: Provider) -> &'static Table {
    match provider {
        Provider::Aws => &aws::routes::TABLE,
        Provider::Gcp => &gcp::routes::TABLE,
        Provider::Azure => &azure::routes::TABLE,
        Provider::Kubernetes => &kubernetes::routes::TABLE,
    }
}

/// The words each provider's requests are written in, for one plan: examples name what the
/// plan names.
pub struct Words {
    aws: aws::vocabulary::Aws,
}

impl Words {
    pub fn new(names: &Arc<PlanNames>) -> Words {
        Words {
            aws: aws::vocabulary::Aws::new(names),
        }
    }

    /// The words of `provider`.
    pub fn of(&self, provider: Provider) -> &dyn Vocabulary {
        match provider {
            Provider::Aws => &self.aws,
            Provider::Gcp => &gcp::vocabulary::Gcp,
            Provider::Azure => &azure::vocabulary::Azure,
            Provider::Kubernetes => &kubernetes::vocabulary::Kubernetes,
        }
    }
}

/// Every provider's identities and resources in the plan, AWS first.
pub fn all(
    plan: &crate::plan::Plan,
    config: Option<&crate::plan::refs::Config>,
    azure_roles: &crate::catalog::azure::RoleTable,
    gcp_roles: &crate::catalog::gcp::roles_file::RoleCatalog,
    principal_names: &azure::principal_names::PrincipalNames,
) -> Result<Extracted, InputError> {
    let mut found = aws::extract::extract(plan, config)?;
    // The comparison is provider-neutral: other clouds' identities simply join the list. A
    // plan with none of a provider's resources costs it nothing (its readers parse parts of
    // the configuration, which in a large plan is most of the file).
    if touches(plan, gcp::extract::relevant) {
        let gcp = gcp::extract::extract(plan, config, gcp_roles)?;
        found.identities.extend(gcp.identities);
        for (side, workloads) in found.workloads.iter_mut().zip(gcp.workloads) {
            side.extend(workloads);
        }
        found.callers.extend(gcp.callers);
    }
    if touches(plan, azure::extract::relevant) {
        let azure = azure::extract::extract(plan, config, azure_roles, principal_names);
        found.identities.extend(azure.identities);
        for (side, workloads) in found.workloads.iter_mut().zip(azure.workloads) {
            side.extend(workloads);
        }
    }
    if touches(plan, kubernetes::extract::relevant) {
        found
            .identities
            .extend(kubernetes::extract::extract(plan).identities);
    }
    Ok(found)
}

/// Whether any resource of the plan, on either side, is of a type `relevant` accepts.
/// Whether some provider's extractor reads resources of type `kind`.
pub fn reads(kind: &str) -> bool {
    aws::extract::relevant(kind)
        || gcp::extract::relevant(kind)
        || azure::extract::relevant(kind)
        || kubernetes::extract::relevant(kind)
}

fn touches(plan: &crate::plan::Plan, relevant: fn(&str) -> bool) -> bool {
    plan.resource_changes.iter().any(|rc| relevant(&rc.kind))
        || plan.prior_state.iter().any(|r| relevant(&r.kind))
}
