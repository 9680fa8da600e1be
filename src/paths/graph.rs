//! The "can become" graph of one side of the plan: which of the plan's AWS roles and users can
//! assume which of its roles, and the request that does it.
//!
//! Edges come from indexes, not from every pair: each role's trust policy is read once into the
//! callers it names (an ARN, an account, anyone), and each caller looks up only the roles that
//! name it or its account. A candidate is an edge when IAM would allow the request: the role's
//! trust admits the caller, and, unless the trust names the caller itself in the same account,
//! the caller's own permissions allow `sts:AssumeRole` on the role too.

use crate::compare::{compare, evaluate, statement_applies, Limits};
use crate::model::pattern::{self, Glob};
use crate::model::vocabulary::Vocabulary;
use crate::model::{
    Decision, Effect, IdentityScopes, Match, Provider, Request, Scope, SideScope, Statement,
};
use crate::plan::side::Side;
use crate::providers::aws::arn::in_arn;
use crate::providers::aws::policy::escape_literal;
use crate::providers::gcp::extract::service_account;
use crate::providers::kubernetes::extract::cluster_and_subject;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

/// The action of an `assume-role` edge, as requests name it.
pub const ASSUME_ROLE: &str = "sts:AssumeRole";

/// One way to become another identity: small, as a plan may have many.
#[derive(Debug, Clone)]
pub struct Edge {
    pub to: usize,
    /// The context of the request that makes the hop (empty for most), under which the trust
    /// allows it and, where needed, the caller's permissions do.
    pub context: Vec<(String, String)>,
    /// IAM reads the caller's own permissions for it (the trust does not name the caller itself
    /// in the same account).
    pub needs_caller: bool,
    pub via: Via,
}

/// How an edge becomes its target.
#[derive(Debug, Clone)]
pub enum Via {
    /// `sts:AssumeRole` on the role.
    Assume,
    /// `iam:PassRole` of the role to new compute the caller may create and run, which then runs
    /// as the role: the AWS route `route` (an index into `providers::aws::routes::TABLE`), with
    /// the other requests it needs.
    Pass { route: usize, with: Rc<[Request]> },
    /// A request the caller's own permissions allow on the target (`iam:CreateAccessKey` on a
    /// user, `iam.serviceAccounts.getAccessToken` on a service account): the way `way` (an
    /// index into [`super::grant::WAYS`]) by its action `action`, with the other requests it
    /// needs.
    Grant {
        way: usize,
        action: &'static str,
        with: Rc<[Request]>,
    },
}

/// The plan's identities of one cloud, indexed alike on both sides.
pub struct Nodes<'a> {
    pub provider: Provider,
    pub ids: Vec<&'a IdentityScopes>,
    /// The account to place a role or user in when the plan knows its name but not its ARN:
    /// the plan's one account, when it has exactly one.
    account: Option<String>,
}

impl<'a> Nodes<'a> {
    pub fn new(
        provider: Provider,
        ids: Vec<&'a IdentityScopes>,
        accounts: &BTreeSet<String>,
    ) -> Nodes<'a> {
        let account = match accounts.len() {
            1 => accounts.iter().next().cloned(),
            _ => None,
        };
        Nodes {
            provider,
            ids,
            account,
        }
    }

    /// The name requests give node `n` on `side` as their resource, where it can be a target:
    /// an AWS role's or user's ARN, a GCP service account's resource name, an Azure
    /// user-assigned identity's resource ID, a Kubernetes service account's object.
    pub fn name(&self, n: usize, side: Side) -> Option<String> {
        let id = self.ids[n];
        let s = id.side(side);
        if !s.exists {
            return None;
        }
        match self.provider {
            Provider::Aws => self.arn(id, s),
            Provider::Gcp => {
                let email = id.address.strip_prefix("serviceAccount:")?;
                let name = service_account(email);
                (!name.starts_with("projects/-/")).then_some(name)
            }
            Provider::Azure => match id.kind {
                crate::providers::azure::extract::KIND_USER_ASSIGNED => s.arn.clone(),
                _ => None,
            },
            Provider::Kubernetes => {
                let (_, subject) = cluster_and_subject(&id.address);
                let (ns, name) = subject
                    .strip_prefix("system:serviceaccount:")?
                    .split_once(':')?;
                Some(format!("namespaces/{ns}/{name}"))
            }
        }
    }

    /// The ARN of an AWS role or user: as the plan says it, or built from its name in the
    /// plan's one account (a role created by this plan has its ARN only after apply).
    fn arn(&self, id: &IdentityScopes, s: &SideScope) -> Option<String> {
        if let Some(arn) = &s.arn {
            return Some(arn.clone());
        }
        let kind = match id.kind {
            crate::providers::aws::extract::ROLE => "role",
            crate::providers::aws::extract::USER => "user",
            _ => return None,
        };
        Some(format!(
            "arn:aws:iam::{}:{kind}/{}",
            self.account.as_ref()?,
            s.name.as_ref()?
        ))
    }

    /// Node `n`, named `name` on the side at hand, as a request's principal: `AWS:ARN`, or
    /// the subject as its cloud names it.
    pub fn principal(&self, n: usize, name: Option<&str>) -> String {
        match self.provider {
            Provider::Aws => format!("AWS:{}", name.unwrap_or_default()),
            _ => cluster_and_subject(&self.ids[n].address).1.to_string(),
        }
    }

    /// Whether nodes `a` and `b` (with their `names` on one side) are in the same place for a
    /// request of one on the other: the same AWS account (IAM takes no request on another
    /// account's users and roles), the same Kubernetes cluster.
    pub fn together(&self, a: usize, b: usize, names: &[Option<String>]) -> bool {
        match self.provider {
            Provider::Aws => {
                let account = |n: usize| names[n].as_deref().and_then(in_arn);
                account(a).is_some() && account(a) == account(b)
            }
            Provider::Kubernetes => {
                cluster_and_subject(&self.ids[a].address).0
                    == cluster_and_subject(&self.ids[b].address).0
            }
            _ => true,
        }
    }
}

/// Who a role's trust policy names as a caller of `sts:AssumeRole`.
#[derive(Default)]
struct Trusting {
    /// By caller ARN.
    exact: HashMap<String, Vec<usize>>,
    /// By account: the trust names the account as a whole.
    account: HashMap<String, Vec<usize>>,
    /// Anyone (`*`) or everyone but some (`NotPrincipal`).
    anyone: Vec<usize>,
}

/// The edges of one side, by caller.
pub struct Graph {
    pub side: Side,
    /// Each node's name on this side ([`Nodes::name`]), as requests give it.
    pub names: Vec<Option<String>>,
    pub edges: Vec<Vec<Edge>>,
    /// Candidates left unchecked because the budget ran out.
    pub unchecked: usize,
}

/// Candidate pairs checked at most, per side. Most cost two evaluations of one request.
const MAX_CANDIDATES: usize = 2_000_000;

/// Searches for a context that satisfies a policy's conditions, at most, per side: each is a
/// comparison of the statements that name the request.
const MAX_SEARCHES: usize = 20_000;

/// The work one side may still do.
pub(super) struct Budget {
    pub candidates: usize,
    searches: usize,
}

/// A candidate that could not be decided within the budget.
pub(super) struct Unchecked;

impl Graph {
    pub fn build(nodes: &Nodes, side: Side, words: &dyn Vocabulary, limits: &Limits) -> Graph {
        let names: Vec<Option<String>> =
            (0..nodes.ids.len()).map(|n| nodes.name(n, side)).collect();
        let mut graph = Graph {
            side,
            names: Vec::new(),
            edges: vec![Vec::new(); nodes.ids.len()],
            unchecked: 0,
        };
        let mut budget = Budget {
            candidates: MAX_CANDIDATES,
            searches: MAX_SEARCHES,
        };
        if nodes.provider == Provider::Aws {
            graph.assume_and_pass(nodes, &names, (words, limits), &mut budget);
        }
        super::grant::edges(&mut graph, nodes, &names, (words, limits), &mut budget);
        graph.names = names;
        graph
    }

    /// The `assume-role` and `pass-role` edges of the plan's AWS roles and users.
    fn assume_and_pass(
        &mut self,
        nodes: &Nodes,
        names: &[Option<String>],
        (words, limits): (&dyn Vocabulary, &Limits),
        budget: &mut Budget,
    ) {
        let side = self.side;
        let mut trusting = Trusting::default();
        for (n, id) in nodes.ids.iter().enumerate() {
            let s = id.side(side);
            let (Some(trust), Some(_)) = (&s.trust, &names[n]) else {
                continue;
            };
            let mut named = BTreeSet::new();
            for st in trust.statements.iter().filter(|st| admits_assume(st)) {
                if st.principals.negated {
                    trusting.anyone.push(n);
                    continue;
                }
                for p in st.principals.patterns.iter() {
                    if p == "*" || p == "AWS:*" {
                        trusting.anyone.push(n);
                    } else if let Some(account) = account_pattern(p) {
                        named.insert((true, account.to_string()));
                    } else if let Some(arn) = p.strip_prefix("AWS:").filter(|a| !is_glob(a)) {
                        named.insert((false, arn.to_string()));
                    }
                }
            }
            for (whole_account, key) in named {
                let map = match whole_account {
                    true => &mut trusting.account,
                    false => &mut trusting.exact,
                };
                map.entry(key).or_default().push(n);
            }
        }
        trusting.anyone.dedup();
        for (a, id) in nodes.ids.iter().enumerate() {
            let Some(a_arn) = &names[a] else { continue };
            let caller = Caller {
                assume: only_action(&id.side(side).permissions, &ASSUME_ROLE.to_lowercase()),
                arn: a_arn,
                principal: format!("AWS:{a_arn}"),
                literal: format!("AWS:{}", escape_literal(a_arn)),
            };
            let may_assume = caller.assume.statements.iter().any(admits_assume);
            let mut candidates: Vec<usize> = Vec::new();
            candidates.extend(trusting.exact.get(a_arn.as_str()).into_iter().flatten());
            // A trust that names a whole account, or anyone, leaves it to the caller's own
            // permissions: without any Allow of sts:AssumeRole the caller has none of those.
            if may_assume {
                if let Some(account) = in_arn(a_arn) {
                    candidates.extend(trusting.account.get(account).into_iter().flatten());
                }
                candidates.extend(&trusting.anyone);
            }
            candidates.sort_unstable();
            candidates.dedup();
            for b in candidates.into_iter().filter(|&b| b != a) {
                if budget.candidates == 0 {
                    self.unchecked += 1;
                    continue;
                }
                budget.candidates -= 1;
                let (Some(b_arn), target) = (&names[b], nodes.ids[b].side(side)) else {
                    continue;
                };
                match assume(&caller, (b, b_arn, target), (words, limits), budget) {
                    Ok(Some(edge)) => self.edges[a].push(edge),
                    Ok(None) => {}
                    Err(Unchecked) => self.unchecked += 1,
                }
            }
        }
        super::pass::edges(self, nodes, names, (words, limits), budget);
    }

    /// The request of `edge` from node `from`, in the edge's context: `sts:AssumeRole` by the
    /// caller on the role, the caller's `iam:PassRole` of it, or the request of its grant.
    pub fn request(&self, nodes: &Nodes, from: usize, edge: &Edge) -> Request {
        let name = self.names[edge.to].clone().unwrap_or_default();
        let (action, resource) = match &edge.via {
            Via::Assume => (ASSUME_ROLE, name),
            Via::Pass { .. } => (super::pass::PASS_ROLE, name),
            Via::Grant { way, action, .. } => (*action, super::grant::WAYS[*way].on(&name)),
        };
        Request {
            principal: nodes.principal(from, self.names[from].as_deref()),
            action: action.to_string(),
            resource,
            context: edge.context.clone(),
        }
    }
}

/// A caller as the candidates of one side look it up.
struct Caller<'s> {
    /// Its permissions' statements about `sts:AssumeRole`: the same decisions on it, cheaper.
    assume: Scope,
    arn: &'s str,
    /// `AWS:ARN`, as a request names it.
    principal: String,
    /// `AWS:ARN` as a policy's literal principal pattern.
    literal: String,
}

/// The statements of `scope` (and of its boundary) whose actions take `action` (lower case),
/// each naming that action alone: the same decisions on requests of it, without matching a
/// policy's action patterns at every request.
pub(super) fn only_action(scope: &Scope, action: &str) -> Scope {
    let literal = Match::new(false, vec![(action.to_string(), action.to_string())]);
    let keep = |sts: &[Statement]| -> Vec<Statement> {
        sts.iter()
            .filter(|st| st.covers_action(action))
            .map(|st| Statement {
                actions: literal.clone(),
                except: None,
                ..st.clone()
            })
            .collect()
    };
    Scope {
        statements: keep(&scope.statements),
        boundary: scope.boundary.as_deref().map(keep),
    }
}

/// An Allow whose actions take `sts:AssumeRole`.
fn admits_assume(st: &Statement) -> bool {
    st.effect == Effect::Allow && st.covers_action(&ASSUME_ROLE.to_lowercase())
}

/// The account of a principal pattern that stands for a whole account
/// (`AWS:arn:aws:iam::111122223333:*`).
fn account_pattern(p: &str) -> Option<&str> {
    in_arn(p.strip_prefix("AWS:")?.strip_suffix(":*")?)
}

/// A pattern with a wildcard left in it (an escaped literal has none).
fn is_glob(p: &str) -> bool {
    !Glob::wildcard(p).is_literal()
}

/// Whether `caller` can assume the role `target` (its node, its ARN and its side): the edge,
/// `None`, or [`Unchecked`] when finding a context that a policy's conditions take is past the
/// budget.
fn assume(
    caller: &Caller,
    (node, to, target): (usize, &str, &SideScope),
    how: (&dyn Vocabulary, &Limits),
    budget: &mut Budget,
) -> Result<Option<Edge>, Unchecked> {
    let Some(trust) = target.trust.as_ref() else {
        return Ok(None);
    };
    let permissions = &caller.assume;
    let mut request = Request {
        principal: caller.principal.clone(),
        action: ASSUME_ROLE.to_string(),
        resource: to.to_string(),
        context: Vec::new(),
    };
    match allowed_in(trust, &request, how, budget)? {
        Some(context) => request.context = context,
        None => return Ok(None),
    }
    // IAM evaluates a same-account request under the trust alone when it names the caller
    // itself; a trust that names the account, or another account's caller, needs the caller's
    // permissions too. Even then a Deny of the caller's own applies, and so does a role's
    // permissions boundary (a trust naming a role's ARN, unlike a user's, is capped by it).
    let explicit = in_arn(caller.arn) == in_arn(to)
        && in_arn(to).is_some()
        && trust.statements.iter().any(|st| {
            st.effect == Effect::Allow
                && !st.principals.negated
                && st.principals.patterns.contains(&caller.literal)
                && statement_applies(st, &request)
        });
    if explicit {
        if refused_anyway(permissions, &request) {
            return Ok(None);
        }
        return Ok(Some(Edge {
            to: node,
            context: request.context,
            needs_caller: false,
            via: Via::Assume,
        }));
    }
    if evaluate(permissions, &request) != Decision::Allowed {
        let Some(theirs) = allowed_in(permissions, &request, how, budget)? else {
            return Ok(None);
        };
        for (k, v) in theirs {
            let set = request
                .context
                .iter()
                .any(|(x, _)| x.eq_ignore_ascii_case(&k));
            if !set {
                request.context.push((k, v));
            }
        }
        if [trust, permissions]
            .iter()
            .any(|s| evaluate(s, &request) != Decision::Allowed)
        {
            return Ok(None);
        }
    }
    Ok(Some(Edge {
        to: node,
        context: request.context,
        needs_caller: true,
        via: Via::Assume,
    }))
}

/// Whether a caller's own policies refuse an `sts:AssumeRole` that a same-account trust naming
/// the caller allows on its own: a Deny of its own (its boundary's included) still applies, and
/// so does a role's permissions boundary (a trust naming a role's ARN, unlike a user's, is
/// capped by it).
pub(super) fn refused_anyway(permissions: &Scope, request: &Request) -> bool {
    if let Decision::Denied { .. } = evaluate(permissions, request) {
        return true;
    }
    match &permissions.boundary {
        Some(b) if request.principal.contains(":role/") => !b
            .iter()
            .any(|st| st.effect == Effect::Allow && statement_applies(st, request)),
        _ => false,
    }
}

/// The context under which `scope` allows `request`'s principal, action and resource: none
/// needed when it allows it as it is, else one the search finds. `None` when there is none.
pub(super) fn allowed_in(
    scope: &Scope,
    request: &Request,
    how: (&dyn Vocabulary, &Limits),
    budget: &mut Budget,
) -> Result<Option<Vec<(String, String)>>, Unchecked> {
    if evaluate(scope, request) == Decision::Allowed {
        return Ok(Some(request.context.clone()));
    }
    Ok(search(scope, request, true, how, budget)?.map(|r| r.context))
}

/// A request `scope` allows with `request`'s principal and action, and its resource too when
/// `on_resource`, found by the exact comparison: the scope, fenced to those requests by Deny
/// statements, against nothing. `None` when there is none.
pub(super) fn search(
    scope: &Scope,
    request: &Request,
    on_resource: bool,
    (words, limits): (&dyn Vocabulary, &Limits),
    budget: &mut Budget,
) -> Result<Option<Request>, Unchecked> {
    let deny = |principals, actions, resources| Statement {
        effect: Effect::Deny,
        principals,
        actions,
        resources,
        except: None,
        conditions: Rc::from([]),
        condition_text: Rc::from([]),
        origin: 0,
    };
    // Only the statements that name these requests can decide them: a policy of thousands of
    // statements about other resources costs nothing.
    let names = |st: &Statement| {
        let any = |m: &Match, v: &str, f: fn(&str, &str) -> bool| {
            m.patterns.iter().any(|p| f(p, v)) != m.negated
        };
        st.covers_action(&request.action.to_lowercase())
            && (!on_resource || any(&st.resources, &request.resource, pattern::arn_matches))
            && any(
                &st.principals,
                &request.principal,
                pattern::wildcard_matches,
            )
    };
    let scope = &Scope {
        statements: scope
            .statements
            .iter()
            .filter(|st| names(st))
            .cloned()
            .collect(),
        boundary: scope
            .boundary
            .as_ref()
            .map(|b| b.iter().filter(|st| names(st)).cloned().collect()),
    };
    if !scope.statements.iter().any(|st| st.effect == Effect::Allow) {
        return Ok(None);
    }
    if budget.searches == 0 {
        return Err(Unchecked);
    }
    budget.searches -= 1;
    let not = |p: String| Match::new(true, vec![(p.clone(), p)]);
    let mut fenced = scope.clone();
    fenced.statements.extend([
        deny(
            not(escape_literal(&request.principal)),
            Match::any(),
            Match::any(),
        ),
        deny(
            Match::any(),
            not(request.action.to_lowercase()),
            Match::any(),
        ),
    ]);
    if on_resource {
        fenced.statements.push(deny(
            Match::any(),
            Match::any(),
            not(escape_literal(&request.resource)),
        ));
    }
    let Ok(delta) = compare(&Scope::default(), &fenced, limits, words) else {
        return Err(Unchecked);
    };
    let Some(found) = delta.witness() else {
        return Ok(None);
    };
    let mut r = request.clone();
    r.context = found.context.clone();
    if !on_resource {
        // In the form requests are matched in: Azure's resource IDs in lower case.
        r.resource = match words.resources_fold_case() {
            true => found.resource.to_lowercase(),
            false => found.resource.clone(),
        };
    }
    Ok((evaluate(scope, &r) == Decision::Allowed).then_some(r))
}

/// The origins of `scope`'s Allow statements that each match `request`.
pub fn allowing(scope: &Scope, request: &Request) -> BTreeSet<usize> {
    scope
        .statements
        .iter()
        .filter(|st| st.effect == Effect::Allow && statement_applies(st, request))
        .map(|st| st.origin)
        .collect()
}
