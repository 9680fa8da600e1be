//! Whose a file is by the repository's CODEOWNERS: the last rule whose pattern matches it.
//!
//! The file comes from the pull request, like the sources: a line that does not read as a rule
//! is skipped. Patterns follow GitHub's and GitLab's reading of gitignore patterns: `*` and `?`
//! within a path segment, `**` across segments, a leading or inner `/` anchors at the root, a
//! pattern that names a directory covers everything under it, and `dir/*` only its direct
//! files.

use crate::model::pattern::Glob;
use std::path::{Path, PathBuf};

/// Where GitHub and GitLab look for the file, in the order they do.
const PLACES: &[&str] = &[
    ".github/CODEOWNERS",
    "CODEOWNERS",
    "docs/CODEOWNERS",
    ".gitlab/CODEOWNERS",
];

/// Larger than any real CODEOWNERS file: a bigger one is not read.
const MAX_BYTES: u64 = 3 << 20;

#[derive(Debug, Default)]
pub struct CodeOwners {
    /// The repository root the patterns are relative to.
    root: PathBuf,
    /// The file as found, relative to the root, for saying where an owner comes from.
    pub file: String,
    rules: Vec<(Vec<Segment>, bool, String)>,
}

impl CodeOwners {
    /// The CODEOWNERS of the repository holding `dir` (the closest directory at or above it
    /// with `.git`, else `dir` itself), if it has one.
    pub fn find(dir: &Path) -> Option<CodeOwners> {
        let dir = dir.canonicalize().ok()?;
        let root = dir
            .ancestors()
            .find(|d| d.join(".git").exists())
            .unwrap_or(&dir)
            .to_path_buf();
        for place in PLACES {
            let path = root.join(place);
            let small = path
                .metadata()
                .is_ok_and(|m| m.is_file() && m.len() <= MAX_BYTES);
            if !small {
                continue;
            }
            let text = std::fs::read_to_string(&path).ok()?;
            let mut owners = CodeOwners::parse(&text);
            owners.root = root;
            owners.file = place.to_string();
            return Some(owners);
        }
        None
    }

    fn parse(text: &str) -> CodeOwners {
        let mut rules = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            // Comments, and GitLab's section headings (`[Section]`, `^[Optional]`).
            if line.is_empty() || line.starts_with('#') || line.starts_with(['[', '^']) {
                continue;
            }
            let mut words = line.split_whitespace();
            let Some(pattern) = words.next() else {
                continue;
            };
            let owners: Vec<&str> = words.take_while(|w| !w.starts_with('#')).collect();
            let (segments, direct) = compile(pattern);
            // A rule with no owners takes ownership away: it still wins over earlier ones.
            rules.push((segments, direct, owners.join(", ")));
        }
        CodeOwners {
            rules,
            ..CodeOwners::default()
        }
    }

    /// The owners of `file` (a path as the process sees it), if a rule names any.
    pub fn owners_of(&self, file: &Path) -> Option<String> {
        let abs = file.canonicalize().ok()?;
        let rel = abs.strip_prefix(&self.root).ok()?;
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        self.owners_of_parts(&parts)
    }

    fn owners_of_parts(&self, parts: &[String]) -> Option<String> {
        let (_, _, owners) = self.rules.iter().rev().find(|(segments, direct, _)| {
            // The file itself, or (unless the pattern is `dir/*`) a directory above it.
            matches(segments, parts)
                || (!direct && (1..parts.len()).any(|n| matches(segments, &parts[..n])))
        })?;
        (!owners.is_empty()).then(|| owners.clone())
    }
}

/// One segment of a pattern: `**` (any number of path segments), or a glob of one segment
/// (`*` any run, `?` one character, nothing escaped: the reading of [`Glob::action`]).
#[derive(Debug)]
enum Segment {
    AnyDepth,
    Glob(Glob),
}

/// A pattern as segments to match (an unanchored one may start at any depth), and whether it
/// covers only the direct entries of a directory (`docs/*`).
fn compile(pattern: &str) -> (Vec<Segment>, bool) {
    let trimmed = pattern.trim_end_matches('/');
    let anchored = trimmed.contains('/');
    let mut segments = Vec::new();
    if !anchored {
        segments.push(Segment::AnyDepth);
    }
    segments.extend(
        trimmed
            .trim_start_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| match s {
                "**" => Segment::AnyDepth,
                _ => Segment::Glob(Glob::action(&s.replace("\\#", "#"))),
            }),
    );
    let direct = anchored && trimmed.ends_with("/*");
    (segments, direct)
}

/// Whether the path segments `parts` match `pattern`. Greedy with one backtrack point, so
/// linear in practice and never exponential, whatever a hostile file writes; each segment is
/// matched by [`Glob::matches`], which is as careful.
fn matches(pattern: &[Segment], parts: &[String]) -> bool {
    wildcard(
        pattern,
        parts,
        |p| matches!(p, Segment::AnyDepth),
        |p, s| matches!(p, Segment::Glob(g) if g.matches(s)),
    )
}

/// The classic wildcard match: `star` items match any run of items, others one item each.
fn wildcard<P, S>(
    pattern: &[P],
    items: &[S],
    star: impl Fn(&P) -> bool,
    one: impl Fn(&P, &S) -> bool,
) -> bool {
    let (mut p, mut s) = (0, 0);
    let mut back: Option<(usize, usize)> = None;
    while s < items.len() {
        if p < pattern.len() && star(&pattern[p]) {
            back = Some((p, s));
            p += 1;
        } else if p < pattern.len() && one(&pattern[p], &items[s]) {
            p += 1;
            s += 1;
        } else if let Some((bp, bs)) = back {
            p = bp + 1;
            s = bs + 1;
            back = Some((bp, bs + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(star)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner(text: &str, path: &str) -> Option<String> {
        let parts: Vec<String> = path.split('/').map(str::to_string).collect();
        CodeOwners::parse(text).owners_of_parts(&parts)
    }

    #[test]
    fn the_last_matching_rule_wins() {
        let file = "\
# everyone's
*       @acme/all
*.tf    @acme/platform
/infra/iam/ @acme/security @ann
[Docs]
docs/*  @acme/writers
/infra/iam/legacy.tf
";
        assert_eq!(owner(file, "README.md").as_deref(), Some("@acme/all"));
        assert_eq!(
            owner(file, "infra/net/vpc.tf").as_deref(),
            Some("@acme/platform")
        );
        assert_eq!(
            owner(file, "infra/iam/roles.tf").as_deref(),
            Some("@acme/security, @ann")
        );
        assert_eq!(
            owner(file, "infra/iam/deep/more.tf").as_deref(),
            Some("@acme/security, @ann")
        );
        assert_eq!(owner(file, "docs/a.md").as_deref(), Some("@acme/writers"));
        // `docs/*` covers direct files only.
        assert_eq!(owner(file, "docs/sub/b.md").as_deref(), Some("@acme/all"));
        // A rule with no owners takes ownership away.
        assert_eq!(owner(file, "infra/iam/legacy.tf"), None);
    }

    #[test]
    fn unanchored_names_match_at_any_depth_and_double_stars_across() {
        let file = "iam/ @sec\n/modules/**/roles.tf @roles\n";
        assert_eq!(owner(file, "a/b/iam/x.tf").as_deref(), Some("@sec"));
        assert_eq!(
            owner(file, "modules/x/y/roles.tf").as_deref(),
            Some("@roles")
        );
        assert_eq!(owner(file, "modules/roles.tf").as_deref(), Some("@roles"));
        assert_eq!(owner(file, "other/roles.tf"), None);
    }

    #[test]
    fn a_hostile_pattern_costs_little() {
        let stars = format!("{}b @x\n", "*a".repeat(200));
        let long = "a".repeat(5000);
        assert_eq!(owner(&stars, &long), None);
        let deep = format!("{}z @x\n", "**/".repeat(200));
        let path = vec!["a"; 2000].join("/");
        assert_eq!(owner(&deep, &path), None);
    }
}
