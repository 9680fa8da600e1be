//! The hidden marker that names privdiff's comment: `<!-- privdiff:comment key=prod -->`.
//!
//! The marker is the comment's first line. It is how a later run finds the comment again, and
//! the key in it lets one pull request carry one comment per plan (`--key prod`,
//! `--key staging`). The marker alone never makes a comment ours: anyone can paste it into a
//! comment of their own, so the flow also checks who wrote the comment.

use std::fmt;

/// Longest key accepted: long enough for any plan name, short enough to stay a tag.
const MAX_KEY_LEN: usize = 64;

const OPEN: &str = "<!-- privdiff:comment key=";
const CLOSE: &str = " -->";

/// A validated comment key: 1 to 64 characters out of `[A-Za-z0-9._-]`.
///
/// Without `>`, `!` or whitespace in it, a key cannot end the HTML comment it sits in (`-->`,
/// `--!>`) nor add a word to the marker, so a hostile key cannot inject Markdown into the
/// comment or make one key's marker read as another's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key(String);

/// Why a key was refused. Its message names the rule so the user can fix `--key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    Empty,
    TooLong(usize),
    BadCharacter(char),
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const RULE: &str = "a key is 1 to 64 characters out of A-Z a-z 0-9 . _ -";
        match self {
            KeyError::Empty => write!(f, "the key is empty ({RULE})"),
            KeyError::TooLong(n) => write!(f, "the key has {n} characters ({RULE})"),
            KeyError::BadCharacter(c) => {
                // Debug formatting escapes control characters, so the message stays one line.
                write!(f, "the key contains {c:?} ({RULE})")
            }
        }
    }
}

impl std::error::Error for KeyError {}

impl Key {
    /// Checks `key` against the rule in [`Key`]'s documentation.
    pub fn parse(key: &str) -> Result<Key, KeyError> {
        if key.is_empty() {
            return Err(KeyError::Empty);
        }
        if let Some(c) = key.chars().find(|&c| !is_key_char(c)) {
            return Err(KeyError::BadCharacter(c));
        }
        // Only ASCII is left, so bytes are characters.
        if key.len() > MAX_KEY_LEN {
            return Err(KeyError::TooLong(key.len()));
        }
        Ok(Key(key.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The marker line, without a line break: `<!-- privdiff:comment key=KEY -->`.
    pub fn marker(&self) -> String {
        format!("{OPEN}{}{CLOSE}", self.0)
    }

    /// Whether `body` starts with this key's marker line. The whole first line must be the
    /// marker (hosts may store line breaks as `\r\n`), so `key=prod` never matches a comment
    /// marked `key=prod-eu`, and a marker quoted further down a comment does not count.
    pub fn marks(&self, body: &str) -> bool {
        let first = body.split('\n').next().unwrap_or("");
        let first = first.strip_suffix('\r').unwrap_or(first);
        first
            .strip_prefix(OPEN)
            .and_then(|rest| rest.strip_suffix(CLOSE))
            == Some(self.0.as_str())
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Key {
        Key::parse(s).unwrap()
    }

    #[test]
    fn a_key_marks_a_body_that_starts_with_its_marker() {
        let prod = key("prod");
        assert_eq!(prod.marker(), "<!-- privdiff:comment key=prod -->");
        assert!(prod.marks("<!-- privdiff:comment key=prod -->\n**privdiff:** ..."));
        assert!(prod.marks("<!-- privdiff:comment key=prod -->\r\n**privdiff:** ..."));
        assert!(prod.marks("<!-- privdiff:comment key=prod -->"));
    }

    #[test]
    fn another_key_or_a_longer_key_does_not_match() {
        let prod = key("prod");
        assert!(!prod.marks("<!-- privdiff:comment key=staging -->\n"));
        assert!(!prod.marks("<!-- privdiff:comment key=prod-eu -->\n"));
        assert!(!prod.marks("<!-- privdiff:comment key=pro -->\n"));
        assert!(!key("prod-eu").marks("<!-- privdiff:comment key=prod -->\n"));
        assert!(!key("Prod").marks("<!-- privdiff:comment key=prod -->\n"));
    }

    #[test]
    fn a_marker_that_is_not_the_whole_first_line_does_not_match() {
        let prod = key("prod");
        assert!(!prod.marks("> <!-- privdiff:comment key=prod -->\n"));
        assert!(!prod.marks("Quoting:\n<!-- privdiff:comment key=prod -->\n"));
        assert!(!prod.marks("<!-- privdiff:comment key=prod --> trailing\n"));
        assert!(!prod.marks(" <!-- privdiff:comment key=prod -->\n"));
        assert!(!prod.marks(""));
    }

    #[test]
    fn keys_that_could_close_the_html_comment_or_forge_a_marker_are_refused() {
        for bad in [
            "a -->",
            "a-->",
            "a--!>",
            "prod --> <b>",
            "a b",
            "a\nb",
            "a\r",
            "<script>",
            "prod=1",
            "é",
            "a/b",
        ] {
            assert!(
                matches!(Key::parse(bad), Err(KeyError::BadCharacter(_))),
                "{bad:?}"
            );
        }
        assert_eq!(Key::parse(""), Err(KeyError::Empty));
        assert_eq!(Key::parse(&"a".repeat(65)), Err(KeyError::TooLong(65)));
        assert!(Key::parse(&"a".repeat(64)).is_ok());
        for good in ["default", "prod", "staging-eu_1.2", "--", "A.b-C_9"] {
            assert!(Key::parse(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn the_error_message_is_one_line_and_states_the_rule() {
        let msg = Key::parse("a\nb").unwrap_err().to_string();
        assert!(!msg.contains('\n'), "{msg}");
        assert!(msg.contains("'\\n'"), "{msg}");
        assert!(msg.contains("A-Z a-z 0-9 . _ -"), "{msg}");
    }
}
