//! S3 access control lists, read as the bucket policy statements they amount to, so that a
//! bucket made `public-read` by an ACL is judged like one made public by its policy.
//!
//! A bucket ACL grants a grantee one of five permissions on the bucket; AWS maps each to policy
//! actions (Amazon S3 user guide, "Access control list (ACL) overview"): `READ` lists the
//! bucket (`s3:ListBucket`, `ListBucketVersions`, `ListBucketMultipartUploads`), `WRITE` creates
//! objects in it (`s3:PutObject`), `READ_ACP` reads the ACL (`s3:GetBucketAcl`), `WRITE_ACP`
//! writes it (`s3:PutBucketAcl`), and `FULL_CONTROL` is all four. The `AllUsers` group is
//! anyone, `AuthenticatedUsers` anyone with an AWS account (both public to S3's own public
//! access block), `LogDelivery` the S3 log delivery service.
//!
//! S3 does not honour every ACL the plan writes: with object ownership `BucketOwnerEnforced`
//! ACLs are disabled and grant nothing; with `ignore_public_acls` on the bucket's or the
//! account's public access block, public grants are ignored, and with `block_public_acls` S3
//! refuses to set them. Only settings the plan shows as known are weighed; an unknown one is
//! taken as not set, the worst case.

use super::resources::{subject, ACCOUNT_PAB, BUCKET, BUCKET_OF};
use super::SideReader;
use crate::model::{AclSetAside, IdentityScopes, Note};
use crate::plan::side::{attr_ref, Obj, Step};
use crate::plan::InputError;
use crate::providers::aws::policy;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::rc::Rc;

pub const BUCKET_ACL: &str = "aws_s3_bucket_acl";
pub const OWNERSHIP: &str = "aws_s3_bucket_ownership_controls";

const ALL_USERS: &str = "http://acs.amazonaws.com/groups/global/AllUsers";
const AUTHENTICATED_USERS: &str = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
const LOG_DELIVERY: &str = "http://acs.amazonaws.com/groups/s3/LogDelivery";

/// Who an ACL grant is to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Grantee {
    AllUsers,
    AuthenticatedUsers,
    LogDelivery,
    /// Another account's canonical user id.
    Canonical(String),
    /// The account of an e-mail address (a grantee type S3 no longer takes, still in old
    /// ACLs): some other account, whose id the plan does not say.
    Email(String),
}

impl Grantee {
    fn public(&self) -> bool {
        matches!(self, Grantee::AllUsers | Grantee::AuthenticatedUsers)
    }

    fn principal(&self) -> Value {
        match self {
            Grantee::AllUsers => json!("*"),
            Grantee::AuthenticatedUsers => json!({"AWS": "*"}),
            Grantee::LogDelivery => json!({"Service": "logging.s3.amazonaws.com"}),
            Grantee::Canonical(id) => json!({"CanonicalUser": id}),
            Grantee::Email(mail) => json!({"AWS": format!("(the account of {mail})")}),
        }
    }

    /// A group by its URI. A group S3 may add later is taken as everyone, the worst case.
    fn of_uri(uri: &str) -> Grantee {
        match uri {
            ALL_USERS => Grantee::AllUsers,
            AUTHENTICATED_USERS => Grantee::AuthenticatedUsers,
            LOG_DELIVERY => Grantee::LogDelivery,
            _ => Grantee::AllUsers,
        }
    }
}

/// The grants of a canned ACL beyond the owner's own; `None` for a name S3 does not have.
fn canned(acl: &str) -> Option<Vec<(Grantee, &'static str)>> {
    Some(match acl {
        // Object-only ACLs (`bucket-owner-*`) and `aws-exec-read` (EC2 reading AMI bundles,
        // which are objects) grant nothing on a bucket beyond its owner.
        "private" | "bucket-owner-read" | "bucket-owner-full-control" | "aws-exec-read" => {
            vec![]
        }
        "public-read" => vec![(Grantee::AllUsers, "READ")],
        "public-read-write" => vec![(Grantee::AllUsers, "READ"), (Grantee::AllUsers, "WRITE")],
        "authenticated-read" => vec![(Grantee::AuthenticatedUsers, "READ")],
        "log-delivery-write" => vec![
            (Grantee::LogDelivery, "WRITE"),
            (Grantee::LogDelivery, "READ_ACP"),
        ],
        _ => return None,
    })
}

/// The actions a bucket ACL permission allows, and whether on the bucket or its objects.
fn actions(permission: &str) -> Vec<(&'static str, bool)> {
    let read = [
        ("s3:ListBucket", false),
        ("s3:ListBucketVersions", false),
        ("s3:ListBucketMultipartUploads", false),
    ];
    match permission {
        "READ" => read.to_vec(),
        "WRITE" => vec![("s3:PutObject", true)],
        "READ_ACP" => vec![("s3:GetBucketAcl", false)],
        "WRITE_ACP" => vec![("s3:PutBucketAcl", false)],
        "FULL_CONTROL" => [
            &read[..],
            &[
                ("s3:PutObject", true),
                ("s3:GetBucketAcl", false),
                ("s3:PutBucketAcl", false),
            ],
        ]
        .concat(),
        _ => Vec::new(),
    }
}

/// What an ACL carrier says, before it is weighed.
enum Read {
    /// Its grants beyond the owner's, and grants it holds that name no principal.
    Grants(Vec<(Grantee, String)>),
    /// Known only after apply, or a canned ACL S3 does not have.
    Unknown(&'static str),
    /// The carrier sets no ACL.
    Nothing,
}

/// The grants of an `aws_s3_bucket_acl`, or of the deprecated `acl`/`grant` arguments of an
/// `aws_s3_bucket`, read only where the configuration sets them (the provider fills them in
/// otherwise).
fn read(reader: &SideReader, obj: &Obj) -> Read {
    if reader.configured(obj, "acl") {
        match obj.get(&[Step::Key("acl")]) {
            Some(Value::String(acl)) if !acl.is_empty() => {
                return match canned(&acl) {
                    Some(g) => Read::Grants(g.into_iter().map(|(w, p)| (w, p.into())).collect()),
                    None => Read::Unknown("acl"),
                }
            }
            None if obj.is_unknown(&[Step::Key("acl")]) => return Read::Unknown("acl"),
            _ => {}
        }
    }
    let (attr, grants, owner) = if obj.kind == BUCKET_ACL {
        let path = [Step::Key("access_control_policy"), Step::Index(0)];
        if obj.is_unknown(&path[..1]) || obj.is_unknown(&path) {
            // Computed from `acl` when that is set; unknown on its own, it is the worst case.
            return match reader.configured(obj, "access_control_policy") {
                true => Read::Unknown("access_control_policy"),
                false => Read::Nothing,
            };
        }
        let Some(acp) = obj.get(&path) else {
            return Read::Nothing;
        };
        let owner = acp
            .pointer("/owner/0/id")
            .and_then(Value::as_str)
            .map(str::to_string);
        let grants = acp.get("grant").cloned().unwrap_or(Value::Null);
        ("access_control_policy", grants, owner)
    } else {
        if !reader.configured(obj, "grant") {
            return Read::Nothing;
        }
        if obj.is_unknown(&[Step::Key("grant")]) {
            return Read::Unknown("grant");
        }
        let grants = obj.get(&[Step::Key("grant")]).unwrap_or(Value::Null);
        ("grant", grants, None)
    };
    let mut out = Vec::new();
    for g in grants.as_array().into_iter().flatten() {
        // `aws_s3_bucket_acl`: {grantee: [{type, uri, id, email_address}], permission};
        // `aws_s3_bucket.grant`: {type, uri, id, permissions: [...]}.
        let who = g.pointer("/grantee/0").unwrap_or(g);
        let field = |k: &str| who.get(k).and_then(Value::as_str).filter(|v| !v.is_empty());
        let grantee = match (field("type"), field("uri"), field("id")) {
            (_, Some(uri), _) => Grantee::of_uri(uri),
            (_, None, Some(id)) if owner.as_deref() == Some(id) => continue,
            (_, None, Some(id)) => Grantee::Canonical(id.to_string()),
            (_, None, None) => match field("email_address") {
                Some(mail) => Grantee::Email(mail.to_string()),
                // An id known only after apply: most often the owner's own
                // (`data.aws_canonical_user_id`), but not known to be.
                None => return Read::Unknown(attr),
            },
        };
        let permissions: Vec<String> = match g.get("permission").and_then(Value::as_str) {
            Some(p) => vec![p.to_string()],
            None => g
                .get("permissions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
        };
        out.extend(permissions.into_iter().map(|p| (grantee.clone(), p)));
    }
    Read::Grants(out)
}

/// What one grantee's ACL grants come to: the permissions, and the actions on the bucket and
/// on its objects.
struct Granted<'g> {
    grantee: &'g Grantee,
    permissions: Vec<&'g str>,
    on: [Vec<&'static str>; 2],
}

/// Why S3 sets aside some of a bucket's ACL grants on one side.
struct Weigh {
    /// Buckets whose ACLs are disabled, with the resource that disables them.
    disabled: Vec<(String, String)>,
    /// The account's public access block, when it ignores or refuses public ACLs.
    account: Option<(String, AclSetAside)>,
}

/// What a public access block does to public ACL grants, if anything.
fn blocks_public(settings: &[Option<bool>; 4]) -> Option<AclSetAside> {
    if settings[2] == Some(true) {
        Some(AclSetAside::Ignored)
    } else if settings[0] == Some(true) {
        Some(AclSetAside::Refused)
    } else {
        None
    }
}

impl SideReader<'_, '_> {
    /// Reads every bucket ACL of this side into its bucket's resource policy, after the
    /// public access blocks (which weigh it) have been read.
    pub fn collect_acls(
        &self,
        subjects: &mut BTreeMap<String, IdentityScopes>,
    ) -> Result<(), InputError> {
        let weigh = self.weigh();
        for obj in &self.world.objs {
            if obj.data || !matches!(obj.kind, BUCKET_ACL | BUCKET) {
                continue;
            }
            let grants = match read(self, obj) {
                Read::Nothing => continue,
                Read::Unknown(attr) => {
                    let at = attr_ref(obj, attr);
                    for a in self.acl_buckets(subjects, obj) {
                        let s = subject(subjects, &a).side_mut(self.side());
                        if !s.unknown.contains(&at) {
                            s.unknown.push(at.clone());
                        }
                    }
                    continue;
                }
                // A private ACL grants nothing beyond the owner: no subject for it.
                Read::Grants(g) if g.is_empty() => continue,
                Read::Grants(g) => g,
            };
            for a in self.acl_buckets(subjects, obj) {
                let e = subject(subjects, &a);
                let s = e.side_mut(self.side());
                if let Some((_, by)) = weigh.disabled.iter().find(|(b, _)| *b == a) {
                    s.note(Note::AclSetAside {
                        acl: obj.address.to_string(),
                        by: by.clone(),
                        why: AclSetAside::Disabled,
                    });
                    continue;
                }
                let block = s
                    .public_access_block
                    .as_ref()
                    .and_then(|b| blocks_public(&b.settings).map(|w| (b.address.clone(), w)))
                    .or(weigh.account.clone());
                let mut kept = Vec::new();
                for (grantee, permission) in &grants {
                    match &block {
                        Some((by, why)) if grantee.public() => s.note(Note::AclSetAside {
                            acl: obj.address.to_string(),
                            by: by.clone(),
                            why: *why,
                        }),
                        _ => kept.push((grantee, permission.as_str())),
                    }
                }
                if kept.is_empty() {
                    continue;
                }
                let doc = self.acl_document(obj, &a, &kept)?;
                super::add_resource_policy(e, self.side(), &doc);
            }
        }
        Ok(())
    }

    /// The buckets an ACL carrier is the ACL of, their entries created as needed.
    fn acl_buckets(
        &self,
        subjects: &mut BTreeMap<String, IdentityScopes>,
        obj: &Obj,
    ) -> Vec<String> {
        if obj.kind == BUCKET {
            super::entry(subjects, obj.address, BUCKET, true);
            return vec![obj.address.to_string()];
        }
        self.subjects(subjects, obj, &BUCKET_OF)
    }

    /// Ownership controls and the account's public access block on this side.
    fn weigh(&self) -> Weigh {
        let mut disabled = Vec::new();
        let mut account = None;
        for obj in self.world.objs.iter().filter(|o| !o.data) {
            match obj.kind {
                OWNERSHIP => {
                    let rule = [
                        Step::Key("rule"),
                        Step::Index(0),
                        Step::Key("object_ownership"),
                    ];
                    if obj.get(&rule).and_then(|v| v.as_str().map(str::to_string))
                        == Some("BucketOwnerEnforced".into())
                    {
                        for w in self.who_by(obj, &BUCKET_OF) {
                            disabled.push((w.address, obj.address.to_string()));
                        }
                    }
                }
                ACCOUNT_PAB => {
                    let b = super::resources::public_access_block(obj);
                    if let Some(why) = blocks_public(&b.settings) {
                        account = Some((b.address, why));
                    }
                }
                _ => {}
            }
        }
        Weigh { disabled, account }
    }

    /// The bucket policy statements a bucket's ACL grants amount to.
    fn acl_document(
        &self,
        obj: &Obj,
        bucket: &str,
        grants: &[(&Grantee, &str)],
    ) -> Result<super::docs::Doc, InputError> {
        let arn = self.bucket_arn(obj, bucket);
        // One statement per grantee and kind of resource, as a policy would be written.
        let mut by_grantee: Vec<Granted> = Vec::new();
        for (grantee, permission) in grants {
            let i = match by_grantee.iter().position(|g| g.grantee == *grantee) {
                Some(i) => i,
                None => {
                    by_grantee.push(Granted {
                        grantee,
                        permissions: Vec::new(),
                        on: Default::default(),
                    });
                    by_grantee.len() - 1
                }
            };
            let g = &mut by_grantee[i];
            g.permissions.push(permission);
            for (action, on_objects) in actions(permission) {
                let list = &mut g.on[usize::from(on_objects)];
                if !list.contains(&action) {
                    list.push(action);
                }
            }
        }
        let mut statements = Vec::new();
        for g in &by_grantee {
            for (list, resource) in g.on.iter().zip([arn.clone(), format!("{arn}/*")]) {
                if list.is_empty() {
                    continue;
                }
                statements.push(json!({
                    "Sid": format!("ACL {}", g.permissions.join(" ")),
                    "Effect": "Allow",
                    "Principal": g.grantee.principal(),
                    "Action": list,
                    "Resource": resource,
                }));
            }
        }
        let parsed =
            policy::parse(&json!({ "Statement": statements })).map_err(|e| InputError {
                address: obj.address.to_string(),
                attribute: "acl".into(),
                message: e.0,
            })?;
        let attr = if obj.kind == BUCKET_ACL && !self.configured(obj, "acl") {
            "access_control_policy"
        } else {
            "acl"
        };
        Ok(super::docs::Doc::Statements {
            statements: Rc::new(parsed),
            source: format!("{} (access control list)", obj.address),
            resources: vec![obj.address.to_string()],
            at: attr_ref(obj, attr),
            sensitive: obj.is_sensitive(&[Step::Key(attr)]),
            assumed: Rc::from([]),
        })
    }

    /// The bucket's ARN: as the plan knows it, or built from its name; `*` in the bucket's
    /// place when the name is known only after apply.
    fn bucket_arn(&self, obj: &Obj, bucket: &str) -> String {
        let named = self.world.objs.iter().find(|o| o.address == bucket);
        if let Some(arn) = named.and_then(|o| o.str("arn")) {
            return arn;
        }
        let name = obj
            .str("bucket")
            .or_else(|| named.and_then(|o| o.str("bucket")))
            .or_else(|| {
                bucket
                    .strip_prefix("external:aws_s3_bucket/")
                    .map(str::to_string)
            });
        format!("arn:aws:s3:::{}", name.as_deref().unwrap_or("*"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canned_acls_grant_what_s3_documents() {
        assert_eq!(canned("private"), Some(vec![]));
        assert_eq!(canned("bucket-owner-full-control"), Some(vec![]));
        assert_eq!(
            canned("public-read"),
            Some(vec![(Grantee::AllUsers, "READ")])
        );
        assert_eq!(
            canned("authenticated-read"),
            Some(vec![(Grantee::AuthenticatedUsers, "READ")])
        );
        assert_eq!(canned("public-read-write").map(|g| g.len()), Some(2));
        // A name S3 does not have is not taken for private.
        assert_eq!(canned("public"), None);
    }

    #[test]
    fn acl_permissions_map_to_bucket_and_object_actions() {
        assert!(actions("READ").iter().all(|(_, objects)| !objects));
        assert_eq!(actions("WRITE"), vec![("s3:PutObject", true)]);
        let full = actions("FULL_CONTROL");
        for (a, _) in actions("READ")
            .into_iter()
            .chain(actions("WRITE"))
            .chain(actions("READ_ACP"))
            .chain(actions("WRITE_ACP"))
        {
            assert!(full.iter().any(|(f, _)| *f == a), "{a}");
        }
        assert!(actions("WRITE_SOMETHING").is_empty());
    }

    #[test]
    fn ignore_public_acls_wins_over_block_public_acls_and_unknown_blocks_nothing() {
        assert_eq!(
            blocks_public(&[Some(true), None, Some(true), None]),
            Some(AclSetAside::Ignored)
        );
        assert_eq!(
            blocks_public(&[Some(true), None, None, None]),
            Some(AclSetAside::Refused)
        );
        assert_eq!(blocks_public(&[None, Some(true), None, Some(true)]), None);
    }

    #[test]
    fn only_the_public_groups_are_public() {
        assert!(Grantee::of_uri(ALL_USERS).public());
        assert!(Grantee::of_uri(AUTHENTICATED_USERS).public());
        assert!(!Grantee::of_uri(LOG_DELIVERY).public());
        assert!(!Grantee::Canonical("abc".into()).public());
        // A group S3 may add later is everyone until known better.
        assert!(Grantee::of_uri("http://acs.amazonaws.com/groups/global/Someone").public());
        assert_eq!(
            Grantee::Email("ops@example.com".into()).principal(),
            json!({"AWS": "(the account of ops@example.com)"})
        );
    }
}
