//! Fingerprints: what makes a finding the same finding in the next run.
//!
//! Code-scanning hosts (GitHub via SARIF `partialFingerprints`, GitLab Code Quality via
//! `fingerprint`) match results across pushes by fingerprint: a matching finding keeps its
//! alert (and its dismissal), a new one opens an alert. So the fingerprint covers what the finding
//! is about — its code, its identity and the resource that caused it, and for a finding about who
//! can reach a subject the principal and the concern — and never what changes with unrelated
//! edits: the message text (it names grants and examples) or the line number.
//!
//! Two findings of one report may still be about the same thing by that measure: the same
//! principal reaching a bucket through two statements of one policy. Like GitHub's own
//! `primaryLocationLineHash:N`, the second and later of them get their occurrence mixed in, so
//! every finding of a report has its own fingerprint and the first keeps the plain one.
//!
//! The hash is FNV-1a 64, written out here because it must never change: std's `DefaultHasher`
//! may change between Rust releases, and a changed fingerprint reopens every alert. Changing
//! what goes in needs a new [`VERSION`], so hosts see new keys rather than silently different
//! values. (The principal, concern, the identity a path finding goes through and the occurrence
//! are hashed only when there are some, so the fingerprints of findings without them are the
//! ones `privdiff/v1` always gave.)

use crate::report::{ConcernCode, Finding};
use std::collections::HashMap;

/// Names the fingerprint scheme, e.g. as the SARIF `partialFingerprints` key.
pub const VERSION: &str = "privdiff/v1";

/// The finding's fingerprint on its own: 16 lowercase hex digits of FNV-1a 64 over its code,
/// identity and address, then (for a reach finding) its principal and concern, each preceded by
/// its length so that no two different lists of parts hash the same bytes.
pub fn of(finding: &Finding) -> String {
    hash(&parts(finding), 0)
}

/// The fingerprints of a report's findings, in order: [`of`] each, except that a finding with
/// the same parts as an earlier one gets its occurrence (1 for the second, 2 for the third...)
/// hashed in as well.
pub fn all(findings: &[Finding]) -> Vec<String> {
    let mut seen: HashMap<Vec<&str>, usize> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let parts = parts(f);
            let occurrence = seen.entry(parts.clone()).or_insert(0);
            let print = match *occurrence {
                0 => of(f),
                n => hash(&parts, n),
            };
            *occurrence += 1;
            print
        })
        .collect()
}

/// What identifies a finding: code, identity, address, and principal and concern when either
/// is set (both then, so that a principal can never be read as a concern).
fn parts(finding: &Finding) -> Vec<&str> {
    let mut parts = vec![finding.code, &finding.identity, &finding.address];
    if finding.principal.is_some() || finding.concern.is_some() || finding.through.is_some() {
        parts.push(finding.principal.as_deref().unwrap_or(""));
        parts.push(finding.concern.map_or("", ConcernCode::as_str));
    }
    parts.extend(finding.through.as_deref());
    parts
}

fn hash(parts: &[&str], occurrence: usize) -> String {
    let occurrence = occurrence.to_string();
    let mut hash = Fnv1a::new();
    let extra = (occurrence != "0").then_some(occurrence.as_str());
    for part in parts.iter().copied().chain(extra) {
        hash.write(&(part.len() as u64).to_le_bytes());
        hash.write(part.as_bytes());
    }
    format!("{:016x}", hash.0)
}

struct Fnv1a(u64);

impl Fnv1a {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    fn new() -> Self {
        Fnv1a(Self::OFFSET_BASIS)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(Self::PRIME);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;
    use crate::report::Location;

    fn fnv(bytes: &[u8]) -> u64 {
        let mut h = Fnv1a::new();
        h.write(bytes);
        h.0
    }

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        assert_eq!(fnv(b""), 0xcbf29ce484222325);
        assert_eq!(fnv(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv(b"foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn the_fingerprint_of_a_finding_never_changes() {
        // Pinned, and checked against an independent FNV-1a: a different value here reopens
        // every alert users have triaged.
        let first = &fixtures::report().findings[0];
        assert_eq!(of(first), "3791ee1e6e48e235");
    }

    #[test]
    fn message_and_location_do_not_change_the_fingerprint() {
        let report = fixtures::report();
        let mut moved = report.findings[0].clone();
        moved.message.push_str(" and s3:PutObject");
        moved.location = Some(Location {
            file: "elsewhere.tf".to_string(),
            line: 99,
            end_line: 120,
        });
        assert_eq!(of(&moved), of(&report.findings[0]));
    }

    #[test]
    fn code_identity_and_address_each_change_the_fingerprint() {
        let base = fixtures::report().findings[0].clone();
        let mut code = base.clone();
        code.code = "PD002";
        let mut identity = base.clone();
        identity.identity = "aws_iam_role.other".to_string();
        let mut address = base.clone();
        address.address = "aws_iam_role_policy.other".to_string();
        // The length prefix keeps a boundary moved between fields from hashing the same bytes.
        let mut shifted = base.clone();
        let moved = shifted.address.remove(0);
        shifted.identity.push(moved);
        let all = [&base, &code, &identity, &address, &shifted].map(of);
        for (i, a) in all.iter().enumerate() {
            assert!(!all[..i].contains(a), "{all:?}");
        }
    }

    fn assert_unique(prints: &[String]) {
        for (i, p) in prints.iter().enumerate() {
            assert!(!prints[..i].contains(p), "{prints:?}");
        }
    }

    #[test]
    fn every_finding_of_a_report_has_its_own_fingerprint() {
        for report in [fixtures::report(), fixtures::hostile()] {
            assert_unique(&all(&report.findings));
            // Without the occurrence too: the fixture's findings differ by what they are about.
            assert_unique(&report.findings.iter().map(of).collect::<Vec<_>>());
        }
    }

    /// The fixture's PD007: a foreign account reaching `aws_iam_role.app`.
    fn foreign() -> Finding {
        let report = fixtures::report();
        let f = report.findings.iter().find(|f| f.code == "PD007").unwrap();
        f.clone()
    }

    #[test]
    fn the_fingerprint_of_a_reach_finding_never_changes() {
        // Checked against an independent FNV-1a over the same length-prefixed parts.
        assert_eq!(of(&foreign()), "b9db30eb7c4ccf61");
    }

    #[test]
    fn principals_and_concerns_tell_reach_findings_on_one_subject_apart() {
        // Two accounts newly reach the same role through the same trust policy.
        let base = foreign();
        let mut other = base.clone();
        other.principal = Some("AWS:arn:aws:iam::444455556666:root".to_string());
        other.message = base.message.replace("999999999999", "444455556666");
        // Two safeguards the same principal lost.
        let mut external_id = base.clone();
        external_id.code = "PD009";
        external_id.concern = Some(ConcernCode::ExternalIdRemoved);
        let mut org = external_id.clone();
        org.concern = Some(ConcernCode::OrgConditionRemoved);
        // A principal is never read as a concern, nor the reverse.
        let mut as_principal = base.clone();
        as_principal.principal = Some("x".to_string());
        as_principal.concern = None;
        let mut as_concern = base.clone();
        as_concern.principal = None;
        as_concern.concern = Some(ConcernCode::SourceConditionMissing);
        let findings = [base, other, external_id, org, as_principal, as_concern];
        assert_unique(&findings.iter().map(of).collect::<Vec<_>>());
    }

    #[test]
    fn a_reach_finding_keeps_its_fingerprint_when_its_wording_changes() {
        let base = foreign();
        let mut reworded = base.clone();
        reworded.message =
            "AWS:arn:aws:iam::999999999999:root can now assume aws_iam_role.app".into();
        assert_eq!(of(&reworded), of(&base));
    }

    #[test]
    fn findings_about_the_same_thing_are_told_apart_by_occurrence() {
        // One principal reaching a bucket through two statements of one policy: two PD006 with
        // the same parts. The first keeps its own fingerprint; the second differs, and both stay
        // the same from run to run.
        let report = fixtures::report();
        let public = report.findings.iter().find(|f| f.code == "PD006").unwrap();
        let mut second = public.clone();
        second.message = "aws_s3_bucket.logs is open to anyone: * may s3:ListBucket".to_string();
        let findings = vec![public.clone(), second];
        let prints = all(&findings);
        assert_eq!(prints[0], of(public));
        assert_ne!(prints[1], prints[0]);
        assert_eq!(all(&findings), prints);
        // A finding without a twin is not affected by another finding's.
        let mut with_others = report.findings.clone();
        with_others.push(findings[1].clone());
        let more = all(&with_others);
        assert_eq!(more[..report.findings.len()], all(&report.findings)[..]);
        assert_eq!(more.last(), Some(&prints[1]));
    }
}
