//! GitHub: a pull request's conversation comments, through the REST API (issue comments: a
//! pull request is an issue), and the token's own login through GraphQL.

use super::decide::Listed;
use super::http::{Api, Auth, HttpError, Service};
use super::secret::Token;
use super::thread::Thread;
use super::url::api_root;
use super::{page, Comments, Target};
use anyhow::Context;
use serde::Deserialize;
use serde_json::json;
use ureq::http::Method;

/// GitHub rejects comments over 65,536 characters. Bytes are never fewer than characters, and
/// the margin covers a host that counts line breaks as two.
const MAX_BODY_BYTES: usize = 65_000;
const DEFAULT_API_URL: &str = "https://api.github.com";

const SERVICE: Service = Service {
    name: "GitHub",
    url_var: "GITHUB_API_URL",
    forbidden_hint: "the token may not do this: in GitHub Actions give the job \
        `permissions: pull-requests: write` (a pull request from a fork only ever gets a \
        read-only GITHUB_TOKEN), or a rate limit was hit",
};

/// Sent with every request: JSON, and the REST API version the endpoints were written against.
const HEADERS: &[(&str, &str)] = &[
    ("Accept", "application/vnd.github+json"),
    ("X-GitHub-Api-Version", "2022-11-28"),
];

const WRONG_PR: &str = "check GITHUB_REPOSITORY and the pull request number";

struct GitHub {
    /// The pull request's conversation: a pull request is an issue.
    thread: Thread,
    /// REST API root, without a trailing `/`.
    base: String,
    graphql: String,
}

/// The pull request the environment names: `GITHUB_REPOSITORY`, and `number` (`--pr`) or
/// else the event payload at `GITHUB_EVENT_PATH`. Without `GITHUB_TOKEN` the target has no
/// API (only a dry run may go on).
pub fn target(env: &dyn Fn(&str) -> Option<String>, number: Option<u64>) -> anyhow::Result<Target> {
    let repo = env("GITHUB_REPOSITORY")
        .context("GITHUB_REPOSITORY is not set: set it to OWNER/REPO (GitHub Actions sets it)")?;
    check_repo(&repo)?;
    let number = match number {
        Some(n) => n,
        None => number_from_event(env)?,
    };
    let base = env("GITHUB_API_URL").unwrap_or_else(|| DEFAULT_API_URL.to_string());
    let base = api_root("GITHUB_API_URL", &base)?;
    let graphql = match env("GITHUB_GRAPHQL_URL") {
        Some(url) => api_root("GITHUB_GRAPHQL_URL", &url)?,
        None => graphql_url(&base),
    };
    let comments = match env("GITHUB_TOKEN") {
        None => None,
        Some(value) => {
            let auth = Auth {
                header: "Authorization",
                scheme: "Bearer ",
                token: Token::from_env("GITHUB_TOKEN", &value)?,
                var: "GITHUB_TOKEN",
            };
            let thread = Thread {
                api: Api::new(SERVICE, auth, HEADERS),
                collection: format!("{base}/repos/{repo}/issues/{number}/comments"),
                item_base: format!("{base}/repos/{repo}/issues/comments"),
                update_method: Method::PATCH,
                noun: "comment",
                wrong: WRONG_PR,
            };
            Some(Box::new(GitHub {
                thread,
                base,
                graphql,
            }) as Box<dyn Comments>)
        }
    };
    Ok(Target {
        name: format!("{repo}#{number}"),
        max_body_bytes: MAX_BODY_BYTES,
        token_var: "GITHUB_TOKEN",
        comments,
    })
}

/// `owner/repo`, each part made of the characters GitHub allows, so it is safe in a URL path.
fn check_repo(repo: &str) -> anyhow::Result<()> {
    let ok = |part: &str| {
        !part.is_empty()
            && part != "."
            && part != ".."
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    match repo.split_once('/') {
        Some((owner, name)) if ok(owner) && ok(name) => Ok(()),
        _ => anyhow::bail!(
            "GITHUB_REPOSITORY is {:?}, not OWNER/REPO",
            repo.chars().take(100).collect::<String>()
        ),
    }
}

fn number_from_event(env: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<u64> {
    let path = env("GITHUB_EVENT_PATH").context(
        "no pull request number: pass --pr N, or run in a GitHub Actions job for a pull \
         request (GITHUB_EVENT_PATH is not set)",
    )?;
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!("cannot read the GitHub event payload {path} (GITHUB_EVENT_PATH)")
    })?;
    let event: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("the GitHub event payload {path} is not JSON"))?;
    pr_number(&event).with_context(|| {
        format!(
            "the GitHub event payload {path} names no pull request (the workflow did not run \
             for a pull request?): pass --pr N"
        )
    })
}

/// The pull request an event payload is about: `pull_request.number` (pull_request and
/// pull_request_target events), `issue.number` when the issue is a pull request
/// (issue_comment events), else a top-level `number`.
fn pr_number(event: &serde_json::Value) -> Option<u64> {
    if let Some(n) = event.pointer("/pull_request/number") {
        return n.as_u64();
    }
    if let Some(issue) = event.get("issue") {
        // A comment on a plain issue has no pull request to report on.
        issue.get("pull_request")?;
        return issue.get("number")?.as_u64();
    }
    event.get("number")?.as_u64()
}

/// The GraphQL endpoint beside a REST API root: `https://api.github.com/graphql`, and for
/// GitHub Enterprise Server `https://HOST/api/graphql` beside `https://HOST/api/v3`.
fn graphql_url(base: &str) -> String {
    match base.strip_suffix("/api/v3") {
        Some(host) => format!("{host}/api/graphql"),
        None => format!("{base}/graphql"),
    }
}

/// Whether `author` is the token's own account, `me`, by account id (GraphQL's `databaseId`
/// is the REST `id`). Logins would not do: the user `acme-ci` and the app bot `acme-ci[bot]`
/// are different accounts, and the Actions token's viewer and its comments spell it differently.
fn is_own(author: &User, me: u64) -> bool {
    author.id == Some(me)
}

/// The account id of a user GitHub named as the token's own.
fn account_id(user: User) -> anyhow::Result<u64> {
    user.id.with_context(|| {
        format!(
            "GitHub named the token's account {:?} without its id",
            user.login.chars().take(100).collect::<String>()
        )
    })
}

#[derive(Deserialize)]
struct Comment {
    id: u64,
    body: Option<String>,
    /// `null` for a deleted account.
    user: Option<User>,
}

#[derive(Deserialize)]
struct User {
    login: String,
    /// The account id: `id` in REST answers, `databaseId` from GraphQL.
    #[serde(default, alias = "databaseId")]
    id: Option<u64>,
}

impl GitHub {
    /// The token's account. GraphQL's `viewer` works for every kind of token, the Actions
    /// installation token included; `GET /user` (which refuses that token) is the fallback.
    /// Never guessed: without it, privdiff could not tell its own comments from others'.
    fn viewer(&self) -> anyhow::Result<u64> {
        let graphql = self.graphql_viewer();
        let Err(graphql) = graphql else {
            return graphql;
        };
        // A rejected token or an unreachable host fails `GET /user` the same way: say it once.
        let http = graphql.downcast_ref::<HttpError>();
        if http.is_some_and(|e| matches!(e.status(), None | Some(401))) {
            return Err(graphql);
        }
        let rest = self
            .thread
            .api
            .call(
                Method::GET,
                &format!("{}/user", self.base),
                None,
                "check GITHUB_API_URL",
            )
            .map_err(anyhow::Error::from)
            .and_then(|reply| reply.json::<User>())
            .and_then(account_id);
        rest.map_err(|rest| {
            anyhow::anyhow!(
                "cannot tell which account GITHUB_TOKEN belongs to, so cannot tell privdiff's \
                 own comments from others': the GraphQL viewer query failed ({graphql:#}) and so \
                 did GET /user ({rest:#})"
            )
        })
    }

    fn graphql_viewer(&self) -> anyhow::Result<u64> {
        #[derive(Deserialize)]
        struct Answer {
            data: Option<Data>,
            #[serde(default)]
            errors: Vec<Problem>,
        }
        #[derive(Deserialize)]
        struct Data {
            viewer: Option<User>,
        }
        #[derive(Deserialize)]
        struct Problem {
            message: Option<String>,
        }
        let query = json!({ "query": "query { viewer { login databaseId } }" });
        let reply = self.thread.api.call(
            Method::POST,
            &self.graphql,
            Some(&query),
            "check GITHUB_GRAPHQL_URL, or GITHUB_API_URL from which it is derived",
        )?;
        let answer: Answer = reply.json()?;
        match answer.data.and_then(|d| d.viewer) {
            Some(viewer) => account_id(viewer),
            None => {
                // GraphQL reports failures in a 200 answer.
                let said = answer.errors.into_iter().find_map(|p| p.message);
                let said = self
                    .thread
                    .api
                    .clean(said.as_deref().unwrap_or("no viewer"));
                anyhow::bail!("GitHub answered {} with \"{said}\"", reply.request)
            }
        }
    }
}

impl Comments for GitHub {
    fn list(&self) -> anyhow::Result<Vec<Listed>> {
        let me = self.viewer()?;
        let base = &self.thread.collection;
        let url = |n: u32| format!("{base}?per_page={}&page={n}", page::PER_PAGE);
        let comments: Vec<Comment> = page::all(&self.thread.api, url, WRONG_PR)?;
        Ok(comments
            .into_iter()
            .map(|c| Listed {
                id: c.id,
                mine: c.user.is_some_and(|u| is_own(&u, me)),
                body: c.body.unwrap_or_default(),
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
    fn ownership_is_by_account_id_not_login() {
        let me = 41898282;
        let author = |login: &str, id: Option<u64>| User {
            login: login.to_string(),
            id,
        };
        assert!(is_own(&author("github-actions[bot]", Some(41898282)), me));
        // A user whose login is the bot's without its suffix is someone else.
        assert!(!is_own(&author("github-actions", Some(7)), me));
        assert!(!is_own(&author("github-actions[bot]", None), me));
    }

    #[test]
    fn the_graphql_url_is_derived_from_the_rest_root() {
        assert_eq!(
            graphql_url("https://api.github.com"),
            "https://api.github.com/graphql"
        );
        assert_eq!(
            graphql_url("https://ghe.example.com/api/v3"),
            "https://ghe.example.com/api/graphql"
        );
        assert_eq!(
            graphql_url("https://api.acme.ghe.com"),
            "https://api.acme.ghe.com/graphql"
        );
    }

    #[test]
    fn the_pull_request_number_comes_from_each_kind_of_event() {
        let pr = json!({ "number": 7, "pull_request": { "number": 7 } });
        assert_eq!(pr_number(&pr), Some(7));
        let comment_on_pr = json!({ "issue": { "number": 9, "pull_request": { "url": "x" } } });
        assert_eq!(pr_number(&comment_on_pr), Some(9));
        let comment_on_issue = json!({ "issue": { "number": 9 }, "number": 9 });
        assert_eq!(pr_number(&comment_on_issue), None);
        assert_eq!(pr_number(&json!({ "number": 3 })), Some(3));
        assert_eq!(pr_number(&json!({ "ref": "refs/heads/main" })), None);
        assert_eq!(
            pr_number(&json!({ "pull_request": { "number": "7" } })),
            None
        );
    }

    #[test]
    fn a_repository_must_be_owner_slash_name() {
        for good in ["acme/app", "a-b/c.d_e", "A1/.github"] {
            assert!(check_repo(good).is_ok(), "{good}");
        }
        for bad in [
            "acme", "acme/", "/app", "a/b/c", "a/..", "a/b?x", "a b/c", "a/b#1",
        ] {
            assert!(check_repo(bad).is_err(), "{bad}");
        }
    }
}
