//! Web-identity issuers: which claim names the caller, what a pinned value looks like, and a
//! realistic subject for examples. A trust that does not pin the subject of a multi-tenant
//! issuer (GitHub, GitLab, HCP Terraform, Google) lets anyone on that issuer assume the role.

/// What privdiff knows of one issuer.
pub struct Issuer {
    /// For messages: `GitHub Actions`.
    pub name: &'static str,
    /// The claim that names the caller (`sub`; `aud` for Cognito, whose `sub` is per user).
    pub claim: &'static str,
    /// What one value of the claim stands for: `repository`, `project`...
    pub unit: &'static str,
    /// Positions, in the claim split at `:`, of the parts that name the caller (a wildcard
    /// there admits other callers); empty: any wildcard does.
    pub identity_parts: &'static [usize],
    /// A subject of some other caller, for examples.
    pub stranger: &'static str,
    /// The audience its tokens carry for AWS, when there is a usual one.
    pub audience: Option<&'static str>,
}

const GITHUB: Issuer = Issuer {
    name: "GitHub Actions",
    claim: "sub",
    unit: "repository",
    identity_parts: &[1],
    stranger: "repo:someone-else/any-repo:pull_request",
    audience: Some("sts.amazonaws.com"),
};

const GITLAB: Issuer = Issuer {
    name: "GitLab",
    claim: "sub",
    unit: "project",
    identity_parts: &[1],
    stranger: "project_path:someone-else/any-project:ref_type:branch:ref:main",
    audience: None,
};

const TERRAFORM: Issuer = Issuer {
    name: "HCP Terraform",
    claim: "sub",
    unit: "workspace",
    identity_parts: &[1, 3, 5],
    stranger: "organization:someone-else:project:Default Project:workspace:any:run_phase:apply",
    audience: Some("aws.workload.identity"),
};

const GOOGLE: Issuer = Issuer {
    name: "Google",
    claim: "sub",
    unit: "Google account",
    identity_parts: &[],
    stranger: "100000000000000000000",
    audience: None,
};

const COGNITO: Issuer = Issuer {
    name: "Amazon Cognito",
    claim: "aud",
    unit: "identity pool",
    identity_parts: &[],
    stranger: "eu-west-1:00000000-0000-0000-0000-000000000000",
    audience: None,
};

const EKS: Issuer = Issuer {
    name: "EKS cluster",
    claim: "sub",
    unit: "service account",
    identity_parts: &[2, 3],
    stranger: "system:serviceaccount:default:any",
    audience: Some("sts.amazonaws.com"),
};

/// The issuer of a `Federated` principal value (an OIDC provider ARN or a bare issuer), and the
/// issuer as condition keys spell it.
pub fn issuer_of(federated: &str) -> Option<(&'static Issuer, String)> {
    let host = match federated.split_once(":oidc-provider/") {
        Some((_, host)) => host,
        None if !federated.starts_with("arn:") => federated,
        None => return None,
    };
    let issuer = match host {
        "token.actions.githubusercontent.com" => &GITHUB,
        "gitlab.com" => &GITLAB,
        "app.terraform.io" => &TERRAFORM,
        "accounts.google.com" => &GOOGLE,
        "cognito-identity.amazonaws.com" => &COGNITO,
        h if h.starts_with("oidc.eks.") && h.contains(".amazonaws.com/id/") => &EKS,
        _ => return None,
    };
    Some((issuer, host.to_ascii_lowercase()))
}

/// Why a claim pattern admits callers other than one: `None` when it names one caller.
pub fn broad(issuer: &Issuer, pattern: &str) -> Option<String> {
    let wild = |s: &str| s.contains('*') || s.contains('?');
    if !wild(pattern) {
        return None;
    }
    let parts: Vec<&str> = pattern.split(':').collect();
    let everyone = parts
        .iter()
        .all(|p| p.chars().all(|c| c == '*' || c == '?'))
        || pattern.starts_with('*');
    if everyone {
        return Some(format!("any {} on {}", issuer.unit, issuer.name));
    }
    if issuer.identity_parts.is_empty() {
        return Some(format!("more than one {} on {}", issuer.unit, issuer.name));
    }
    // A part the pattern does not reach is open when the pattern ends in a wildcard.
    let at = |i: usize| parts.get(i).copied().unwrap_or("*");
    let open: Vec<usize> = issuer
        .identity_parts
        .iter()
        .copied()
        .filter(|&i| wild(at(i)) || (i >= parts.len() && pattern.ends_with('*')))
        .collect();
    let first = *open.first()?;
    let part = at(first);
    // `owner/*`: any repository (project) of one owner (group).
    match part.split_once('/') {
        Some((owner, _)) if !wild(owner) => {
            Some(format!("any {} of {owner} on {}", issuer.unit, issuer.name))
        }
        _ if first == issuer.identity_parts[0] => {
            Some(format!("any {} on {}", issuer.unit, issuer.name))
        }
        _ => Some(format!("more than one {} on {}", issuer.unit, issuer.name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn github() -> &'static Issuer {
        issuer_of("arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com")
            .unwrap()
            .0
    }

    #[test]
    fn github_subjects() {
        let gh = github();
        assert_eq!(broad(gh, "repo:acme/api:ref:refs/heads/main"), None);
        assert_eq!(broad(gh, "repo:acme/api:*"), None);
        assert_eq!(
            broad(gh, "repo:acme/*").as_deref(),
            Some("any repository of acme on GitHub Actions")
        );
        assert_eq!(
            broad(gh, "repo:*").as_deref(),
            Some("any repository on GitHub Actions")
        );
        assert_eq!(
            broad(gh, "*").as_deref(),
            Some("any repository on GitHub Actions")
        );
        assert_eq!(
            broad(gh, "repo:acme*").as_deref(),
            Some("any repository on GitHub Actions")
        );
    }

    #[test]
    fn other_issuers() {
        let (tfc, key) = issuer_of("arn:aws:iam::1:oidc-provider/app.terraform.io").unwrap();
        assert_eq!(key, "app.terraform.io");
        assert_eq!(
            broad(
                tfc,
                "organization:acme:project:infra:workspace:prod:run_phase:*"
            ),
            None
        );
        assert_eq!(
            broad(tfc, "organization:acme:project:*:workspace:*:run_phase:*").as_deref(),
            Some("more than one workspace on HCP Terraform")
        );
        let (gl, _) = issuer_of("arn:aws:iam::1:oidc-provider/gitlab.com").unwrap();
        assert_eq!(
            broad(gl, "project_path:acme/*").as_deref(),
            Some("any project of acme on GitLab")
        );
        let (eks, key) =
            issuer_of("arn:aws:iam::1:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF")
                .unwrap();
        assert_eq!(key, "oidc.eks.eu-west-1.amazonaws.com/id/abcdef");
        assert_eq!(
            broad(eks, "system:serviceaccount:ci:*").as_deref(),
            Some("more than one service account on EKS cluster")
        );
        assert!(issuer_of("arn:aws:iam::1:saml-provider/okta").is_none());
        assert!(issuer_of("cognito-identity.amazonaws.com").is_some());
    }
}
