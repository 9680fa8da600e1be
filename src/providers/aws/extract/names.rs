//! The names an AWS plan gives its resources, for examples (see `model/names.rs`).
//!
//! A resource's name as a request gives it is its ARN: the `arn` attribute where the plan knows
//! it (a resource that exists, a data source), else built from the name the configuration gives
//! it for the kinds whose ARN follows from their name (a bucket, a role, a function, a table…):
//! a resource the plan creates learns its `arn` only at apply. Partition, region and account
//! are what the plan's ARNs and provider configuration say most often; the account only among
//! the plan's own accounts (`accounts.rs`), so that an example never presents another account's
//! as the plan's. A value Terraform marks sensitive is never read.

use super::provider_config::Settings;
use crate::model::PlanNames;
use crate::plan::side::{Obj, Step};
use std::collections::{BTreeSet, HashMap};

/// How a kind's ARN follows from its name: the attribute holding the name, and the ARN with
/// `{P}`, `{R}`, `{A}` for partition, region and account and `{N}` for the name.
const BUILT: &[(&str, &str, &str)] = &[
    ("aws_s3_bucket", "bucket", "arn:{P}:s3:::{N}"),
    ("aws_iam_role", "name", "arn:{P}:iam::{A}:role{path}{N}"),
    ("aws_iam_user", "name", "arn:{P}:iam::{A}:user{path}{N}"),
    ("aws_iam_group", "name", "arn:{P}:iam::{A}:group{path}{N}"),
    ("aws_iam_policy", "name", "arn:{P}:iam::{A}:policy{path}{N}"),
    (
        "aws_lambda_function",
        "function_name",
        "arn:{P}:lambda:{R}:{A}:function:{N}",
    ),
    (
        "aws_dynamodb_table",
        "name",
        "arn:{P}:dynamodb:{R}:{A}:table/{N}",
    ),
    ("aws_sqs_queue", "name", "arn:{P}:sqs:{R}:{A}:{N}"),
    ("aws_sns_topic", "name", "arn:{P}:sns:{R}:{A}:{N}"),
    (
        "aws_cloudwatch_log_group",
        "name",
        "arn:{P}:logs:{R}:{A}:log-group:{N}",
    ),
    (
        "aws_ecr_repository",
        "name",
        "arn:{P}:ecr:{R}:{A}:repository/{N}",
    ),
    (
        "aws_ssm_parameter",
        "name",
        "arn:{P}:ssm:{R}:{A}:parameter{slash}{N}",
    ),
];

/// Reads names from each side's objects, then settles them with what the whole plan says.
#[derive(Default)]
pub struct Collector {
    names: PlanNames,
    partitions: Counts,
    regions: Counts,
    accounts: Counts,
    /// Resources whose ARN is built once partition, region and account are settled: the
    /// template and the name.
    built: Vec<(String, String)>,
    /// How many of each kind of [`BUILT`] are in `built`.
    built_of: [usize; BUILT.len()],
}

/// How often each value was seen, and in which order first.
#[derive(Default)]
struct Counts(HashMap<String, (usize, usize)>);

impl Counts {
    fn add(&mut self, v: &str) {
        // A plan names the same few values thousands of times: no key is built for those.
        if let Some(seen) = self.0.get_mut(v) {
            seen.0 += 1;
            return;
        }
        let order = self.0.len();
        self.0.insert(v.to_string(), (1, order));
    }

    /// The most frequent value among those `keep` accepts, the first seen on a tie.
    fn most(&self, keep: impl Fn(&str) -> bool) -> Option<String> {
        self.0
            .iter()
            .filter(|(v, _)| keep(v))
            .max_by_key(|(_, &(n, order))| (n, std::cmp::Reverse(order)))
            .map(|(v, _)| v.clone())
    }
}

impl Collector {
    /// The names one AWS object gives.
    pub fn read(&mut self, o: &Obj) {
        let known = |attr: &str| {
            let path = [Step::Key(attr)];
            o.text(attr).filter(|_| !o.is_sensitive(&path))
        };
        if let Some(arn) = known("arn").filter(|a| a.starts_with("arn:")) {
            let f: Vec<&str> = arn.splitn(6, ':').collect();
            if let [_, partition, service, region, account, rest] = f[..] {
                if !partition.is_empty() && !service.is_empty() && !rest.is_empty() {
                    self.partitions.add(partition);
                    if !region.is_empty() {
                        self.regions.add(region);
                    }
                    if !account.is_empty() {
                        self.accounts.add(account);
                    }
                    if !self.names.full(service) {
                        self.names.add(service, arn.to_string());
                    }
                }
            }
            return;
        }
        if o.data {
            return;
        }
        let Some(at) = BUILT.iter().position(|(kind, ..)| *kind == o.kind) else {
            return;
        };
        // No more of a kind than the names kept of its service.
        if self.built_of[at] >= PlanNames::PER_SERVICE {
            return;
        }
        let (_, attr, template) = BUILT[at];
        let Some(name) = known(attr).filter(|n| !n.is_empty() && !n.contains(['{', '}'])) else {
            return;
        };
        // IAM's path is part of the name in an ARN; a new path is `/` unless set.
        let path = known("path").unwrap_or(std::borrow::Cow::Borrowed("/"));
        if path.contains(['{', '}']) {
            return;
        }
        let slash = if name.starts_with('/') { "" } else { "/" };
        let template = template.replace("{path}", &path).replace("{slash}", slash);
        self.built_of[at] += 1;
        self.built.push((template, name.into_owned()));
    }

    /// The plan's names: partition, region and (own) account where the plan says them, and
    /// every resource's ARN, built ones with those values (or marked placeholders).
    pub fn finish(mut self, own: &BTreeSet<String>, settings: &Settings) -> PlanNames {
        let region = settings
            .region
            .clone()
            .or_else(|| self.regions.most(|_| true));
        let partition = self
            .partitions
            .most(|_| true)
            .or_else(|| region.as_deref().map(partition_of).map(str::to_string));
        let account = match own.len() {
            1 => own.first().cloned(),
            _ => self.accounts.most(|a| own.contains(a)),
        };
        let places = &mut self.names.places;
        for (key, value) in [
            ("Partition", &partition),
            ("Region", &region),
            ("Account", &account),
        ] {
            if let Some(v) = value {
                places.insert(key.to_string(), v.clone());
            }
        }
        let value = |key: &str, or: &str| {
            self.names
                .place(key)
                .map_or_else(|| or.to_string(), str::to_string)
        };
        let (p, r, a) = (
            value("Partition", "aws"),
            value("Region", "<region>"),
            value("Account", "<account>"),
        );
        for (template, name) in std::mem::take(&mut self.built) {
            let arn = template
                .replace("{P}", &p)
                .replace("{R}", &r)
                .replace("{A}", &a)
                .replace("{N}", &name);
            let service = arn.split(':').nth(2).unwrap_or("").to_string();
            self.names.add(&service, arn);
        }
        self.names
    }
}

/// The partition a region is in.
fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else {
        "aws"
    }
}

#[cfg(test)]
mod tests;
