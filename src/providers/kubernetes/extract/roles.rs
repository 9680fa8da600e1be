//! The rules a roleRef stands for on one side: a Role or ClusterRole from the plan, a default
//! ClusterRole from privdiff's table, and aggregated ClusterRoles computed from every
//! ClusterRole whose labels their selectors match, as the API server's aggregation controller
//! does.

use super::objects::{RoleDef, Rule, Selector, SideObjects};
use crate::catalog::kubernetes as defaults;
use crate::plan::side::AttributeRef;
use std::collections::BTreeMap;

/// Why a roleRef's rules cannot be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// Neither in the plan nor, for a ClusterRole, in privdiff's table.
    NotFound,
    /// The role's rules, labels or selectors (or those of a role aggregated into it) are known
    /// only after apply.
    Unknown(AttributeRef),
}

/// A role's rules, the plan resources they come from, and whether any is sensitive.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    pub rules: Vec<Rule>,
    pub addresses: Vec<String>,
    pub sensitive: bool,
}

/// A ClusterRole as the resolver sees it, from the plan or the table.
struct Cluster<'a> {
    labels: Result<BTreeMap<String, String>, AttributeRef>,
    aggregation: Option<Result<Vec<Selector>, AttributeRef>>,
    rules: Result<Vec<Rule>, AttributeRef>,
    plan: Option<&'a RoleDef>,
}

pub struct Roles<'a> {
    cluster: BTreeMap<String, Cluster<'a>>,
    namespaced: BTreeMap<(String, String), Absent<'a>>,
}

/// A Role on this side, or one the plan has on the other side only.
enum Absent<'a> {
    Present(&'a RoleDef),
    Role,
}

impl Cluster<'_> {
    /// A ClusterRole that does not exist on this side: no labels, no rules.
    fn absent() -> Cluster<'static> {
        Cluster {
            labels: Ok(BTreeMap::new()),
            aggregation: None,
            rules: Ok(Vec::new()),
            plan: None,
        }
    }
}

fn from_table(r: &defaults::ClusterRole) -> Cluster<'static> {
    let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    Cluster {
        labels: Ok(r
            .labels
            .iter()
            .map(|l| (l.to_string(), "true".to_string()))
            .collect()),
        aggregation: r.aggregates.map(|label| {
            Ok(vec![Selector {
                labels: [(label.to_string(), "true".to_string())].into(),
                expressions: Vec::new(),
            }])
        }),
        rules: Ok(r
            .rules
            .iter()
            .map(|x| Rule {
                groups: owned(x.groups),
                resources: owned(x.resources),
                verbs: owned(x.verbs),
                names: owned(x.names),
                urls: owned(x.urls),
            })
            .collect()),
        plan: None,
    }
}

impl<'a> Roles<'a> {
    /// The roles of one side: the plan's, and the default ClusterRoles the plan does not
    /// define under the same name. A role the plan has on the other side only (created or
    /// deleted by this apply) does not exist on this one: a binding to it grants nothing.
    pub fn new(found: &'a SideObjects, other: &SideObjects) -> Roles<'a> {
        let mut cluster: BTreeMap<String, Cluster<'a>> = defaults::CLUSTER_ROLES
            .iter()
            .map(|r| (r.name.to_string(), from_table(r)))
            .collect();
        let mut namespaced = BTreeMap::new();
        for r in &other.roles {
            match &r.namespace {
                Some(ns) => {
                    namespaced.insert((ns.clone(), r.name.clone()), Absent::Role);
                }
                None if !cluster.contains_key(&r.name) => {
                    cluster.insert(r.name.clone(), Cluster::absent());
                }
                None => {}
            }
        }
        for r in &found.roles {
            match &r.namespace {
                Some(ns) => {
                    let key = (ns.clone(), r.name.clone());
                    if !matches!(namespaced.get(&key), Some(Absent::Present(_))) {
                        namespaced.insert(key, Absent::Present(r));
                    }
                }
                None => {
                    cluster.insert(
                        r.name.clone(),
                        Cluster {
                            labels: r.labels.clone(),
                            aggregation: r.aggregation.clone(),
                            rules: r.rules.clone(),
                            plan: Some(r),
                        },
                    );
                }
            }
        }
        Roles {
            cluster,
            namespaced,
        }
    }

    /// The rules of the Role `name` in `namespace`.
    pub fn role(&self, namespace: &str, name: &str) -> Result<Resolved, Missing> {
        let key = (namespace.to_string(), name.to_string());
        let r = match self.namespaced.get(&key) {
            None => return Err(Missing::NotFound),
            Some(Absent::Role) => return Ok(Resolved::default()),
            Some(Absent::Present(r)) => r,
        };
        let rules = r.rules.clone().map_err(Missing::Unknown)?;
        Ok(Resolved {
            rules,
            addresses: vec![r.address.clone()],
            sensitive: r.sensitive,
        })
    }

    /// The rules of the ClusterRole `name`, aggregation computed: the controller overwrites an
    /// aggregated role's rules with the union of the roles its selectors match, which may be
    /// aggregated themselves, so the result is the rules of every role reachable that way.
    pub fn cluster_role(&self, name: &str) -> Result<Resolved, Missing> {
        let mut out = Resolved::default();
        let mut seen = vec![name.to_string()];
        let mut next = 0;
        while let Some(current) = seen.get(next).cloned() {
            next += 1;
            let c = self.cluster.get(&current).ok_or(Missing::NotFound)?;
            if let Some(r) = c.plan {
                if !out.addresses.contains(&r.address) {
                    out.addresses.push(r.address.clone());
                }
                out.sensitive |= r.sensitive;
            }
            let Some(aggregation) = &c.aggregation else {
                out.rules.extend(c.rules.clone().map_err(Missing::Unknown)?);
                continue;
            };
            let selectors = aggregation.clone().map_err(Missing::Unknown)?;
            for (other, o) in &self.cluster {
                if seen.contains(other) {
                    continue;
                }
                let labels = o
                    .labels
                    .as_ref()
                    .map_err(|at| Missing::Unknown(at.clone()))?;
                if selectors.iter().any(|s| s.matches(labels)) {
                    seen.push(other.clone());
                }
            }
        }
        Ok(out)
    }
}
