//! What `privdiff comment` did, as one line for standard error.

use super::decide::Step;
use std::fmt;

/// What was done, as one line for standard error, e.g. "updated comment 123 on acme/app#7".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// `acme/app#7`, `group/project!7`.
    pub(super) target: String,
    /// No identity changed and `--skip-if-no-changes` was given.
    pub(super) post_nothing: bool,
    pub(super) mode: Mode,
    /// The writes done (in a dry run: planned), in order, each with the id of the comment it
    /// created or updated.
    pub(super) steps: Vec<(Step, Option<u64>)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Sent,
    DryRun,
    /// A dry run without a token: nothing was looked up. Holds the token's variable.
    DryRunWithoutToken(&'static str),
}

impl Outcome {
    pub(super) fn new(target: String, post_nothing: bool) -> Outcome {
        Outcome {
            target,
            post_nothing,
            mode: Mode::Sent,
            steps: Vec::new(),
        }
    }

    /// The id of the comment created or updated; `None` when none was (a dry run, or nothing
    /// to post).
    pub fn comment_id(&self) -> Option<u64> {
        self.steps.iter().find_map(|&(_, id)| id)
    }

    /// The ids of the comments deleted (in a dry run: that would be).
    pub fn deleted(&self) -> Vec<u64> {
        self.steps
            .iter()
            .filter_map(|&(step, _)| match step {
                Step::Delete(id) => Some(id),
                _ => None,
            })
            .collect()
    }

    /// Whether anything was sent that writes: false for a dry run.
    pub fn sent(&self) -> bool {
        self.mode == Mode::Sent && !self.steps.is_empty()
    }

    /// The steps as phrases: `created comment 5`, `deleted comments 3, 4` (`past`), or `create
    /// a comment`, `delete comment 3`.
    fn phrases(&self, past: bool) -> Vec<String> {
        let mut out = Vec::new();
        for &(step, id) in &self.steps {
            let id = id.map(|id| format!(" {id}")).unwrap_or_default();
            match (step, past) {
                (Step::Create, true) => out.push(format!("created comment{id}")),
                (Step::Create, false) => out.push("create a comment".to_string()),
                (Step::Update(n), true) => out.push(format!("updated comment {n}")),
                (Step::Update(n), false) => out.push(format!("update comment {n}")),
                (Step::Delete(_), _) => {}
            }
        }
        let deleted = self.deleted();
        if !deleted.is_empty() {
            let verb = if past { "deleted" } else { "delete" };
            let noun = if deleted.len() == 1 {
                "comment"
            } else {
                "comments"
            };
            let ids: Vec<String> = deleted.iter().map(u64::to_string).collect();
            out.push(format!("{verb} earlier {noun} {}", ids.join(", ")));
        }
        out
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let target = &self.target;
        let (past, would) = match self.mode {
            Mode::Sent => (true, ""),
            Mode::DryRun => {
                f.write_str("dry run, nothing sent: ")?;
                (false, "would ")
            }
            Mode::DryRunWithoutToken(var) => {
                f.write_str("dry run, nothing sent: ")?;
                return match self.post_nothing {
                    true => write!(
                        f,
                        "no identity or resource changed, so would post nothing on {target} (and delete \
                         earlier comments with this key; {var} is not set, so none were looked up)"
                    ),
                    false => write!(
                        f,
                        "printed the comment for {target} ({var} is not set, so earlier \
                         comments were not looked up)"
                    ),
                };
            }
        };
        let phrases = self.phrases(past);
        if self.post_nothing {
            let posted = if past { "posted" } else { "post" };
            write!(
                f,
                "no identity or resource changed, so {would}{posted} nothing on {target}"
            )?;
            if !phrases.is_empty() {
                write!(f, " and {would}{}", phrases.join(" and "))?;
            }
            return Ok(());
        }
        if phrases.is_empty() {
            return write!(f, "{would}change nothing on {target}");
        }
        write!(f, "{would}{} on {target}", phrases.join(" and "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(mode: Mode, post_nothing: bool, steps: &[(Step, Option<u64>)]) -> String {
        let mut o = Outcome::new("acme/app#7".into(), post_nothing);
        o.mode = mode;
        o.steps = steps.to_vec();
        o.to_string()
    }

    #[test]
    fn each_outcome_reads_as_one_line() {
        use Step::*;
        let sent = Mode::Sent;
        assert_eq!(
            outcome(sent, false, &[(Create, Some(12))]),
            "created comment 12 on acme/app#7"
        );
        assert_eq!(
            outcome(
                sent,
                false,
                &[(Update(9), Some(9)), (Delete(3), None), (Delete(4), None)]
            ),
            "updated comment 9 and deleted earlier comments 3, 4 on acme/app#7"
        );
        assert_eq!(
            outcome(sent, true, &[(Delete(9), None)]),
            "no identity or resource changed, so posted nothing on acme/app#7 and deleted earlier comment 9"
        );
        assert_eq!(
            outcome(sent, true, &[]),
            "no identity or resource changed, so posted nothing on acme/app#7"
        );
        assert_eq!(
            outcome(Mode::DryRun, false, &[(Create, None), (Delete(3), None)]),
            "dry run, nothing sent: would create a comment and delete earlier comment 3 on acme/app#7"
        );
        assert_eq!(
            outcome(Mode::DryRun, true, &[(Delete(3), None)]),
            "dry run, nothing sent: no identity or resource changed, so would post nothing on acme/app#7 \
             and would delete earlier comment 3"
        );
        let no_token = outcome(Mode::DryRunWithoutToken("GITHUB_TOKEN"), false, &[]);
        assert!(no_token.starts_with("dry run, nothing sent: printed the comment for acme/app#7"));
        assert!(no_token.contains("GITHUB_TOKEN is not set"));
    }

    #[test]
    fn accessors_report_the_written_and_deleted_comments() {
        let mut o = Outcome::new("t".into(), false);
        o.steps = vec![(Step::Update(9), Some(9)), (Step::Delete(3), None)];
        assert_eq!(o.comment_id(), Some(9));
        assert_eq!(o.deleted(), vec![3]);
        assert!(o.sent());
        o.mode = Mode::DryRun;
        assert!(!o.sent());
    }
}
