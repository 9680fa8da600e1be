//! Long-lived credentials the plan creates for IAM users: access keys, console passwords and
//! service-specific credentials. Each widens who may act as the user (whoever holds it), and
//! one written to the state in plain text is held by whoever can read the state.

use super::{SideReader, USER};
use crate::model::{Credential, IdentityScopes};
use crate::plan::side::{Obj, Step};
use serde_json::Value;
use std::collections::BTreeMap;

/// A resource type that creates a credential: the attribute naming its user, the credential in
/// words, and whether its secret lands in the state unless a `pgp_key` encrypts it.
struct Kind {
    kind: &'static str,
    user: &'static str,
    what: &'static str,
    /// `Some(attr)`: the secret is written to state in plain text unless `attr` is set.
    encrypted_by: Option<&'static str>,
}

const KINDS: &[Kind] = &[
    Kind {
        kind: "aws_iam_access_key",
        user: "user",
        what: "access key",
        encrypted_by: Some("pgp_key"),
    },
    Kind {
        kind: "aws_iam_user_login_profile",
        user: "user",
        what: "console password",
        encrypted_by: Some("pgp_key"),
    },
    // Its password (`service_password`) is always in the state.
    Kind {
        kind: "aws_iam_service_specific_credential",
        user: "user_name",
        what: "service-specific credential",
        encrypted_by: None,
    },
];

pub fn relevant(kind: &str) -> bool {
    KINDS.iter().any(|k| k.kind == kind)
}

impl SideReader<'_, '_> {
    /// Reads this side's credentials into the users they belong to.
    pub fn collect_credentials(&self, ids: &mut BTreeMap<String, IdentityScopes>) {
        for obj in self.world.objs.iter().filter(|o| !o.data) {
            let Some(k) = KINDS.iter().find(|k| k.kind == obj.kind) else {
                continue;
            };
            // An inactive access key authenticates nothing; an unknown status may be active.
            if obj.str("status").as_deref() == Some("Inactive") {
                continue;
            }
            let credential = Credential {
                address: obj.address.to_string(),
                what: k.what,
                in_state: k.encrypted_by.is_none_or(|attr| !encrypted(obj, attr)),
            };
            for w in self.who(obj, k.user, USER) {
                let e = self.identity(ids, &w);
                e.side_mut(self.side()).credentials.push(credential.clone());
            }
        }
    }
}

/// Whether `attr` (a `pgp_key`) is set. One known only after apply may yet be empty: it is
/// taken as unset, the worst case.
fn encrypted(obj: &Obj, attr: &str) -> bool {
    matches!(obj.get(&[Step::Key(attr)]), Some(Value::String(s)) if !s.is_empty())
}
