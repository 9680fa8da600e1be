//! The config file, `.privdiff.hcl`: the gate, trusted accounts, rule overrides, accepted
//! findings (`ignore`) and separation-of-duties rules. `docs/config.md` is its user
//! documentation.
//!
//! Loading has two stages: [`raw`] reads the HCL as written, [`validate`] turns it into a
//! [`Config`] or one error that names the block and the field. [`apply`] then changes a report
//! the way the file says.

mod apply;
mod date;
mod pattern;
mod raw;
mod validate;

#[cfg(test)]
mod tests;

pub use apply::apply;
pub use date::Date;
pub use pattern::Pattern;

use crate::checks::Sod;
use crate::gate::FailOn;
use crate::model::Severity;
use crate::report::Finding;
use crate::rules::Pages;
use std::fmt;
use std::path::{Path, PathBuf};

/// The file looked for in the working directory when `--config` is not given.
pub const FILE_NAME: &str = ".privdiff.hcl";

/// A validated config file.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The file as the user named it (`.privdiff.hcl`, or the `--config` path): for messages
    /// and for the findings about the file itself.
    pub file: String,
    /// `fail_on`; the `--fail-on` flag wins over it.
    pub fail_on: Option<FailOn>,
    /// `trusted_accounts`, 12-digit AWS account ids, as written.
    pub trusted_accounts: Vec<String>,
    /// `owner_tags`: the tag and label keys that name an identity's owner, in the order they
    /// are tried (empty: privdiff's defaults).
    pub owner_tags: Vec<String>,
    /// `rules_url`: where the rules' pages are; the `--rules-url` flag wins over it.
    pub rules_url: Option<Pages>,
    /// `rule` blocks, at most one per rule.
    pub rules: Vec<RuleSetting>,
    /// `ignore` blocks, in file order.
    pub ignores: Vec<Ignore>,
    /// `sod` blocks, in file order.
    pub sod: Vec<Sod>,
}

/// A `rule "CODE"` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSetting {
    /// The canonical code (`PD012` for `rule "pd012"`).
    pub code: &'static str,
    pub severity: Option<Severity>,
    /// False drops the rule's findings from the report.
    pub enabled: bool,
}

/// An `ignore` block: findings it matches are reported as suppressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignore {
    /// 1-based, among the file's `ignore` blocks.
    pub index: usize,
    /// Selectors; at least one is set, and a finding must match every one that is.
    pub rule: Option<&'static str>,
    pub address: Option<Pattern>,
    pub identity: Option<Pattern>,
    pub reason: String,
    /// The last day the block suppresses anything.
    pub expires: Option<Date>,
}

impl Ignore {
    /// Whether `finding` matches every selector the block sets (its date aside).
    pub fn matches(&self, finding: &Finding) -> bool {
        self.rule.is_none_or(|code| code == finding.code)
            && self
                .address
                .as_ref()
                .is_none_or(|p| p.matches(&finding.address))
            && self
                .identity
                .as_ref()
                .is_none_or(|p| p.matches(&finding.identity))
    }

    /// Whether the block is past its date on `today`.
    pub fn expired(&self, today: Date) -> bool {
        self.expires.is_some_and(|last| last < today)
    }

    /// `rule PD001, identity aws_iam_role.ci`: the selectors as written.
    pub fn selectors(&self) -> String {
        let mut parts = Vec::new();
        if let Some(code) = self.rule {
            parts.push(format!("rule {code}"));
        }
        if let Some(p) = &self.address {
            parts.push(format!("address {}", p.as_str()));
        }
        if let Some(p) = &self.identity {
            parts.push(format!("identity {}", p.as_str()));
        }
        parts.join(", ")
    }
}

impl Config {
    /// The `rule` block of `code`, if there is one.
    pub fn rule(&self, code: &str) -> Option<&RuleSetting> {
        self.rules.iter().find(|r| r.code == code)
    }
}

/// Why a config file could not be used. Every variant prints as one line.
#[derive(Debug)]
pub enum Error {
    /// The file could not be read (a `--config` that does not exist, a directory...).
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Not HCL, or an attribute set twice in one body (which hcl refuses as it parses).
    Syntax {
        file: String,
        at: Option<(usize, usize)>,
        message: String,
    },
    /// HCL, but not a config file: an unknown field, a wrong type, a missing `reason`...
    Invalid { file: String, message: String },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Read { path, source } => {
                write!(f, "cannot read config file {}: {source}", path.display())
            }
            Error::Syntax { file, at, message } => {
                // hcl's messages can span lines; an error is one line on stderr.
                let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
                match at {
                    Some((line, column)) => {
                        write!(f, "{file}: line {line}, column {column}: {message}")
                    }
                    None => write!(f, "{file}: {message}"),
                }
            }
            Error::Invalid { file, message } => write!(f, "{file}: {message}"),
        }
    }
}

// No `source()`: the message already ends with the I/O error, and `{:#}` would repeat it.
impl std::error::Error for Error {}

/// Parses config text; `file` names it in errors and in findings about it.
pub fn parse(text: &str, file: &str) -> Result<Config, Error> {
    let body = raw::parse(text).map_err(|e| Error::Syntax {
        file: file.to_string(),
        at: e.at,
        message: e.message,
    })?;
    validate::config(&body, file).map_err(|message| Error::Invalid {
        file: file.to_string(),
        message,
    })
}

/// Reads and parses the file at `path`, named as the user wrote it.
pub fn load(path: &Path) -> Result<Config, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text, &path.display().to_string())
}

/// The config in effect: `explicit` (`--config`, which must exist), else [`FILE_NAME`] in `dir`
/// when there is one, else none.
pub fn find(explicit: Option<&Path>, dir: &Path) -> Result<Option<Config>, Error> {
    if let Some(path) = explicit {
        return load(path).map(Some);
    }
    let path = dir.join(FILE_NAME);
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&text, FILE_NAME).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Read { path, source }),
    }
}
