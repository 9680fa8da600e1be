//! privdiff: reads a Terraform/OpenTofu plan (JSON) and reports, per identity, whether its
//! permission scope widened, with the added grants and a witness request.
//!
//! Data flows one way: [`plan`] (typed plan) → [`extract`] (grants per identity, per side) →
//! [`diff`] (scope comparison) → [`report`] (view-model) → [`render`] (formats).

pub mod render;
pub mod report;
pub mod scope;
pub mod cli;
pub mod policy;
pub mod plan;
