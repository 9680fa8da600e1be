//! `--dry-run`: the plan of action, printed instead of sent.
//!
//! The format is for people reading a CI log, not for parsing: a few `name: value` lines, the
//! writes as `METHOD URL`, then the comment body verbatim after a line that gives its size.

use super::decide::Step;
use super::url::redact_url;
use super::{Comments, Key, Target};
use anyhow::Context;
use std::io::Write;

const HEADING: &str = "privdiff comment: dry run, nothing was sent";
const NOTHING: &str =
    "would post nothing: no identity or resource changed and --skip-if-no-changes is set";

/// The plan with a token: the earlier comments found, each write, and the body.
pub fn print(
    out: &mut dyn Write,
    comments: &dyn Comments,
    target: &Target,
    key: &Key,
    own: &[u64],
    steps: &[Step],
    body: Option<&str>,
) -> anyhow::Result<()> {
    let mut text = format!("{HEADING}\ntarget: {}\nkey: {key}\n", target.name);
    let own: Vec<String> = own.iter().map(u64::to_string).collect();
    let own = if own.is_empty() {
        "none".to_string()
    } else {
        own.join(", ")
    };
    text.push_str(&format!(
        "privdiff's earlier comments with this key: {own}\n"
    ));
    if body.is_none() {
        text.push_str(NOTHING);
        text.push('\n');
    }
    if steps.is_empty() {
        text.push_str("would send: nothing\n");
    } else {
        text.push_str("would send:\n");
        for &step in steps {
            let (method, url) = comments.thread().request(step);
            text.push_str(&format!("  {method} {}\n", redact_url(&url)));
        }
    }
    finish(out, text, body)
}

/// The plan without a token: nothing could be looked up, so only the target and the body.
pub fn print_without_token(
    out: &mut dyn Write,
    target: &Target,
    key: &Key,
    body: Option<&str>,
) -> anyhow::Result<()> {
    let mut text = format!(
        "{HEADING}\ntarget: {}\nkey: {key}\nprivdiff's earlier comments with this key: not \
         looked up ({} is not set)\n",
        target.name, target.token_var
    );
    match body {
        None => {
            text.push_str(NOTHING);
            text.push_str(", and would delete earlier comments with this key\n");
        }
        Some(_) => text.push_str(
            "would send: not known without a token (it depends on the comments already there)\n",
        ),
    }
    finish(out, text, body)
}

fn finish(out: &mut dyn Write, mut text: String, body: Option<&str>) -> anyhow::Result<()> {
    if let Some(body) = body {
        text.push_str(&format!("comment body ({} bytes):\n{body}", body.len()));
        if !body.ends_with('\n') {
            text.push('\n');
        }
    }
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write the dry run's plan to standard output")
}
