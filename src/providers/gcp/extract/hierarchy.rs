//! The resource hierarchy the plan tells: which folder or organization each project and folder
//! is in (`google_project.folder_id`/`org_id`, `google_folder.parent`, and the data sources of
//! the same names). A grant on a folder or organization also covers these descendants.

use crate::plan::side::World;
use std::collections::{BTreeMap, BTreeSet};

/// The resource types that tell a parent.
pub fn relevant(kind: &str) -> bool {
    matches!(kind, "google_project" | "google_folder")
}

/// Parent name → the children the plan places in it, on either side: the hierarchy is a fact
/// about the resources, so a project created in the plan is covered by its folder's grants
/// on both sides (its names did not exist before; they are not a widening of that grant).
#[derive(Debug, Default)]
pub struct Hierarchy {
    children: BTreeMap<String, BTreeSet<String>>,
}

impl Hierarchy {
    pub fn read(worlds: &[&World]) -> Hierarchy {
        let mut h = Hierarchy::default();
        for obj in worlds.iter().flat_map(|w| &w.objs) {
            let known = |attr: &str| obj.str(attr).filter(|v| !v.is_empty());
            let (child, parent) = match obj.kind {
                "google_project" => {
                    let Some(id) = known("project_id") else {
                        continue;
                    };
                    let parent = match (known("folder_id"), known("org_id")) {
                        (Some(f), _) => prefixed("folders", &f),
                        (None, Some(o)) => prefixed("organizations", &o),
                        // Unknown or no parent: nothing is learned.
                        (None, None) => continue,
                    };
                    (format!("projects/{id}"), parent)
                }
                "google_folder" => {
                    let child = match (known("name"), known("folder_id"), known("folder")) {
                        (Some(n), _, _) if n.starts_with("folders/") => n,
                        (_, Some(id), _) | (_, _, Some(id)) => prefixed("folders", &id),
                        _ => continue,
                    };
                    let Some(parent) = known("parent").filter(|p| p.contains('/')) else {
                        continue;
                    };
                    (child, parent)
                }
                _ => continue,
            };
            if child != parent {
                h.children.entry(parent).or_default().insert(child);
            }
        }
        h
    }

    /// Every project and folder under `name` (a folder or organization), sorted; none for a
    /// name the plan places nothing in.
    pub fn descendants(&self, name: &str) -> Vec<String> {
        let mut out = BTreeSet::new();
        let mut todo = vec![name.to_string()];
        while let Some(n) = todo.pop() {
            for c in self.children.get(&n).into_iter().flatten() {
                // A cycle (a hostile plan) ends here.
                if c != name && out.insert(c.clone()) {
                    todo.push(c.clone());
                }
            }
        }
        out.into_iter().collect()
    }
}

fn prefixed(prefix: &str, v: &str) -> String {
    if v.starts_with(&format!("{prefix}/")) {
        v.to_string()
    } else {
        format!("{prefix}/{v}")
    }
}
