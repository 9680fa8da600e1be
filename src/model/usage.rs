//! Who acts as an identity: the plan's workloads that run with it (a Lambda function with its
//! role, an EC2 instance through its instance profile, a Kubernetes service account annotated
//! with a role), and the plan's resources a grant reaches. Both answer a reviewer's question
//! about a non-human identity: what breaks, or what is exposed, when its scope changes.

use super::grant::list;
use serde::Serialize;
use std::collections::BTreeMap;

/// A workload of the plan that runs as an identity.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Workload {
    /// What it is, in its cloud's words: `Lambda function`, `EC2 instance`.
    pub kind: &'static str,
    /// Its name where the plan says it and it is not sensitive, else its address.
    pub name: String,
    /// Its plan address.
    pub address: String,
    /// What links it to the identity when the link is not direct: `instance profile worker`,
    /// `execution role`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

/// One side's workloads, by the address of the identity they run as.
pub type Workloads = BTreeMap<String, Vec<Workload>>;

/// Who may act as each identity after the change, in a reviewer's words, by the identity's
/// address, where a provider reads that from grants rather than a trust policy (a GCP service
/// account's own IAM policy).
pub type Callers = BTreeMap<String, Vec<String>>;

/// Adds a workload of identity `address`, once.
pub fn add(map: &mut Workloads, address: &str, w: Workload) {
    let list = map.entry(address.to_string()).or_default();
    if !list.contains(&w) {
        list.push(w);
    }
}

/// A resource the plan manages, as a grant's resource pattern would name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanResource {
    /// Its plan address.
    pub address: String,
    /// What it is, in its cloud's words: `S3 bucket`, `KMS key`.
    pub kind: &'static str,
    /// Its name where the plan says it and it is not sensitive, else its address.
    pub name: String,
    /// The service prefix of the actions that act on it (`s3`).
    #[serde(skip)]
    pub service: &'static str,
    /// Its ARN, with [`UNKNOWN_PART`] where a part is known only after apply.
    #[serde(skip)]
    pub arn: String,
}

/// Stands in an ARN for a part known only after apply: no literal of a pattern matches it, a
/// wildcard does, so a pattern that reaches the resource whatever the part turns out to be
/// matches.
pub const UNKNOWN_PART: char = '\u{0}';

/// `EC2 instance orders-worker (instance profile worker), Lambda functions invoice-renderer,
/// orders-api`: grouped by kind in order of first appearance, at most `max` names a kind.
pub fn describe_workloads(workloads: &[Workload], max: usize) -> String {
    // Two of a kind by one name (one per region, say) are told apart by their addresses.
    let mut named: std::collections::HashMap<(&str, &str), usize> = Default::default();
    for w in workloads {
        *named.entry((w.kind, w.name.as_str())).or_default() += 1;
    }
    let kinds = by_kind(workloads.iter().map(|w| {
        let twin = named[&(w.kind, w.name.as_str())] > 1;
        let name = match (&w.via, twin) {
            (Some(via), false) => format!("{} ({via})", w.name),
            (Some(via), true) => format!("{} ({}, {via})", w.name, w.address),
            (None, true) => format!("{} ({})", w.name, w.address),
            (None, false) => w.name.clone(),
        };
        (w.kind, name)
    }));
    kinds
        .iter()
        .map(|(kind, names)| format!("{} {}", noun(kind, names.len()), list(names, max)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Names grouped by kind, the kinds in order of first appearance.
fn by_kind(
    items: impl Iterator<Item = (&'static str, String)>,
) -> Vec<(&'static str, Vec<String>)> {
    let mut kinds: Vec<(&str, Vec<String>)> = Vec::new();
    for (kind, name) in items {
        match kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, names)) => names.push(name),
            None => kinds.push((kind, vec![name])),
        }
    }
    kinds
}

/// `2 of the plan's S3 buckets: a, b`, or by kind when they differ: `4 of the plan's
/// resources: 3 S3 buckets (a, b, c), 1 SQS queue (jobs)`. `count` may exceed the resources
/// listed.
pub fn describe_resources(resources: &[PlanResource], count: usize, max: usize) -> String {
    let kinds = by_kind(resources.iter().map(|r| (r.kind, r.name.clone())));
    let unlisted = count.saturating_sub(resources.len());
    let more = match unlisted {
        0 => String::new(),
        n => format!(" (+{n} not listed)"),
    };
    match &kinds[..] {
        [(kind, names)] => format!(
            "{count} of the plan's {}: {}{more}",
            noun(kind, 2),
            list(names, max)
        ),
        _ => {
            let parts: Vec<String> = kinds
                .iter()
                .map(|(kind, names)| {
                    format!(
                        "{} {} ({})",
                        names.len(),
                        noun(kind, names.len()),
                        list(names, max)
                    )
                })
                .collect();
            format!(
                "{count} of the plan's resources: {}{more}",
                parts.join(", ")
            )
        }
    }
}

/// `kind` for `n` of them: `Lambda functions`, `Kubernetes service accounts (IRSA)`, `EKS pod
/// identities`.
pub fn noun(kind: &str, n: usize) -> String {
    if n == 1 {
        return kind.to_string();
    }
    let (noun, rest) = match kind.find(" (") {
        Some(at) => kind.split_at(at),
        None => (kind, ""),
    };
    match noun.strip_suffix('y') {
        Some(stem) => format!("{stem}ies{rest}"),
        None if noun.ends_with('s') => format!("{noun}es{rest}"),
        None => format!("{noun}s{rest}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(kind: &'static str, name: &str) -> PlanResource {
        PlanResource {
            address: format!("x.{name}"),
            kind,
            name: name.into(),
            service: "s3",
            arn: String::new(),
        }
    }

    #[test]
    fn plurals_keep_the_qualifier() {
        assert_eq!(noun("Lambda function", 2), "Lambda functions");
        assert_eq!(noun("Lambda function", 1), "Lambda function");
        assert_eq!(
            noun("Kubernetes service account (IRSA)", 3),
            "Kubernetes service accounts (IRSA)"
        );
        assert_eq!(noun("EKS pod identity", 2), "EKS pod identities");
        assert_eq!(noun("Kinesis stream", 2), "Kinesis streams");
    }

    #[test]
    fn workloads_are_grouped_by_kind() {
        let w = |kind, name: &str, via: Option<&str>| Workload {
            kind,
            name: name.into(),
            address: format!("a.{name}"),
            via: via.map(str::to_string),
        };
        let list = [
            w("EC2 instance", "worker", Some("instance profile p")),
            w("Lambda function", "a", None),
            w("Lambda function", "b", None),
        ];
        assert_eq!(
            describe_workloads(&list, 5),
            "EC2 instance worker (instance profile p), Lambda functions a, b"
        );
        let twins = [
            w("CodeBuild project", "t", None),
            w("CodeBuild project", "t", None),
        ];
        let mut twins = twins.to_vec();
        twins[1].address = "b.t".into();
        assert_eq!(
            describe_workloads(&twins, 5),
            "CodeBuild projects t (a.t), t (b.t)"
        );
    }

    #[test]
    fn resources_say_how_many_of_the_plan_s() {
        let one = [resource("S3 bucket", "a"), resource("S3 bucket", "b")];
        assert_eq!(
            describe_resources(&one, 2, 5),
            "2 of the plan's S3 buckets: a, b"
        );
        let mixed = [resource("S3 bucket", "a"), resource("SQS queue", "q")];
        assert_eq!(
            describe_resources(&mixed, 3, 5),
            "3 of the plan's resources: 1 S3 bucket (a), 1 SQS queue (q) (+1 not listed)"
        );
    }
}
