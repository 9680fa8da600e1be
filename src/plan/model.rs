//! Serde model of the parts of the plan JSON privdiff reads. Unknown fields are ignored, as
//! the format's rules require (a new minor `format_version` only adds fields).

use serde::Deserialize;
use serde_json::value::RawValue;

/// A validated plan (see [`super::load`]).
#[derive(Debug)]
pub struct Plan<'a> {
    pub format_version: String,
    pub terraform_version: Option<String>,
    /// Terraform says planning failed: changes may be partial.
    pub errored: bool,
    pub resource_changes: Vec<ResourceChange<'a>>,
    /// Resources of the refreshed prior state, modules flattened (data sources read at plan
    /// time live only here).
    pub prior_state: Vec<StateResource<'a>>,
    /// The `configuration` section, parsed lazily by [`super::refs`].
    pub configuration: Option<&'a RawValue>,
}

#[derive(Debug, Deserialize)]
pub struct ResourceChange<'a> {
    pub address: String,
    #[serde(default)]
    pub module_address: Option<String>,
    #[serde(default)]
    pub mode: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, borrow)]
    pub index: Option<&'a RawValue>,
    #[serde(default)]
    pub provider_name: String,
    /// Set for deposed objects (being destroyed after a create-before-destroy).
    #[serde(default)]
    pub deposed: Option<String>,
    #[serde(borrow)]
    pub change: Change<'a>,
}

#[derive(Debug, Deserialize)]
pub struct Change<'a> {
    pub actions: Vec<String>,
    #[serde(default, borrow)]
    pub before: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub after: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub after_unknown: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub before_sensitive: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub after_sensitive: Option<&'a RawValue>,
}

#[derive(Debug, Deserialize)]
pub struct StateResource<'a> {
    pub address: String,
    #[serde(default)]
    pub mode: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, borrow)]
    pub index: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub values: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub sensitive_values: Option<&'a RawValue>,
}

#[derive(Debug, Deserialize)]
pub(super) struct StateModule<'a> {
    #[serde(default, borrow)]
    pub resources: Vec<StateResource<'a>>,
    #[serde(default, borrow)]
    pub child_modules: Vec<StateModule<'a>>,
}

#[derive(Debug, Deserialize)]
pub(super) struct StateValues<'a> {
    #[serde(default, borrow)]
    pub root_module: Option<StateModule<'a>>,
}

#[derive(Debug, Deserialize)]
pub(super) struct PriorState<'a> {
    #[serde(default, borrow)]
    pub values: Option<StateValues<'a>>,
}

/// Every top-level key that tells a plan from the other JSON documents Terraform writes.
#[derive(Debug, Deserialize)]
pub(super) struct Top<'a> {
    #[serde(default, borrow)]
    pub format_version: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub terraform_version: Option<&'a RawValue>,
    #[serde(default)]
    pub errored: Option<bool>,
    #[serde(default, borrow)]
    pub planned_values: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub resource_changes: Option<Vec<ResourceChange<'a>>>,
    #[serde(default, borrow)]
    pub prior_state: Option<PriorState<'a>>,
    #[serde(default, borrow)]
    pub configuration: Option<&'a RawValue>,
    // Keys of other documents, only looked at to say what the input is.
    #[serde(default, borrow)]
    pub lineage: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub serial: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub remote_plan_format: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub encrypted_data: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub encryption_version: Option<&'a RawValue>,
    #[serde(default, borrow, rename = "@level")]
    pub ui_level: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub root_module: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub provider_config: Option<&'a RawValue>,
}
