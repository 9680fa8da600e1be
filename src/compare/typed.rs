//! Typed requests: which real actions of an action atom can meet which resource atoms.
//!
//! The atoms decide how both scopes treat a request, but not whether the request can happen: a
//! request pairs an action with a resource of one of the action's types (or `*` for an action
//! that takes none), so `s3:ListBucket` on `arn:aws:s3:::b/*` is no request at all. Decisions
//! stay with the atoms; this module only says, for an (action atom, resource atom) pair the
//! search found added, which of the atom's catalog actions have a resource in the resource atom,
//! and gives one such resource each.
//!
//! An action atom's actions are the catalog actions whose signature it is, plus *unknown*
//! actions when some pattern of its signature matches no catalog action (a new action, a
//! service the catalog lacks, a misspelling): those keep any resource. A wildcard over known
//! actions (`s3:Get*`, `*`) is read as the actions the catalog has.
//!
//! Resource atoms are split by the catalog's ARN formats one service at a time: the service
//! field of an ARN is literal in every format but one, and a pattern with a literal service
//! field can only meet that service's formats, so each search holds one service's formats and
//! the patterns that may reach it (see `by_service.rs` for the same idea on actions).

use super::atoms::{Atom, Budget};
use super::by_service::memo;
use super::Exhausted;
use crate::model::bits::Bits;
use crate::model::pattern::Glob;
use crate::model::vocabulary::ActionTypes;
use crate::model::{Effect, Statement};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Patterns of a resource atom filled in and tried as its resources (see `Typing::samples`).
const SAMPLED_PATTERNS: usize = 4;

/// The actions of one action atom.
#[derive(Debug, Clone, Default)]
pub struct Members {
    /// Catalog actions in the atom, ascending.
    pub ids: Vec<u32>,
    /// Whether the atom also holds actions the catalog lacks; they take any resource.
    pub unknown: bool,
}

/// What an (action atom, resource atom) pair holds in real requests.
#[derive(Debug, Clone, Default)]
pub struct Meeting {
    /// Catalog actions with a resource in the atom, the most consequential first: each with a
    /// format it meets the atom in (`None`: it takes `*`, and the atom holds `*`).
    pub actions: Vec<(u32, Option<u32>)>,
    /// The same actions as a set of ids.
    pub ids: Bits,
    /// Whether the atom's unknown actions count (they take any resource).
    pub unknown: bool,
}

impl Meeting {
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty() && !self.unknown
    }
}

pub struct Typing<'t> {
    pub types: &'t dyn ActionTypes,
    /// By action pattern id: the catalog actions it matches, ascending.
    matched: Vec<Arc<[u32]>>,
    /// By action atom: its signature, and its members once a pair of it is first asked about
    /// (most atoms never are, and `*` matches every action of the catalog).
    sigs: Vec<Bits>,
    members: Vec<Option<Members>>,
    /// The resource atom holding the literal `*` (the resource of actions that take none).
    star: Option<usize>,
    /// (resource atom, format) → a resource of that format in that atom.
    met: HashMap<(usize, u32), String>,
    /// Services whose formats are split into `met` already.
    searched: HashSet<String>,
    /// Resource atoms by signature, and the resource patterns' texts.
    by_sig: HashMap<Bits, usize>,
    /// By resource atom: the one service every resource in it belongs to, when a pattern its
    /// resources match names one (`None`: any service).
    service_of: Vec<Option<String>>,
    /// The resource atoms (signature and representative).
    resource_atoms: Vec<Atom>,
    /// By resource atom: a few of its resources to try against a format before a search (its
    /// patterns filled in, and its own representative), once a pair of it is first decided.
    samples: Vec<Option<Vec<String>>>,
    /// By format: the resource atom its readable example lies in, once looked at.
    example_in: HashMap<u32, Option<usize>>,
    /// By resource atom, by format: whether the format has a resource in the atom, once
    /// decided (0 not yet, 1 no, 2 yes). The actions of a service share their few formats, and
    /// an atom of `*` holds thousands of actions: a lookup per action must cost little.
    decided: HashMap<usize, Vec<u8>>,
    texts: Vec<String>,
    resource_globs: Vec<Glob>,
    /// Meetings worked out, by (action atom, resource atom).
    memo: HashMap<(usize, usize), Meeting>,
    /// Automaton steps the format searches took.
    pub steps: usize,
}

impl<'t> Typing<'t> {
    /// The members of each action atom (`action_texts`: the action patterns, by id), and the
    /// resource dimension to split.
    pub fn new(
        types: &'t dyn ActionTypes,
        action_texts: &[&str],
        action_atoms: &[Atom],
        resource_texts: &[&str],
        resource_globs: &[Glob],
        resource_atoms: &[Atom],
    ) -> Typing<'t> {
        let matched: Vec<Arc<[u32]>> = action_texts.iter().map(|t| types.matching(t)).collect();
        let sigs: Vec<Bits> = action_atoms.iter().map(|atom| atom.sig.clone()).collect();
        let by_sig: HashMap<Bits, usize> = resource_atoms
            .iter()
            .enumerate()
            .map(|(i, a)| (a.sig.clone(), i))
            .collect();
        let star = by_sig
            .get(&super::atoms::signature(resource_globs, "*"))
            .copied();
        let service_of = resource_atoms
            .iter()
            .map(|atom| {
                atom.sig
                    .ones()
                    .find_map(|i| types.pattern_service(resource_texts[i]))
                    .map(str::to_string)
            })
            .collect();
        Typing {
            types,
            resource_atoms: resource_atoms.to_vec(),
            samples: vec![None; resource_atoms.len()],
            matched,
            members: vec![None; sigs.len()],
            sigs,
            star,
            met: HashMap::new(),
            searched: HashSet::new(),
            by_sig,
            service_of,
            example_in: HashMap::new(),
            decided: HashMap::new(),
            texts: resource_texts.iter().map(|t| t.to_string()).collect(),
            resource_globs: resource_globs.to_vec(),
            memo: HashMap::new(),
            steps: 0,
        }
    }

    /// Whether action pattern `p` matches no catalog action.
    pub fn uncovered(&self, p: usize) -> bool {
        self.matched[p].is_empty()
    }

    /// The real requests of action atom `a` on resource atom `r`.
    pub fn meeting(&mut self, a: usize, r: usize, budget: Budget) -> Result<&Meeting, Exhausted> {
        if !self.memo.contains_key(&(a, r)) {
            let found = self.work_out(a, r, budget)?;
            self.memo.insert((a, r), found);
        }
        Ok(&self.memo[&(a, r)])
    }

    fn work_out(&mut self, a: usize, r: usize, budget: Budget) -> Result<Meeting, Exhausted> {
        let types = self.types;
        let known = self.members_of(a);
        let mut out = Meeting {
            actions: Vec::new(),
            ids: Bits::default(),
            unknown: known.unknown,
        };
        let ids = std::mem::take(&mut known.ids);
        let mut decided = self.decided.remove(&r).unwrap_or_default();
        let mut result = Ok(());
        for &id in &ids {
            let formats = types.formats_of(id);
            if formats.is_empty() {
                if self.star == Some(r) {
                    out.actions.push((id, None));
                }
                continue;
            }
            match self.meets(formats, r, &mut decided, budget) {
                Ok(Some(f)) => out.actions.push((id, Some(f))),
                Ok(None) => {}
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        self.members_of(a).ids = ids;
        self.decided.insert(r, decided);
        result?;
        // Catalog ids run in name order within a service.
        out.actions.sort_by_key(|&(id, _)| (types.rank(id), id));
        out.ids = Bits::with_len(types.count());
        for &(id, _) in &out.actions {
            out.ids.set(id as usize);
        }
        Ok(out)
    }

    /// The actions of atom `a`: the catalog actions that match exactly the patterns of its
    /// signature, found among those of its rarest pattern (among all, for the atom of no
    /// pattern); and whether a pattern of it matches no catalog action.
    fn members_of(&mut self, a: usize) -> &mut Members {
        let (matched, sig, count) = (&self.matched, &self.sigs[a], self.types.count());
        self.members[a].get_or_insert_with(|| {
            let has = |p: usize, id: u32| matched[p].binary_search(&id).is_ok();
            let inside = |id: u32| (0..matched.len()).all(|p| has(p, id) == sig.has(p));
            let ids: Vec<u32> = match sig.ones().min_by_key(|&p| matched[p].len()) {
                Some(p) => matched[p]
                    .iter()
                    .copied()
                    .filter(|&id| inside(id))
                    .collect(),
                None => (0..count as u32).filter(|&id| inside(id)).collect(),
            };
            let unknown = sig.ones().any(|p| matched[p].is_empty());
            Members { ids, unknown }
        })
    }

    /// The first of `formats` that has a resource in atom `r`.
    fn meets(
        &mut self,
        formats: &[u32],
        r: usize,
        decided: &mut Vec<u8>,
        budget: Budget,
    ) -> Result<Option<u32>, Exhausted> {
        let mut found = Ok(None);
        for &f in formats {
            let at = f as usize;
            if decided.len() <= at {
                decided.resize(at + 1, 0);
            }
            if decided[at] == 0 {
                match self.decide(f, r, budget) {
                    Ok(m) => decided[at] = if m { 2 } else { 1 },
                    Err(e) => {
                        found = Err(e);
                        break;
                    }
                }
            }
            if decided[at] == 2 {
                found = Ok(Some(f));
                break;
            }
        }
        found
    }

    /// Whether format `f` has a resource in atom `r`, and if so, one in `met`.
    fn decide(&mut self, f: u32, r: usize, budget: Budget) -> Result<bool, Exhausted> {
        let types = self.types;
        let service = types.format_service(f);
        // Every resource of an atom inside a pattern that names a service is of that service.
        let fits =
            service.contains('$') || self.service_of[r].as_deref().is_none_or(|s| s == service);
        if !fits {
            return Ok(false);
        }
        // A readable example of the format settles most pairs without a search, and so does a
        // resource of the atom that the format holds.
        if self.example_atom(f) == Some(r) {
            self.met
                .entry((r, f))
                .or_insert_with(|| types.format_example(f));
            return Ok(true);
        }
        let format = types.format(f);
        if let Some(sample) = self.samples_of(r).iter().find(|c| format.matches(c)) {
            let sample = sample.clone();
            self.met.entry((r, f)).or_insert(sample);
            return Ok(true);
        }
        // A pattern the atom lies in that shares no resource with the format rules it out; the
        // answer is remembered across comparisons, where a search of the service would not be.
        let disjoint = self.resource_atoms[r]
            .sig
            .ones()
            .take(SAMPLED_PATTERNS)
            .any(|i| !overlap(types, f, &self.texts[i], &self.resource_globs[i]));
        if disjoint {
            return Ok(false);
        }
        self.split(service, budget)?;
        Ok(self.met.contains_key(&(r, f)))
    }

    /// Resources of atom `r` to try against a format: most atoms lie inside a pattern that
    /// names a resource of the very type an action takes, and the pattern filled in is one.
    fn samples_of(&mut self, r: usize) -> &[String] {
        let (atom, globs) = (&self.resource_atoms[r], &self.resource_globs);
        self.samples[r].get_or_insert_with(|| {
            let mut tries: Vec<String> = atom
                .sig
                .ones()
                .take(SAMPLED_PATTERNS)
                .map(|i| globs[i].sample("example", 'x'))
                .filter(|c| super::atoms::signature(globs, c) == atom.sig)
                .collect();
            tries.push(atom.witness.clone());
            tries
        })
    }

    /// The resource atom format `f`'s readable example lies in.
    fn example_atom(&mut self, f: u32) -> Option<usize> {
        if let Some(&known) = self.example_in.get(&f) {
            return known;
        }
        let example = self.types.format_example(f);
        let found = self
            .by_sig
            .get(&super::atoms::signature(&self.resource_globs, &example))
            .copied();
        self.example_in.insert(f, found);
        found
    }

    /// A resource of format `f` in resource atom `r`, once [`Typing::meeting`] found they meet.
    pub fn resource(&self, r: usize, f: u32) -> Option<&str> {
        self.met.get(&(r, f)).map(String::as_str)
    }

    /// Splits the resource atoms by the formats of one service, once.
    fn split(&mut self, service: &str, budget: Budget) -> Result<(), Exhausted> {
        if self.searched.contains(service) {
            return Ok(());
        }
        let types = self.types;
        // A format whose service field is itself a placeholder may meet any pattern.
        let wild = service.contains('$');
        let reach: Vec<usize> = (0..self.texts.len())
            .filter(|&i| {
                wild || types
                    .pattern_service(&self.texts[i])
                    .is_none_or(|s| s == service)
            })
            .collect();
        let formats = types.formats_in(service);
        let mut globs: Vec<Glob> = reach
            .iter()
            .map(|&i| self.resource_globs[i].clone())
            .collect();
        globs.extend(formats.iter().map(|&f| types.format(f).clone()));
        let left = Budget {
            states: budget.states,
            steps: budget.steps.saturating_sub(self.steps),
        };
        let (found, used) = memo::atoms(globs, left)?;
        self.steps += used;
        let k = reach.len();
        for atom in found.iter() {
            if !atom.sig.ones().any(|i| i >= k) {
                continue;
            }
            let mut sig = Bits::with_len(self.texts.len());
            for i in atom.sig.ones().filter(|&i| i < k) {
                sig.set(reach[i]);
            }
            let Some(&r) = self.by_sig.get(&sig) else {
                continue;
            };
            for i in atom.sig.ones().filter(|&i| i >= k) {
                self.met
                    .entry((r, formats[i - k]))
                    .or_insert_with(|| atom.witness.clone());
            }
        }
        self.searched.insert(service.to_string());
        Ok(())
    }
}

/// Action patterns matching more catalog actions than this are not checked by [`dead_patterns`]:
/// a broad wildcard that meets none of its resources is rare, and checking costs an action each.
const DEAD_CHECK_LIMIT: usize = 2_000;

/// The action patterns of an Allow statement (indices into `actions.patterns`) whose actions
/// meet none of the statement's resources, with the formats their first action takes (none: it
/// takes only `*`):
/// through them the statement allows nothing, which is likely a mistake (`s3:ListBucket` on
/// `arn:aws:s3:::b/*`). Patterns the catalog does not know, `NotAction`, `NotResource` and
/// statements on `*` are left alone.
pub fn dead_patterns(types: &dyn ActionTypes, st: &Statement) -> Vec<(usize, Vec<u32>)> {
    let (actions, resources) = (&st.actions, &st.resources);
    if st.effect != Effect::Allow
        || actions.negated
        || resources.negated
        || resources.patterns.iter().any(|r| r == "*")
    {
        return Vec::new();
    }
    let globs: Vec<Glob> = resources.patterns.iter().map(|r| Glob::arn(r)).collect();
    let star = globs.iter().any(|g| g.matches("*"));
    let mut out = Vec::new();
    for (i, pattern) in actions.patterns.iter().enumerate() {
        let ids = types.matching(pattern);
        if ids.is_empty() || ids.len() > DEAD_CHECK_LIMIT {
            continue;
        }
        let alive = ids.iter().any(|&id| match types.formats_of(id) {
            [] => star,
            formats => formats.iter().any(|&f| {
                resources
                    .patterns
                    .iter()
                    .zip(&globs)
                    .any(|(text, g)| overlap(types, f, text, g))
            }),
        });
        if !alive {
            out.push((i, types.formats_of(ids[0]).to_vec()));
        }
    }
    out
}

/// Whether format `f` and the resource pattern `text` (compiled as `glob`) share a resource,
/// remembered for the run: a plan repeats its patterns.
fn overlap(types: &dyn ActionTypes, f: u32, text: &str, glob: &Glob) -> bool {
    thread_local! {
        static KNOWN: std::cell::RefCell<HashMap<(u32, String), bool>> = Default::default();
    }
    let key = (f, text.to_string());
    if let Some(known) = KNOWN.with(|k| k.borrow().get(&key).copied()) {
        return known;
    }
    let budget = Budget {
        states: 10_000,
        steps: 1_000_000,
    };
    // Out of budget counts as meeting: the note is only for what is certain.
    let met = super::atoms::atoms(&[types.format(f).clone(), glob.clone()], budget)
        .map_or(true, |(found, _)| {
            found.iter().any(|a| a.sig.has(0) && a.sig.has(1))
        });
    KNOWN.with(|k| {
        let mut k = k.borrow_mut();
        if k.len() > 100_000 {
            k.clear();
        }
        k.insert(key, met);
    });
    met
}
