//! `PD026` path-opened, and `PD011` admin-equivalent when the path leads to an administrator.

use super::admin_equivalent;
use super::finding::{finding, request, request_with_context, summary};
use super::{Rule, Severity};
use crate::checks::Hit;
use crate::model::route::Capability;
use crate::model::Grant;
use crate::model::{list, Effect};
use crate::report::{Finding, IdentityReport, Path};

pub const RULE: Rule = Rule {
    code: "PD026",
    name: "path-opened",
    severity: Severity::Medium,
    summary: "The identity can newly become another identity whose permissions add to its own: it gains them without a change to its own policies.",
    detects: "An identity of the plan that, after the change, can become another identity of the plan it could not reach before, directly or through a chain, when that identity's permissions allow requests it could not make before by its own grants or through any identity it could already become. A hop is an AWS `sts:AssumeRole` that the role's trust policy admits and, unless the trust names the caller itself in the same account, the caller's own permissions allow too; `iam:PassRole` of a role to new compute the caller may create and run (a Lambda function, an EC2 instance, an ECS task, a Glue job, a CodeBuild project...), where the role trusts that compute's service; an access key or console password the caller may create for a user; a trust policy the caller may rewrite. On GCP, a token, signed JWT or key the caller may mint for a service account, or new compute it may run as one (`iam.serviceAccounts.actAs`). On Azure, a user-assigned identity it may attach to compute it creates or changes. On Kubernetes, impersonating a service account, requesting a token for it, or starting a pod in its namespace. When the identity reached is an administrator, the finding is `admin-equivalent` (critical) instead.",
    why: "An identity's real reach is every identity it can become. A trust policy edited to admit a CI runner turns the runner into whatever the role is, while the runner's own policies, which a reviewer reads, do not change.",
    example: "`aws_iam_role.deploy` (with `AmazonS3FullAccess`) adds `arn:aws:iam::111122223333:role/ci-runner` to its trust policy; `aws_iam_role.ci_runner` already may `sts:AssumeRole` on `role/deploy-*`, so it can now become `deploy` and gains `s3:*` on `*`.",
    fix: "Admit only the callers that must become the role, and keep each caller's `sts:AssumeRole` to the roles it needs. If the path is intended, say why in the pull request.",
    references: &[
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html",
    ],
    standards: &["OWASP NHI5:2025 Overprivileged NHI", "NIST SP 800-53 AC-6"],
};

/// One finding per path the identity gains by, or per group of paths opened by the same
/// change: `PD011` when the target is an administrator, else `PD026`.
pub fn check(id: &IdentityReport) -> Vec<Finding> {
    // One change that lets an identity become many (a token creator role on a whole project)
    // is one finding, of the first target, naming the others.
    let mut groups: Vec<Vec<&Path>> = Vec::new();
    for p in &id.paths {
        let same = |g: &&mut Vec<&Path>| {
            g[0].administrator == p.administrator
                && g[0].opened_by == p.opened_by
                && g[0].hops.len() == p.hops.len()
        };
        match groups.iter_mut().find(|g| same(g)) {
            Some(g) => g.push(p),
            None => groups.push(vec![p]),
        }
    }
    groups
        .into_iter()
        .map(|g| {
            let mut f = of_path(id, g[0]);
            if g.len() > 1 {
                let others: Vec<String> = g[1..].iter().map(|p| p.target.clone()).collect();
                f.message.push_str(&format!(
                    "; it can now become {} more the same way{}: {}",
                    others.len(),
                    match g[0].administrator {
                        true => ", each an administrator",
                        false => "",
                    },
                    list(&others, 3)
                ));
            }
            f
        })
        .collect()
}

fn of_path(id: &IdentityReport, path: &Path) -> Finding {
    let everything =
        |g: &&Grant| g.effect == Effect::Allow && g.kind.is_none() && admin_equivalent::fires(g);
    let rule = match path.administrator {
        true => &admin_equivalent::RULE,
        false => &RULE,
    };
    // The grant to name: one that allows everything by its own text, else the broadest.
    let first = path.gained.iter().find(everything).or(path.gained.first());
    let mut m = format!(
        "{} can now become {} ({}",
        id.address,
        path.target,
        how(path)
    );
    if !path.opened_by.is_empty() {
        m.push_str(&format!(", opened by {}", list(&path.opened_by, 3)));
    }
    match (path.administrator, first) {
        (true, Some(g)) if everything(&g) => m.push_str(&format!(
            ") and so gains administrator access: every action on every resource, from {}",
            g.source
        )),
        (true, Some(g)) => m.push_str(&format!(
            ") and so gains administrator access: {}",
            summary(g)
        )),
        (false, Some(g)) => m.push_str(&format!(") and so gains {}", summary(g))),
        (true, None) => m.push_str(
            ") and so gains administrator access; what else it gains was not worked out within the analysis budget",
        ),
        (false, None) => m.push_str(
            "); what it gains by it was not worked out within the analysis budget, so it is reported unweighed",
        ),
    }
    match path.gained.len() {
        0 | 1 => {}
        2 => m.push_str(" and 1 more grant"),
        n => m.push_str(&format!(" and {} more grants", n - 1)),
    }
    if let Some(e) = first.and_then(|g| g.example.as_ref()) {
        m.push_str(&format!(" (e.g. {})", request(e)));
    }
    let address = path.opened_by.first().unwrap_or(&id.address);
    let mut f = finding(rule, &id.address, address, m);
    f.through = Some(path.target.clone());
    f.requests = path.hops.iter().map(|h| h.request.clone()).collect();
    f.requests.extend(first.and_then(|g| g.example.clone()));
    f.grants = path.gained.iter().map(|g| g.source.clone()).collect();
    f.grants.dedup();
    f
}

/// What becoming a path's target newly lets the identity do that a rule judges dangerous
/// (each path's hits, from `checks::through`): one finding per capability, under its rule,
/// naming the first path that gives it and the targets of the others.
pub fn for_hits(id: &IdentityReport, paths: &[(&Path, Vec<Hit>)]) -> Vec<Finding> {
    let mut groups: Vec<(&Hit, &Path, Vec<String>)> = Vec::new();
    for (path, hits) in paths {
        for h in hits {
            // A capability holds once, by whichever route; duties kept apart are each their own.
            let same = |g: &&mut (&Hit, &Path, Vec<String>)| {
                g.0.completes == h.completes
                    && (h.completes != Capability::SeparationOfDuties || g.0.label == h.label)
            };
            match groups.iter_mut().find(|g| same(g)) {
                Some(g) => g.2.push(path.target.clone()),
                None => groups.push((h, path, Vec::new())),
            }
        }
    }
    groups
        .into_iter()
        .map(|(h, path, others)| {
            let examples: Vec<String> = h.requests.iter().map(request_with_context).collect();
            let mut m = format!(
                "{} can now {} by becoming {} ({}",
                id.address,
                h.label,
                path.target,
                how(path)
            );
            if !path.opened_by.is_empty() {
                m.push_str(&format!(", opened by {}", list(&path.opened_by, 3)));
            }
            m.push_str(&format!("): {}", examples.join(" with ")));
            if !h.grants.is_empty() {
                m.push_str(&format!(" (granted to it by {})", list(&h.grants, 3)));
            }
            if !others.is_empty() {
                m.push_str(&format!("; also by becoming {}", list(&others, 3)));
            }
            let rule = super::completing(h.completes);
            let address = path.opened_by.first().unwrap_or(&id.address);
            let mut f = finding(rule, &id.address, address, m);
            f.through = Some(path.target.clone());
            f.severity = h.severity.unwrap_or(rule.severity);
            f.requests = path.hops.iter().map(|h| h.request.clone()).collect();
            f.requests.extend(h.requests.iter().cloned());
            f.grants = h.grants.clone();
            f
        })
        .collect()
}

/// How the identity becomes the path's target, after its name: what the one hop does
/// (`creating a key for it`), else the chain.
fn how(path: &Path) -> String {
    match path.hops.as_slice() {
        [hop] if hop.edge != "assume-role" && hop.edge != "pass-role" => {
            hop.via.clone().unwrap_or_else(|| chain(path))
        }
        _ => chain(path),
    }
}

/// `assumes aws_iam_role.a, then passes aws_iam_role.b to a new Lambda function`.
fn chain(path: &Path) -> String {
    let steps: Vec<String> = path
        .hops
        .iter()
        .map(|h| match (h.edge, &h.via) {
            ("pass-role", Some(via)) => {
                let to = via.strip_prefix("pass it to ").unwrap_or(via);
                let to = to.split(" and ").next().unwrap_or(to);
                format!("passes {} to {to}", h.to)
            }
            (_, Some(via)) => format!("becomes {} by {via}", h.to),
            (_, None) => format!("assumes {}", h.to),
        })
        .collect();
    steps.join(", then ")
}
