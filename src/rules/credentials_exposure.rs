//! `PD017` credentials-exposure.

use super::{Rule, Severity};

pub const RULE: Rule = Rule {
    code: "PD017",
    name: "credentials-exposure",
    severity: Severity::High,
    summary: "The identity newly can obtain credentials for any user, role, instance or database: access keys, passwords, role sessions or tokens.",
    detects: "On the identity's whole permission scope after the change (all its policies together, less Deny statements, capped by its permissions boundary), and not before, an action that returns a credential, on any resource (a pattern that admits an arbitrary name: `*`, `arn:aws:iam::*:user/*`; not a fixed ARN or a prefix such as `user/bots/*`): `iam:CreateAccessKey`, `iam:UpdateAccessKey`, `iam:CreateLoginProfile`, `iam:UpdateLoginProfile`, `iam:CreateServiceSpecificCredential`, `iam:ResetServiceSpecificCredential` (on any user); `sts:AssumeRole` (on any role); `ec2:GetPasswordData`, `rds-db:connect`, `redshift:GetClusterCredentials`, `redshift:GetClusterCredentialsWithIAM`, `redshift-serverless:GetCredentials`, `sso:GetRoleCredentials`, `cognito-identity:GetCredentialsForIdentity`, `lightsail:GetInstanceAccessDetails`, `lightsail:DownloadDefaultKeyPair`, `lightsail:GetRelationalDatabaseMasterUserPassword`, `appsync:CreateApiKey`, `gamelift:GetInstanceAccess`, `airflow:CreateCliToken`, `cloud9:CreateEnvironmentToken`. Left out on purpose: `ecr:GetAuthorizationToken`, `codeartifact:GetAuthorizationToken`, `sts:GetSessionToken` and `sts:GetFederationToken`, whose tokens carry no more than the caller already has (every CI role that pulls images holds the first). Conditions do not suppress the finding.",
    why: "A credential outlives the request that minted it and works from anywhere. A new access key or console password for another user, a session for any role that trusts the account, or a database or instance password is that principal's access, handed to whoever controls this identity, and it keeps working after the identity's own permissions are taken away.",
    example: "`aws_iam_user_policy.key_rotator` adds `iam:CreateAccessKey` on `arn:aws:iam::*:user/*` to `aws_iam_user.key_rotator`: it may create access keys for every user, administrators included.",
    fix: "Limit credential actions to the identity itself (`arn:aws:iam::111122223333:user/${aws:username}`) or to the users, roles, instances and databases the workload serves; in `sts:AssumeRole`, list the role ARNs instead of `*`. Prefer roles and short-lived sessions to minted user keys.",
    references: &[
        "https://cloudsplaining.readthedocs.io/en/latest/glossary/credentials-exposure/",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
        "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html",
    ],
    standards: &[
        "OWASP NHI2:2025 Secret Leakage",
        "OWASP NHI7:2025 Long-Lived Secrets",
        "OWASP NHI5:2025 Overprivileged NHI",
        "NIST SP 800-53 IA-5",
    ],
};
