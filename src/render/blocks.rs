//! Which blocks the table and the Markdown comment show, in which order, and which findings
//! each carries: one block per changed identity or resource, the one with the most severe
//! finding first, then the most urgent verdict (identities before resources within one). A
//! finding that says the same of several subjects is written out in the first block that has
//! it, which names the others, and referred to in theirs.

use super::phrase;
use crate::model::Severity;
use crate::report::{Finding, IdentityReport, Report};
use std::collections::{HashMap, HashSet};

/// A changed subject and what its block says.
pub struct Block<'r> {
    pub subject: &'r IdentityReport,
    /// About a resource rather than an identity.
    pub resource: bool,
    /// Its findings above `info` that are not ignored, the most severe first.
    pub findings: Vec<BlockFinding<'r>>,
}

/// A finding as its block shows it.
pub struct BlockFinding<'r> {
    pub finding: &'r Finding,
    /// The message without the subject it opens with (the block names it), cut to `max` chars.
    pub text: String,
    /// The other subjects it says the same of, when this block is the first to say it.
    pub also: Vec<&'r str>,
    /// The subject whose block says it, when that is an earlier block.
    pub as_on: Option<&'r str>,
}

impl BlockFinding<'_> {
    /// What the block says of it, after its code: the message, with the other subjects it
    /// says the same of (`… (also on 2 more: a, b)`), or `as on SUBJECT` in a later block.
    pub fn said(&self) -> String {
        match (&self.as_on, self.also.as_slice()) {
            (Some(first), _) => format!("as on {first}"),
            (None, []) => self.text.clone(),
            (None, also) => {
                let others: Vec<String> = also.iter().map(|a| a.to_string()).collect();
                format!(
                    "{} (also on {} more: {})",
                    self.text,
                    also.len(),
                    crate::model::list(&others, 3)
                )
            }
        }
    }
}

/// The blocks, in order, and the findings about no block (a subject that did not change).
pub fn blocks(report: &Report, max: usize) -> (Vec<Block<'_>>, Vec<&Finding>) {
    let mut subjects: Vec<(&IdentityReport, bool)> = phrase::changed_by_urgency(report)
        .into_iter()
        .map(|i| (i, false))
        .chain(
            phrase::changed_resources_by_urgency(report)
                .into_iter()
                .map(|r| (r, true)),
        )
        .collect();
    let shown: HashSet<&str> = subjects.iter().map(|(s, _)| s.address.as_str()).collect();
    let (in_blocks, others): (Vec<&Finding>, Vec<&Finding>) = phrase::listed(report)
        .into_iter()
        .partition(|f| shown.contains(f.identity.as_str()));
    let mut of: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for f in in_blocks {
        of.entry(f.identity.as_str()).or_default().push(f);
    }
    let worst = |s: &IdentityReport| {
        of.get(s.address.as_str())
            .and_then(|fs| fs.iter().map(|f| f.severity).max())
    };
    subjects.sort_by_key(|(s, _)| (std::cmp::Reverse(worst(s)), s.verdict));
    let key = |f: &Finding| (f.code, f.severity, about_subject(f, max));
    let mut holders: HashMap<(&str, Severity, String), Vec<&str>> = HashMap::new();
    for (s, _) in &subjects {
        for f in of.get(s.address.as_str()).into_iter().flatten() {
            let list = holders.entry(key(f)).or_default();
            if !list.contains(&s.address.as_str()) {
                list.push(s.address.as_str());
            }
        }
    }
    let blocks = subjects
        .into_iter()
        .map(|(subject, resource)| {
            let mut fs: Vec<&Finding> = of
                .get(subject.address.as_str())
                .cloned()
                .unwrap_or_default();
            fs.sort_by_key(|f| (std::cmp::Reverse(f.severity), f.code));
            let findings = fs
                .into_iter()
                .map(|finding| {
                    let k = key(finding);
                    let all = &holders[&k];
                    let first = all[0];
                    let is_first = first == subject.address;
                    BlockFinding {
                        finding,
                        text: k.2,
                        also: if is_first {
                            all[1..].to_vec()
                        } else {
                            Vec::new()
                        },
                        as_on: (!is_first).then_some(first),
                    }
                })
                .collect();
            Block {
                subject,
                resource,
                findings,
            }
        })
        .collect();
    (blocks, others)
}

/// A finding's message without the subject it opens with, cut to `max` characters.
fn about_subject(f: &Finding, max: usize) -> String {
    let message = phrase::message(f, max);
    match message.strip_prefix(f.identity.as_str()) {
        Some(rest) if rest.starts_with(' ') => rest.trim_start().to_string(),
        Some(rest) if rest.starts_with(": ") => rest[2..].to_string(),
        _ => message,
    }
}
