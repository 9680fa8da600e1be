//! `PD023` ignore-expired.

use super::finding::finding;
use super::{Rule, Severity};
use crate::report::Finding;

pub const RULE: Rule = Rule {
    code: "PD023",
    name: "ignore-expired",
    severity: Severity::Medium,
    summary: "An `ignore` block of `.privdiff.hcl` is past its `expires` date, so it no longer ignores anything.",
    detects: "An `ignore` block whose `expires` date (`YYYY-MM-DD`) is before today (UTC). The block suppresses nothing from that day on: the findings it matched are reported, and count towards the gate, as if it were not there; this finding says so, naming the block, its selectors and its reason.",
    why: "An ignore is an accepted risk with a deadline: the date is when someone promised to fix the cause or look again. Once it passes silently, a temporary exception becomes a permanent one nobody reviews; reporting it puts the decision back in front of a reviewer.",
    example: "An `ignore` block with `rule = \"PD001\"`, `identity = \"aws_iam_role.ci\"`, `reason = \"CI needs this until the Q2 migration\"` and `expires = \"2026-03-01\"`, in a run on 2026-03-02: the PD001 finding on `aws_iam_role.ci` is reported (and gated) again, and this finding names the block.",
    fix: "Fix what the ignore was hiding and delete the block; or, if the exception still holds, review it and move `expires` to a new date (with a `reason` that says why).",
    references: &["https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final"],
    standards: &["NIST SP 800-53 CA-7", "NIST SP 800-53 AC-6(7)"],
};

/// An `ignore` block of the config file past its date.
pub struct Expired<'a> {
    /// The config file, as the user named it.
    pub file: &'a str,
    /// Which `ignore` block of the file, 1-based.
    pub index: usize,
    /// What the block selects, as the config file writes it.
    pub selectors: String,
    pub reason: &'a str,
    /// `YYYY-MM-DD`.
    pub expires: String,
    /// The identity (else the address) the block selects, if it names one.
    pub identity: Option<&'a str>,
    /// The address (else the identity) the block selects, if it names one.
    pub address: Option<&'a str>,
}

impl Expired<'_> {
    /// The finding: about what the block selects, else the file.
    pub fn finding(self) -> Finding {
        let message = format!(
            "{}: ignore block {} ({}; reason: {}) expired after {}: it no longer suppresses anything",
            self.file, self.index, self.selectors, self.reason, self.expires
        );
        finding(
            &RULE,
            self.identity.unwrap_or(self.file),
            self.address.unwrap_or(self.file),
            message,
        )
    }
}
