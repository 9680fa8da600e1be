//! Keeping the token secret: a type that never prints it, and a scrubber for every text that
//! reaches a message (the API's own words, transport errors), in case a server or a
//! misconfigured URL echoes it.

use std::fmt;

/// How much of an API's own error message an error repeats.
const MAX_MESSAGE_CHARS: usize = 200;

/// An API token. Its `Debug` and `Display` print `***`; only [`Token::expose`] gives the text,
/// and only the request header uses it.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// The token in environment variable `var`, without the whitespace around it (secrets are
    /// often stored with a trailing newline). Refuses a token no HTTP header could carry,
    /// naming the variable but never the value.
    pub fn from_env(var: &str, value: &str) -> anyhow::Result<Token> {
        let value = value.trim();
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_graphic()) {
            anyhow::bail!("{var} is not a token: it holds spaces, control or non-ASCII characters");
        }
        Ok(Token(value.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// `text` fit for a one-line message: control characters dropped, `token` replaced by `***`,
/// at most [`MAX_MESSAGE_CHARS`] characters. In that order: a control character inside an
/// echoed token cannot hide it from the replacement, and no prefix of it survives the cut.
pub fn clean(text: &str, token: &str) -> String {
    let visible: String = text.chars().filter(|c| !c.is_control()).collect();
    let redacted = match token {
        "" => visible,
        _ => visible.replace(token, "***"),
    };
    let mut out: String = redacted.chars().take(MAX_MESSAGE_CHARS).collect();
    if out.len() < redacted.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::comment::http::Auth;

    #[test]
    fn a_token_never_prints() {
        let token = Token::from_env("GITHUB_TOKEN", " ghs_secret123\n").unwrap();
        assert_eq!(token.expose(), "ghs_secret123");
        assert_eq!(format!("{token} {token:?}"), "*** ***");
        let auth = Auth {
            header: "Authorization",
            scheme: "Bearer ",
            token,
            var: "GITHUB_TOKEN",
        };
        assert!(!format!("{auth:?}").contains("secret"));
    }

    #[test]
    fn a_token_that_cannot_be_a_header_is_refused_without_echoing_it() {
        for bad in ["", "  ", "ab cd", "ab\ncd", "tökén"] {
            let err = Token::from_env("GITLAB_TOKEN", bad)
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("GITLAB_TOKEN is not a token"), "{err}");
            if !bad.trim().is_empty() {
                assert!(!err.contains(bad.trim()), "{err}");
            }
        }
    }

    #[test]
    fn clean_redacts_the_token_strips_controls_and_limits_length() {
        assert_eq!(clean("bad token s3cr3t!", "s3cr3t"), "bad token ***!");
        assert_eq!(clean("a\nb\r\x1b[31mc", "tok"), "ab[31mc");
        let long = "x".repeat(500);
        let cut = clean(&long, "tok");
        assert_eq!(cut.chars().count(), MAX_MESSAGE_CHARS + 1);
        assert!(cut.ends_with('…'));
        // A token straddling the cut is redacted before cutting, so none of it is left.
        let straddling = format!("{}SECRETTOKEN", "y".repeat(195));
        assert!(!clean(&straddling, "SECRETTOKEN").contains("SECRE"));
        assert_eq!(clean("no token", ""), "no token");
        assert_eq!(clean("hidden s3c\u{7}r3t", "s3cr3t"), "hidden ***");
    }
}
