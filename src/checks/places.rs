//! Requests on the places an identity's grants name: for clouds whose grants are Allow
//! statements on named places (a project, a subscription, a namespace) and everything under
//! them, the requests a part is tried with are its permissions on the places the identity's own
//! statements name after the change (`projects/p`, `projects/p/example` for `projects/p/*`),
//! each then evaluated exactly against both sides.

use super::Found;
use crate::model::route::Place;
use crate::model::{Clause, Effect, Request, Scope};

/// The requests for a part's `actions` on the places `scope`'s Allow statements name that
/// `place` accepts, each with the statement's own opaque conditions holding (a conditional
/// grant still grants). Not yet evaluated: the caller keeps those the scope allows.
pub fn candidates<'s>(
    actions: &'s [String],
    place: Place,
    scope: &'s Scope,
    concrete: fn(&str) -> String,
) -> impl Iterator<Item = Found> + 's {
    actions.iter().flat_map(move |p| {
        scope
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Allow && !s.resources.negated)
            .flat_map(move |s| {
                let context: Vec<(String, String)> = s
                    .conditions
                    .iter()
                    .filter_map(|c| match c {
                        Clause::Opaque { text } => {
                            Some((format!("condition: {text}"), "holds".to_string()))
                        }
                        _ => None,
                    })
                    .collect();
                s.resources
                    .patterns
                    .iter()
                    .zip(s.resources.display.iter())
                    .filter(move |(r, _)| place(r))
                    .map(move |(r, shown)| Found {
                        request: Request {
                            principal: String::new(),
                            action: p.to_string(),
                            resource: concrete(r),
                            context: context.clone(),
                        },
                        shown: Some(concrete(shown)),
                        new: false,
                    })
            })
    })
}
