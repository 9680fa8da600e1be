//! Hand-kept access levels for actions whose effect is worse than their catalog label says.
//!
//! A reviewer's summary ("+3 actions: 1 Permissions management, 2 Write") must not hide that an
//! addition hands out credentials or roles because one source files the action under Write.
//! These actions grant, pass or mint access to something else, so privdiff counts them as
//! Permissions management whatever the generated data says. Each entry carries its reason; a
//! test checks that every entry names an action of the catalog.

use super::level::AccessLevel;

/// `(service, action, level, why)`; action names in AWS casing.
pub const OVERRIDES: &[(&str, &str, AccessLevel, &str)] = &[
    (
        "iam",
        "PassRole",
        AccessLevel::PermissionsManagement,
        "hands a role's permissions to a service the caller controls",
    ),
    (
        "iam",
        "CreateAccessKey",
        AccessLevel::PermissionsManagement,
        "mints long-lived credentials for a user",
    ),
    (
        "iam",
        "UpdateAccessKey",
        AccessLevel::PermissionsManagement,
        "reactivates a user's credentials",
    ),
    (
        "iam",
        "CreateLoginProfile",
        AccessLevel::PermissionsManagement,
        "sets a console password for a user",
    ),
    (
        "iam",
        "UpdateLoginProfile",
        AccessLevel::PermissionsManagement,
        "changes a user's console password",
    ),
    (
        "iam",
        "AddUserToGroup",
        AccessLevel::PermissionsManagement,
        "gives a user every permission of a group",
    ),
    (
        "iam",
        "UploadSSHPublicKey",
        AccessLevel::PermissionsManagement,
        "adds a credential to a user",
    ),
    (
        "iam",
        "DeactivateMFADevice",
        AccessLevel::PermissionsManagement,
        "removes a user's second factor",
    ),
    (
        "sts",
        "GetFederationToken",
        AccessLevel::PermissionsManagement,
        "mints temporary credentials",
    ),
    (
        "rds",
        "ModifyDBSnapshotAttribute",
        AccessLevel::PermissionsManagement,
        "shares a database snapshot with other accounts (EC2's equivalent is already so)",
    ),
];

/// The overriding level of `service:name`, if any (case-insensitive).
pub fn level(service: &str, name: &str) -> Option<AccessLevel> {
    OVERRIDES
        .iter()
        .find(|(s, n, _, _)| s.eq_ignore_ascii_case(service) && n.eq_ignore_ascii_case(name))
        .map(|o| o.2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::aws::catalog;

    #[test]
    fn every_override_names_a_catalog_action_and_is_applied() {
        for (service, name, level, why) in OVERRIDES {
            let full = format!("{service}:{name}");
            let action = catalog()
                .action(&full)
                .unwrap_or_else(|| panic!("{full} is not in the catalog"));
            assert_eq!(action.effective_level(), *level, "{full}");
            assert_ne!(
                action.level, *level,
                "{full}: the data agrees now; drop the override"
            );
            assert!(!why.is_empty());
        }
        let pass = catalog().action("iam:PassRole").unwrap();
        assert_eq!(pass.level, AccessLevel::Write);
        assert_eq!(pass.effective_level(), AccessLevel::PermissionsManagement);
    }
}
