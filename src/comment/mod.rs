//! `privdiff comment github|gitlab PLAN`: posts the Markdown report on a pull request (GitHub)
//! or merge request (GitLab), and on later runs updates that same comment.
//!
//! The flow: find the target and the token in the environment (`github.rs`, `gitlab.rs`), list
//! the discussion's comments, keep privdiff's own with this key and decide the writes
//! (`decide.rs`, pure), then send them, or print them for a dry run (`dry_run.rs`).
//! The user documentation is `docs/comment-bot.md`.
//!
//! Safety rule: a comment is only ever edited or deleted when its first line is privdiff's
//! marker with this key ([`Key::marker`]) **and** the token's own account wrote it. Anyone can
//! paste the marker; nobody else can write as the token's account.

mod decide;
mod dry_run;
mod github;
mod gitlab;
mod http;
mod marker;
mod outcome;
mod page;
mod secret;
mod thread;
mod url;

pub use marker::{Key, KeyError};
pub use outcome::Outcome;

use crate::model::Verdict;

use crate::report::Report;
use decide::{Listed, Step};
use outcome::Mode;
use thread::Thread;

/// Where the comment goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Platform {
    Github,
    Gitlab,
}

/// What happens to privdiff's earlier comments with the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Behavior {
    /// Update the newest earlier comment (create one if there is none) and delete older
    /// duplicates, so each key keeps one comment.
    Update,
    /// Always post a new comment; earlier ones stay.
    New,
    /// Post a new comment, then delete every earlier one.
    DeleteAndNew,
}

/// What `privdiff comment` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub platform: Platform,
    /// Tells this plan's comment from other plans' on the same pull request: `default` unless
    /// `--key` is given. Checked by [`Key::parse`].
    pub key: String,
    pub behavior: Behavior,
    /// When no identity or resource changed (and so no principal newly reaches one), post
    /// nothing and delete privdiff's earlier comments with this key.
    pub skip_if_no_changes: bool,
    /// `--pr`: the pull request number (GitHub) or merge request IID (GitLab). Without it,
    /// the CI environment names it.
    pub number: Option<u64>,
    /// Send nothing that writes; print the plan of action on standard output instead.
    pub dry_run: bool,
    /// Where the rules' pages are, to link each rule code in the comment to its page.
    pub rule_pages: Option<crate::rules::Pages>,
}

/// One pull request's or merge request's comments, reached through a platform's API.
trait Comments {
    /// Every comment, oldest first, each marked with whether the token's own account wrote
    /// it. Fails when that account cannot be found out: it is never guessed.
    fn list(&self) -> anyhow::Result<Vec<Listed>>;
    /// Where comments are written.
    fn thread(&self) -> &Thread;
}

/// A pull request or merge request, as the environment names it.
struct Target {
    /// `acme/app#7`, `group/project!7`: for messages.
    name: String,
    /// Longest comment the platform accepts, in bytes, less a margin.
    max_body_bytes: usize,
    /// Where the token is read from, named when it is missing.
    token_var: &'static str,
    /// `None` without a token: only a dry run may go on.
    comments: Option<Box<dyn Comments>>,
}

/// Posts `report` as `options` say and returns what was done. `env` reads an environment
/// variable (empty values already filtered out by the caller); all configuration comes
/// through it so tests can inject values. Documented in `docs/comment-bot.md`.
///
/// A dry run sends no write (POST, PATCH, PUT, DELETE) and prints the plan of action on
/// standard output: each write's method and URL, and the comment body. With a token it still
/// reads (who the token is, the existing comments), so the plan is the real one and the
/// configuration is checked; without a token it prints the target and the body only.
///
/// Errors (exit code 2 in the CLI): an invalid key, missing or invalid configuration, an
/// unreachable API or an answer outside 2xx, each as one line that never contains the token.
/// When a write fails after others succeeded, the error says what was already done.
pub fn post(
    report: &Report,
    options: &Options,
    env: &dyn Fn(&str) -> Option<String>,
) -> anyhow::Result<Outcome> {
    let stdout = std::io::stdout();
    post_printing_to(report, options, env, &mut stdout.lock())
}

/// [`post`], with a dry run's plan written to `out` rather than standard output.
pub fn post_printing_to(
    report: &Report,
    options: &Options,
    env: &dyn Fn(&str) -> Option<String>,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<Outcome> {
    let key = Key::parse(&options.key).map_err(|e| anyhow::anyhow!("invalid --key: {e}"))?;
    let target = match options.platform {
        Platform::Github => github::target(env, options.number)?,
        Platform::Gitlab => gitlab::target(env, options.number)?,
    };
    let post_nothing = options.skip_if_no_changes && nothing_changed(report);
    let body = (!post_nothing).then(|| {
        body(
            report,
            &key,
            target.max_body_bytes,
            options.rule_pages.as_ref(),
        )
    });
    let mut outcome = Outcome::new(target.name.clone(), post_nothing);
    let Some(comments) = target.comments.as_deref() else {
        if !options.dry_run {
            anyhow::bail!(
                "{} is not set: privdiff needs a token to comment on {} (--dry-run prints the \
                 comment instead)",
                target.token_var,
                target.name
            );
        }
        dry_run::print_without_token(out, &target, &key, body.as_deref())?;
        outcome.mode = Mode::DryRunWithoutToken(target.token_var);
        return Ok(outcome);
    };
    let own = decide::own_marked(&comments.list()?, &key);
    let steps = decide::decide(&own, options.behavior, post_nothing);
    if options.dry_run {
        dry_run::print(out, comments, &target, &key, &own, &steps, body.as_deref())?;
        outcome.mode = Mode::DryRun;
        outcome.steps = steps.iter().map(|&s| (s, None)).collect();
        return Ok(outcome);
    }
    let body = body.as_deref().unwrap_or_default();
    let thread = comments.thread();
    for &step in &steps {
        let done = match step {
            Step::Create => thread.create(body).map(Some),
            Step::Update(id) => thread.update(id, body).map(|()| Some(id)),
            Step::Delete(id) => thread.delete(id).map(|()| None),
        };
        match done {
            Ok(id) => outcome.steps.push((step, id)),
            Err(e) if outcome.steps.is_empty() => return Err(e),
            Err(e) => return Err(e.context(format!("{outcome}, then"))),
        }
    }
    Ok(outcome)
}

/// Whether no identity's or resource's scope changed, none can become more than before and no
/// principal newly reaches one: the case `--skip-if-no-changes` posts nothing for.
fn nothing_changed(report: &Report) -> bool {
    report
        .subjects()
        .all(|i| i.verdict == Verdict::Unchanged && i.paths.is_empty())
        && report.reach.is_empty()
}

/// The comment: the key's marker line, then the Markdown report cut to what fits.
fn body(
    report: &Report,
    key: &Key,
    max_bytes: usize,
    rule_pages: Option<&crate::rules::Pages>,
) -> String {
    let marker = key.marker();
    // A round budget, because the cut note quotes it to the reader.
    let room = max_bytes.saturating_sub(marker.len() + 1) / 1000 * 1000;
    let markdown = crate::render::markdown_within(report, room, rule_pages);
    format!("{marker}\n{markdown}")
}
