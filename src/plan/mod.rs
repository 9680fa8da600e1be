//! The plan: `terraform show -json` / `tofu show -json` output, read once into typed structs.
//!
//! Only what the analysis needs is materialised: resource values stay raw JSON slices of the
//! input until an extractor asks for them, so a plan full of unrelated resources costs little
//! more than scanning it.

mod load;
mod model;
pub mod refs;

pub use load::{load, LoadError};
pub use model::{Change, Plan, ResourceChange, StateResource};
