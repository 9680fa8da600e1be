//! Who acts as an identity, for the reviewer's question "what runs with this?".

use crate::model::usage::Workload;
use serde::Serialize;

/// The callers an identity's trust admits and the plan's workloads that run as it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    /// Who its trust policy lets act as it after the change, one line per kind of caller:
    /// `GitHub Actions: repo acme/app, environment production`, `service lambda.amazonaws.com`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub callers: Vec<String>,
    /// The plan's workloads that run as it after the change.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub workloads: Vec<Workload>,
    /// How many of the plan's workloads ran as it before the change.
    pub workloads_before: usize,
}

impl Usage {
    /// Whether several workloads share the identity: a catch-all role, whose widening widens
    /// each of them.
    pub fn shared(&self) -> bool {
        self.workloads.len() > 1
    }
}
