//! Whose an identity is: the owner its tags or labels name (`Team = platform`), so that every
//! widening reaches a reviewer with the team to ask.

use crate::plan::refs::Address;
use crate::plan::side::{key, Obj, Side, Step, World};
use crate::plan::Plan;
use crate::report::{IdentityReport, Owner};
use std::collections::{HashMap, HashSet};

/// Tag and label keys that name an owner, the first found winning; compared without case.
pub const DEFAULT_KEYS: &[&str] = &[
    "owner",
    "team",
    "owning-team",
    "owning_team",
    "owner-team",
    "owner_team",
    "team-name",
    "team_name",
];

/// Sets the owner of each subject the plan manages whose tags or labels name one with `keys`
/// (the defaults when empty). The planned tags win; tags known only after apply leave the
/// prior ones. Each side is read once, for the subjects' resource types only.
pub fn assign<'r>(
    plan: &Plan,
    subjects: impl IntoIterator<Item = &'r mut IdentityReport>,
    keys: &[String],
) {
    let mut subjects: Vec<&mut IdentityReport> =
        subjects.into_iter().filter(|s| s.managed_in_plan).collect();
    let keys: Vec<String> = match keys.is_empty() {
        true => DEFAULT_KEYS.iter().map(|k| k.to_string()).collect(),
        false => keys.iter().map(|k| k.to_lowercase()).collect(),
    };
    let wanted: HashSet<String> = subjects
        .iter()
        .filter_map(|s| resource_type(&s.address))
        .collect();
    if wanted.is_empty() {
        return;
    }
    let wants = |kind: &str| wanted.contains(kind);
    let worlds = [Side::After, Side::Before].map(|side| World::build(plan, side, &wants));
    let by_address: [HashMap<&str, &Obj>; 2] = [0, 1].map(|i| {
        worlds[i]
            .objs
            .iter()
            .filter(|o| !o.data)
            .map(|o| (o.address, o))
            .collect()
    });
    for s in subjects.iter_mut() {
        s.owner = by_address
            .iter()
            .find_map(|side| owner_of(side.get(s.address.as_str())?, &keys));
    }
}

/// `aws_iam_role` of `module.m.aws_iam_role.r[0]`.
fn resource_type(address: &str) -> Option<String> {
    let a = Address::parse(address)?;
    let (kind, _) = a.local.split_once('.')?;
    (kind != "data").then(|| kind.to_string())
}

fn owner_of(obj: &Obj, keys: &[String]) -> Option<Owner> {
    let metadata_labels = [Step::Key("metadata"), Step::Index(0), Step::Key("labels")];
    let places: [(&[Step], &str); 4] = [
        (&key("tags"), "tag"),
        (&key("tags_all"), "tag"),
        (&key("labels"), "label"),
        (&metadata_labels, "label"),
    ];
    for k in keys {
        for (path, word) in places {
            // A sensitive value is never read; one known only after apply says nothing yet.
            if obj.is_sensitive(path) || obj.is_unknown(path) {
                continue;
            }
            let Some(serde_json::Value::Object(map)) = obj.get(path) else {
                continue;
            };
            let found = map.iter().find_map(|(name, v)| {
                let v = v.as_str().filter(|v| !v.trim().is_empty())?;
                let mut at = path.to_vec();
                at.push(Step::Key(name));
                let hidden = obj.is_sensitive(&at);
                (name.eq_ignore_ascii_case(k) && !hidden).then_some((name, v))
            });
            if let Some((name, value)) = found {
                return Some(Owner {
                    name: value.to_string(),
                    source: format!("{word} {name}"),
                });
            }
        }
    }
    None
}
