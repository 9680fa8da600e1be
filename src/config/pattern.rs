//! The `address` and `identity` selectors of an ignore: a plan address, exactly, or with `*`
//! standing for any run of characters. Addresses are case-sensitive and full of `[`, `"` and
//! `.`, so nothing but `*` is special ([`Glob::stars_only`], where the tests are).

use crate::model::Glob;
use std::fmt;

/// A selector as written in the config file, with the pattern it is read as.
#[derive(Clone, PartialEq, Eq)]
pub struct Pattern {
    text: String,
    glob: Glob,
}

impl Pattern {
    pub fn new(text: &str) -> Pattern {
        Pattern {
            text: text.to_string(),
            glob: Glob::stars_only(text),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether `subject` matches the whole pattern.
    pub fn matches(&self, subject: &str) -> bool {
        self.glob.matches(subject)
    }
}

/// The text alone, as written: the pattern is read from it.
impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.text).finish()
    }
}
