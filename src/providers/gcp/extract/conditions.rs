//! IAM conditions are compared by their text: the same expression is the same grant and a
//! removed one widens, but a binding whose expression was rewritten may allow more, less or
//! the same, and privdiff cannot tell which.

use super::bindings::Binding;
use super::parts::Members;
use std::collections::{HashMap, HashSet};

/// One member's grant of one role on one resource, under one condition expression.
pub type Key = (String, String, String, String);

/// The after side's conditional grants whose expression was rewritten: the same member, role
/// and resource were granted before only under other expressions. A grant that was also held
/// before without a condition, or under the same expression, is compared as usual (it is not
/// wider than before, whatever the new expression says).
pub fn rewritten(before: &[Binding], after: &[Binding]) -> HashSet<Key> {
    // (member, role, resource) → the expressions it was granted under before (`None`: none).
    let mut was: HashMap<(&str, &str, &str), HashSet<Option<&str>>> = HashMap::new();
    for b in before.iter().filter(|b| b.unknown.is_none()) {
        for m in known(b) {
            was.entry((m, &b.role, &b.resource))
                .or_default()
                .insert(b.condition.as_ref().map(|c| c.expression.as_str()));
        }
    }
    let mut out = HashSet::new();
    for b in after.iter().filter(|b| b.unknown.is_none()) {
        let Some(c) = &b.condition else { continue };
        for m in known(b) {
            let Some(old) = was.get(&(m, b.role.as_str(), b.resource.as_str())) else {
                continue;
            };
            if !old.contains(&None) && !old.contains(&Some(c.expression.as_str())) {
                out.insert((
                    m.to_string(),
                    b.role.clone(),
                    b.resource.clone(),
                    c.expression.clone(),
                ));
            }
        }
    }
    out
}

fn known(b: &Binding) -> impl Iterator<Item = &str> {
    let list: &[String] = match &b.members {
        Members::Known(m) => m,
        _ => &[],
    };
    list.iter().map(String::as_str)
}
