//! privdiff: reads a Terraform/OpenTofu plan (JSON) and reports, per identity, whether its
//! permission scope widened, with the added grants and a witness request.
//!
//! Data flows one way: [`plan`] (typed plan) → [`providers`] (each cloud's subjects and what
//! each side grants them, in the provider-neutral [`model`]) → [`diff`] (verdict and grants, by
//! the exact comparison of [`compare`]) → [`reach`] (who can newly reach what) → [`checks`]
//! (combinations newly completed) → [`rules`] (findings) → [`report`] (the view-model) →
//! [`render`] (formats). [`analyze`] runs it; [`locate`] maps plan addresses back to their `.tf`
//! files; [`catalog`] holds the embedded permission data.
//!
//! Around it, the binary's layers call one way: [`cli`] (flags, dispatch) → [`run`] (what each
//! command does: the pipeline above, then the outputs) → [`settings`] (flags, config file and
//! role files, validated before the plan is read). `docs/architecture.md` is the map.

pub mod analyze;
pub mod catalog;
pub mod checks;
pub mod cli;
pub mod comment;
pub mod compare;
pub mod config;
pub mod diff;
pub mod gate;
pub mod locate;
pub mod model;
pub mod paths;
pub mod plan;
pub mod providers;
pub mod reach;
pub mod render;
pub mod report;
pub mod rules;
pub mod run;
pub mod settings;
mod stderr;

/// Test helpers the unit tests share with the integration tests (`tests/common/`), included
/// once: inputs a fresh clone may lack, and golden files.
#[cfg(test)]
pub(crate) mod testing {
    #[allow(dead_code)]
    pub mod optional {
        include!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/common/optional.rs"
        ));
    }

    #[allow(dead_code)]
    pub mod golden {
        include!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/common/golden.rs"
        ));
    }
}
