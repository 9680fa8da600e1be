//! Every witness the comparison reports is checked with the independent direct evaluator:
//! the new scope must allow it and the old one must not. Runs on every plan in `testdata/`
//! and in `../shared/corpus/` (when present; without it the test says so, and fails under `CI`).

#[allow(dead_code)]
#[path = "common/optional.rs"]
mod optional;

use privdiff::compare::{compare, evaluate, Limits};
use privdiff::model::{Decision, Provider, Request, Scope};
use privdiff::plan::refs::Config;
use privdiff::providers::all as extract;
use std::path::{Path, PathBuf};

fn plans(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            plans(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

/// A witness as the scopes match it: Azure compares scope strings case-insensitively, so
/// privdiff matches them in lower case and shows them as written.
fn matching(provider: Provider, r: &Request) -> Request {
    let mut r = r.clone();
    if provider == Provider::Azure {
        r.resource = r.resource.to_lowercase();
    }
    r
}

fn check(
    provider: Provider,
    old: &Scope,
    new: &Scope,
    what: &str,
    failures: &mut Vec<String>,
) -> usize {
    let words = privdiff::providers::Words::new(&Default::default());
    let Ok(delta) = compare(old, new, &Limits::default(), words.of(provider)) else {
        return 0;
    };
    for d in &delta.statements {
        let example = matching(provider, &d.example);
        let (n, o) = (evaluate(new, &example), evaluate(old, &example));
        if n != Decision::Allowed || o == Decision::Allowed {
            failures.push(format!(
                "{what}: witness {:?} new={n:?} old={o:?}",
                d.example
            ));
        }
        if o != d.old_decision {
            failures.push(format!(
                "{what}: old decision {o:?} but comparison said {:?}",
                d.old_decision
            ));
        }
    }
    delta.statements.len()
}

/// Calls `each` with every plan in `testdata/` and in `../shared/corpus/` (when present) that
/// loads and extracts.
fn each_plan(mut each: impl FnMut(&Path, &privdiff::plan::Plan, &privdiff::model::Extracted)) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    plans(&root.join("testdata/plans"), &mut files);
    if let Some(corpus) = optional::shared_part("corpus", "the corpus plans") {
        plans(&corpus, &mut files);
    }
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let Ok(plan) = privdiff::plan::load(&bytes) else {
            continue;
        };
        let config = Config::parse(plan.configuration);
        let Ok(found) = extract(
            &plan,
            config.as_ref(),
            &Default::default(),
            &Default::default(),
            &Default::default(),
        ) else {
            continue;
        };
        each(f, &plan, &found);
    }
}

#[test]
fn every_witness_is_allowed_by_new_and_not_by_old() {
    let mut failures = Vec::new();
    let mut checked = 0;
    each_plan(|f, _, found| {
        for id in found.identities.iter().chain(&found.resources) {
            let what = format!("{} {}", f.display(), id.address);
            // Both directions: additions and removals each come with an example.
            for (old, new) in [(&id.before, &id.after), (&id.after, &id.before)] {
                checked += check(
                    id.provider,
                    &old.permissions,
                    &new.permissions,
                    &what,
                    &mut failures,
                );
                let (ot, nt) = (
                    old.trust.clone().unwrap_or_default(),
                    new.trust.clone().unwrap_or_default(),
                );
                checked += check(id.provider, &ot, &nt, &what, &mut failures);
                let (orp, nrp) = (
                    old.resource_policy.clone().unwrap_or_default(),
                    new.resource_policy.clone().unwrap_or_default(),
                );
                checked += check(id.provider, &orp, &nrp, &what, &mut failures);
            }
        }
    });
    assert!(checked > 50, "only {checked} witnesses checked");
    assert!(
        failures.is_empty(),
        "{} bad witnesses:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The requests of the content rules (PD014–PD020, PD022) are checked the same way: each one
/// is allowed by the identity's permissions after the change (its boundary included, when
/// privdiff can read it).
#[test]
fn every_request_of_a_combination_is_allowed_after_the_change() {
    use privdiff::model::Boundary;
    let combination = |c: &str| ("PD014".."PD021").contains(&c) || c == "PD022";
    let mut failures = Vec::new();
    let mut checked = 0;
    each_plan(|f, plan, found| {
        let options = privdiff::analyze::Options::default();
        let Ok(report) = privdiff::analyze::analyze(plan, &Limits::default(), &options) else {
            return;
        };
        for finding in report.findings.iter().filter(|x| combination(x.code)) {
            // A capability gained through a path is the target's: its requests follow the
            // hops' (which tests/paths.rs and the oracle check).
            let (holder, hops) = match &finding.through {
                Some(target) => {
                    let path = report
                        .identities
                        .iter()
                        .find(|i| i.address == finding.identity)
                        .and_then(|i| i.paths.iter().find(|p| &p.target == target))
                        .expect("a path finding's path is reported");
                    (target, path.hops.len())
                }
                None => (&finding.identity, 0),
            };
            let id = found
                .identities
                .iter()
                .find(|i| &i.address == holder)
                .expect("a finding's identity was extracted");
            let mut after = id.after.permissions.clone();
            if !matches!(id.after.boundary, Boundary::Document { .. }) {
                after.boundary = None;
            }
            for w in &finding.requests[hops..] {
                if w.action == "(sensitive)" {
                    continue;
                }
                let request = privdiff::model::Request {
                    principal: String::new(),
                    action: w.action.clone(),
                    resource: w.resource.clone(),
                    context: w
                        .context
                        .iter()
                        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
                        .collect(),
                };
                let request = matching(id.provider, &request);
                checked += 1;
                let d = evaluate(&after, &request);
                if d != Decision::Allowed {
                    failures.push(format!(
                        "{} {} {}: {request:?} is {d:?} after the change",
                        f.display(),
                        finding.identity,
                        finding.code
                    ));
                }
            }
        }
    });
    assert!(checked > 30, "only {checked} requests checked");
    assert!(
        failures.is_empty(),
        "{} bad requests:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
