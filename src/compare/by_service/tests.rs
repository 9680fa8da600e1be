//! The split search gives the atoms of one search over every pattern.

use super::*;
use crate::compare::atoms::signature;
use crate::compare::tests::Plain;
use crate::providers::azure::vocabulary::Azure;

const BIG: Budget = Budget {
    states: 1_000_000,
    steps: 100_000_000,
};

fn sigs(found: &[Atom]) -> Vec<Bits> {
    let mut s: Vec<Bits> = found.iter().map(|a| a.sig.clone()).collect();
    s.sort();
    s
}

/// Split by service, `texts` give the atoms of one search over all of them, and each
/// representative really has its atom's signature.
fn same_atoms_as_one_search(texts: &[&str], words: &dyn Vocabulary) {
    let globs: Vec<Glob> = texts.iter().map(|t| Glob::wildcard(t)).collect();
    let (split, _) = action_atoms(&globs, texts, BIG, words).unwrap();
    let (whole, _) = atoms(&globs, BIG).unwrap();
    assert_eq!(sigs(&split), sigs(&whole));
    for atom in &split {
        assert_eq!(
            signature(&globs, &atom.witness),
            atom.sig,
            "{}",
            atom.witness
        );
    }
}

#[test]
fn the_same_atoms_as_one_search_over_every_pattern() {
    let texts = [
        "s3:get*",
        "s3:getobject",
        "s3:*",
        "iam:passrole",
        "iam:*",
        "*",
        "*:get*",
        "s3*:list*",
        "ec2:describe*",
        "ec2:?escribeinstances",
        "kms:*",
        "s3:get?bject",
    ];
    same_atoms_as_one_search(&texts, &Plain);
}

#[test]
fn azure_resource_providers_are_searched_apart_with_the_same_atoms() {
    let texts = [
        "action:*",
        "action:*/read",
        "action:microsoft.authorization/*/write",
        "action:microsoft.authorization/roleassignments/write",
        "action:microsoft.compute/*",
        "action:microsoft.compute/virtualmachines/*",
        "action:microsoft.compute/*/delete",
        "action:microsoft.*/read",
        "action:microsoft.storage/storageaccounts/listkeys/action",
        "dataaction:microsoft.storage/*/read",
        "dataaction:*",
        "s3:get*",
    ];
    same_atoms_as_one_search(&texts, &Azure);
}

#[test]
fn a_thousand_patterns_across_hundreds_of_services_stay_cheap() {
    let texts: Vec<String> = (0..300)
        .flat_map(|s| ["get*", "list*", "describe*", "batchget*"].map(|p| format!("svc{s:03}:{p}")))
        .chain(["*:get*".to_string()])
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let globs: Vec<Glob> = refs.iter().map(|t| Glob::wildcard(t)).collect();
    let budget = Budget {
        states: 100_000,
        steps: 5_000_000,
    };
    let (found, steps) = action_atoms(&globs, &refs, budget, &Plain).unwrap();
    assert!(steps < budget.steps);
    // Per service: get*, list*, describe*, batchget* and none; one "none" and one
    // `*:get*`-only atom for the services no pattern names.
    assert!(found.len() > 300 * 4, "{}", found.len());
}

#[test]
fn gcp_permissions_split_by_service_with_the_same_atoms() {
    let texts = [
        "compute.instances.get",
        "compute.*",
        "storage.objects.get",
        "storage.objects.*",
        "*.get",
        "*",
        "*.setiampolicy",
        // A string's service ends at its first separator, whichever it is.
        "a.b:c",
        "a.*",
        "a:*",
        "s3:get*",
    ];
    same_atoms_as_one_search(&texts, &Plain);
}

#[test]
fn a_complete_gcp_role_of_ten_thousand_permissions_fits_the_default_budget() {
    let texts: Vec<String> = (0..300)
        .flat_map(|s| (0..34).map(move |p| format!("service{s:03}.resource{p:02}.verb")))
        .chain(["*.get".to_string()])
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let globs: Vec<Glob> = refs.iter().map(|t| Glob::wildcard(t)).collect();
    let budget = Budget {
        states: 100_000,
        steps: 5_000_000,
    };
    let (found, _) = action_atoms(&globs, &refs, budget, &Plain).unwrap();
    assert!(found.len() > 300 * 34, "{}", found.len());
}

/// A second search of the same parts answers from the memo, and answers as the search
/// would: the same atoms and steps with room to spare, `Exhausted` with one step too few.
#[test]
fn remembered_parts_answer_as_the_search_would() {
    let texts = [
        "s3:get*",
        "s3:put*",
        "ec2:describe*",
        "iam:pass*",
        "*:get*",
        "*",
    ];
    let globs: Vec<Glob> = texts.iter().map(|t| Glob::wildcard(t)).collect();
    let (first, steps) = action_atoms(&globs, &texts, BIG, &Plain).unwrap();
    let (again, again_steps) = action_atoms(&globs, &texts, BIG, &Plain).unwrap();
    assert_eq!(sigs(&again), sigs(&first));
    assert_eq!(again_steps, steps);
    let exact = Budget { steps, ..BIG };
    assert!(action_atoms(&globs, &texts, exact, &Plain).is_ok());
    let short = Budget {
        steps: steps - 1,
        ..BIG
    };
    assert!(action_atoms(&globs, &texts, short, &Plain).is_err());
}
