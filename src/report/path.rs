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
    /// What the subject gains was not worked out within the analysis budget: `gained` is
    /// empty, and the path is reported all the same.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub gain_unknown: bool,
    /// The plan resources whose change opened the path: those of its new hops.
    pub opened_by: Vec<String>,
    /// The target is an administrator after the change (an Allow of everything, `roles/owner`
    /// on a project, `cluster-admin`): the subject becomes one through the path.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub administrator: bool,
    /// What the gain was weighed against: the identities (by address) whose scopes, each on
    /// a side, the subject had without the path. For the rules that judge the gain; not part
    /// of the report.
    #[serde(skip)]
    pub had: Vec<(String, crate::plan::side::Side)>,
}

/// One step of a path: `from` can become `to` by making `request`.
#[derive(Debug, Clone, Serialize)]
pub struct Hop {
    pub from: String,
    pub to: String,
    /// How: `assume-role` (`sts:AssumeRole` on the role, which its trust policy admits),
    /// `pass-role` (`iam:PassRole` of the role to new compute that runs as it), or a request of
    /// the caller's own on the target: `create-key`, `login-profile`, `rewrite-trust`,
    /// `impersonate`, `create-token`, `run-as`.
    pub edge: &'static str,
    /// For all but `assume-role`, what the caller does in words: `pass it to a new Lambda
    /// function and run it`, `minting an access token or a signed JWT as it`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// The request that makes the hop, allowed on the side after the change: for
    /// `assume-role` by `to`'s trust and, where IAM needs it too, by `from`'s own permissions;
    /// for `pass-role`, `from`'s `iam:PassRole` of `to` to the compute's service; otherwise
    /// `from`'s own request on `to`.
    pub request: Witness,
    /// For `pass-role` and GCP's `run-as`, the other requests `from` makes to create and run
    /// the compute, each allowed by its permissions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<Witness>,
    /// The plan resources that allowed the hop when it is new (the trust policy edited, the
    /// policy that granted `sts:AssumeRole`); empty when the hop existed before.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub opened_by: Vec<String>,
}
