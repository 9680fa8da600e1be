//! How one cloud's requests read: the words a witness is written in.
//!
//! The comparison finds, for each added combination of atoms, a request that proves it; any
//! request inside the atom would do. A provider's vocabulary offers real names to try first
//! (`s3:GetObject` reads better than `s3:getx`), ranks them by consequence, and knows which
//! resource an action takes. A candidate is used only when it lies in the atom, so a
//! vocabulary changes how a witness reads, never whether it is correct.

use super::grant::{AccessSummary, Witness};
use super::pattern::Glob;
use super::statement::{Scope, Statement};
use std::sync::Arc;

/// A provider's catalog of actions and the resources each takes: what makes a request
/// *typed*. A request pairs an action with a resource of one of its types (an ARN of one of the
/// type's formats), or with `*` for an action that takes no resource type; any other pair is
/// one the cloud never evaluates, so a statement that allows only such pairs allows nothing.
/// Actions the catalog lacks keep any resource.
pub trait ActionTypes: Sync {
    /// Ids of the catalog actions a lower-case action pattern matches, ascending.
    fn matching(&self, pattern: &str) -> Arc<[u32]>;
    /// How many actions the catalog holds (ids run below it).
    fn count(&self) -> usize;
    /// The action's name as the cloud writes it (`s3:GetObject`).
    fn name(&self, id: u32) -> String;
    /// How consequential the action reads, most first (0).
    fn rank(&self, id: u32) -> usize;
    /// The formats of the resource types the action takes (ids for [`ActionTypes::format`]);
    /// empty when it takes only `*`.
    fn formats_of(&self, id: u32) -> &[u32];
    /// Format `f` as the set of resources of its type.
    fn format(&self, f: u32) -> &Glob;
    /// The part of every resource of format `f` that tells services apart (`arn:aws:s3:` is not
    /// it: the partition varies; the service name is), for searching one service at a time.
    fn format_service(&self, f: u32) -> &str;
    /// A readable resource of format `f`, in the plan's words where it has them
    /// (`arn:aws:s3:::<bucket-name>/<object-name>`).
    fn format_example(&self, f: u32) -> String;
    /// Resources of format `f` that `pattern` matches, with the pattern's wildcards named by
    /// the placeholders they fall in (`arn:aws:s3:::acme/*` → `arn:aws:s3:::acme/<object-name>`),
    /// in the plan's words first, then every placeholder marked; none when the pattern filled
    /// in is not of the format.
    fn resource_in_format(&self, pattern: &Glob, f: u32) -> Vec<String>;
    /// The first resource the plan names (or one inside it) that action `id` takes and that
    /// `fits` accepts.
    fn named_resource(&self, id: u32, fits: &dyn Fn(&str) -> bool) -> Option<String>;
    /// How many actions take format `f`: the more, the better known its resources (EC2's
    /// instance before its application status check).
    fn format_uses(&self, f: u32) -> u32;
    /// Every format whose [`ActionTypes::format_service`] is `service`.
    fn formats_in(&self, service: &str) -> &[u32];
    /// The service part of a resource pattern when it has a literal one, as
    /// [`ActionTypes::format_service`] gives it; `None` when the pattern may reach any service.
    fn pattern_service<'p>(&self, pattern: &'p str) -> Option<&'p str>;
    /// Whether a service key (see [`Vocabulary::service_key`]) is one the catalog covers: its
    /// actions are all known, so a pattern of it that matches none of them allows nothing real.
    fn knows_service(&self, key: &str) -> bool;
}

/// One provider's words. Every method has a default that offers nothing, so a provider says
/// only what it knows.
pub trait Vocabulary: Sync {
    /// The literal prefix that every action a pattern matches starts with and that tells
    /// services apart, separator included (`s3:` for `s3:get*`, `compute.` for the GCP
    /// permission `compute.instances.get`), when the pattern has one. No key may be a prefix of
    /// another, so that the services' actions are disjoint: the comparison searches each
    /// service's patterns apart (see `compare/by_service.rs`).
    fn service_key<'p>(&self, pattern: &'p str) -> Option<&'p str> {
        let end = pattern.find([':', '.'])? + 1;
        let key = &pattern[..end];
        (!key.contains(['*', '?'])).then_some(key)
    }

    /// The catalog that types this provider's requests, if it has one.
    fn types(&self) -> Option<&dyn ActionTypes> {
        None
    }

    /// Real action names to try for a witness of `statement`, best first. `all` holds every
    /// statement of both scopes compared.
    fn known_actions(&self, statement: &Statement, all: &[&Statement]) -> Vec<String> {
        let _ = (statement, all);
        Vec::new()
    }

    /// Actions to try when a statement has too many patterns to try every candidate
    /// (`displays`: its action patterns as written).
    fn few_actions(&self, displays: &[String]) -> Vec<String> {
        let _ = displays;
        Vec::new()
    }

    /// Whether an action the comparison found without a candidate is shown as the policy
    /// spells it (a literal permission's atom is the permission in lower case).
    fn shows_actions_as_written(&self) -> bool {
        false
    }

    /// Operations that rank an action atom by the first of them it holds, best first; empty
    /// when an atom is ranked by its own representative ([`Vocabulary::rank`]).
    fn ranking_operations(&self) -> Vec<String> {
        Vec::new()
    }

    /// How consequential an action reads, most first (0): the comparison's example is the
    /// request of the lowest rank it finds.
    fn rank(&self, action: &str) -> usize {
        let _ = action;
        0
    }

    /// What is added to an action's rank when it is made on `resource`: 1 when the pair reads
    /// as a request that cannot happen.
    fn rank_on(&self, action: &str, resource: &str) -> usize {
        let _ = (action, resource);
        0
    }

    /// Example resources for a request of `action` whose resource is otherwise unconstrained.
    fn resource_examples(&self, action: &str) -> Vec<String> {
        let _ = action;
        Vec::new()
    }

    /// Whether [`Vocabulary::resource_examples`] are tried before the policy's patterns filled
    /// in (they have the right shape), rather than after them.
    fn resource_examples_first(&self) -> bool {
        false
    }

    /// Readable values of a condition pattern (an `ArnLike` value), tried before the pattern
    /// filled in with `example`: `arn:aws:lambda:*:111122223333:function:*` reads as a function
    /// of the plan's region with a marked name.
    fn value_examples(&self, pattern: &Glob) -> Vec<String> {
        let _ = pattern;
        Vec::new()
    }

    /// Whether resources match in lower case.
    fn resources_fold_case(&self) -> bool {
        false
    }

    /// A real action among `actions` (the first few `in_action` accepts) and a resource it
    /// takes (one of `resources`, or an example of its own) that `in_resource` accepts.
    fn fitting_pair(
        &self,
        actions: &[String],
        resources: &[String],
        in_action: &dyn Fn(&str) -> bool,
        in_resource: &dyn Fn(&str) -> bool,
    ) -> Option<(String, String)> {
        let _ = (actions, resources, in_action, in_resource);
        None
    }

    /// The actions of `actions` that can be made on `resource`, when the resource decides
    /// (a cluster-scoped resource type in a namespace cannot be asked for).
    fn actions_on(&self, actions: &[String], resource: &str) -> Option<Vec<String>> {
        let _ = (actions, resource);
        None
    }

    /// Principals to try when a statement names none that fits.
    fn principal_examples(&self) -> &'static [&'static str] {
        &[]
    }

    /// A principal as a request names it, from the way a policy writes it.
    fn principal_in_request(&self, written: String) -> String {
        written
    }

    /// Real actions a pattern covers, the most consequential first (at most a few), for
    /// trying requests when an exact comparison is out of reach.
    fn sample_actions(&self, pattern: &str) -> Vec<String> {
        let _ = pattern;
        Vec::new()
    }

    /// At most `n` real actions that `keep` accepts, for trying requests against a
    /// `NotAction`.
    fn sample_any_actions(&self, keep: &dyn Fn(&str) -> bool, n: usize) -> Vec<String> {
        let _ = (keep, n);
        Vec::new()
    }

    /// Resources of each type `action` takes, for trying requests on `*`.
    fn sample_resources(&self, action: &str) -> Vec<String> {
        let _ = action;
        Vec::new()
    }

    /// What a grant's action patterns cover in real actions (for `not_actions`, what they
    /// leave out), when the provider has a catalog of them.
    fn access(&self, actions: &[String], not_actions: bool) -> Option<AccessSummary> {
        let _ = (actions, not_actions);
        None
    }

    /// Exactly the catalog actions `ids` (of [`Vocabulary::types`]), counted and named, with
    /// `unknown`, the patterns that add actions the catalog lacks.
    fn exact_access(&self, ids: &[u32], unknown: Vec<String>) -> Option<AccessSummary> {
        let _ = (ids, unknown);
        None
    }

    /// A request by `principal` (as the trust or resource policy `statement` writes it) that
    /// `new` allows and `old` does not, from the comparison's `example` of the statement.
    /// `subject` is the ARN of the role or resource the policy is on and the service of its
    /// requests, when known. `None` when the provider has no such policies, or none is found.
    fn principal_example(
        &self,
        example: &Witness,
        principal: &str,
        statement: &Statement,
        scopes: (&Scope, &Scope),
        subject: (Option<&str>, Option<&str>),
    ) -> Option<Witness> {
        let _ = (example, principal, statement, scopes, subject);
        None
    }
}
