//! The rules' documentation: the text of `privdiff explain CODE` and of `docs/rules/CODE.md`.

use super::{completing, public_access, Rule};
use crate::model::route::Novelty;
use crate::model::Provider;

impl Rule {
    /// The rule's documentation as Markdown: the text of `privdiff explain` and of
    /// `docs/rules/CODE.md`.
    pub fn markdown(&self) -> String {
        let mut s = format!(
            "# {} {}\n\nSeverity: {}\n\n{}\n\n## What it detects\n\n{}\n\n## Why it matters\n\n{}\n\n## Example\n\n{}\n\n## How to fix\n\n{}\n",
            self.code, self.name, self.severity, self.summary, self.detects, self.why, self.example, self.fix
        );
        if let Some(clouds) = routes_documentation(self) {
            s.push('\n');
            s.push_str(&clouds);
        }
        if !self.standards.is_empty() {
            s.push_str("\n## Standards\n\n");
            for x in self.standards {
                s.push_str(&format!("- {x}\n"));
            }
        }
        if !self.references.is_empty() {
            s.push_str("\n## References\n\n");
            for r in self.references {
                s.push_str(&format!("- <{r}>\n"));
            }
        }
        s
    }
}

/// The Markdown section that documents `rule`'s routes for GCP, Azure and Kubernetes, if it
/// has any: a table of what each route needs, from the same tables the analysis runs.
fn routes_documentation(rule: &Rule) -> Option<String> {
    // These clouds judge a route where it lands; AWS's routes ask for any resource.
    let tables = || {
        Provider::ALL
            .into_iter()
            .map(crate::providers::routes)
            .filter(|t| t.novelty == Novelty::OfRequest)
    };
    let mut rows = Vec::new();
    for t in tables() {
        for r in t
            .routes
            .iter()
            .filter(|r| completing(r.completes).code == rule.code)
        {
            let parts: Vec<String> = r
                .parts
                .iter()
                .map(|p| {
                    let names: Vec<String> = p
                        .listed()
                        .iter()
                        .map(|n| {
                            if Some(*n) == t.any {
                                "`*`".into()
                            } else {
                                format!("`{n}`")
                            }
                        })
                        .collect();
                    names.join(" or ")
                })
                .collect();
            rows.push(format!(
                "| {} | {} | {} | {} |",
                t.provider,
                r.label,
                r.severity.unwrap_or(rule.severity),
                parts.join(", and ")
            ));
        }
    }
    if rule.code == public_access::RULE.code {
        for t in tables() {
            for (address, who) in t.public {
                rows.push(format!(
                    "| {} | gain permissions as `{address}`: {who} | critical (high when its example only reads) | any permission |",
                    t.provider
                ));
            }
        }
    }
    if rows.is_empty() {
        return None;
    }
    Some(format!(
        "## GCP, Azure and Kubernetes\n\nFor these identities the rule holds when every part of a route is allowed after the change, on a place the identity's own grants name, and one of them was not allowed there before: owner of one more project is news even for the owner of another. Within a rule, the first route that holds is reported.\n\n| Provider | The identity can now | Severity | Needs |\n| --- | --- | --- | --- |\n{}\n",
        rows.join("\n")
    ))
}
