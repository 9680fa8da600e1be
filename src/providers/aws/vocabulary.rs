//! AWS's vocabulary for witnesses: well-known actions and example values (`examples.rs`), and
//! the catalog that says which resource an action takes and what a pattern covers.

use super::examples::{resources, ACTIONS, PRINCIPALS};
use crate::catalog::aws::catalog;
use crate::model::vocabulary::{ActionTypes, Vocabulary};
use crate::model::{AccessSummary, Glob, Scope, Statement, Witness};
use std::sync::Arc;

/// AWS's words.
pub struct Aws;

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

    fn rank(&self, id: u32) -> usize {
        catalog().effective_rank(id).into()
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
        crate::catalog::aws::example_arn(catalog().format_text(f))
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
        resources(&action.split(':').next().unwrap_or("").to_ascii_lowercase())
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
                let own = cat.example_resources(&info);
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

    fn sample_actions(&self, pattern: &str) -> Vec<String> {
        let cat = catalog();
        let mut ids = cat.matching(pattern).to_vec();
        ids.sort_by_key(|&id| cat.by_id(id).effective_level().rank());
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
            .map(|a| cat.example_resources(&a))
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
        super::principals::for_principal(example, principal, statement, scopes, subject)
    }
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
