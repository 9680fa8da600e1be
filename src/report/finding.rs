//! One finding: a rule's code, name and severity, what it is about, and the message.

use super::{ConcernCode, Location};
use crate::model::{Severity, Witness};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Stable finding code, e.g. `PD001`.
    pub code: &'static str,
    /// Kebab-case name of the finding kind, e.g. `permissions-widened`.
    pub name: &'static str,
    pub severity: Severity,
    /// Address of the identity the finding is about.
    pub identity: String,
    /// Address of the plan resource that caused it (the resource of the first added grant, or
    /// of the unknown value), else the identity: where annotations point.
    pub address: String,
    /// Where `address` (else the identity) is declared, when the sources were given and it
    /// was found there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// One-line, plain-text message (renderers escape it).
    pub message: String,
    /// For a finding about a `reach[]` entry (PD006–PD010): the principal it is about, as the
    /// entry names it. Two such findings on one subject differ by it (and by `concern`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    /// For a finding about a reach entry's concern (PD008–PD010): the concern's `code`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concern: Option<ConcernCode>,
    /// For a finding about what the identity gains through a path (`PD026`, and `PD011` or
    /// `PD014`–`PD022` through a path): the identity it becomes, the path's `target`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub through: Option<String>,
    /// For a rule completed by a combination (PD014–PD022): one allowed request per action
    /// the combination needs, e.g. `iam:PassRole` on a role and `ec2:RunInstances`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requests: Vec<Witness>,
    /// The added grants (by source) that allow one of `requests`: what this plan added to
    /// complete the combination. Empty when it was completed otherwise (a Deny removed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<String>,
    /// Set when an `ignore` block of the config file accepts the finding: it is still reported,
    /// but does not fail a severity gate and is left out of annotations and Code Quality.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression: Option<Suppression>,
}

/// Why a finding is ignored: the `ignore` block of `.privdiff.hcl` that matched it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Suppression {
    /// The block's `reason`.
    pub reason: String,
    /// The block's `expires`, `YYYY-MM-DD`, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Which `ignore` block of the file, 1-based.
    pub ignore: usize,
}
