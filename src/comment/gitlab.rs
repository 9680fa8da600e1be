//! GitLab: a merge request's notes, through the REST API (v4).

use super::decide::Listed;
use super::http::{Api, Auth, Service};
use super::secret::Token;
use super::thread::Thread;
use super::url::api_root;
use super::{page, Comments, Target};
use anyhow::Context;
use serde::Deserialize;
use ureq::http::Method;

/// GitLab rejects notes over 1,000,000 characters; bytes are never fewer than characters.
const MAX_BODY_BYTES: usize = 999_000;
const DEFAULT_API_URL: &str = "https://gitlab.com/api/v4";

const SERVICE: Service = Service {
    name: "GitLab",
    url_var: "CI_API_V4_URL",
    forbidden_hint: "the token may not do this: GITLAB_TOKEN needs the `api` scope and access \
        to the project's merge requests (CI_JOB_TOKEN cannot write notes)",
};

const WRONG_MR: &str = "check CI_PROJECT_ID and the merge request IID";

struct GitLab {
    /// The notes at `{CI_API_V4_URL}/projects/{encoded id}/merge_requests/{iid}/notes`.
    thread: Thread,
    /// `{CI_API_V4_URL}/user`.
    user: String,
    /// The token is CI_JOB_TOKEN, which most of this API refuses.
    job_token: bool,
}

/// The merge request the environment names: `CI_PROJECT_ID`, and `iid` (`--pr`) or else
/// `CI_MERGE_REQUEST_IID`. The token is `GITLAB_TOKEN`, else `CI_JOB_TOKEN`; without either
/// the target has no API (only a dry run may go on).
pub fn target(env: &dyn Fn(&str) -> Option<String>, iid: Option<u64>) -> anyhow::Result<Target> {
    let project = env("CI_PROJECT_ID").context(
        "CI_PROJECT_ID is not set: set it to the project's id or path (GitLab CI sets it)",
    )?;
    let iid = match iid {
        Some(n) => n,
        None => {
            let text = env("CI_MERGE_REQUEST_IID").context(
                "no merge request: pass --pr IID, or run in a merge request pipeline \
                 (CI_MERGE_REQUEST_IID is not set)",
            )?;
            text.trim().parse().ok().with_context(|| {
                format!(
                    "CI_MERGE_REQUEST_IID is {:?}, not a number",
                    text.chars().take(40).collect::<String>()
                )
            })?
        }
    };
    let base = env("CI_API_V4_URL").unwrap_or_else(|| DEFAULT_API_URL.to_string());
    let base = api_root("CI_API_V4_URL", &base)?;
    let shown = env("CI_PROJECT_PATH").unwrap_or_else(|| project.clone());
    let token = match (env("GITLAB_TOKEN"), env("CI_JOB_TOKEN")) {
        (Some(t), _) => Some(("PRIVATE-TOKEN", "GITLAB_TOKEN", t)),
        (None, Some(t)) => Some(("JOB-TOKEN", "CI_JOB_TOKEN", t)),
        (None, None) => None,
    };
    let comments = match token {
        None => None,
        Some((header, var, value)) => {
            let auth = Auth {
                header,
                scheme: "",
                token: Token::from_env(var, &value)?,
                var,
            };
            let notes = format!(
                "{base}/projects/{}/merge_requests/{iid}/notes",
                encode_project(&project)
            );
            let thread = Thread {
                api: Api::new(SERVICE, auth, &[]),
                collection: notes.clone(),
                item_base: notes,
                update_method: Method::PUT,
                noun: "note",
                wrong: WRONG_MR,
            };
            Some(Box::new(GitLab {
                thread,
                user: format!("{base}/user"),
                job_token: var == "CI_JOB_TOKEN",
            }) as Box<dyn Comments>)
        }
    };
    Ok(Target {
        name: format!("{}!{iid}", shown.chars().take(200).collect::<String>()),
        max_body_bytes: MAX_BODY_BYTES,
        token_var: "GITLAB_TOKEN (or CI_JOB_TOKEN)",
        comments,
    })
}

/// A project id or `group/project` path as one URL path segment: every byte but the unreserved
/// ones (RFC 3986) percent-encoded, so `group/sub/project` becomes `group%2Fsub%2Fproject`.
/// Dots are encoded too when the whole id is `.` or `..`, which would otherwise step out of
/// `/projects/`.
fn encode_project(id: &str) -> String {
    let dots_are_safe = id != "." && id != "..";
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        let unreserved = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~');
        if unreserved || (b == b'.' && dots_are_safe) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[derive(Deserialize)]
struct Note {
    id: u64,
    body: Option<String>,
    author: Option<Author>,
    /// Notes GitLab writes itself ("added 1 commit"), never ours.
    #[serde(default)]
    system: bool,
}

#[derive(Deserialize)]
struct Author {
    id: u64,
}

impl GitLab {
    /// The token's own account id. Never guessed: without it, privdiff could not tell its own
    /// notes from others'.
    fn user_id(&self) -> anyhow::Result<u64> {
        let user = self
            .thread
            .api
            .call(Method::GET, &self.user, None, "check CI_API_V4_URL")
            .map_err(anyhow::Error::from)
            .and_then(|reply| reply.json::<Author>());
        user.map(|u| u.id).map_err(|e| {
            let job = match self.job_token {
                true => "; CI_JOB_TOKEN cannot read it: set GITLAB_TOKEN to a project or personal access token with the `api` scope",
                false => "",
            };
            anyhow::anyhow!(
                "cannot tell which account the token belongs to, so cannot tell privdiff's own \
                 notes from others': {e:#}{job}"
            )
        })
    }
}

impl Comments for GitLab {
    fn list(&self) -> anyhow::Result<Vec<Listed>> {
        let me = self.user_id()?;
        let url = |n: u32| {
            format!(
                "{}?per_page={}&page={n}&sort=asc&order_by=created_at",
                self.thread.collection,
                page::PER_PAGE
            )
        };
        let notes: Vec<Note> = page::all(&self.thread.api, url, WRONG_MR)?;
        Ok(notes
            .into_iter()
            .filter(|n| !n.system)
            .map(|n| Listed {
                id: n.id,
                mine: n.author.is_some_and(|a| a.id == me),
                body: n.body.unwrap_or_default(),
            })
            .collect())
    }

    fn thread(&self) -> &Thread {
        &self.thread
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_path_becomes_one_path_segment() {
        assert_eq!(encode_project("1234"), "1234");
        assert_eq!(encode_project("group/project"), "group%2Fproject");
        assert_eq!(encode_project("a/b.c/d-e_f~g"), "a%2Fb.c%2Fd-e_f~g");
        assert_eq!(encode_project("x/../y?z#w"), "x%2F..%2Fy%3Fz%23w");
        assert_eq!(encode_project("é"), "%C3%A9");
        assert_eq!(encode_project(".."), "%2E%2E");
        assert_eq!(encode_project("."), "%2E");
    }
}
