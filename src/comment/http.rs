//! The HTTP client both platforms share: one `ureq` agent, the token, and errors turned into
//! one line that says what to fix.
//!
//! Secrecy: the token lives in a [`Token`], which never prints, and every text that reaches an
//! error (the API's own message, the transport error, the request path) passes through
//! [`clean`] first.

use super::secret::{clean, Token};
use super::url::{path_of, redact_url};
use std::fmt;
use std::time::Duration;
use ureq::http::{self, Method};

/// Longest time one request may take, answer included. GitHub and GitLab answer in well under
/// a second; a CI job should fail rather than hang on a stalled connection.
const TIMEOUT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest answer read: a page of 100 GitLab notes of up to 1,000,000 characters each would be
/// larger, but no real discussion is, and the limit keeps a broken server from exhausting memory.
const MAX_ANSWER_BYTES: u64 = 64 * 1024 * 1024;

/// What errors say about one platform.
#[derive(Debug, Clone, Copy)]
pub struct Service {
    /// `GitHub`, `GitLab`.
    pub name: &'static str,
    /// Variable that set the API URL, named when a redirect suggests it is wrong.
    pub url_var: &'static str,
    /// What a 403 most likely means on this platform.
    pub forbidden_hint: &'static str,
}

/// How the token is sent: `Authorization: Bearer TOKEN`, `PRIVATE-TOKEN: TOKEN`...
#[derive(Debug, Clone)]
pub struct Auth {
    pub header: &'static str,
    /// Put before the token in the header value, e.g. `Bearer `.
    pub scheme: &'static str,
    pub token: Token,
    /// Variable the token came from, named when it is rejected.
    pub var: &'static str,
}

/// An authenticated client for one platform's API.
pub struct Api {
    agent: ureq::Agent,
    service: Service,
    auth: Auth,
    /// Sent with every request, e.g. GitHub's `Accept` and API version.
    headers: &'static [(&'static str, &'static str)],
}

/// A 2xx answer.
#[derive(Debug)]
pub struct Reply {
    /// `GET /repos/acme/app/issues/7/comments`, for messages.
    pub request: String,
    /// The `Link` header (GitHub's, and GitLab's, pagination).
    pub link: Option<String>,
    /// GitLab's `X-Next-Page` header.
    pub next_page: Option<String>,
    pub body: String,
    /// `GitHub`, `GitLab`, for messages.
    pub service: &'static str,
}

impl Reply {
    /// The body as JSON of type `T`.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> anyhow::Result<T> {
        serde_json::from_str(&self.body).map_err(|e| {
            anyhow::anyhow!(
                "{}'s answer to {} is not what privdiff expects: {e}",
                self.service,
                self.request
            )
        })
    }
}

/// A request that failed. Typed so callers can tell a comment already gone (404) from other
/// failures; its `Display` is the one line the user sees.
#[derive(Debug)]
pub enum HttpError {
    /// No answer: name resolution, connection, TLS or timeout.
    Unreachable {
        service: &'static str,
        request: String,
        detail: String,
    },
    /// An answer outside 2xx.
    Status {
        service: &'static str,
        request: String,
        status: u16,
        /// The API's own `message`, cleaned and shortened.
        message: Option<String>,
        /// What to check, when the status suggests it.
        hint: Option<String>,
    },
}

impl HttpError {
    pub fn status(&self) -> Option<u16> {
        match self {
            HttpError::Unreachable { .. } => None,
            HttpError::Status { status, .. } => Some(*status),
        }
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpError::Unreachable {
                service,
                request,
                detail,
            } => write!(f, "could not reach {service} for {request}: {detail}"),
            HttpError::Status {
                service,
                request,
                status,
                message,
                hint,
            } => {
                let reason = http::StatusCode::from_u16(*status)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("");
                write!(f, "{service} answered {status} {reason} to {request}")?;
                let said = message.as_ref().map(|m| format!("\"{m}\""));
                let tail: Vec<&str> = said.iter().chain(hint).map(String::as_str).collect();
                if !tail.is_empty() {
                    write!(f, ": {}", tail.join("; "))?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for HttpError {}

impl Api {
    pub fn new(
        service: Service,
        auth: Auth,
        headers: &'static [(&'static str, &'static str)],
    ) -> Api {
        let config = ureq::Agent::config_builder()
            // 4xx and 5xx answers carry the API's explanation; read it rather than lose it.
            .http_status_as_error(false)
            // A redirect would be followed without the token (or, for a write, as a GET), so it
            // is reported instead: it means the API URL or the repository name is stale.
            .max_redirects(0)
            .timeout_global(Some(TIMEOUT))
            .timeout_connect(Some(CONNECT_TIMEOUT))
            // GitHub refuses requests without a User-Agent.
            .user_agent(concat!("privdiff/", env!("CARGO_PKG_VERSION")))
            .build();
        Api {
            agent: config.into(),
            service,
            auth,
            headers,
        }
    }

    pub fn service(&self) -> &Service {
        &self.service
    }

    /// Sends `method url` with `body` as JSON. A 2xx answer is a [`Reply`]; anything else is an
    /// [`HttpError`] whose hint for 404 is `not_found` (what the caller's URL depends on).
    pub fn call(
        &self,
        method: Method,
        url: &str,
        body: Option<&serde_json::Value>,
        not_found: &str,
    ) -> Result<Reply, HttpError> {
        let request = self.clean(&format!("{method} {}", path_of(url)));
        let unreachable = |e: &dyn fmt::Display| HttpError::Unreachable {
            service: self.service.name,
            request: request.clone(),
            detail: self.clean(&e.to_string()),
        };
        let mut builder = http::Request::builder().method(method).uri(url);
        for (name, value) in self.headers {
            builder = builder.header(*name, *value);
        }
        let mut auth = http::HeaderValue::try_from(format!(
            "{}{}",
            self.auth.scheme,
            self.auth.token.expose()
        ))
        .map_err(|_| unreachable(&"the token cannot be sent in a header"))?;
        auth.set_sensitive(true);
        builder = builder.header(self.auth.header, auth);
        let sent = match body {
            Some(json) => builder
                .header("Content-Type", "application/json")
                .body(json.to_string().into_bytes())
                .map(|r| self.agent.run(r)),
            None => builder.body(()).map(|r| self.agent.run(r)),
        };
        let mut response = sent
            .map_err(|e| unreachable(&e))?
            .map_err(|e| unreachable(&e))?;
        let header = |name: &str| {
            let value = response.headers().get(name)?.to_str().ok()?;
            Some(value.to_string())
        };
        let (link, next_page, location) =
            (header("link"), header("x-next-page"), header("location"));
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .lossy_utf8(true)
            .read_to_string()
            .map_err(|e| unreachable(&e))?;
        if (200..300).contains(&status) {
            return Ok(Reply {
                request,
                link,
                next_page,
                body: text,
                service: self.service.name,
            });
        }
        Err(HttpError::Status {
            service: self.service.name,
            request,
            status,
            message: api_message(&text).map(|m| self.clean(&m)),
            hint: self.hint(status, not_found, location.as_deref()),
        })
    }

    fn hint(&self, status: u16, not_found: &str, location: Option<&str>) -> Option<String> {
        let service = self.service;
        Some(match status {
            300..=399 => {
                let to = location.map(|l| format!(" to {}", self.clean(&redact_url(l))));
                format!(
                    "redirected{}; privdiff does not follow redirects: check {} and the repository name",
                    to.unwrap_or_default(),
                    service.url_var
                )
            }
            401 => format!(
                "the token in {} was rejected (invalid, expired or revoked, or not for this host)",
                self.auth.var
            ),
            403 => service.forbidden_hint.to_string(),
            404 => not_found.to_string(),
            500..=599 => format!("{} had a server error; try again later", service.name),
            _ => return None,
        })
    }

    /// `text` fit for a one-line message, without this API's token: see [`clean`].
    pub fn clean(&self, text: &str) -> String {
        clean(text, self.auth.token.expose())
    }
}

/// The error message in an API's JSON answer: GitHub's and GitLab's `message` (a string, or
/// for GitLab validation errors an object, shown as JSON), or an OAuth `error_description` /
/// `error`. `None` when the answer is not JSON, e.g. a proxy's HTML page.
fn api_message(body: &str) -> Option<String> {
    let json: serde_json::Value = serde_json::from_str(body).ok()?;
    ["message", "error_description", "error"]
        .iter()
        .find_map(|field| match json.get(field)? {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_message_is_found_in_each_shape() {
        assert_eq!(
            api_message(r#"{"message":"Not Found","documentation_url":"x"}"#).as_deref(),
            Some("Not Found")
        );
        assert_eq!(
            api_message(r#"{"message":{"note":["is too long"]}}"#).as_deref(),
            Some(r#"{"note":["is too long"]}"#)
        );
        assert_eq!(
            api_message(r#"{"error":"invalid_token","error_description":"Token expired"}"#)
                .as_deref(),
            Some("Token expired")
        );
        assert_eq!(api_message("<html>Bad gateway</html>"), None);
        assert_eq!(api_message(r#"{"message":null}"#), None);
    }

    #[test]
    fn a_status_error_reads_as_one_line_with_reason_message_and_hint() {
        let err = HttpError::Status {
            service: "GitHub",
            request: "GET /repos/acme/app/issues/7/comments".into(),
            status: 404,
            message: Some("Not Found".into()),
            hint: Some("check GITHUB_REPOSITORY and the pull request number".into()),
        };
        assert_eq!(
            err.to_string(),
            "GitHub answered 404 Not Found to GET /repos/acme/app/issues/7/comments: \
             \"Not Found\"; check GITHUB_REPOSITORY and the pull request number"
        );
        let bare = HttpError::Status {
            service: "GitLab",
            request: "PUT /x".into(),
            status: 418,
            message: None,
            hint: None,
        };
        assert_eq!(
            bare.to_string(),
            "GitLab answered 418 I'm a teapot to PUT /x"
        );
        assert_eq!(bare.status(), Some(418));
    }
}
