//! Paths as annotations need them: relative to the working directory, `/`-separated, with no
//! `.` or `a/..` steps.

use std::path::{Component, Path, PathBuf};

/// `path` with `.` steps dropped and each `..` cancelling the step before it, without touching
/// the file system. Terraform cleans module paths the same way (Go's `filepath.Join`), so this is
/// the directory it reads even where a step is a symbolic link. A `..` that cannot cancel
/// anything is kept on a relative path and dropped at the root of an absolute one.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            c => out.push(c),
        }
    }
    out.iter().collect()
}

/// `dir` as annotations should name it: normalised, and relative to `cwd` when it lies under it
/// (an absolute path elsewhere stays absolute). The empty path stands for `cwd` itself.
pub fn display_base(dir: &Path, cwd: Option<&Path>) -> PathBuf {
    let dir = normalize(dir);
    if dir.is_absolute() {
        if let Some(rest) = cwd.and_then(|cwd| dir.strip_prefix(normalize(cwd)).ok()) {
            return rest.to_path_buf();
        }
    }
    dir
}

/// `path` with `/` between its steps, whatever the platform's separator.
pub fn slashed(path: &Path) -> String {
    let mut out = String::new();
    for c in path.components() {
        match c {
            Component::Prefix(p) => out.push_str(&p.as_os_str().to_string_lossy()),
            Component::RootDir => out.push('/'),
            c => {
                if !out.is_empty() && !out.ends_with('/') {
                    out.push('/');
                }
                out.push_str(&c.as_os_str().to_string_lossy());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        slashed(&normalize(Path::new(s)))
    }

    #[test]
    fn normalises_lexically() {
        assert_eq!(
            norm("./infra/./modules/ci/../inner/main.tf"),
            "infra/modules/inner/main.tf"
        );
        assert_eq!(norm("infra/"), "infra");
        assert_eq!(norm("."), "");
        assert_eq!(norm("../shared/x.tf"), "../shared/x.tf");
        assert_eq!(norm("a/../../b"), "../b");
        assert_eq!(norm("/../etc"), "/etc");
        assert_eq!(norm("/srv/repo/infra/../main.tf"), "/srv/repo/main.tf");
    }

    #[test]
    fn absolute_dirs_under_the_working_directory_become_relative() {
        let cwd = Some(Path::new("/srv/repo"));
        let base = |d: &str| slashed(&display_base(Path::new(d), cwd));
        assert_eq!(base("/srv/repo/infra"), "infra");
        assert_eq!(base("/srv/repo/./infra/"), "infra");
        assert_eq!(base("/srv/repo"), "");
        assert_eq!(base("/srv/repository/infra"), "/srv/repository/infra");
        assert_eq!(base("/elsewhere/infra"), "/elsewhere/infra");
        assert_eq!(base("./infra"), "infra");
        assert_eq!(base("infra/../infra"), "infra");
        assert_eq!(
            slashed(&display_base(Path::new("/srv/repo/x"), None)),
            "/srv/repo/x"
        );
    }
}
