//! Fingerprints: what makes a finding the same finding in the next run.
//!
//! Code-scanning hosts (GitHub via SARIF `partialFingerprints`, GitLab Code Quality via
//! `fingerprint`) match results across pushes by fingerprint: a matching finding keeps its
//! alert (and its dismissal), a new one opens an alert. So the fingerprint covers what the finding
//! is about — its code, its identity and the resource that caused it — and never what changes
//! with unrelated edits: the message text (it names grants and examples) or the line number.
//!
//! The hash is FNV-1a 64, written out here because it must never change: std's `DefaultHasher`
//! may change between Rust releases, and a changed fingerprint reopens every alert. Changing
//! what goes in needs a new [`VERSION`], so hosts see new keys rather than silently different
//! values.

use crate::report::Finding;

/// Names the fingerprint scheme, e.g. as the SARIF `partialFingerprints` key.
pub const VERSION: &str = "privdiff/v1";

/// The finding's fingerprint: 16 lowercase hex digits of FNV-1a 64 over its code, identity and
/// address, each preceded by its length so that no two different triples hash the same bytes.
pub fn of(finding: &Finding) -> String {
    let mut hash = Fnv1a::new();
    for part in [finding.code, &finding.identity, &finding.address] {
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
    use crate::render::fixtures;
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

    #[test]
    fn every_finding_of_a_report_has_its_own_fingerprint() {
        for report in [fixtures::report(), fixtures::hostile()] {
            let prints: Vec<String> = report.findings.iter().map(of).collect();
            for (i, p) in prints.iter().enumerate() {
                assert!(!prints[..i].contains(p), "{prints:?}");
            }
        }
    }
}
