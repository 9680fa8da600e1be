//! Who a role's trust policy lets act as it, in a reviewer's words: "GitHub Actions: repo
//! acme/app, environment production", "service lambda.amazonaws.com", "role deploy in account
//! 111122223333". A summary of the whole trust after the change, not of what it added (the
//! reach entries say that, with their concerns).

use super::oidc::issuer_of;
use crate::model::{Clause, Effect, Scope, Statement};

/// One line per kind of caller the trust admits, in policy order, each once.
pub fn callers(trust: &Scope) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for st in trust
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow)
    {
        if st.principals.negated {
            out.push("anyone but the principals it names (NotPrincipal)".into());
            continue;
        }
        for p in st.principals.display.iter() {
            let line = caller(p, st);
            if !out.contains(&line) {
                out.push(line);
            }
        }
    }
    out
}

/// One principal as written (`Federated:arn:…`), read with its statement's conditions.
fn caller(principal: &str, st: &Statement) -> String {
    let (ty, id) = principal.split_once(':').unwrap_or(("AWS", principal));
    let conditioned = if st.conditions.is_empty() {
        ""
    } else {
        " (under conditions)"
    };
    match ty {
        _ if principal == "*" || id == "*" => format!("anyone{conditioned}"),
        "Service" => format!("service {id}"),
        "Federated" => federated(id, st),
        "AWS" => aws(id),
        _ => principal.to_string(),
    }
}

/// An IAM principal: an account, or a role or user of one.
fn aws(id: &str) -> String {
    if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        return format!("account {id}");
    }
    let f: Vec<&str> = id.splitn(6, ':').collect();
    let [_, _, _, _, account, resource] = f[..] else {
        return id.to_string();
    };
    if resource == "root" {
        return format!("account {account}");
    }
    match resource.split_once('/') {
        Some((kind @ ("role" | "user"), path)) => {
            let name = path.rsplit('/').next().unwrap_or(path);
            format!("{kind} {name} in account {account}")
        }
        Some(("assumed-role", rest)) => {
            let role = rest.split('/').next().unwrap_or(rest);
            format!("a session of role {role} in account {account}")
        }
        _ => id.to_string(),
    }
}

/// A web-identity or SAML provider, with the callers its subject condition pins.
fn federated(id: &str, st: &Statement) -> String {
    if let Some((_, name)) = id.split_once(":saml-provider/") {
        return format!("SAML provider {name}");
    }
    let Some((issuer, host)) = issuer_of(id) else {
        return format!("web identities of {id}");
    };
    let key = format!("{host}:{}", issuer.claim);
    let values: Vec<&str> = st
        .conditions
        .iter()
        .filter_map(|c| match c {
            Clause::Str {
                key: k,
                negated: false,
                values,
                ..
            } if *k == key => Some(values.iter().map(String::as_str)),
            _ => None,
        })
        .flatten()
        .collect();
    if values.is_empty() {
        return format!("{}: any {}", issuer.name, issuer.unit);
    }
    let who: Vec<String> = values
        .iter()
        .map(|v| match issuer.name {
            "GitHub Actions" => github(v),
            "GitLab" => gitlab(v),
            "EKS cluster" => eks(v),
            "HCP Terraform" => terraform(v),
            _ => format!("{} {v}", issuer.claim),
        })
        .collect();
    format!("{}: {}", issuer.name, who.join("; "))
}

/// A GitHub Actions `sub` value: `repo:acme/app:environment:production`.
fn github(sub: &str) -> String {
    let Some(rest) = sub.strip_prefix("repo:") else {
        return format!("sub {sub}");
    };
    let (repo, context) = rest.split_once(':').unwrap_or((rest, "*"));
    let context = match context.split_once(':') {
        Some(("environment", env)) => format!("environment {env}"),
        Some(("ref", r)) => match (r.strip_prefix("refs/heads/"), r.strip_prefix("refs/tags/")) {
            (Some(branch), _) => format!("branch {branch}"),
            (_, Some(tag)) => format!("tag {tag}"),
            _ => format!("ref {r}"),
        },
        None if context == "pull_request" => "pull requests".into(),
        None if context == "*" => "any workflow".into(),
        _ => context.to_string(),
    };
    format!("repo {repo}, {context}")
}

/// A GitLab `sub` value: `project_path:group/app:ref_type:branch:ref:main`.
fn gitlab(sub: &str) -> String {
    let parts: Vec<&str> = sub.split(':').collect();
    match parts[..] {
        ["project_path", project, "ref_type", kind, "ref", name] => {
            format!("project {project}, {kind} {name}")
        }
        ["project_path", project] => format!("project {project}"),
        ["project_path", project, ..] => format!("project {project}, {}", parts[2..].join(":")),
        _ => format!("sub {sub}"),
    }
}

/// An HCP Terraform `sub` value:
/// `organization:acme:project:Default:workspace:prod:run_phase:apply`, read as its pairs.
fn terraform(sub: &str) -> String {
    let parts: Vec<&str> = sub.split(':').collect();
    if parts.len() % 2 != 0 {
        return format!("sub {sub}");
    }
    parts
        .chunks(2)
        .map(|kv| format!("{} {}", kv[0].replace('_', " "), kv[1]))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An EKS `sub` value: `system:serviceaccount:payments:api`.
fn eks(sub: &str) -> String {
    match sub.strip_prefix("system:serviceaccount:") {
        Some(rest) => match rest.split_once(':') {
            Some((ns, sa)) => format!("service account {ns}/{sa}"),
            None => format!("service accounts {rest}"),
        },
        None => format!("sub {sub}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::aws::policy;
    use serde_json::json;

    fn trust(doc: serde_json::Value) -> Scope {
        let statements = policy::parse(&doc).expect("policy");
        Scope {
            statements,
            boundary: None,
        }
    }

    #[test]
    fn names_github_repository_and_environment() {
        let t = trust(json!({"Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                "StringLike": {"token.actions.githubusercontent.com:sub": ["repo:acme/app:environment:production", "repo:acme/app:ref:refs/heads/main"]}
            }
        }]}));
        assert_eq!(
            callers(&t),
            ["GitHub Actions: repo acme/app, environment production; repo acme/app, branch main"]
        );
    }

    #[test]
    fn names_services_accounts_and_roles() {
        let t = trust(json!({"Statement": [
            {"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com"], "AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:role/ops/deployer"]}, "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}},
            {"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"}
        ]}));
        let got = callers(&t);
        for want in [
            "service lambda.amazonaws.com",
            "account 111122223333",
            "role deployer in account 444455556666",
            "anyone (under conditions)",
        ] {
            assert!(got.iter().any(|g| g == want), "{want} not in {got:?}");
        }
        assert_eq!(got.len(), 4);
    }

    #[test]
    fn reads_gitlab_and_terraform_subjects() {
        assert_eq!(gitlab("project_path:acme/*"), "project acme/*");
        assert_eq!(
            gitlab("project_path:acme/app:ref_type:branch:ref:main"),
            "project acme/app, branch main"
        );
        assert_eq!(
            terraform("organization:acme:project:Default:workspace:prod:run_phase:apply"),
            "organization acme, project Default, workspace prod, run phase apply"
        );
    }

    #[test]
    fn an_unpinned_issuer_admits_any_caller() {
        let t = trust(json!({"Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": "arn:aws:iam::1:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {"oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:payments:api"}}
        }, {
            "Effect": "Allow",
            "Principal": {"Federated": "arn:aws:iam::1:oidc-provider/gitlab.com"},
            "Action": "sts:AssumeRoleWithWebIdentity"
        }]}));
        assert_eq!(
            callers(&t),
            [
                "EKS cluster: service account payments/api",
                "GitLab: any project"
            ]
        );
    }
}
