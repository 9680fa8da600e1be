//! What each identity can newly become: the paths between identities that the change opens,
//! and what each adds to the identity's reach.
//!
//! On each side of the plan, the "can become" graph links the plan's identities of each cloud:
//! AWS roles and users by `sts:AssumeRole` ([`graph`]) and by `iam:PassRole` to new compute
//! ([`pass`]), and any identity to another by a request its own grants allow on it, an access
//! key, a token, a pod ([`grant`]). An identity's effective scope is its own scope and the
//! scopes of every identity it can reach in the graph. A path is reported when the change makes a target
//! reachable that was not before and the target's permissions after the change add to the
//! identity's effective scope before it ([`gain`]): the shortest chain after the change, one
//! request per hop, and the plan resources that opened its new hops. A target that was already
//! reachable stays quiet, however it is reached now. See `docs/paths.md`.

mod gain;
mod grant;
mod graph;
mod pass;

use crate::compare::evaluate;
use crate::compare::Limits;
use crate::diff::to_witness;
use crate::model::sensitive::{hides_examples, redact_witness};
use crate::model::vocabulary::Vocabulary;
use crate::model::Request;
use crate::model::{Decision, Extracted, IdentityScopes, Provider, ScopeKind};
use crate::plan::side::Side;
use crate::providers::aws::extract::{ROLE, USER};
use crate::providers::kubernetes::extract as kubernetes;
use crate::providers::Words;
use crate::report::{Hop, Path};
use graph::{allowing, Edge, Graph, Nodes, Via};
use std::collections::{BTreeSet, HashMap};

/// Hops in a path at most: longer chains are not followed.
pub const MAX_HOPS: usize = 6;

/// Targets whose gain is worked out at most, per plan and cloud: each costs a comparison of
/// about a millisecond. Past it, a plan note counts the targets left out.
const MAX_GAINS: usize = 500;

/// The paths found, by the address of the identity that gains, and what the search left out.
#[derive(Debug, Default)]
pub struct Found {
    pub paths: HashMap<String, Vec<Path>>,
    pub notes: Vec<String>,
}

/// The new paths between the plan's identities, cloud by cloud: AWS roles and users, GCP
/// members and service accounts, Azure principals and user-assigned identities, Kubernetes
/// subjects and service accounts.
pub fn find(found: &Extracted, words: &Words, limits: &Limits) -> Found {
    let mut out = Found::default();
    let mut left_out = 0;
    let mut unchecked = 0;
    for provider in Provider::ALL {
        let ids: Vec<&IdentityScopes> = found
            .identities
            .iter()
            .filter(|i| i.provider == provider && becomes(i))
            .collect();
        if ids.len() < 2 {
            continue;
        }
        let nodes = Nodes::new(provider, ids, &found.accounts);
        let (u, l) = find_in(&nodes, words.of(provider), limits, &mut out);
        unchecked += u;
        left_out += l;
    }
    if unchecked > 0 {
        out.notes.push(format!(
            "{unchecked} possible links between the plan's identities (one becoming another) were not checked (analysis budget): paths through them are not reported"
        ));
    }
    if left_out > 0 {
        out.notes.push(format!(
            "what {left_out} identities newly reachable from others would add was not worked out (analysis budget); they are not reported"
        ));
    }
    out
}

/// Whether an identity is a node of the graph: one that can make a request, or that another
/// can become. AWS groups, and placeholders for subjects known only after apply, are not.
fn becomes(id: &IdentityScopes) -> bool {
    match id.provider {
        Provider::Aws => id.kind == ROLE || id.kind == USER,
        Provider::Kubernetes => id.kind != kubernetes::SUBJECTS,
        _ => true,
    }
}

/// The new paths between `nodes`, into `out`; the candidates left unchecked and the targets
/// left unweighed.
fn find_in(
    nodes: &Nodes,
    words: &dyn Vocabulary,
    limits: &Limits,
    out: &mut Found,
) -> (usize, usize) {
    let before = Graph::build(nodes, Side::Before, words, limits);
    let after = Graph::build(nodes, Side::After, words, limits);
    let unchecked = before.unchecked + after.unchecked;
    if after.edges.iter().all(Vec::is_empty) {
        return (unchecked, 0);
    }
    // Every new target of every identity first, so that the budget goes to the likeliest
    // administrators and the shortest paths wherever they are.
    struct Reached {
        now: Tree,
        parts: Vec<(usize, Side)>,
    }
    let admin: Vec<bool> = nodes.ids.iter().map(|id| gain::may_be_admin(id)).collect();
    let mut marks = Marks::new(nodes.ids.len());
    let next = (Adjacency::of(&before), Adjacency::of(&after));
    let mut reached: HashMap<usize, Reached> = HashMap::new();
    // Weighed first: likely administrators, then each identity's nearest targets in turn, so
    // that the budget is shared among the identities rather than spent on the first.
    let mut targets: Vec<(bool, usize, usize, usize, usize)> = Vec::new();
    for a in 0..nodes.ids.len() {
        if after.edges[a].is_empty() {
            continue;
        }
        let now = tree(&next.1, a, &mut marks);
        let then = match nodes.ids[a].before.exists {
            true => tree(&next.0, a, &mut marks),
            false => Tree(vec![(a, Step::START)]),
        };
        let mut new: Vec<(bool, usize, usize)> = now
            .0
            .iter()
            .filter(|(b, _)| then.get(*b).is_none())
            .map(|&(b, step)| (!admin[b], step.depth, b))
            .collect();
        if new.is_empty() {
            continue;
        }
        new.sort_unstable();
        targets.extend(
            new.into_iter()
                .enumerate()
                .map(|(turn, (not_admin, depth, b))| (not_admin, turn, depth, a, b)),
        );
        // The identity first: its own scope is what the others are weighed against.
        let parts: Vec<(usize, Side)> = std::iter::once(a)
            .chain(then.0.iter().map(|&(n, _)| n).filter(|&n| n != a))
            .map(|n| (n, Side::Before))
            .collect();
        reached.insert(a, Reached { now, parts });
    }
    targets.sort_unstable();
    let left_out = targets.len().saturating_sub(MAX_GAINS);
    let mut weighed: Vec<(usize, Path)> = Vec::new();
    for &(_, _, _, a, b) in targets.iter().take(MAX_GAINS) {
        let r = &reached[&a];
        let edges = chain(&r.now, &after, a, b);
        // What the identity holds itself after the change is not gained through the path.
        let mut parts = r.parts.clone();
        parts.push((a, Side::After));
        parts.extend(
            edges[..edges.len() - 1]
                .iter()
                .map(|(_, e)| (e.to, Side::After)),
        );
        // A gain past the budget is not a gain of nothing: the path is reported, its gain
        // unknown.
        let (gained, gain_unknown) = match gain::gained(nodes, &parts, b, words, limits) {
            Ok(g) if g.is_empty() => continue,
            Ok(g) => (g, false),
            Err(_) => (Vec::new(), true),
        };
        let hops = edges
            .into_iter()
            .map(|(from, edge)| hop(nodes, (&before, &after), from, edge))
            .collect::<Vec<_>>();
        let mut opened_by: Vec<String> = Vec::new();
        for h in &hops {
            for r in &h.opened_by {
                if !opened_by.contains(r) {
                    opened_by.push(r.clone());
                }
            }
        }
        let path = Path {
            target: nodes.ids[b].address.clone(),
            hops,
            gained,
            gain_unknown,
            opened_by,
            // The caller classifies the target, with its cloud's routes.
            administrator: false,
            had: parts
                .iter()
                .map(|&(n, side)| (nodes.ids[n].address.clone(), side))
                .collect(),
        };
        weighed.push((a, path));
    }
    // In the identity's order of targets: the shortest first.
    weighed.sort_by_key(|(a, p)| (*a, p.hops.len()));
    for (a, path) in weighed {
        out.paths
            .entry(nodes.ids[a].address.clone())
            .or_default()
            .push(path);
    }
    (unchecked, left_out)
}

/// How a node was first reached in a breadth-first search.
#[derive(Debug, Clone, Copy)]
struct Step {
    depth: usize,
    /// The node it was reached from and the index of the edge, for all but the start.
    via: Option<(usize, usize)>,
}

impl Step {
    const START: Step = Step {
        depth: 0,
        via: None,
    };
}

/// The nodes a search reached, each with its step, sorted by node.
struct Tree(Vec<(usize, Step)>);

impl Tree {
    fn get(&self, n: usize) -> Option<&Step> {
        let i = self.0.binary_search_by_key(&n, |(m, _)| *m).ok()?;
        Some(&self.0[i].1)
    }
}

/// Which nodes the current search has seen: a stamp per node, so that a plan's many searches
/// share one array and none hashes.
struct Marks {
    seen: Vec<u32>,
    stamp: u32,
}

impl Marks {
    fn new(nodes: usize) -> Marks {
        Marks {
            seen: vec![0; nodes],
            stamp: 0,
        }
    }

    /// Starts a search: every node unseen.
    fn next(&mut self) -> u32 {
        if self.stamp == u32::MAX {
            self.seen.fill(0);
            self.stamp = 0;
        }
        self.stamp += 1;
        self.stamp
    }
}

/// The targets of a graph's edges, by caller, in the order of its edges: what a search reads,
/// without the rest of each edge (a dense graph's searches read every edge many times).
struct Adjacency(Vec<Vec<u32>>);

impl Adjacency {
    fn of(graph: &Graph) -> Adjacency {
        Adjacency(
            graph
                .edges
                .iter()
                .map(|es| es.iter().map(|e| e.to as u32).collect())
                .collect(),
        )
    }
}

/// Every node `start` reaches in `graph` within [`MAX_HOPS`], itself included, each by a
/// shortest chain (the first found, edges in order).
fn tree(graph: &Adjacency, start: usize, marks: &mut Marks) -> Tree {
    let stamp = marks.next();
    marks.seen[start] = stamp;
    // In the order reached: the search's queue, then its result.
    let mut order = vec![(start, Step::START)];
    let mut i = 0;
    while let Some(&(n, step)) = order.get(i) {
        i += 1;
        if step.depth == MAX_HOPS {
            continue;
        }
        for (k, &to) in graph.0[n].iter().enumerate() {
            let to = to as usize;
            if marks.seen[to] == stamp {
                continue;
            }
            marks.seen[to] = stamp;
            order.push((
                to,
                Step {
                    depth: step.depth + 1,
                    via: Some((n, k)),
                },
            ));
        }
    }
    order.sort_unstable_by_key(|(n, _)| *n);
    Tree(order)
}

/// The edges from `start` to `end` in `tree`, in order.
fn chain<'g>(tree: &Tree, graph: &'g Graph, start: usize, end: usize) -> Vec<(usize, &'g Edge)> {
    let mut out = Vec::new();
    let mut n = end;
    while n != start {
        let Some((from, k)) = tree.get(n).and_then(|s| s.via) else {
            break;
        };
        out.push((from, &graph.edges[from][k]));
        n = from;
    }
    out.reverse();
    out
}

/// A hop as the report shows it: its request and, when the hop is new, the resources that
/// opened it.
fn hop(nodes: &Nodes, (before, after): (&Graph, &Graph), from: usize, edge: &Edge) -> Hop {
    let (caller, target) = (nodes.ids[from], nodes.ids[edge.to]);
    let request = after.request(nodes, from, edge);
    let hidden = hides_examples(caller) || hides_examples(target);
    let shown = |id: &IdentityScopes, kind: ScopeKind, r: &Request| {
        let mut w = to_witness(id, kind, r);
        if hidden {
            redact_witness(&mut w);
        }
        w
    };
    // A hop existed when the caller could become the target before, in any way.
    let existed = before.edges[from].iter().any(|e| e.to == edge.to);
    let (kind, via, with) = match &edge.via {
        Via::Assume => ("assume-role", None, &[][..]),
        Via::Pass { route, with } => ("pass-role", Some(pass::label(*route)), &with[..]),
        Via::Grant { way, with, .. } => {
            let way = &grant::WAYS[*way];
            (way.edge, Some(way.label.to_string()), &with[..])
        }
    };
    let with = with
        .iter()
        .map(|r| shown(caller, ScopeKind::Permissions, r))
        .collect();
    let request_shown = match edge.via {
        Via::Assume => shown(target, ScopeKind::Trust, &request),
        Via::Pass { .. } | Via::Grant { .. } => shown(caller, ScopeKind::Permissions, &request),
    };
    Hop {
        from: caller.address.clone(),
        to: target.address.clone(),
        edge: kind,
        via,
        request: request_shown,
        with,
        opened_by: match existed {
            true => Vec::new(),
            false => opened_by(caller, target, edge, &request),
        },
    }
}

/// The plan resources that opened a new hop: those behind the trust statements that admit it
/// when the trust did not admit it before, and those behind the caller's permissions when they
/// did not allow it before (an identity new in the plan, itself).
fn opened_by(
    caller: &IdentityScopes,
    target: &IdentityScopes,
    edge: &Edge,
    request: &Request,
) -> Vec<String> {
    // The caller's requests: the hop's own, and the compute it creates and runs.
    let mut own: Vec<&Request> = vec![request];
    if let Via::Pass { with, .. } | Via::Grant { with, .. } = &edge.via {
        own.extend(with.iter());
    }
    // The trust's request: by the caller, or by the compute's service for a pass. A grant's
    // hop asks nothing of the target but to exist.
    let trusted = match &edge.via {
        Via::Assume => Some(request.clone()),
        Via::Pass { route, .. } => Some(Request {
            principal: format!("Service:{}", pass::service(*route)),
            action: graph::ASSUME_ROLE.to_string(),
            resource: request.resource.clone(),
            context: Vec::new(),
        }),
        Via::Grant { .. } => None,
    };
    fn scopes(id: &IdentityScopes, trust: bool, side: Side) -> Option<&crate::model::Scope> {
        let s = id.side(side);
        match trust {
            true => s.trust.as_ref().filter(|_| s.exists),
            false => Some(&s.permissions).filter(|_| s.exists),
        }
    }
    let allowed_before = |id: &IdentityScopes, trust: bool, r: &Request| {
        scopes(id, trust, Side::Before).is_some_and(|sc| evaluate(sc, r) == Decision::Allowed)
    };
    let origins = |id: &IdentityScopes, trust: bool, rs: &[&Request]| {
        scopes(id, trust, Side::After).map_or_else(BTreeSet::new, |sc| {
            rs.iter().flat_map(|r| allowing(sc, r)).collect()
        })
    };
    fn add(out: &mut Vec<String>, id: &IdentityScopes, origins: &BTreeSet<usize>) {
        let mut push = |r: &String| {
            if !out.contains(r) {
                out.push(r.clone());
            }
        };
        if !id.before.exists {
            push(&id.address);
        }
        for &o in origins {
            match id.origins[o].resources.as_slice() {
                [] => push(&id.address),
                resources => resources.iter().for_each(&mut push),
            }
        }
    }
    let trust = trusted
        .as_ref()
        .map_or_else(BTreeSet::new, |t| origins(target, true, &[t]));
    // The caller's grants behind its requests that are new, or behind all of them when none is.
    let fresh: Vec<&Request> = own
        .iter()
        .copied()
        .filter(|r| !allowed_before(caller, false, r))
        .collect();
    let mine = match (edge.needs_caller, fresh.is_empty()) {
        (false, _) => BTreeSet::new(),
        (true, false) => origins(caller, false, &fresh),
        (true, true) => origins(caller, false, &own),
    };
    let mut out: Vec<String> = Vec::new();
    let newly_trusting = match &trusted {
        Some(t) => !allowed_before(target, true, t),
        None => !target.before.exists,
    };
    if newly_trusting {
        add(&mut out, target, &trust);
    }
    if edge.needs_caller && !fresh.is_empty() {
        add(&mut out, caller, &mine);
    }
    if out.is_empty() {
        add(&mut out, target, &trust);
        add(&mut out, caller, &mine);
    }
    out
}
