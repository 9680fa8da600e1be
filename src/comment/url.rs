//! URLs: checking the configured API roots, and printing URLs and paths without credentials.

use super::secret::clean;

/// The API root URL set in `var`: `http://` or `https://`, without a trailing `/`. Checked up
/// front so a typo is named as such rather than as a failed connection.
pub fn api_root(var: &str, value: &str) -> anyhow::Result<String> {
    let value = value.trim().trim_end_matches('/');
    let scheme = value.starts_with("https://") || value.starts_with("http://");
    if !scheme || value.contains(|c: char| c.is_whitespace() || c.is_control()) {
        anyhow::bail!(
            "{var} is \"{}\", not an http:// or https:// URL",
            clean(&redact_url(value), "")
        );
    }
    Ok(value.to_string())
}

/// The path of `url`, without scheme, host (and so any `user:password@`) or query:
/// `https://api.github.com/repos/a/b?page=2` → `/repos/a/b`.
pub fn path_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    path.split(['?', '#']).next().unwrap_or(path)
}

/// `url` with any `user:password@` replaced by `***@`, for printing.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://***{}", &rest[at..]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_api_root_must_be_an_http_url() {
        assert_eq!(
            api_root("GITHUB_API_URL", "https://ghe.example/api/v3/ ").unwrap(),
            "https://ghe.example/api/v3"
        );
        assert_eq!(
            api_root("X", "http://127.0.0.1:9/").unwrap(),
            "http://127.0.0.1:9"
        );
        let err = api_root("CI_API_V4_URL", "gitlab.example/api/v4").unwrap_err();
        assert_eq!(
            err.to_string(),
            "CI_API_V4_URL is \"gitlab.example/api/v4\", not an http:// or https:// URL"
        );
        let err = api_root("X", "ftp://u:secret@host")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("secret"), "{err}");
        assert!(api_root("X", "https://a b").is_err());
    }

    #[test]
    fn paths_and_printed_urls_carry_no_credentials() {
        assert_eq!(
            path_of("https://api.github.com/repos/a/b/issues/1/comments?per_page=100&page=2"),
            "/repos/a/b/issues/1/comments"
        );
        assert_eq!(path_of("https://user:pw@host/api/v3/user"), "/api/v3/user");
        assert_eq!(path_of("http://127.0.0.1:8080"), "/");
        assert_eq!(
            redact_url("https://user:pw@gitlab.example/api/v4/x?a=b@c"),
            "https://***@gitlab.example/api/v4/x?a=b@c"
        );
        assert_eq!(
            redact_url("https://api.github.com/repos/a@b"),
            "https://api.github.com/repos/a@b"
        );
        assert_eq!(redact_url("no-scheme"), "no-scheme");
    }
}
