//! The plan: `terraform show -json` / `tofu show -json` output, read once into typed structs.
//!
//! Only what the analysis needs is materialised: resource values stay raw JSON slices of the
//! input until an extractor asks for them, so a plan full of unrelated resources costs little
//! more than scanning it.

mod load;
mod model;
pub mod refs;
pub mod side;

pub use load::{load, LoadError};
pub use model::{Change, Plan, ResourceChange, StateResource};

use std::fmt;

/// A policy or value in the plan that is not what the provider would accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub address: String,
    pub attribute: String,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.address, self.attribute, self.message)
    }
}

impl std::error::Error for InputError {}
