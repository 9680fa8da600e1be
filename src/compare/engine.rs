//! The exact comparison of two scopes: which requests does `new` allow that `old` does not?

use super::atoms::{atoms, signature, Atom, Budget};
use super::by_service::action_atoms;
use super::typed::Typing;
use super::{Delta, Exact, Exhausted, Limits, StatementDelta};
use crate::model::bits::Bits;
use crate::model::pattern::{Glob, Syntax};
use crate::model::vocabulary::Vocabulary;
use crate::model::{
    values, Clause, Decision, Effect, IpRange, Match, NumOp, Request, Scope, Statement,
};
use std::collections::{BTreeSet, HashMap};

/// Finds every statement of `new` that allows a request `old` does not, with an example each,
/// written in `words`.
pub fn compare(
    old: &Scope,
    new: &Scope,
    limits: &Limits,
    words: &dyn Vocabulary,
) -> Result<Delta, Exhausted> {
    Ok(run(old, new, limits, words, false)?.0)
}

/// [`compare`] in both directions (added, removed), sharing the atoms of both scopes.
pub fn compare_both(
    old: &Scope,
    new: &Scope,
    limits: &Limits,
    words: &dyn Vocabulary,
) -> Result<(Delta, Delta), Exhausted> {
    run(old, new, limits, words, true)
}

fn run(
    old: &Scope,
    new: &Scope,
    limits: &Limits,
    words: &dyn Vocabulary,
    both: bool,
) -> Result<(Delta, Delta), Exhausted> {
    let mut space = Space::default();
    let old_c = space.compile_scope(old);
    let new_c = space.compile_scope(new);
    space.finish(limits, words)?;
    let old_c = space.place(old_c);
    let new_c = space.place(new_c);
    let mut search = Search {
        space: &space,
        old: &old_c,
        new: &new_c,
        limits,
        words,
        evaluations: 0,
        prettified: 0,
        placed_ranks: None,
        typing: None,
    };
    let mut added = search.delta()?;
    let removed = if both {
        search.old = &new_c;
        search.new = &old_c;
        search.delta()?
    } else {
        Delta::default()
    };
    added.work = search.evaluations + space.steps + search.typing.as_ref().map_or(0, |t| t.steps);
    added.approximate = !space.vars.is_empty();
    Ok((added, removed))
}

/// Witnesses are made readable only for dimensions with at most this many patterns, and only
/// for the first `PRETTY_REQUESTS` examples of a comparison: checking a candidate runs every
/// pattern, and a policy with thousands of ARNs would otherwise cost minutes. Beyond that the
/// search's own shortest string stands, which is exact too.
const PRETTY_PATTERNS: usize = 256;
const PRETTY_REQUESTS: usize = 64;

/// One dimension's patterns and atoms.
#[derive(Default)]
struct Dim {
    globs: Vec<Glob>,
    index: HashMap<(String, Syntax), usize>,
    atoms: Vec<Atom>,
    /// Pattern id → the atoms it matches (the transpose of the atoms' signatures).
    atoms_of: Vec<Vec<usize>>,
}

impl Dim {
    fn intern(&mut self, text: &str, kind: Syntax) -> usize {
        let key = (text.to_string(), kind);
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        let i = self.globs.len();
        self.globs.push(kind.compile(text));
        self.index.insert(key, i);
        i
    }

    /// Each pattern's text, by id.
    fn texts(&self) -> Vec<&str> {
        let mut texts = vec![""; self.globs.len()];
        for ((text, _), &id) in &self.index {
            texts[id] = text;
        }
        texts
    }

    fn set_atoms(&mut self, atoms: Vec<Atom>) {
        self.atoms_of = vec![Vec::new(); self.globs.len()];
        for (ai, atom) in atoms.iter().enumerate() {
            for id in atom.sig.ones() {
                self.atoms_of[id].push(ai);
            }
        }
        self.atoms = atoms;
    }

    /// Atoms (indices) that a match of patterns `ids` (complemented if `negated`) covers.
    fn matching(&self, ids: &[usize], negated: bool) -> Bits {
        let n = self.atoms.len();
        let mut hit = Bits::with_len(n);
        for &id in ids {
            for &ai in &self.atoms_of[id] {
                hit.set(ai);
            }
        }
        if !negated {
            return hit;
        }
        let mut miss = Bits::with_len(n);
        for ai in (0..n).filter(|&ai| !hit.has(ai)) {
            miss.set(ai);
        }
        miss
    }

    /// Whether readable candidates are worth checking: each check runs every pattern.
    fn small(&self) -> bool {
        self.globs.len() <= PRETTY_PATTERNS
    }

    /// A readable string with the same signature as atom `ai`, if a candidate has it.
    fn pick(&self, ai: usize, candidates: &[String], lower: bool) -> String {
        let atom = &self.atoms[ai];
        for c in candidates {
            let probe = if lower { c.to_lowercase() } else { c.clone() };
            if signature(&self.globs, &probe) == atom.sig {
                return c.clone();
            }
        }
        atom.witness.clone()
    }
}

enum CClause {
    Str {
        key: usize,
        negated: bool,
        if_exists: bool,
        values: Vec<usize>,
    },
    Null {
        key: usize,
        is_null: bool,
    },
    Opaque {
        var: usize,
    },
    Ip {
        key: usize,
        negated: bool,
        if_exists: bool,
        ranges: Vec<IpRange>,
    },
    Num {
        key: usize,
        op: NumOp,
        negated: bool,
        if_exists: bool,
        values: Vec<f64>,
    },
    Set {
        key: usize,
        all: bool,
        negated: bool,
        if_exists: bool,
        values: Vec<usize>,
    },
}

impl CClause {
    fn key(&self) -> Option<usize> {
        match self {
            CClause::Str { key, .. }
            | CClause::Null { key, .. }
            | CClause::Ip { key, .. }
            | CClause::Num { key, .. }
            | CClause::Set { key, .. } => Some(*key),
            CClause::Opaque { .. } => None,
        }
    }
}

/// What a condition key's values are compared as: fixed by the first typed clause on the key;
/// a clause of another type on the same key is treated as unmodelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum KeyType {
    /// Only `Null` clauses so far.
    #[default]
    Untyped,
    /// Single strings; `fold`: compared in lower case (its atoms are lower-case strings).
    Str {
        fold: bool,
    },
    Ip,
    Num {
        date: bool,
    },
    /// Multivalued (set operators): a context value is a non-empty set of string atoms.
    Set,
}

/// A typed representative value of a condition key.
#[derive(Debug, Clone, Copy)]
enum KeyValue {
    Ip(bool, u128),
    Num(f64),
}

/// One condition key and its atoms: string atoms in `strings`, typed ones in `values`.
#[derive(Default)]
struct Key {
    name: String,
    ty: KeyType,
    strings: Dim,
    ranges: Vec<IpRange>,
    numbers: Vec<f64>,
    values: Vec<KeyValue>,
}

impl Key {
    /// How many values the key can take in a context (absent aside).
    fn atom_count(&self) -> usize {
        match self.ty {
            KeyType::Untyped | KeyType::Str { .. } => self.strings.atoms.len(),
            KeyType::Ip | KeyType::Num { .. } => self.values.len(),
            // Every non-empty set of atoms; value `i` is the set with bits `i + 1`.
            KeyType::Set => 1usize
                .checked_shl(self.strings.atoms.len() as u32)
                .map_or(usize::MAX, |n| n - 1),
        }
    }

    /// Takes `ty` for the key; false if the key already has another type.
    fn typed(&mut self, ty: KeyType) -> bool {
        if self.ty == KeyType::Untyped {
            self.ty = ty;
        }
        self.ty == ty
    }
}

/// A statement with its patterns interned (before atoms are known).
struct Interned<'s> {
    st: &'s Statement,
    a: Vec<usize>,
    /// The `except` action patterns.
    x: Vec<usize>,
    r: Vec<usize>,
    p: Vec<usize>,
    clauses: Vec<CClause>,
}

struct InternedScope<'s> {
    stmts: Vec<Interned<'s>>,
    boundary: Option<Vec<Interned<'s>>>,
}

/// A statement with the atoms it matches in each dimension.
struct Placed<'s> {
    st: &'s Statement,
    /// Atoms matched, per dimension.
    a: Bits,
    r: Bits,
    p: Bits,
    /// Pattern ids, parallel to the statement's `patterns`, per dimension.
    ids: [Vec<usize>; 3],
    clauses: Vec<CClause>,
}

impl Placed<'_> {
    fn matches(&self, a: usize, r: usize, p: usize) -> bool {
        self.a.has(a) && self.r.has(r) && self.p.has(p)
    }
}

/// Statements indexed by the resource atoms they match: resources are the most specific
/// dimension, so a request's candidates are few even in a policy with thousands of statements.
struct Group<'s> {
    all: Vec<Placed<'s>>,
    by_resource: Vec<Vec<usize>>,
}

impl<'s> Group<'s> {
    fn new(all: Vec<Placed<'s>>, resource_atoms: usize) -> Group<'s> {
        let mut by_resource = vec![Vec::new(); resource_atoms];
        for (i, x) in all.iter().enumerate() {
            for r in x.r.ones() {
                by_resource[r].push(i);
            }
        }
        Group { all, by_resource }
    }

    /// The statements that match (a, r, p).
    fn at(&self, a: usize, r: usize, p: usize) -> impl Iterator<Item = &Placed<'s>> {
        self.by_resource[r]
            .iter()
            .map(|&i| &self.all[i])
            .filter(move |x| x.matches(a, r, p))
    }
}

struct PlacedScope<'s> {
    stmts: Group<'s>,
    boundary: Option<Group<'s>>,
}

impl<'s> PlacedScope<'s> {
    /// Identity and boundary statements that match (a, r, p).
    fn at(&self, a: usize, r: usize, p: usize) -> impl Iterator<Item = &Placed<'s>> {
        self.stmts
            .at(a, r, p)
            .chain(self.boundary.iter().flat_map(move |b| b.at(a, r, p)))
    }

    fn every(&self) -> impl Iterator<Item = &Placed<'s>> {
        self.stmts
            .all
            .iter()
            .chain(self.boundary.iter().flat_map(|b| b.all.iter()))
    }
}

#[derive(Default)]
struct Space {
    actions: Dim,
    resources: Dim,
    principals: Dim,
    keys: Vec<Key>,
    key_index: HashMap<String, usize>,
    /// Automaton steps the atom searches took.
    steps: usize,
    vars: Vec<String>,
    var_index: HashMap<String, usize>,
}

impl Space {
    fn compile_scope<'s>(&mut self, scope: &'s Scope) -> InternedScope<'s> {
        InternedScope {
            stmts: scope.statements.iter().map(|s| self.compile(s)).collect(),
            boundary: scope
                .boundary
                .as_ref()
                .map(|b| b.iter().map(|s| self.compile(s)).collect()),
        }
    }

    fn compile<'s>(&mut self, st: &'s Statement) -> Interned<'s> {
        fn ids(dim: &mut Dim, m: &Match, syntax: Syntax) -> Vec<usize> {
            m.patterns.iter().map(|p| dim.intern(p, syntax)).collect()
        }
        let a = ids(&mut self.actions, &st.actions, Syntax::Wildcard);
        // Subtracted patterns take part in the atoms, so an atom is wholly inside or outside them.
        let x = match &st.except {
            Some(m) => ids(&mut self.actions, m, Syntax::Wildcard),
            None => Vec::new(),
        };
        let r = ids(&mut self.resources, &st.resources, Syntax::ResourceArn);
        let p = ids(&mut self.principals, &st.principals, Syntax::Wildcard);
        let clauses = st.conditions.iter().map(|c| self.clause(c)).collect();
        Interned {
            st,
            a,
            x,
            r,
            p,
            clauses,
        }
    }

    fn key(&mut self, name: &str) -> usize {
        if let Some(&k) = self.key_index.get(name) {
            return k;
        }
        self.keys.push(Key {
            name: name.to_string(),
            ..Key::default()
        });
        self.key_index.insert(name.to_string(), self.keys.len() - 1);
        self.keys.len() - 1
    }

    fn clause(&mut self, c: &Clause) -> CClause {
        match c {
            Clause::Str {
                key,
                syntax,
                fold,
                negated,
                if_exists,
                values,
            } => {
                let k = self.key(key);
                if !self.keys[k].typed(KeyType::Str { fold: *fold }) {
                    return self.opaque(c);
                }
                let values = self.string_values(k, *syntax, values);
                CClause::Str {
                    key: k,
                    negated: *negated,
                    if_exists: *if_exists,
                    values,
                }
            }
            Clause::Null { key, is_null } => CClause::Null {
                key: self.key(key),
                is_null: *is_null,
            },
            Clause::Ip {
                key,
                negated,
                if_exists,
                ranges,
            } => {
                let k = self.key(key);
                if !self.keys[k].typed(KeyType::Ip) {
                    return self.opaque(c);
                }
                self.keys[k].ranges.extend(ranges.iter().copied());
                CClause::Ip {
                    key: k,
                    negated: *negated,
                    if_exists: *if_exists,
                    ranges: ranges.clone(),
                }
            }
            Clause::Num {
                key,
                op,
                negated,
                if_exists,
                date,
                values,
            } => {
                let k = self.key(key);
                if !self.keys[k].typed(KeyType::Num { date: *date }) {
                    return self.opaque(c);
                }
                let values: Vec<f64> = values.iter().map(|v| v.0).collect();
                self.keys[k].numbers.extend(values.iter().copied());
                CClause::Num {
                    key: k,
                    op: *op,
                    negated: *negated,
                    if_exists: *if_exists,
                    values,
                }
            }
            Clause::Set {
                key,
                all,
                syntax,
                negated,
                if_exists,
                values,
            } => {
                let k = self.key(key);
                if !self.keys[k].typed(KeyType::Set) {
                    return self.opaque(c);
                }
                let values = self.string_values(k, *syntax, values);
                CClause::Set {
                    key: k,
                    all: *all,
                    negated: *negated,
                    if_exists: *if_exists,
                    values,
                }
            }
            Clause::Opaque { text } => self.var(text),
        }
    }

    /// Interns string condition values of key `k` as literals or wildcard patterns.
    fn string_values(&mut self, k: usize, syntax: Syntax, values: &[String]) -> Vec<usize> {
        values
            .iter()
            .map(|v| self.keys[k].strings.intern(v, syntax))
            .collect()
    }

    /// A clause compared only by identity with other clauses (see `Clause::Opaque`).
    fn opaque(&mut self, c: &Clause) -> CClause {
        self.var(&format!("{c:?}"))
    }

    fn var(&mut self, text: &str) -> CClause {
        let var = match self.var_index.get(text) {
            Some(&v) => v,
            None => {
                self.vars.push(text.to_string());
                self.var_index.insert(text.to_string(), self.vars.len() - 1);
                self.vars.len() - 1
            }
        };
        CClause::Opaque { var }
    }

    fn finish(&mut self, limits: &Limits, words: &dyn Vocabulary) -> Result<(), Exhausted> {
        let budget = Budget {
            states: limits.max_states,
            steps: limits.max_steps,
        };
        let texts = self.actions.texts();
        let (found, steps) = action_atoms(&self.actions.globs, &texts, budget, words)?;
        self.steps += steps;
        self.actions.set_atoms(found);
        for dim in [&mut self.resources, &mut self.principals] {
            let (found, steps) = atoms(&dim.globs, budget)?;
            self.steps += steps;
            dim.set_atoms(found);
        }
        for key in &mut self.keys {
            match key.ty {
                KeyType::Untyped | KeyType::Str { .. } | KeyType::Set => {
                    let (found, steps) = atoms(&key.strings.globs, budget)?;
                    self.steps += steps;
                    key.strings.atoms = found;
                }
                KeyType::Ip => key.values = ip_atoms(&key.ranges),
                KeyType::Num { .. } => key.values = number_atoms(&key.numbers),
            }
        }
        Ok(())
    }

    fn place<'s>(&self, s: InternedScope<'s>) -> PlacedScope<'s> {
        let place_one = |i: Interned<'s>| Placed {
            a: self
                .actions
                .matching(&i.a, i.st.actions.negated)
                .minus(&self.actions.matching(&i.x, false)),
            r: self.resources.matching(&i.r, i.st.resources.negated),
            p: self.principals.matching(&i.p, i.st.principals.negated),
            st: i.st,
            ids: [i.a, i.r, i.p],
            clauses: i.clauses,
        };
        let n = self.resources.atoms.len();
        PlacedScope {
            stmts: Group::new(s.stmts.into_iter().map(place_one).collect(), n),
            boundary: s
                .boundary
                .map(|b| Group::new(b.into_iter().map(place_one).collect(), n)),
        }
    }
}

/// A context: per key, `None` = absent or `Some(atom)`; per unmodelled clause, true or false.
struct Ctx {
    keys: Vec<Option<usize>>,
    vars: Vec<bool>,
}

struct Search<'a, 's> {
    space: &'a Space,
    old: &'a PlacedScope<'s>,
    new: &'a PlacedScope<'s>,
    limits: &'a Limits,
    words: &'a dyn Vocabulary,
    evaluations: usize,
    /// Examples made readable so far.
    prettified: usize,
    /// How consequential each action atom that holds one of the vocabulary's ranking
    /// operations reads, built on first use: many statements share the atoms.
    placed_ranks: Option<HashMap<usize, usize>>,
    /// Which real actions meet which resources, built when the first added request is found
    /// (most comparisons find none), when the vocabulary types its requests.
    typing: Option<Typing<'a>>,
}

/// The rank of an added request whose only actions are ones the catalog lacks: after every
/// real action.
const UNKNOWN_RANK: usize = usize::MAX / 2;

/// Formats of an action tried for a readable resource of a witness, the best known first.
const FORMAT_TRIES: usize = 8;

/// What a pair of atoms holds in real requests, for choosing the example: its most
/// consequential action and that action's rank, and whether unknown actions count.
struct Met {
    rank: usize,
    first: Option<(u32, Option<u32>)>,
    unknown: bool,
}

/// The request a statement's example is made of: atoms, the context found, why the other
/// scope refused it, and (typed) the real action and the format of its resource.
struct Choice {
    a: usize,
    r: usize,
    p: usize,
    ctx: Ctx,
    decision: Decision,
    typed: Option<(u32, Option<u32>)>,
}

impl Search<'_, '_> {
    fn delta(&mut self) -> Result<Delta, Exhausted> {
        let all = &self.new.stmts.all;
        // A statement that means the same as an earlier one has the same delta. Working each
        // copy out again costs a scan of every copy at every atom: quadratic, and a policy of
        // a million copies never finished.
        let mut order: Vec<usize> = (0..all.len()).collect();
        order.sort_by(|&i, &j| {
            crate::model::statement::cmp_meaning(all[i].st, all[j].st).then(i.cmp(&j))
        });
        let mut first = vec![usize::MAX; all.len()];
        for pair in order.windows(2) {
            if all[pair[0]].st.same_meaning(all[pair[1]].st) {
                first[pair[1]] = first[pair[0]].min(pair[0]);
            }
        }
        let mut delta = Delta::default();
        let mut found: HashMap<usize, Option<StatementDelta>> = HashMap::new();
        for (si, s) in all.iter().enumerate() {
            if s.st.effect != Effect::Allow {
                continue;
            }
            let d = match found.get(&first[si]) {
                Some(d) => d.clone().map(|d| StatementDelta { statement: si, ..d }),
                None => {
                    let d = self.statement(si, s)?;
                    found.insert(si, d.clone());
                    d
                }
            };
            if let Some(d) = d {
                delta.statements.push(d);
            }
        }
        Ok(delta)
    }

    fn statement(&mut self, si: usize, s: &Placed) -> Result<Option<StatementDelta>, Exhausted> {
        let typed = self.words.types().is_some();
        let (mut ha, mut hr, mut hp) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
        let mut partial = false;
        let mut first: Option<Choice> = None;
        let mut exact = Bits::default();
        let mut unknown_atoms = BTreeSet::new();
        // The atom whose action reads as the most consequential is chosen here: for typed
        // requests, the real action of the highest access level that meets its resource; else
        // by the vocabulary's rank of the atom's action.
        // The rank reads the action in lower case, so an atom's own witness serves (for a
        // literal permission it is that permission): matching it back to the policy's spelling
        // would run every pattern per atom, thousands squared for a complete role.
        let mut best = usize::MAX;
        for a in s.a.ones() {
            let rank = if typed { 0 } else { self.action_rank(a) };
            for r in s.r.ones() {
                let rank = rank
                    + self.words.rank_on(
                        &self.space.actions.atoms[a].witness,
                        &self.space.resources.atoms[r].witness,
                    );
                for p in s.p.ones() {
                    let Some((ctx, decision)) = self.atom(s, a, r, p)? else {
                        partial = true;
                        continue;
                    };
                    let (rank, pick) = if typed {
                        // Decided by the atoms, real only where an action meets its resource.
                        let Some(meeting) = self.meeting(a, r, &mut exact)? else {
                            continue;
                        };
                        if meeting.unknown {
                            unknown_atoms.insert(a);
                        }
                        match meeting.first {
                            Some((id, f)) => (meeting.rank, Some((id, f))),
                            None => (UNKNOWN_RANK, None),
                        }
                    } else {
                        (rank, None)
                    };
                    ha.insert(a);
                    hr.insert(r);
                    hp.insert(p);
                    if first.is_none() || rank < best {
                        first = Some(Choice {
                            a,
                            r,
                            p,
                            ctx,
                            decision,
                            typed: pick,
                        });
                        best = rank;
                    }
                }
            }
        }
        let Some(choice) = first else {
            return Ok(None);
        };
        // A pattern covers an added request when some hit atom's signature has it: one union
        // of those signatures, rather than every atom per pattern (thousands squared for an
        // AWS managed policy).
        let hits = |m: &Match, ids: &[usize], dim: &Dim, atoms: &BTreeSet<usize>| -> Vec<usize> {
            if m.negated {
                return (0..m.patterns.len()).collect();
            }
            let mut covered = Bits::default();
            for &ai in atoms {
                covered.union_with(&dim.atoms[ai].sig);
            }
            (0..m.patterns.len())
                .filter(|&i| covered.has(ids[i]))
                .collect()
        };
        let sp = self.space;
        let exact = self.typing.as_ref().filter(|_| typed).map(|t| {
            let mut in_unknown = Bits::default();
            for &ai in &unknown_atoms {
                in_unknown.union_with(&sp.actions.atoms[ai].sig);
            }
            Exact {
                actions: exact.ones().map(|id| id as u32).collect(),
                unknown: (0..s.st.actions.patterns.len())
                    .filter(|&i| {
                        let id = s.ids[0][i];
                        !s.st.actions.negated && in_unknown.has(id) && t.uncovered(id)
                    })
                    .collect(),
            }
        });
        Ok(Some(StatementDelta {
            statement: si,
            actions: hits(&s.st.actions, &s.ids[0], &sp.actions, &ha),
            resources: hits(&s.st.resources, &s.ids[1], &sp.resources, &hr),
            principals: hits(&s.st.principals, &s.ids[2], &sp.principals, &hp),
            partial,
            exact,
            old_decision: choice.decision,
            example: {
                let pretty = self.prettified < PRETTY_REQUESTS;
                self.prettified += 1;
                self.request(s.st, &choice, pretty)
            },
        }))
    }

    /// The real requests of action atom `a` on resource atom `r` (see `typed.rs`): their
    /// actions are added to `actions`; `None` when there are none.
    fn meeting(
        &mut self,
        a: usize,
        r: usize,
        actions: &mut Bits,
    ) -> Result<Option<Met>, Exhausted> {
        let budget = Budget {
            states: self.limits.max_states,
            steps: self.limits.max_steps,
        };
        let Some(types) = self.words.types() else {
            return Ok(None);
        };
        let sp = self.space;
        let typing = self.typing.get_or_insert_with(|| {
            Typing::new(
                types,
                &sp.actions.texts(),
                &sp.actions.atoms,
                &sp.resources.texts(),
                &sp.resources.globs,
                &sp.resources.atoms,
            )
        });
        let meeting = typing.meeting(a, r, budget)?;
        if meeting.is_empty() {
            return Ok(None);
        }
        actions.union_with(&meeting.ids);
        let first = meeting.actions.first().copied();
        Ok(Some(Met {
            rank: first.map_or(UNKNOWN_RANK, |(id, _)| types.rank(id)),
            first,
            unknown: meeting.unknown,
        }))
    }

    /// How consequential action atom `a` reads: the rank of the first of the vocabulary's
    /// ranking operations in it, else of its own representative. Each operation is placed in
    /// its atom once.
    fn action_rank(&mut self, a: usize) -> usize {
        let dim = &self.space.actions;
        let words = self.words;
        let ranks = self.placed_ranks.get_or_insert_with(|| {
            let operations = words.ranking_operations();
            if operations.is_empty() {
                return HashMap::new();
            }
            let by_sig: HashMap<&Bits, usize> = dim
                .atoms
                .iter()
                .enumerate()
                .map(|(i, at)| (&at.sig, i))
                .collect();
            let mut ranks = HashMap::new();
            // Best first, so the first operation found in an atom gives its rank.
            for op in operations {
                if let Some(&ai) = by_sig.get(&signature(&dim.globs, &op.to_lowercase())) {
                    ranks.entry(ai).or_insert_with(|| words.rank(&op));
                }
            }
            ranks
        });
        match ranks.get(&a) {
            Some(&r) => r,
            None => words.rank(&dim.atoms[a].witness),
        }
    }

    /// Looks for a context in which `s` applies, the new scope allows and the old does not.
    fn atom(
        &mut self,
        s: &Placed,
        a: usize,
        r: usize,
        p: usize,
    ) -> Result<Option<(Ctx, Decision)>, Exhausted> {
        let mut keys = BTreeSet::new();
        let mut vars = BTreeSet::new();
        for c in self.relevant_clauses(a, r, p) {
            match c {
                CClause::Opaque { var } => {
                    vars.insert(*var);
                }
                c => {
                    keys.extend(c.key());
                }
            }
        }
        let keys: Vec<usize> = keys.into_iter().collect();
        let vars: Vec<usize> = vars.into_iter().collect();
        let mut total: usize = 1;
        for &k in &keys {
            total = total.saturating_mul(self.space.keys[k].atom_count().saturating_add(1));
        }
        total = total.saturating_mul(1usize.checked_shl(vars.len() as u32).unwrap_or(usize::MAX));
        if total > self.limits.max_contexts {
            return Err(Exhausted);
        }
        let mut ctx = Ctx {
            keys: vec![None; self.space.keys.len()],
            vars: vec![false; self.space.vars.len()],
        };
        for n in 0..total {
            self.evaluations += 1;
            if self.evaluations > self.limits.max_evaluations {
                return Err(Exhausted);
            }
            // Mixed-radix decode; digit 0 is "absent" / "false", so simple contexts come first.
            let mut rest = n;
            for &k in &keys {
                let radix = self.space.keys[k].atom_count() + 1;
                let d = rest % radix;
                rest /= radix;
                ctx.keys[k] = d.checked_sub(1);
            }
            for &v in &vars {
                ctx.vars[v] = rest % 2 == 1;
                rest /= 2;
            }
            if !holds(&s.clauses, &ctx, self.space) {
                continue;
            }
            if decide(self.new, a, r, p, &ctx, self.space) != Decision::Allowed {
                continue;
            }
            let old = decide(self.old, a, r, p, &ctx, self.space);
            if old != Decision::Allowed {
                return Ok(Some((ctx, old)));
            }
        }
        Ok(None)
    }

    fn request(&self, s: &Statement, choice: &Choice, pretty: bool) -> Request {
        let (a, r) = (choice.a, choice.r);
        let sp = self.space;
        let worth = |dim: &Dim| pretty && dim.small();
        let (action, resource) = match (choice.typed, &self.typing) {
            (Some((id, format)), Some(t)) => {
                let action = t.types.name(id);
                let resource = match format {
                    None => "*".to_string(),
                    Some(f) => self.typed_resource(s, t, id, f, r, worth(&sp.resources)),
                };
                (action, resource)
            }
            _ => self.untyped_pair(s, a, r, pretty),
        };
        self.finish_request(s, choice, action, resource, pretty)
    }

    /// A resource of format `f` (one of action `id`'s) in resource atom `r`, the most readable
    /// that fits: one a policy names, one the plan names, a policy's pattern with its wildcards
    /// named by the placeholders of a format, a format's example (the better known formats
    /// first); else the one the typing found. `try_all`: whether the atoms are few enough to try
    /// every pattern.
    fn typed_resource(
        &self,
        s: &Statement,
        t: &Typing,
        id: u32,
        f: u32,
        r: usize,
        try_all: bool,
    ) -> String {
        let sp = self.space;
        let types = t.types;
        let formats = types.formats_of(id);
        let fits = |c: &str| {
            formats.iter().any(|&g| types.format(g).matches(c))
                && signature(&sp.resources.globs, c) == sp.resources.atoms[r].sig
        };
        let mut known: Vec<u32> = formats.to_vec();
        known.sort_by_key(|&g| (std::cmp::Reverse(types.format_uses(g)), g));
        known.truncate(FORMAT_TRIES);
        // Tried lazily, in order: most witnesses take the first or second.
        let found = if try_all {
            let displays: Vec<&str> = self
                .displays(s, |st| &st.resources)
                .into_iter()
                .filter(|d| *d != "*")
                .collect();
            let globs: Vec<Glob> = displays.iter().map(|d| Glob::wildcard(d)).collect();
            let literal = globs
                .iter()
                .filter(|g| g.is_literal())
                .map(|g| g.sample("", 'x'));
            // A pattern is named only in formats of its own service.
            let open = known.iter().flat_map(|&g| {
                displays
                    .iter()
                    .zip(&globs)
                    .filter(move |(d, p)| {
                        !p.is_literal()
                            && types
                                .pattern_service(d)
                                .is_none_or(|sv| sv == types.format_service(g))
                    })
                    .flat_map(move |(_, p)| types.resource_in_format(p, g))
            });
            literal
                .chain(std::iter::once_with(|| types.named_resource(id, &fits)).flatten())
                .chain(open)
                .chain(known.iter().map(|&g| types.format_example(g)))
                .find(|c| fits(c))
        } else {
            known
                .iter()
                .map(|&g| types.format_example(g))
                .find(|c| fits(c))
        };
        found
            .or_else(|| t.resource(r, f).map(str::to_string))
            .unwrap_or_else(|| sp.resources.atoms[r].witness.clone())
    }

    /// An action and resource for atoms `a` and `r` where any action meets any resource.
    fn untyped_pair(&self, s: &Statement, a: usize, r: usize, pretty: bool) -> (String, String) {
        let sp = self.space;
        let worth = |dim: &Dim| pretty && dim.small();
        let words = self.words;
        let action_c = if worth(&sp.actions) {
            let all: Vec<&Statement> = [self.new, self.old]
                .iter()
                .flat_map(|sc| sc.every().map(|x| x.st))
                .collect();
            let known = words.known_actions(s, &all);
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            self.candidates(s, |st| &st.actions, "Example", 'X', &known, &[])
        } else if pretty {
            // Too many patterns to try every candidate, but a few may still read better.
            words.few_actions(&s.actions.display)
        } else {
            Vec::new()
        };
        let mut first = sp.actions.pick(a, &action_c, true);
        if action_c.is_empty() && words.shows_actions_as_written() {
            // Too many patterns to try candidates: a literal permission's atom is the
            // permission itself, in lower case; show it as the policy spells it.
            if let Some(i) = s.actions.patterns.iter().position(|p| *p == first) {
                first = s.actions.display[i].clone();
            }
        }
        let resource_examples = words.resource_examples(&first);
        let resource_examples: Vec<&str> = resource_examples.iter().map(String::as_str).collect();
        let resource_c = if worth(&sp.resources) {
            let (known, generic): (&[&str], &[&str]) = if words.resource_examples_first() {
                (&resource_examples, &[])
            } else {
                (&[], &resource_examples)
            };
            self.candidates(s, |st| &st.resources, "example", 'x', known, generic)
        } else {
            Vec::new()
        };
        // A real action on a resource of a type it takes reads as a request the cloud would
        // accept; otherwise the first action and resource with the atoms' signatures.
        let fitting = if worth(&sp.actions) && worth(&sp.resources) {
            let in_atom =
                |dim: &Dim, ai: usize, text: &str| signature(&dim.globs, text) == dim.atoms[ai].sig;
            words.fitting_pair(
                &action_c,
                &resource_c,
                &|action| in_atom(&sp.actions, a, &action.to_lowercase()),
                &|resource| in_atom(&sp.resources, r, resource),
            )
        } else {
            None
        };
        match fitting {
            Some(pair) => pair,
            None => {
                let object = sp
                    .resources
                    .pick(r, &resource_c, words.resources_fold_case());
                match words.actions_on(&action_c, &object) {
                    Some(fit) => (sp.actions.pick(a, &fit, true), object),
                    None => (first, object),
                }
            }
        }
    }

    /// The request with its principal and context filled in.
    fn finish_request(
        &self,
        s: &Statement,
        choice: &Choice,
        action: String,
        resource: String,
        pretty: bool,
    ) -> Request {
        let (a, r, p, ctx) = (choice.a, choice.r, choice.p, &choice.ctx);
        let sp = self.space;
        let worth = |dim: &Dim| pretty && dim.small();
        let words = self.words;
        let principal_c = if worth(&sp.principals) {
            self.candidates(
                s,
                |st| &st.principals,
                "example",
                'x',
                &[],
                words.principal_examples(),
            )
            .into_iter()
            .map(|c| words.principal_in_request(c))
            .collect()
        } else {
            Vec::new()
        };
        let mut context = Vec::new();
        for (k, v) in ctx.keys.iter().enumerate() {
            let in_play = self.uses_key(k, a, r, p);
            if !in_play {
                continue;
            }
            let value = match v {
                None => "(absent)".to_string(),
                Some(ai) => {
                    let key = &sp.keys[k];
                    match (key.ty, key.values.get(*ai)) {
                        (KeyType::Ip, Some(KeyValue::Ip(v6, a))) => values::format_ip(*v6, *a),
                        (KeyType::Num { date: true }, Some(KeyValue::Num(x))) => {
                            values::format_date(*x)
                        }
                        (KeyType::Num { .. }, Some(KeyValue::Num(x))) => values::format_number(*x),
                        (KeyType::Set, _) => {
                            let cands = sample_values(&key.strings, self.words);
                            let set: Vec<String> = (0..key.strings.atoms.len())
                                .filter(|&i| in_set(*ai, i))
                                .map(|i| key.strings.pick(i, &cands, false))
                                .collect();
                            serde_json::to_string(&set).unwrap_or_default()
                        }
                        _ => {
                            let cands = sample_values(&key.strings, self.words);
                            key.strings.pick(*ai, &cands, false)
                        }
                    }
                }
            };
            context.push((sp.keys[k].name.clone(), value));
        }
        for (vi, on) in ctx.vars.iter().enumerate() {
            if self.uses_var(vi, a, r, p) {
                let state = if *on { "holds" } else { "does not hold" };
                context.push((format!("condition: {}", sp.vars[vi]), state.to_string()));
            }
        }
        Request {
            principal: sp.principals.pick(p, &principal_c, false),
            action,
            resource,
            context,
        }
    }

    /// Readable strings to try for a witness, best first: patterns without wildcards as
    /// written (this statement's, then any other's), then `known` real values, then wildcard
    /// patterns filled with a word, then `generic` examples. Whichever first has the atom's
    /// signature is used.
    fn candidates(
        &self,
        s: &Statement,
        dim: impl Fn(&Statement) -> &Match,
        word: &str,
        one: char,
        known: &[&str],
        generic: &[&str],
    ) -> Vec<String> {
        let displays = self.displays(s, dim);
        let globs: Vec<Glob> = displays.iter().map(|d| Glob::wildcard(d)).collect();
        let mut out: Vec<String> = globs
            .iter()
            .filter(|g| g.is_literal())
            .map(|g| g.sample("", one))
            .collect();
        out.extend(known.iter().map(|k| k.to_string()));
        out.extend(
            displays
                .iter()
                .zip(&globs)
                .filter(|(d, g)| !g.is_literal() && **d != "*")
                .map(|(_, g)| g.sample(word, one)),
        );
        out.extend(generic.iter().map(|g| g.to_string()));
        out
    }

    /// The patterns of one dimension as written, statement `s`'s first (unless negated), then
    /// every statement's of both scopes, each once.
    fn displays<'x>(
        &'x self,
        s: &'x Statement,
        dim: impl Fn(&Statement) -> &Match,
    ) -> Vec<&'x str> {
        let mut displays: Vec<&str> = Vec::new();
        if !dim(s).negated {
            displays.extend(dim(s).display.iter().map(String::as_str));
        }
        for sc in [self.new, self.old] {
            for x in sc.every() {
                displays.extend(dim(x.st).display.iter().map(String::as_str));
            }
        }
        // Statements repeat each other's patterns (one Azure role assigned on many scopes): each
        // candidate is checked against every pattern, so once is enough.
        let mut seen = std::collections::HashSet::new();
        displays.retain(|d| seen.insert(*d));
        displays
    }

    fn relevant_clauses(&self, a: usize, r: usize, p: usize) -> impl Iterator<Item = &CClause> {
        [self.old, self.new]
            .into_iter()
            .flat_map(move |sc| sc.at(a, r, p).flat_map(|x| x.clauses.iter()))
    }

    fn uses_key(&self, k: usize, a: usize, r: usize, p: usize) -> bool {
        self.relevant_clauses(a, r, p).any(|c| c.key() == Some(k))
    }

    fn uses_var(&self, v: usize, a: usize, r: usize, p: usize) -> bool {
        self.relevant_clauses(a, r, p)
            .any(|c| matches!(c, CClause::Opaque { var } if *var == v))
    }
}

fn holds(clauses: &[CClause], ctx: &Ctx, space: &Space) -> bool {
    clauses.iter().all(|c| match c {
        CClause::Str {
            key,
            negated,
            if_exists,
            values,
        } => match ctx.keys[*key] {
            None => *if_exists || *negated,
            Some(ai) => {
                let sig = &space.keys[*key].strings.atoms[ai].sig;
                values.iter().any(|&v| sig.has(v)) != *negated
            }
        },
        CClause::Null { key, is_null } => ctx.keys[*key].is_none() == *is_null,
        CClause::Opaque { var } => ctx.vars[*var],
        CClause::Ip {
            key,
            negated,
            if_exists,
            ranges,
        } => match ctx.keys[*key].map(|ai| space.keys[*key].values[ai]) {
            None => *if_exists || *negated,
            Some(KeyValue::Ip(v6, a)) => ranges.iter().any(|r| r.contains(v6, a)) != *negated,
            Some(KeyValue::Num(_)) => *negated,
        },
        CClause::Set {
            key,
            all,
            negated,
            if_exists,
            values,
        } => match ctx.keys[*key] {
            None => *all || *if_exists,
            Some(ai) => {
                let atoms = &space.keys[*key].strings.atoms;
                let mut members = (0..atoms.len()).filter(|&i| in_set(ai, i));
                let element = |i: usize| values.iter().any(|&v| atoms[i].sig.has(v)) != *negated;
                if *all {
                    members.all(element)
                } else {
                    members.any(element)
                }
            }
        },
        CClause::Num {
            key,
            op,
            negated,
            if_exists,
            values,
        } => match ctx.keys[*key].map(|ai| space.keys[*key].values[ai]) {
            None => *if_exists || *negated,
            Some(KeyValue::Num(x)) => values.iter().any(|v| op.holds(x, *v)) != *negated,
            Some(KeyValue::Ip(..)) => *negated,
        },
    })
}

fn decide(sc: &PlacedScope, a: usize, r: usize, p: usize, ctx: &Ctx, space: &Space) -> Decision {
    let applies = |x: &&Placed| holds(&x.clauses, ctx, space);
    if let Some(d) = sc
        .at(a, r, p)
        .filter(applies)
        .find(|x| x.st.effect == Effect::Deny)
    {
        return Decision::Denied {
            origin: d.st.origin,
        };
    }
    let allows = |g: &Group| {
        g.at(a, r, p)
            .filter(applies)
            .any(|x| x.st.effect == Effect::Allow)
    };
    if !allows(&sc.stmts) {
        return Decision::NotAllowed;
    }
    match &sc.boundary {
        Some(b) if !allows(b) => Decision::OutsideBoundary,
        _ => Decision::Allowed,
    }
}

/// One address per elementary interval that the ranges cut each family into: every address in
/// an interval is in exactly the same ranges. IPv4 and IPv6 are separate families.
fn ip_atoms(ranges: &[IpRange]) -> Vec<KeyValue> {
    let mut out = Vec::new();
    for v6 in [false, true] {
        let max = if v6 { u128::MAX } else { u128::from(u32::MAX) };
        let mut cuts: BTreeSet<u128> = BTreeSet::from([0]);
        for r in ranges.iter().filter(|r| r.v6 == v6) {
            cuts.insert(r.lo);
            if r.hi < max {
                cuts.insert(r.hi + 1);
            }
        }
        let cuts: Vec<u128> = cuts.into_iter().collect();
        for (i, &start) in cuts.iter().enumerate() {
            // Prefer a host address to the network address when the interval has one.
            let end = cuts.get(i + 1).map_or(max, |n| n - 1);
            let pick = if end - start >= 2 { start + 1 } else { start };
            out.push(KeyValue::Ip(v6, pick));
        }
    }
    out
}

/// One number per region the mentioned values cut the line into: below the least, each value,
/// between each two, above the greatest (by one unit, a second for dates, or more where one
/// unit is below the precision of a large value).
fn number_atoms(numbers: &[f64]) -> Vec<KeyValue> {
    let mut v: Vec<f64> = numbers.to_vec();
    v.sort_by(f64::total_cmp);
    v.dedup();
    let Some((&first, &last)) = v.first().zip(v.last()) else {
        return vec![KeyValue::Num(0.0)];
    };
    let step = |x: f64| 1.0f64.max(x.abs() * 1e-6);
    let mut out = vec![KeyValue::Num(first - step(first))];
    for (i, &x) in v.iter().enumerate() {
        out.push(KeyValue::Num(x));
        if let Some(&next) = v.get(i + 1) {
            out.push(KeyValue::Num(x + (next - x) / 2.0));
        }
    }
    out.push(KeyValue::Num(last + step(last)));
    out
}

/// Readable condition values to try for a key's string atoms.
fn sample_values(dim: &Dim, words: &dyn Vocabulary) -> Vec<String> {
    let named = dim.globs.iter().flat_map(|g| words.value_examples(g));
    named
        .chain(dim.globs.iter().map(|g| g.sample("example", 'x')))
        .chain(["example".to_string()])
        .collect()
}

/// Whether context value `ai` of a set-typed key holds atom `i` (value `ai` is the set whose
/// bits are `ai + 1`).
fn in_set(ai: usize, i: usize) -> bool {
    (ai + 1).checked_shr(i as u32).is_some_and(|m| m & 1 == 1)
}
