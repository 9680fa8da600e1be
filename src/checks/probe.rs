//! Whether a scope allows some action of a list on the resources a part asks for, with the
//! request that shows it. Answered exactly by the scope comparison: the scope is cut down to
//! those actions and resources by two Deny statements, and whatever it still allows (that an
//! empty scope does not) is an example.

use crate::catalog::aws::{catalog, fill_arn};
use crate::compare::{compare, evaluate, Limits};
use crate::model::names::marked;
use crate::model::pattern::action_matches_ignoring_case;
use crate::model::route::On;
use crate::model::{Decision, Effect, IdentityScopes, Match, PlanNames, Request, Scope, Statement};
use crate::providers::aws::arn::is_account;
use crate::providers::aws::extract::{ROLE, USER};
use crate::providers::aws::vocabulary::Aws;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

/// What stands for "a name the policy does not single out" in a resource ARN.
const ANY_NAME: &str = "<any-name>";

/// Which resources a part asks for, as [`On`] says (a place is not searched for).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Wanted {
    Some,
    Any,
    AnyOrSelf,
    AnyOf(&'static [&'static str]),
}

/// A part: its actions and the resources it asks for.
type PartKey = (Vec<String>, Wanted);

/// Resource patterns that name the identity itself (for [`On::AnyOrSelf`]), and its AWS
/// account when one is known: the account of its ARN, else the plan's, when it has one.
pub fn own(id: &IdentityScopes, accounts: &BTreeSet<String>) -> (Vec<String>, Option<String>) {
    let own = own_arns(id);
    let account = own
        .first()
        .and_then(|arn| arn.split(':').nth(4))
        .filter(|a| is_account(a))
        .map(str::to_string)
        .or_else(|| {
            (accounts.len() == 1)
                .then(|| accounts.iter().next().cloned())
                .flatten()
        });
    (own, account)
}

fn own_arns(id: &IdentityScopes) -> Vec<String> {
    if let Some(arn) = id.after.arn.as_ref().or(id.before.arn.as_ref()) {
        return vec![arn.clone()];
    }
    let kind = match id.kind {
        ROLE => "role",
        USER => "user",
        _ => return Vec::new(),
    };
    match id.after.name.as_ref().or(id.before.name.as_ref()) {
        // Open fields end in `?` so that they stay inside their ARN segment (see `fill`).
        Some(name) if !name.contains(['*', '?', '$']) => vec![
            format!("arn:a*?:iam::????????????:{kind}/{name}"),
            format!("arn:a*?:iam::????????????:{kind}/*/{name}"),
        ],
        _ => Vec::new(),
    }
}

pub struct Probe<'l> {
    scope: Scope,
    /// Patterns of the identity's own ARN, for [`On::AnyOrSelf`].
    own: Vec<String>,
    /// The identity's AWS account, when known: examples name it.
    account: Option<String>,
    /// The words of examples: what the plan calls its resources, partition, region and account.
    words: Aws,
    limits: &'l Limits,
    /// A part recurs across routes (`iam:PassRole` on any role) and sides: asked once.
    memo: RefCell<HashMap<PartKey, Option<Request>>>,
}

impl<'l> Probe<'l> {
    pub fn new(
        scope: Scope,
        own: Vec<String>,
        account: Option<String>,
        limits: &'l Limits,
    ) -> Probe<'l> {
        Probe {
            scope,
            own,
            account,
            words: Aws::default(),
            limits,
            memo: RefCell::new(HashMap::new()),
        }
    }

    /// The probe with examples in the plan's partition and region (and its account, where the
    /// identity's is not known).
    pub fn in_plan(self, names: &Arc<PlanNames>) -> Probe<'l> {
        Probe {
            words: Aws::new(names),
            ..self
        }
    }

    /// The scope searched.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// One allowed request per part, when every part is allowed.
    #[cfg(test)]
    pub fn holds(&self, parts: &[(Vec<String>, On)]) -> Option<Vec<Request>> {
        parts.iter().map(|(a, on)| self.part(a, *on)).collect()
    }

    /// An allowed request of some action of `actions` on the resources `on` asks for.
    pub fn part(&self, actions: &[String], on: On) -> Option<Request> {
        let on = match on {
            On::Some => Wanted::Some,
            On::Any => Wanted::Any,
            On::AnyOrSelf => Wanted::AnyOrSelf,
            On::AnyOf(types) => Wanted::AnyOf(types),
            On::At(_) => return None,
        };
        let key = (actions.to_vec(), on);
        if let Some(hit) = self.memo.borrow().get(&key) {
            return hit.clone();
        }
        let found = self.search(actions, on);
        self.memo.borrow_mut().insert(key, found.clone());
        found
    }

    fn search(&self, actions: &[String], on: Wanted) -> Option<Request> {
        // Most parts name actions no Allow statement mentions: no search for those.
        let candidates: Vec<&String> = actions
            .iter()
            .filter(|a| {
                let a = a.to_ascii_lowercase();
                // `names`, not `may_allow`: the wildcard check is made once here, not once per
                // statement (a policy may hold a million).
                a.contains(['*', '?'])
                    || self
                        .scope
                        .statements
                        .iter()
                        .any(|st| st.effect == Effect::Allow && names(st, &a))
            })
            .collect();
        if candidates.is_empty() {
            return None;
        }
        for action in candidates {
            // An action the catalog does not know (or a pattern) is taken on any resource.
            let mut within = self.resources(action, on).unwrap_or_default();
            if on == Wanted::AnyOrSelf && !within.is_empty() {
                within.extend(self.own.iter().cloned());
            }
            let within = (!within.is_empty()).then_some(within);
            if let Some(r) = self.run(action, within.as_deref(), on != Wanted::Some) {
                return Some(r);
            }
        }
        None
    }

    /// The first request of the scope restricted to `action` (and to resources matching
    /// `within`). A search over the analysis budget finds nothing.
    fn run(&self, action: &str, within: Option<&[String]>, any_name: bool) -> Option<Request> {
        let lower = action.to_ascii_lowercase();
        let literal = !lower.contains(['*', '?']);
        // For one action, a statement either applies to it or not: it is rewritten to name that
        // action alone, which spares the search every other action its patterns cover (all of
        // them, for `*`).
        let only = |st: &Statement| -> Option<Statement> {
            if !literal {
                return (st.effect == Effect::Deny || may_allow(st, &lower)).then(|| st.clone());
            }
            names(st, &lower).then(|| Statement {
                actions: Match::new(false, vec![(lower.clone(), action.to_string())]),
                ..st.clone()
            })
        };
        let mut statements: Vec<Statement> =
            self.scope.statements.iter().filter_map(only).collect();
        let not = |v: Vec<(String, String)>| Match::new(true, v);
        if !literal {
            statements.push(deny(
                not(vec![(lower.clone(), action.to_string())]),
                Match::any(),
            ));
        }
        if let Some(globs) = within {
            statements.push(deny(
                Match::any(),
                not(globs.iter().map(|g| (g.clone(), g.clone())).collect()),
            ));
        }
        let boundary = self.scope.boundary.as_ref().map(|b| {
            if literal {
                b.iter().filter_map(only).collect()
            } else {
                b.clone()
            }
        });
        let cut = Scope {
            statements,
            boundary,
        };
        let delta = compare(&Scope::default(), &cut, self.limits, &self.words).ok()?;
        let mut r = delta.witness()?.clone();
        self.tidy(&mut r, &cut, any_name);
        Some(r)
    }

    /// ARN patterns of the resources `action` takes (of the types `on` names, if it does): on
    /// *some* resource, of every name in any partition, region and account; on *any*, of one
    /// arbitrary name (a policy allows it only when its pattern covers every name) in each of
    /// [`Probe::places`]. For an action that takes only `*`, the literal `*`; `None` for an
    /// action the catalog does not know.
    fn resources(&self, action: &str, on: Wanted) -> Option<Vec<String>> {
        let c = catalog();
        let a = c.action(action)?;
        if a.wildcard_only {
            // IAM grants such an action only through `"Resource": "*"`: the request's resource
            // is the literal `*`.
            return Some(vec!["${*}".to_string()]);
        }
        let wanted = |t: &str| match on {
            Wanted::AnyOf(types) => types.iter().any(|n| n.eq_ignore_ascii_case(t)),
            _ => true,
        };
        let templates = a
            .resource_types
            .iter()
            .filter(|t| wanted(t.name))
            .filter_map(|t| c.resource_type(a.service, t.name))
            .flat_map(|t| t.arn_patterns.iter());
        let mut out = Vec::new();
        for t in templates {
            if on == Wanted::Some {
                out.push(fill(t, "*"));
                continue;
            }
            for [partition, region, account] in self.places(arn_service(t)) {
                let arn = fill_arn(t, &partition, &region, &account, ANY_NAME);
                if !out.contains(&arn) {
                    out.push(arn);
                }
            }
        }
        Some(out)
    }

    /// Where a resource of `service` (its ARN's service field) with an arbitrary name is
    /// looked for: the partition, region and account of each of the identity's ARN patterns
    /// for that service that names them (an open field takes AWS's documentation value, the
    /// account the identity's own), and those defaults themselves. Concrete values, because an
    /// open field in the pattern looked for (`?`) could match a colon and let a pattern for
    /// another type of resource pass for "any".
    fn places(&self, service: &str) -> Vec<[String; 3]> {
        let names = self.words.names();
        let default = [
            names.place("Partition").unwrap_or("aws").to_string(),
            names
                .place("Region")
                .map_or_else(|| marked("Region"), str::to_string),
            match self.account.as_deref().or(names.place("Account")) {
                Some(a) => a.to_string(),
                None => marked("Account"),
            },
        ];
        let mut out = vec![default.clone()];
        let literal = |f: &str| !f.is_empty() && !f.contains(['*', '?', '$']);
        let patterns = self
            .scope
            .statements
            .iter()
            .filter(|st| st.effect == Effect::Allow && !st.resources.negated)
            .flat_map(|st| st.resources.patterns.iter());
        for p in patterns {
            let f: Vec<&str> = p.splitn(6, ':').collect();
            if f.len() < 6 || f[0] != "arn" || !f[2].eq_ignore_ascii_case(service) {
                continue;
            }
            let place = [(1, 0), (3, 1), (4, 2)].map(|(i, d)| {
                if literal(f[i]) {
                    f[i].to_string()
                } else {
                    default[d].clone()
                }
            });
            // A handful is enough: a policy names few accounts and regions.
            if !out.contains(&place) && out.len() < 16 {
                out.push(place);
            }
        }
        out
    }

    /// Makes an example read like a real request: the action as AWS spells it, and the
    /// resource an ARN of the action's own shape, with the partition, region and account of
    /// the identity's policies (or the identity's own account, or AWS's documentation values)
    /// where the scope still allows the result. The search itself may fill open fields with
    /// anything, colons included.
    fn tidy(&self, r: &mut Request, cut: &Scope, any_name: bool) {
        let Some(a) = catalog().action(&r.action) else {
            return;
        };
        r.action = format!("{}:{}", a.service, a.name);
        if a.wildcard_only {
            return;
        }
        let c = catalog();
        // The plainest shape first: `bucket/key` before an access point's object.
        let mut templates: Vec<&str> = a
            .resource_types
            .iter()
            .filter_map(|t| c.resource_type(a.service, t.name))
            .flat_map(|t| t.arn_patterns.iter().copied())
            .collect();
        templates.sort_by_key(|t| t.matches("${").count());
        if !any_name {
            self.tidy_fields(r, cut);
            return;
        }
        for t in templates {
            // The identity's own places first, the documentation values last.
            for [partition, region, account] in self.places(arn_service(t)).iter().rev() {
                let resource = fill_arn(t, partition, region, account, ANY_NAME);
                let candidate = Request {
                    resource,
                    ..r.clone()
                };
                if evaluate(cut, &candidate) == Decision::Allowed {
                    *r = candidate;
                    return;
                }
            }
        }
    }

    /// Replaces the partition, region and account of an ARN example one by one, where the
    /// scope still allows the result: the name the search chose stays.
    fn tidy_fields(&self, r: &mut Request, cut: &Scope) {
        let mut best: Vec<String> = r.resource.splitn(6, ':').map(str::to_string).collect();
        if best.len() < 6 || best[0] != "arn" {
            return;
        }
        let places = self.places(&best[2]);
        for (i, field) in [(1, 0), (3, 1), (4, 2)] {
            if best[i].is_empty() {
                continue;
            }
            // The identity's own values first, the documentation values last.
            let mut options: Vec<&String> = Vec::new();
            for p in places.iter().rev() {
                if !options.contains(&&p[field]) {
                    options.push(&p[field]);
                }
            }
            for value in options {
                let mut tried = best.clone();
                tried[i] = value.clone();
                let candidate = Request {
                    resource: tried.join(":"),
                    ..r.clone()
                };
                if evaluate(cut, &candidate) == Decision::Allowed {
                    best = tried;
                    break;
                }
            }
        }
        r.resource = best.join(":");
    }
}

/// The service field of an ARN pattern: `iam` for `arn:${Partition}:iam::${Account}:role/…`.
fn arn_service(pattern: &str) -> &str {
    pattern.split(':').nth(2).unwrap_or("")
}

/// Whether `st` applies to `action` (lower case, no wildcard), whatever its effect.
fn names(st: &Statement, action: &str) -> bool {
    let any = |m: &Match| {
        m.patterns
            .iter()
            .any(|p| action_matches_ignoring_case(p, action))
    };
    // An Azure `NotActions` pattern takes the action out of this statement only.
    any(&st.actions) != st.actions.negated && !st.except.as_ref().is_some_and(any)
}

/// Whether `st` is an Allow whose actions may include `action` (lower case; a pattern
/// counts when it may overlap).
fn may_allow(st: &Statement, action: &str) -> bool {
    if st.effect != Effect::Allow {
        return false;
    }
    // A wildcard part may overlap any statement; a literal one is covered or not.
    action.contains(['*', '?']) || names(st, action)
}

fn deny(actions: Match, resources: Match) -> Statement {
    Statement {
        effect: Effect::Deny,
        principals: Match::any(),
        actions,
        resources,
        conditions: Rc::from([]),
        except: None,
        condition_text: Rc::from([]),
        origin: usize::MAX,
    }
}

/// `arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}` → `arn:a*?:iam::????????????:role/*`
/// with `name` `*`: every resource of the type.
fn fill(pattern: &str, name: &str) -> String {
    // A `*` that ends an ARN segment may match past the colons after it, so the open fields
    // end in `?`.
    fill_arn(pattern, "a*?", "*?", "????????????", name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An Allow of `actions` minus `except` on everything.
    fn allow(actions: &[&str], except: &[&str]) -> Statement {
        let m = |l: &[&str]| {
            Match::new(
                false,
                l.iter().map(|a| (a.to_string(), a.to_string())).collect(),
            )
        };
        Statement {
            effect: Effect::Allow,
            except: (!except.is_empty()).then(|| m(except)),
            ..deny(m(actions), Match::any())
        }
    }

    #[test]
    fn a_subtracted_action_is_neither_named_nor_allowed() {
        let st = allow(&["iam:*"], &["iam:passrole"]);
        assert!(names(&st, "iam:createrole"));
        assert!(!names(&st, "iam:passrole"));
        assert!(may_allow(&st, "iam:createrole"));
        assert!(!may_allow(&st, "iam:passrole"));
        // A pattern part may overlap what is left.
        assert!(may_allow(&st, "iam:pass*"));
    }
}
