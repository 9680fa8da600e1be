//! A local fake of the GitHub and GitLab endpoints the comment bot uses, on 127.0.0.1.
//!
//! It serves one pull request (`acme/app#7`) or merge request (`group/project!7`), two comments
//! a page whatever `per_page` asks (so pagination is always exercised), checks the token on
//! every request (401 otherwise), enforces each platform's comment size limit, and logs every
//! request so tests can assert what was sent.

use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use tiny_http::{Header, Response, Server};

/// The only token the fake accepts.
pub const TOKEN: &str = "tok-SECRET-0123456789abcdef";
/// Author of comments written with [`TOKEN`].
pub const ME: &str = "me";
/// GitHub account id of [`ME`] (the Actions bot's).
const MY_ID: u64 = 41_898_282;
const PAGE_SIZE: usize = 2;
const GITHUB_MAX_CHARS: usize = 65_536;
const GITLAB_MAX_CHARS: usize = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    GitHub,
    GitLab,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub id: u64,
    /// [`ME`] or another account's name.
    pub author: String,
    pub body: String,
    /// A GitLab system note.
    pub system: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    pub method: String,
    pub url: String,
    /// Name of the header that carried the token, if any did.
    pub auth: Option<String>,
}

#[derive(Default)]
pub struct State {
    pub comments: Vec<Stored>,
    pub next_id: u64,
    pub log: Vec<Logged>,
    /// Every request with this method answers with this status (and echoes the token).
    pub fail: Option<(&'static str, u16)>,
    /// GraphQL answers 200 with `errors` and no viewer.
    pub graphql_broken: bool,
    /// `GET /user` answers 403, as it does for the Actions token.
    pub user_broken: bool,
    /// The GraphQL viewer comes without its account id.
    pub viewer_without_id: bool,
}

pub struct Fake {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    pub state: Arc<Mutex<State>>,
    server: Arc<Server>,
    thread: Option<JoinHandle<()>>,
}

impl Fake {
    pub fn start(flavor: Flavor) -> Fake {
        let server = Arc::new(Server::http("127.0.0.1:0").expect("bind 127.0.0.1:0"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let url = format!("http://127.0.0.1:{port}");
        let state = Arc::new(Mutex::new(State {
            next_id: 1000,
            ..State::default()
        }));
        let thread = {
            let (server, state, url) = (server.clone(), state.clone(), url.clone());
            std::thread::spawn(move || {
                for mut request in server.incoming_requests() {
                    let mut body = String::new();
                    let _ = request.as_reader().read_to_string(&mut body);
                    let headers: Vec<(String, String)> = request
                        .headers()
                        .iter()
                        .map(|h| (h.field.to_string(), h.value.to_string()))
                        .collect();
                    let incoming = Incoming {
                        method: request.method().to_string(),
                        url: request.url().to_string(),
                        headers,
                        body,
                    };
                    let (status, extra, text) = {
                        let mut state = state.lock().unwrap();
                        handle(flavor, &url, &mut state, &incoming)
                    };
                    let mut response = Response::from_string(text).with_status_code(status);
                    response.add_header(header("Content-Type", "application/json"));
                    for (name, value) in extra {
                        response.add_header(header(&name, &value));
                    }
                    let _ = request.respond(response);
                }
            })
        };
        Fake {
            url,
            state,
            server,
            thread: Some(thread),
        }
    }

    /// Adds a comment as if `author` had written it; its id.
    pub fn seed(&self, author: &str, body: &str) -> u64 {
        self.seed_note(author, body, false)
    }

    pub fn seed_note(&self, author: &str, body: &str, system: bool) -> u64 {
        let mut state = self.state.lock().unwrap();
        state.next_id += 1;
        let id = state.next_id;
        state.comments.push(Stored {
            id,
            author: author.to_string(),
            body: body.to_string(),
            system,
        });
        id
    }

    pub fn comments(&self) -> Vec<Stored> {
        self.state.lock().unwrap().comments.clone()
    }

    /// Comments written by the token's account.
    pub fn mine(&self) -> Vec<Stored> {
        self.comments()
            .into_iter()
            .filter(|c| c.author == ME)
            .collect()
    }

    pub fn log(&self) -> Vec<Logged> {
        self.state.lock().unwrap().log.clone()
    }

    pub fn clear_log(&self) {
        self.state.lock().unwrap().log.clear();
    }

    /// Requests that write a comment: every one but GETs and the GraphQL viewer query.
    pub fn writes(&self) -> Vec<Logged> {
        self.log()
            .into_iter()
            .filter(|r| r.method != "GET" && !r.url.ends_with("graphql"))
            .collect()
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

struct Incoming {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Incoming {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Answer = (u16, Vec<(String, String)>, String);

fn json(status: u16, value: serde_json::Value) -> Answer {
    (status, Vec::new(), value.to_string())
}

fn handle(flavor: Flavor, base: &str, state: &mut State, req: &Incoming) -> Answer {
    let auth = match flavor {
        Flavor::GitHub => req
            .header("Authorization")
            .map(|v| ("Authorization", v == format!("Bearer {TOKEN}"))),
        Flavor::GitLab => req
            .header("PRIVATE-TOKEN")
            .map(|v| ("PRIVATE-TOKEN", v == TOKEN))
            .or_else(|| req.header("JOB-TOKEN").map(|v| ("JOB-TOKEN", v == TOKEN))),
    };
    state.log.push(Logged {
        method: req.method.clone(),
        url: req.url.clone(),
        auth: auth.map(|(name, _)| name.to_string()),
    });
    if !auth.is_some_and(|(_, ok)| ok) {
        let message = match flavor {
            Flavor::GitHub => "Bad credentials",
            Flavor::GitLab => "401 Unauthorized",
        };
        return json(401, serde_json::json!({ "message": message }));
    }
    if let Some((method, status)) = state.fail {
        if req.method == method {
            // A careless server that echoes the credentials: they must not reach the user.
            let message = format!("failure while serving Bearer {TOKEN}");
            return json(status, serde_json::json!({ "message": message }));
        }
    }
    let (path, query) = req.url.split_once('?').unwrap_or((&req.url, ""));
    match flavor {
        Flavor::GitHub => github(base, state, req, path, query),
        Flavor::GitLab => gitlab(state, req, path, query),
    }
}

/// The page asked for. A bad query is answered 400 (not a panic, which would kill the fake
/// and leave the test with a confusing connection error).
fn page_of(query: &str) -> Result<usize, Answer> {
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
    };
    let bad = |what: &str| {
        json(
            400,
            serde_json::json!({ "message": format!("fake: {what} in {query}") }),
        )
    };
    if param("per_page") != Some("100") {
        return Err(bad("per_page is not 100"));
    }
    param("page").map_or(Ok(1), |p| p.parse().map_err(|_| bad("bad page")))
}

fn github(base: &str, state: &mut State, req: &Incoming, path: &str, query: &str) -> Answer {
    // GitHub refuses requests without a User-Agent; the version header pins the API.
    if req.header("User-Agent").is_none_or(str::is_empty)
        || req.header("X-GitHub-Api-Version") != Some("2022-11-28")
        || req.header("Accept") != Some("application/vnd.github+json")
    {
        return json(400, serde_json::json!({ "message": "missing headers" }));
    }
    // Enterprise Server serves the same API under /api/v3, GraphQL at /api/graphql.
    let path = path.strip_prefix("/api/v3").unwrap_or(path);
    let comments = "/repos/acme/app/issues/7/comments";
    let one = path
        .strip_prefix("/repos/acme/app/issues/comments/")
        .and_then(|id| id.parse::<u64>().ok());
    match (req.method.as_str(), path) {
        ("POST", "/graphql" | "/api/graphql") => {
            if state.graphql_broken {
                let errors = [serde_json::json!({ "message": "Resource not accessible" })];
                return json(200, serde_json::json!({ "data": null, "errors": errors }));
            }
            let viewer = if state.viewer_without_id {
                serde_json::json!({ "login": "github-actions" })
            } else {
                serde_json::json!({ "login": "github-actions[bot]", "databaseId": MY_ID })
            };
            json(200, serde_json::json!({ "data": { "viewer": viewer } }))
        }
        ("GET", "/user") if state.user_broken => json(
            403,
            serde_json::json!({ "message": "Resource not accessible by integration" }),
        ),
        ("GET", "/user") => json(
            200,
            serde_json::json!({ "login": "github-actions[bot]", "id": MY_ID, "type": "Bot" }),
        ),
        ("GET", p) if p == comments => {
            let page = match page_of(query) {
                Ok(page) => page,
                Err(answer) => return answer,
            };
            let all: Vec<serde_json::Value> = state
                .comments
                .iter()
                .map(|c| {
                    let user = github_user(&c.author);
                    serde_json::json!({ "id": c.id, "body": c.body, "user": user })
                })
                .collect();
            let last = all.len().div_ceil(PAGE_SIZE).max(1);
            let shown: Vec<_> = all
                .iter()
                .skip((page - 1) * PAGE_SIZE)
                .take(PAGE_SIZE)
                .collect();
            let mut headers = Vec::new();
            if page < last {
                let link = |n: usize, rel: &str| {
                    format!("<{base}{comments}?per_page=100&page={n}>; rel=\"{rel}\"")
                };
                let value = format!("{}, {}", link(page + 1, "next"), link(last, "last"));
                headers.push(("Link".to_string(), value));
            }
            (
                200,
                headers,
                serde_json::Value::from(shown.into_iter().cloned().collect::<Vec<_>>()).to_string(),
            )
        }
        ("POST", p) if p == comments => {
            let body = match body_of(req) {
                Ok(body) => body,
                Err(answer) => return answer,
            };
            if body.chars().count() > GITHUB_MAX_CHARS {
                let errors = [
                    serde_json::json!({ "message": "Body is too long (maximum is 65536 characters)" }),
                ];
                return json(
                    422,
                    serde_json::json!({ "message": "Validation Failed", "errors": errors }),
                );
            }
            state.next_id += 1;
            let id = state.next_id;
            state.comments.push(Stored {
                id,
                author: ME.into(),
                body,
                system: false,
            });
            json(201, serde_json::json!({ "id": id }))
        }
        ("PATCH", _) if one.is_some() => update(state, one.unwrap(), req),
        ("DELETE", _) if one.is_some() => delete(state, one.unwrap()),
        _ => json(404, serde_json::json!({ "message": "Not Found" })),
    }
}

fn gitlab(state: &mut State, req: &Incoming, path: &str, query: &str) -> Answer {
    let notes = "/api/v4/projects/group%2Fproject/merge_requests/7/notes";
    let one = path
        .strip_prefix(notes)
        .and_then(|rest| rest.strip_prefix('/'))
        .and_then(|id| id.parse::<u64>().ok());
    match (req.method.as_str(), path) {
        ("GET", "/api/v4/user") => json(200, serde_json::json!({ "id": 42, "username": "bot" })),
        ("GET", p) if p == notes => {
            if !(query.contains("sort=asc") && query.contains("order_by=created_at")) {
                return json(
                    400,
                    serde_json::json!({ "message": "fake: not sorted oldest first" }),
                );
            }
            let page = match page_of(query) {
                Ok(page) => page,
                Err(answer) => return answer,
            };
            let all: Vec<serde_json::Value> = state
                .comments
                .iter()
                .map(|c| {
                    let author = if c.author == ME { 42 } else { 7 };
                    serde_json::json!({ "id": c.id, "body": c.body, "system": c.system,
                                        "author": { "id": author, "username": c.author } })
                })
                .collect();
            let last = all.len().div_ceil(PAGE_SIZE).max(1);
            let shown: Vec<_> = all
                .iter()
                .skip((page - 1) * PAGE_SIZE)
                .take(PAGE_SIZE)
                .cloned()
                .collect();
            let next = if page < last {
                (page + 1).to_string()
            } else {
                String::new()
            };
            (
                200,
                vec![("X-Next-Page".to_string(), next)],
                serde_json::Value::from(shown).to_string(),
            )
        }
        ("POST", p) if p == notes => {
            let body = match body_of(req) {
                Ok(body) => body,
                Err(answer) => return answer,
            };
            if body.chars().count() > GITLAB_MAX_CHARS {
                let message =
                    serde_json::json!({ "note": ["is too long (maximum is 1000000 characters)"] });
                return json(400, serde_json::json!({ "message": message }));
            }
            state.next_id += 1;
            let id = state.next_id;
            state.comments.push(Stored {
                id,
                author: ME.into(),
                body,
                system: false,
            });
            json(201, serde_json::json!({ "id": id }))
        }
        ("PUT", _) if one.is_some() => update(state, one.unwrap(), req),
        ("DELETE", _) if one.is_some() => delete(state, one.unwrap()),
        _ => json(404, serde_json::json!({ "message": "404 Not found" })),
    }
}

/// The `body` field of a JSON request, or a 400 answer.
fn body_of(req: &Incoming) -> Result<String, Answer> {
    let bad = |what: &str| {
        json(
            400,
            serde_json::json!({ "message": format!("fake: {what}") }),
        )
    };
    if req.header("Content-Type") != Some("application/json") {
        return Err(bad("not application/json"));
    }
    let value: serde_json::Value = serde_json::from_str(&req.body).map_err(|_| bad("not JSON"))?;
    let body = value["body"].as_str().ok_or_else(|| bad("no body field"))?;
    Ok(body.to_string())
}

fn update(state: &mut State, id: u64, req: &Incoming) -> Answer {
    let body = match body_of(req) {
        Ok(body) => body,
        Err(answer) => return answer,
    };
    match state.comments.iter_mut().find(|c| c.id == id) {
        Some(c) => {
            c.body = body;
            json(200, serde_json::json!({ "id": id }))
        }
        None => json(404, serde_json::json!({ "message": "Not Found" })),
    }
}

fn delete(state: &mut State, id: u64) -> Answer {
    let before = state.comments.len();
    state.comments.retain(|c| c.id != id);
    match state.comments.len() < before {
        true => (204, Vec::new(), String::new()),
        false => json(404, serde_json::json!({ "message": "Not Found" })),
    }
}

/// A comment author as GitHub's REST API shows it: [`ME`] is the Actions bot; anyone else is
/// a user, or a bot when the name ends in `[bot]`, with an id of their own.
fn github_user(author: &str) -> serde_json::Value {
    let (login, id, kind) = if author == ME {
        ("github-actions[bot]", MY_ID, "Bot")
    } else {
        let id = 1_000 + author.bytes().map(u64::from).sum::<u64>();
        let kind = if author.ends_with("[bot]") {
            "Bot"
        } else {
            "User"
        };
        (author, id, kind)
    };
    serde_json::json!({ "login": login, "id": id, "type": kind })
}
