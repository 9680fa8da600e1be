//! A path the change opens: an identity that can now become another, and what it gains by it.

use crate::model::{Grant, Witness};
use serde::Serialize;

/// One identity the subject can newly become, through a chain of hops, whose permissions add
/// to what the subject could do before (its own scope and every identity it could already
/// become).
#[derive(Debug, Clone, Serialize)]
pub struct Path {
    /// The identity at the end of the chain.
    pub target: String,
    /// The hops from the subject to `target`, in order: the shortest chain after the change.
    pub hops: Vec<Hop>,
    /// What the subject gains through it: the target's grants that allow requests the subject
    /// could not make before, each with an example, as `added[]` lists direct grants.
    pub gained: Vec<Grant>,
    /// The plan resources whose change opened the path: those of its new hops.
    pub opened_by: Vec<String>,
}

/// One step of a path: `from` can become `to` by making `request`.
#[derive(Debug, Clone, Serialize)]
pub struct Hop {
    pub from: String,
    pub to: String,
    /// How: `assume-role` (`sts:AssumeRole` on the role, which its trust policy admits).
    pub edge: &'static str,
    /// The request that makes the hop, allowed on the side after the change by `to`'s trust
    /// and, where IAM needs it too, by `from`'s own permissions.
    pub request: Witness,
    /// The plan resources that allowed the hop when it is new (the trust policy edited, the
    /// policy that granted `sts:AssumeRole`); empty when the hop existed before.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub opened_by: Vec<String>,
}
