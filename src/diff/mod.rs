//! Before vs after for one identity: verdict, added and removed grants, witness.

mod grants;
mod sampled;

pub use sampled::{sample, SAMPLED};

use crate::compare::{compare_both, Exhausted, Limits};
use crate::model::note::Unexpandeds;
use crate::model::sensitive::{hides_examples, redact_witness};
use crate::model::statement::cmp_meaning;
use crate::model::vocabulary::Vocabulary;
use crate::model::{
    Boundary, Credential, Effect, Grant, GrantKind, IdentityScopes, Note, PublicAccessBlock, Scope,
    ScopeKind, SideScope, Unexpanded, Verdict,
};
use crate::providers::aws::policy;
use crate::report::{Documents, IdentityReport};
use grants::special;
pub use grants::to_witness;
pub use grants::{breadth, delta_grants, Direction};

/// The comparison of one identity. `plan_work` is what is left of the plan-wide work budget
/// (`Limits::max_plan_work`); comparisons draw on it and none starts once it is spent.
pub fn identity(
    id: &IdentityScopes,
    words: &dyn Vocabulary,
    limits: &Limits,
    plan_work: &mut usize,
) -> IdentityReport {
    let (b, a) = (&id.before, &id.after);
    let mut notes = a.notes.clone();
    let mut added = Vec::new();
    let mut removed = Vec::new();
    let mut exhausted = false;
    let mut out_of_plan_budget = false;
    let mut approximate = false;
    let mut sampled_only = false;

    let (perm_old, perm_new) = boundaries(b, a, &mut added, &mut removed, &mut notes);
    let pairs = [
        (ScopeKind::Permissions, perm_old, perm_new),
        (ScopeKind::Trust, trust_of(b), trust_of(a)),
        (
            ScopeKind::Resource,
            b.resource_policy.clone().unwrap_or_default(),
            a.resource_policy.clone().unwrap_or_default(),
        ),
    ];
    for (kind, old, new) in &pairs {
        let kind = *kind;
        if old.same_statements(new) {
            continue;
        }
        if kind != ScopeKind::Trust {
            allows_nothing(id, (old, new), words, &mut notes);
        }
        if *plan_work == 0 {
            out_of_plan_budget = true;
            continue;
        }
        match compare_both(old, new, limits, words) {
            Ok((up, down)) => {
                *plan_work = plan_work.saturating_sub(up.work);
                approximate |= up.approximate;
                added.extend(delta_grants(
                    id,
                    kind,
                    (new, old),
                    &up,
                    Direction::Added,
                    words,
                ));
                removed.extend(delta_grants(
                    id,
                    kind,
                    (old, new),
                    &down,
                    Direction::Removed,
                    words,
                ));
            }
            Err(Exhausted) => {
                *plan_work = plan_work.saturating_sub(limits.max_evaluations);
                let found = sampled::sample(old, new, words);
                if found.is_empty() {
                    exhausted = true;
                } else {
                    sampled_only = true;
                    let mut grants =
                        delta_grants(id, kind, (new, old), &found, Direction::Added, words);
                    for g in &mut grants {
                        g.detail = Some(SAMPLED.into());
                    }
                    added.extend(grants);
                }
            }
        }
    }
    public_access_block(b, a, &mut added, &mut removed);
    credentials(b, a, &mut added, &mut removed);
    for u in a.not_expanded.difference(&b.not_expanded) {
        added.push(not_expanded(u, Direction::Added));
    }
    for u in b.not_expanded.difference(&a.not_expanded) {
        removed.push(not_expanded(u, Direction::Removed));
    }
    let perm_added = added.iter().any(|g| g.scope == ScopeKind::Permissions);
    if perm_added && !b.not_expanded.is_empty() {
        let all = |f: fn(&Unexpanded) -> bool| b.not_expanded.iter().all(f);
        let of = if all(|u| matches!(u, Unexpanded::Policy { .. })) {
            Unexpandeds::Policies
        } else if all(|u| matches!(u, Unexpanded::Role { .. })) {
            Unexpandeds::Roles
        } else {
            Unexpandeds::Mixed
        };
        notes.push(Note::UnexpandedBefore {
            count: b.not_expanded.len(),
            of,
        });
    }
    if sampled_only {
        notes.push(Note::Sampled);
    }
    if exhausted {
        notes.push(Note::TooComplex);
    }
    if out_of_plan_budget {
        notes.push(Note::PlanBudgetSpent);
    }
    if approximate && !added.is_empty() {
        notes.push(Note::ComparedByText);
    }

    let unknown = a.unknown.clone();
    if !unknown.is_empty() && !removed.is_empty() {
        // What a value known only after apply replaces cannot be called removed.
        removed.clear();
    }
    // A new grant privdiff cannot expand may add nothing or anything: unverifiable, unless a
    // definite widening settles the verdict anyway.
    let (undecided, definite): (Vec<&Grant>, Vec<&Grant>) =
        added.iter().partition(|g| g.is_unexpanded());
    let verdict = match (b.exists, a.exists) {
        (false, true) => Verdict::Created,
        (true, false) => Verdict::Deleted,
        _ if exhausted || out_of_plan_budget || !unknown.is_empty() || a.incomparable => {
            Verdict::Unverifiable
        }
        _ if !definite.is_empty() => Verdict::Widened,
        _ if !undecided.is_empty() => Verdict::Unverifiable,
        _ if !removed.is_empty() => Verdict::Narrowed,
        _ => Verdict::Unchanged,
    };
    if verdict == Verdict::Unverifiable && !unknown.is_empty() && !added.is_empty() {
        notes.push(Note::KnownNow);
    }
    let mut sensitive = b.sensitive.clone();
    sensitive.extend(a.sensitive.iter().cloned());
    sensitive.sort();
    sensitive.dedup();
    if hides_examples(id) {
        for g in added.iter_mut().chain(removed.iter_mut()) {
            if let Some(w) = &mut g.example {
                redact_witness(w);
            }
        }
    }
    for g in added.iter_mut().filter(|g| g.scope.names_principals()) {
        if let Some((_, old, new)) = pairs.iter().find(|(k, ..)| *k == g.scope) {
            by_principal(id, g, (old, new), words);
        }
    }
    // Stable: statements keep their policy order within one breadth.
    added.sort_by_key(|g| std::cmp::Reverse(breadth(g)));
    let witness = match verdict {
        Verdict::Deleted => None,
        _ => added.iter().find_map(|g| g.example.clone()),
    };
    let documents = if verdict == Verdict::Unchanged {
        Documents::default()
    } else {
        Documents {
            before: documents_text(b),
            after: documents_text(a),
        }
    };
    IdentityReport {
        address: id.address.clone(),
        provider: id.provider,
        kind: id.kind,
        name: a.name.clone().or_else(|| b.name.clone()),
        principal_type: a
            .principal_type
            .clone()
            .or_else(|| b.principal_type.clone()),
        owner: None,
        used_by: None,
        managed_in_plan: id.managed_in_plan,
        actions: id.actions.clone(),
        verdict,
        added,
        removed,
        witness,
        unknown,
        unknown_bound: None,
        sensitive,
        notes: notes.iter().map(Note::to_string).collect(),
        paths: Vec::new(),
        location: None,
        documents,
    }
}

/// Applies the boundary rules: a readable boundary caps its side exactly; one privdiff cannot
/// read is dropped only where that cannot hide a widening, and otherwise reported itself.
fn boundaries(
    b: &SideScope,
    a: &SideScope,
    added: &mut Vec<Grant>,
    removed: &mut Vec<Grant>,
    notes: &mut Vec<Note>,
) -> (Scope, Scope) {
    let mut old = b.permissions.clone();
    let mut new = a.permissions.clone();
    let perm = ScopeKind::Permissions;
    match (&b.boundary, &a.boundary) {
        (Boundary::NotExpanded { arn: x }, Boundary::NotExpanded { arn: y }) if x == y => {
            notes.push(Note::BoundaryLeftOut { arn: x.clone() });
        }
        (Boundary::NotExpanded { arn: s } | Boundary::Document { source: s }, Boundary::None) => {
            // With a readable old boundary, the comparison below also finds what it capped.
            added.push(special(
                perm,
                s,
                GrantKind::BoundaryRemoved,
                "the permissions boundary that capped this identity was removed".into(),
            ));
        }
        (Boundary::None, Boundary::NotExpanded { arn }) => {
            removed.push(special(
                perm,
                arn,
                GrantKind::BoundaryAdded,
                "a permissions boundary privdiff does not expand now caps this identity".into(),
            ));
        }
        (Boundary::None, Boundary::Document { source }) => {
            removed.push(special(
                perm,
                source,
                GrantKind::BoundaryAdded,
                "a permissions boundary now caps this identity".into(),
            ));
        }
        (
            Boundary::NotExpanded { .. },
            Boundary::NotExpanded { arn: y } | Boundary::Document { source: y },
        )
        | (Boundary::Document { .. }, Boundary::NotExpanded { arn: y }) => {
            added.push(special(
                perm,
                y,
                GrantKind::BoundaryChanged,
                "the permissions boundary changed to one privdiff cannot compare with the old one"
                    .into(),
            ));
        }
        _ => {}
    }
    // A boundary privdiff cannot read never stays in a comparison: on the new side it could
    // only narrow (dropping it is sound), on the old side it is reported above.
    if !matches!(b.boundary, Boundary::Document { .. })
        || !matches!(a.boundary, Boundary::Document { .. } | Boundary::None)
    {
        old.boundary = None;
    }
    if !matches!(a.boundary, Boundary::Document { .. }) {
        new.boundary = None;
    }
    (old, new)
}

/// New statements per scope checked for parts that allow nothing.
const NOTED_STATEMENTS: usize = 1_000;

/// A note for each action pattern of a new statement that meets none of the statement's
/// resources (see [`crate::compare::dead_patterns`]): the comparison rightly finds nothing
/// added there, and the reader should know why.
/// Only scopes whose statements changed are looked at.
fn allows_nothing(
    id: &IdentityScopes,
    (old, new): (&Scope, &Scope),
    words: &dyn crate::model::vocabulary::Vocabulary,
    notes: &mut Vec<Note>,
) {
    let Some(types) = words.types() else {
        return;
    };
    // Sorted by meaning, so that each new statement is looked up rather than compared with
    // every old one: a policy may hold hundreds of thousands.
    let mut before: Vec<&crate::model::Statement> = old.statements.iter().collect();
    before.sort_by(|a, b| cmp_meaning(a, b));
    // Each check searches its patterns against the catalog's formats: a generated policy of
    // thousands of new statements is not one a reviewer reads statement by statement.
    let mut checked = 0;
    for st in &new.statements {
        let origin = &id.origins[st.origin];
        let kept = before.binary_search_by(|o| cmp_meaning(o, st)).is_ok();
        if origin.sensitive || kept {
            continue;
        }
        checked += 1;
        if checked > NOTED_STATEMENTS {
            break;
        }
        for (i, formats) in crate::compare::dead_patterns(types, st) {
            let note = Note::AllowsNothing {
                source: origin.source.clone(),
                action: st.actions.display[i].clone(),
                resources: st.resources.display.to_vec(),
                takes: formats.iter().map(|&f| types.format_example(f)).collect(),
            };
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
    }
}

/// The request each principal of an added trust or resource grant would make (see
/// [`Vocabulary::principal_example`]); with one principal, its request is the grant's example.
/// A statement of everyone but some (`NotPrincipal`), or of principals that may not be
/// printed, has none.
fn by_principal(
    id: &IdentityScopes,
    g: &mut Grant,
    scopes: (&Scope, &Scope),
    words: &dyn Vocabulary,
) {
    let Some(st) = g.statement.and_then(|i| scopes.1.statements.get(i)) else {
        return;
    };
    let sensitive = id.origins.get(st.origin).is_some_and(|o| o.sensitive);
    if st.effect != Effect::Allow || st.principals.negated || sensitive {
        return;
    }
    let arn = id.after.arn.as_deref().or(id.before.arn.as_deref());
    let service = (g.scope == ScopeKind::Resource)
        .then_some(id.service.as_deref())
        .flatten();
    let example = g.example.as_ref();
    g.by_principal = g
        .principals
        .iter()
        .map(|p| {
            let e = example?;
            words.principal_example(e, p, st, scopes, (arn, service))
        })
        .collect();
    if let [Some(only)] = g.by_principal.as_slice() {
        g.example = Some(only.clone());
        // The conditions that changed are read off the example shown.
        if !g.condition_change.is_empty() {
            g.condition_change =
                grants::condition_change(id, st, scopes.0, &only.request(), Direction::Added);
        }
    }
}

/// Settings of an S3 public access block turned off (or the block removed) widen what the
/// bucket's (or account's) policies and ACLs can open; turned on, they narrow it.
fn public_access_block(
    b: &SideScope,
    a: &SideScope,
    added: &mut Vec<Grant>,
    removed: &mut Vec<Grant>,
) {
    if !(b.exists && a.exists) {
        return;
    }
    let (old, new) = (&b.public_access_block, &a.public_access_block);
    let at = |s: Option<&PublicAccessBlock>, i: usize| s.map_or(Some(false), |p| p.settings[i]);
    let mut off = Vec::new();
    let mut on = Vec::new();
    for (i, name) in PublicAccessBlock::NAMES.iter().enumerate() {
        match (at(old.as_ref(), i), at(new.as_ref(), i)) {
            (Some(true), Some(false)) => off.push(*name),
            (Some(false), Some(true)) => on.push(*name),
            _ => {}
        }
    }
    let source = new
        .as_ref()
        .or(old.as_ref())
        .map(|p| p.address.clone())
        .unwrap_or_default();
    if !off.is_empty() {
        let how = if new.is_none() {
            "public access block removed"
        } else {
            "public access block turned off"
        };
        let mut g = special(
            ScopeKind::Resource,
            &source,
            GrantKind::PublicAccessBlockDisabled,
            format!("{how}: {}", off.join(", ")),
        );
        g.addresses = vec![source.clone()];
        added.push(g);
    }
    if !on.is_empty() {
        let mut g = special(
            ScopeKind::Resource,
            &source,
            GrantKind::PublicAccessBlockEnabled,
            format!("public access block settings turned on: {}", on.join(", ")),
        );
        g.addresses = vec![source];
        removed.push(g);
    }
}

/// A long-lived credential created widens who may act as the identity (whoever holds it);
/// one deleted or deactivated narrows it. A credential created with the identity is listed too.
fn credentials(b: &SideScope, a: &SideScope, added: &mut Vec<Grant>, removed: &mut Vec<Grant>) {
    let had = |s: &SideScope, c: &Credential| s.credentials.iter().any(|o| o.address == c.address);
    for c in a.credentials.iter().filter(|c| !had(b, c)) {
        let state = if c.in_state {
            "; its secret is written to the Terraform state in plain text (no pgp_key), so whoever reads the state holds it too"
        } else {
            ""
        };
        let mut g = special(
            ScopeKind::Trust,
            &c.address,
            GrantKind::CredentialCreated,
            format!(
                "long-lived {} created: whoever holds it may act as the identity, from anywhere, until it is revoked{state}",
                c.what
            ),
        );
        g.addresses = vec![c.address.clone()];
        added.push(g);
    }
    if !a.exists {
        return;
    }
    for c in b.credentials.iter().filter(|c| !had(a, c)) {
        let mut g = special(
            ScopeKind::Trust,
            &c.address,
            GrantKind::CredentialRemoved,
            format!("{} deleted or deactivated", c.what),
        );
        g.addresses = vec![c.address.clone()];
        removed.push(g);
    }
}

fn trust_of(s: &SideScope) -> Scope {
    s.trust.clone().unwrap_or_default()
}

/// A grant privdiff cannot expand (a managed policy by ARN, or a group outside the plan),
/// attached or detached.
fn not_expanded(what: &Unexpanded, direction: Direction) -> Grant {
    let added = direction == Direction::Added;
    let (source, kind, detail) = match what {
        Unexpanded::Group { label } => (
            format!("membership of group {label} (its policies are not in this plan)"),
            GrantKind::GroupMembershipUnexpanded,
            if added {
                "new group membership; the group's policies are not in this plan, so what it grants cannot be told"
            } else {
                "group membership ended; the group's policies are not in this plan"
            },
        ),
        Unexpanded::Role { role, resource } => (
            format!("{role} on {resource}"),
            GrantKind::RoleUnexpanded,
            if added {
                "role bound that privdiff's role tables do not have (and, for a custom role, whose definition is not in this plan), so what it grants cannot be told"
            } else {
                "role unbound that privdiff's role tables do not have"
            },
        ),
        Unexpanded::Policy {
            arn,
            aws_managed: true,
        } => (
            arn.clone(),
            GrantKind::ManagedPolicyUnexpanded,
            if added {
                "AWS managed policy attached that privdiff's data does not have (newer than the data?), so what it grants cannot be told"
            } else {
                "AWS managed policy detached that privdiff's data does not have"
            },
        ),
        Unexpanded::Policy { arn, .. } => (
            arn.clone(),
            GrantKind::ManagedPolicyUnexpanded,
            if added {
                "policy attached by ARN; its document is not in this plan, so what it grants cannot be told"
            } else {
                "policy detached by ARN; its document is not in this plan"
            },
        ),
    };
    special(ScopeKind::Permissions, &source, kind, detail.into())
}

/// The normalised documents of one side, one block per source, sorted by source.
fn documents_text(s: &SideScope) -> String {
    let mut docs: Vec<_> = s.documents.iter().collect();
    docs.sort_by(|x, y| x.source.cmp(&y.source));
    let mut out = String::new();
    for d in docs {
        if d.binding && d.statements.is_some() {
            // A role binding or assignment reads as itself, as the plan writes it.
            out.push_str(&format!("{}\n", d.source));
            continue;
        }
        out.push_str(&format!("# {}\n", d.source));
        match &d.statements {
            Some(st) => {
                let v = policy::normalised(st, d.names_principals);
                out.push_str(&serde_json::to_string_pretty(&v).unwrap_or_default());
                out.push('\n');
            }
            None => out.push_str("(sensitive value not shown)\n"),
        }
    }
    for u in &s.unknown {
        out.push_str(&format!(
            "# {} {}\n(known only after apply)\n",
            u.address, u.attribute
        ));
    }
    out
}
