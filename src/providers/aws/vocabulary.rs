//! AWS's vocabulary for witnesses: well-known actions and example values (`examples.rs`), and
//! the catalog that says which resource an action takes and what a pattern covers.

use super::examples::{ACTIONS, PRINCIPALS};
use crate::catalog::aws::catalog;
use crate::catalog::aws::template::{fill_with, name_wildcards};
use crate::model::names::marked;
use crate::model::vocabulary::{ActionTypes, Vocabulary};
use crate::model::{AccessSummary, Glob, PlanNames, Scope, Statement, Witness};
use std::sync::Arc;

/// AWS's words, with what one plan names things.
#[derive(Debug, Default)]
pub struct Aws {
    names: Arc<PlanNames>,
}

/// Stands where a pattern has a `*` while its wildcards are named: no ARN holds it.
const MARK: char = '\u{1}';
/// Formats of a service a condition's ARN pattern is named in, the best known first.
const VALUE_FORMATS: usize = 16;
/// Resources of the plan offered per action as witness candidates.
const NAMED_CANDIDATES: usize = 16;

impl Aws {
    /// AWS's words for a plan that names these things.
    pub fn new(names: &Arc<PlanNames>) -> Aws {
        Aws {
            names: Arc::clone(names),
        }
    }

    /// What the plan names.
    pub fn names(&self) -> &PlanNames {
        &self.names
    }

    /// What a format's placeholder reads as in an example: the plan's partition, region or
    /// account; AWS's own partition where the plan names none; otherwise the placeholder,
    /// marked (`<bucket-name>`).
    fn place(&self, placeholder: &str) -> String {
        match self.names.place(placeholder) {
            Some(v) => v.to_string(),
            None if placeholder == "Partition" => "aws".to_string(),
            None => marked(placeholder),
        }
    }

    /// A catalog format with its placeholders read by [`Aws::place`].
    fn fill(&self, template: &str) -> String {
        fill_with(template, &|p| self.place(p))
    }

    /// `sample` (a pattern filled in with [`MARK`] for each `*`) with each mark named by the
    /// placeholder of format `f` it falls in (see `name_wildcards`), if the result is of the
    /// format.
    fn named(&self, f: u32, sample: &str) -> Option<String> {
        self.named_by(f, sample, &|p| self.place(p))
    }

    /// [`Aws::named`] with whole placeholders read by `place`.
    fn named_by(&self, f: u32, sample: &str, place: &dyn Fn(&str) -> String) -> Option<String> {
        let named = name_wildcards(catalog().format_text(f), sample, MARK, place, &marked)?;
        self.format(f).matches(&named).then_some(named)
    }

    /// `sample` named in format `f` (see [`Aws::named`]), then with every placeholder marked:
    /// where a policy excludes the plan's region or account, `<region>` still reads as one.
    fn named_both(&self, f: u32, sample: &str) -> Vec<String> {
        let mut out: Vec<String> = self.named(f, sample).into_iter().collect();
        if let Some(marked) = self.named_by(f, sample, &marked) {
            if !out.contains(&marked) {
                out.push(marked);
            }
        }
        out
    }
}

/// Actions, and resources, tried for a witness AWS would accept (see `fitting_pair`).
const FITTING_TRIES: usize = 12;
/// Catalog actions offered per statement as readable witness candidates.
const CATALOG_CANDIDATES: usize = 48;
/// Real actions tried per action pattern when requests are sampled.
const SAMPLED_PER_PATTERN: usize = 3;

impl ActionTypes for Aws {
    fn matching(&self, pattern: &str) -> Arc<[u32]> {
        catalog().matching(pattern)
    }

    fn count(&self) -> usize {
        catalog().len()
    }

    fn name(&self, id: u32) -> String {
        name(id)
    }

    /// By access level, and within one by [`ACTIONS`]: of the Write actions `ec2:*` adds,
    /// `ec2:RunInstances` tells a reviewer more than the first in name order.
    fn rank(&self, id: u32) -> usize {
        let level = usize::from(catalog().effective_rank(id));
        level * (ACTIONS.len() + 1) + well_known(id)
    }

    fn formats_of(&self, id: u32) -> &[u32] {
        catalog().formats_of(id)
    }

    fn format(&self, f: u32) -> &Glob {
        &catalog().formats()[f as usize]
    }

    fn format_service(&self, f: u32) -> &str {
        catalog().format_service(f)
    }

    fn format_example(&self, f: u32) -> String {
        self.fill(catalog().format_text(f))
    }

    fn resource_in_format(&self, pattern: &Glob, f: u32) -> Vec<String> {
        self.named_both(f, &pattern.sample(&MARK.to_string(), 'x'))
    }

    /// The plan's resources of the action's types, then the objects inside them (a bucket's
    /// `<object-name>`).
    fn named_resource(&self, id: u32, fits: &dyn Fn(&str) -> bool) -> Option<String> {
        let names = |f: u32| self.names.of_service(self.format_service(f));
        let formats = self.formats_of(id);
        let direct = formats.iter().flat_map(|&f| {
            let format = self.format(f);
            names(f).iter().filter(move |n| format.matches(n)).cloned()
        });
        let inside = formats.iter().flat_map(|&f| {
            names(f)
                .iter()
                .filter_map(move |n| self.named(f, &format!("{n}/{MARK}")))
        });
        direct
            .chain(inside)
            .take(NAMED_CANDIDATES)
            .find(|c| fits(c))
    }

    fn format_uses(&self, f: u32) -> u32 {
        catalog().format_uses(f)
    }

    fn formats_in(&self, service: &str) -> &[u32] {
        catalog().formats_in(service)
    }

    fn pattern_service<'p>(&self, pattern: &'p str) -> Option<&'p str> {
        // Only `arn:<partition>:<service>:` with neither wildcarded: a `*` that ends the
        // partition field may run past colons into any service.
        let mut fields = pattern.splitn(4, ':');
        let (arn, partition, service) = (fields.next()?, fields.next()?, fields.next()?);
        fields.next()?;
        let wild = |f: &str| f.contains(['*', '?', '$']);
        (arn == "arn" && !wild(partition) && !wild(service)).then_some(service)
    }

    fn knows_service(&self, key: &str) -> bool {
        catalog().has_service(key.trim_end_matches(':'))
    }
}

impl Vocabulary for Aws {
    fn types(&self) -> Option<&dyn ActionTypes> {
        Some(self)
    }

    fn known_actions(&self, statement: &Statement, _: &[&Statement]) -> Vec<String> {
        let mut known: Vec<String> = ACTIONS.iter().map(|a| a.to_string()).collect();
        known.extend(catalog_actions(statement));
        known
    }

    fn resource_examples(&self, action: &str) -> Vec<String> {
        // An action the catalog lacks may take any resource: the plan's of its service read
        // best, else one of the service's with a marked name.
        let service = action.split(':').next().unwrap_or("").to_ascii_lowercase();
        let mut out = self.names.of_service(&service).to_vec();
        let place = |p: &str| self.place(p);
        out.push(format!(
            "arn:{}:{service}:{}:{}:<resource>",
            place("Partition"),
            place("Region"),
            place("Account")
        ));
        out
    }

    fn fitting_pair(
        &self,
        actions: &[String],
        resources: &[String],
        in_action: &dyn Fn(&str) -> bool,
        in_resource: &dyn Fn(&str) -> bool,
    ) -> Option<(String, String)> {
        // Each try checks every pattern: a few of each.
        let cat = catalog();
        let resources: Vec<&String> = resources
            .iter()
            .filter(|res| in_resource(res))
            .take(FITTING_TRIES)
            .collect();
        actions
            .iter()
            .filter_map(|name| cat.action(name).map(|info| (name, info)))
            .filter(|(name, _)| in_action(name))
            .take(FITTING_TRIES)
            .find_map(|(_, info)| {
                let own = cat.example_resources(&info, &|p| self.place(p));
                let own = own.iter().filter(|res| in_resource(res));
                resources
                    .iter()
                    .copied()
                    .chain(own)
                    .find(|res| cat.takes(&info, res))
                    .map(|res| (format!("{}:{}", info.service, info.name), res.clone()))
            })
    }

    fn principal_examples(&self) -> &'static [&'static str] {
        PRINCIPALS
    }

    /// An account as written (`AWS:123456789012`) is shorthand for its root, which is how a
    /// request names it.
    fn principal_in_request(&self, written: String) -> String {
        match written.strip_prefix("AWS:") {
            Some(id) if super::arn::is_account(id) => format!("AWS:arn:aws:iam::{id}:root"),
            _ => written,
        }
    }

    /// An ARN pattern named in the formats of its service, the best known first.
    fn value_examples(&self, pattern: &Glob) -> Vec<String> {
        let sample = pattern.sample(&MARK.to_string(), 'x');
        let Some(service) = self.pattern_service(&sample) else {
            return Vec::new();
        };
        let mut formats = self.formats_in(service).to_vec();
        formats.sort_by_key(|&f| (std::cmp::Reverse(self.format_uses(f)), f));
        formats
            .into_iter()
            .take(VALUE_FORMATS)
            .map(|f| self.named_both(f, &sample))
            .find(|named| !named.is_empty())
            .unwrap_or_default()
    }

    fn sample_actions(&self, pattern: &str) -> Vec<String> {
        let cat = catalog();
        let mut ids = cat.matching(pattern).to_vec();
        ids.sort_by_key(|&id| ActionTypes::rank(self, id));
        ids.into_iter()
            .take(SAMPLED_PER_PATTERN)
            .map(name)
            .collect()
    }

    fn sample_any_actions(&self, keep: &dyn Fn(&str) -> bool, n: usize) -> Vec<String> {
        let all = catalog().matching("*");
        all.iter()
            .map(|&id| name(id))
            .filter(|a| keep(a))
            .take(n)
            .collect()
    }

    fn sample_resources(&self, action: &str) -> Vec<String> {
        let cat = catalog();
        cat.action(action)
            .map(|a| cat.example_resources(&a, &|p| self.place(p)))
            .unwrap_or_default()
    }

    fn access(&self, actions: &[String], not_actions: bool) -> Option<AccessSummary> {
        Some(super::access::summary(actions, not_actions))
    }

    fn exact_access(&self, ids: &[u32], unknown: Vec<String>) -> Option<AccessSummary> {
        Some(super::access::exact(ids, unknown))
    }

    fn principal_example(
        &self,
        example: &Witness,
        principal: &str,
        statement: &Statement,
        scopes: (&Scope, &Scope),
        subject: (Option<&str>, Option<&str>),
    ) -> Option<Witness> {
        super::principals::for_principal(example, principal, statement, scopes, subject, &|p| {
            self.place(p)
        })
    }
}

/// Where catalog action `id` stands in [`ACTIONS`]; after them all when it is not there.
fn well_known(id: u32) -> usize {
    // By id, not hashed: ranks are read while sorting every action a comparison meets.
    static AT: std::sync::OnceLock<Vec<u16>> = std::sync::OnceLock::new();
    let at = AT.get_or_init(|| {
        let cat = catalog();
        let mut at = vec![ACTIONS.len() as u16; cat.len()];
        for (i, name) in ACTIONS.iter().enumerate() {
            if let Some(id) = cat.id(name) {
                at[id as usize] = i as u16;
            }
        }
        at
    });
    at[id as usize].into()
}

/// `service:Action` of the catalog action `id`.
fn name(id: u32) -> String {
    let a = catalog().by_id(id);
    format!("{}:{}", a.service, a.name)
}

/// Real actions a statement's action patterns match, the most consequential first, as witness
/// candidates (each is used only if it has the atom's signature). None for `NotAction`.
fn catalog_actions(statement: &Statement) -> Vec<String> {
    let actions = &statement.actions;
    if actions.negated {
        return Vec::new();
    }
    let cat = catalog();
    let mut ids: Vec<u32> = actions
        .patterns
        .iter()
        .flat_map(|p| {
            cat.matching(p)
                .iter()
                .take(CATALOG_CANDIDATES)
                .copied()
                .collect::<Vec<_>>()
        })
        .collect();
    ids.sort_by_key(|&id| (cat.by_id(id).effective_level().rank(), id));
    ids.dedup();
    ids.into_iter().take(CATALOG_CANDIDATES).map(name).collect()
}
