//! `PD025` shared-identity-widened.

use super::finding::{finding, of_grant};
use super::{Rule, Severity};
use crate::model::usage::describe_workloads;
use crate::model::ScopeKind;
use crate::report::{Finding, IdentityReport};

pub const RULE: Rule = Rule {
    code: "PD025",
    name: "shared-identity-widened",
    severity: Severity::High,
    summary: "A role several workloads share is widened, or the change makes more workloads share it: each of them gains the access.",
    detects: "An identity that, after the change, at least two of the plan's workloads run as, when its scope widens (severity: one step above the highest other finding on the identity, at least high), or when more workloads run as it than before (medium). Workloads are read from the plan: for an AWS role, Lambda functions by `role`, EC2 instances and launch templates through their instance profile, ECS task definitions' task and execution roles, CodeBuild projects, Glue jobs, Step Functions state machines, EKS clusters, node groups and pod identity associations, Kubernetes service accounts annotated for IRSA, and other compute that names a role; for a GCP service account, Compute Engine instances and templates, GKE node pools, Cloud Run services and jobs, Cloud Functions, Cloud Build triggers, Workflows, Dataflow and Cloud Scheduler jobs; for an Azure user-assigned identity, every resource whose `identity` block carries it.",
    why: "A catch-all role shared by many workloads is the classic overprivileged non-human identity: a widening meant for one of them widens all of them, and a compromise of the least trusted one inherits everything any of them needs. A workload joining a shared role inherits every permission the others accumulated.",
    example: "`aws_iam_role.app` runs two Lambda functions and, after this plan, an EC2 instance through `aws_iam_instance_profile.worker`; its DynamoDB grant widens from `table/orders` to `table/orders*`: all three workloads may now read and write `orders-archive`.",
    fix: "Give each workload a role of its own with the permissions it needs, and widen only that one. If the role is shared on purpose, say why in the pull request.",
    references: &[
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        "https://owasp.org/www-project-non-human-identities-top-10/2025/",
    ],
    standards: &["OWASP NHI5:2025 Overprivileged NHI", "NIST SP 800-53 AC-6"],
};

/// A finding for an identity shared by several workloads that this change widens or shares
/// further; `others` are the findings already made, whose highest on the identity sets the
/// severity of a widening.
pub fn check(id: &IdentityReport, others: &[Finding]) -> Option<Finding> {
    let usage = id.used_by.as_ref().filter(|u| u.shared())?;
    let widened = id.verdict.grants_new_access()
        && id.added.iter().any(|g| g.scope == ScopeKind::Permissions);
    let joined = usage.workloads.len() > usage.workloads_before;
    if !(widened && usage.workloads_before > 0 || joined) {
        return None;
    }
    let n = usage.workloads.len();
    let who = describe_workloads(&usage.workloads, 5);
    let before = match usage.workloads_before {
        b if b == n => String::new(),
        b => format!(", {b} before"),
    };
    let (mut f, severity) = match widened {
        true => {
            let own = others
                .iter()
                .filter(|f| f.identity == id.address && f.suppression.is_none())
                .map(|f| f.severity)
                .max()
                .unwrap_or(Severity::Medium);
            let grant = id
                .added
                .iter()
                .find(|g| g.scope == ScopeKind::Permissions)
                .expect("a widened permissions grant");
            let m = format!(
                "{} is shared by {n} workloads{before} ({who}), and this change widens it: each of them gains the new access",
                id.address
            );
            (of_grant(&RULE, id, grant, m), raised(own))
        }
        false => {
            let m = format!(
                "{} is now shared by {n} workloads{before} ({who}): the workloads that join gain its whole scope",
                id.address
            );
            (
                finding(&RULE, &id.address, &id.address, m),
                Severity::Medium,
            )
        }
    };
    f.severity = severity;
    Some(f)
}

/// One step above `s`, at least high.
fn raised(s: Severity) -> Severity {
    match s {
        Severity::Info | Severity::Low | Severity::Medium => Severity::High,
        Severity::High | Severity::Critical => Severity::Critical,
    }
}
