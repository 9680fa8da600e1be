//! A saved binary plan (`terraform plan -out plan.out`, a ZIP file) is turned into plan JSON
//! the way a user would: `terraform show -json plan.out`, or `tofu show -json plan.out`, in the
//! current directory (the working directory the plan was made in: `show` reads its providers).

use crate::stderr::one_line;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether `input` is a saved plan rather than JSON.
pub fn is_saved_plan(input: &[u8]) -> bool {
    input.starts_with(b"PK\x03\x04") || input.starts_with(b"PK\x05\x06")
}

/// The plan JSON of the saved plan at `path`, read by the program that can read it.
pub fn show(path: &str) -> anyhow::Result<Vec<u8>> {
    let path_var = std::env::var_os("PATH").unwrap_or_default();
    let lock = std::fs::read_to_string(".terraform.lock.hcl").unwrap_or_default();
    let program = choose(&path_var, &lock).ok_or_else(|| {
        anyhow::anyhow!(
            "{path} is a saved binary plan, and neither terraform nor tofu is on PATH to read \
             it: install one, or run `terraform show -json {path} > plan.json` (or `tofu show \
             -json`) in the working directory and pass plan.json"
        )
    })?;
    let name = program.name;
    // A name that starts with `-` would read as a flag.
    let arg = match path.starts_with('-') {
        true => format!("./{path}"),
        false => path.to_string(),
    };
    let out = Command::new(&program.path)
        .args(["show", "-json", &arg])
        .output()
        .map_err(|e| anyhow::anyhow!("cannot run {name} show -json {path}: {e}"))?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stderr);
        let first = said
            .lines()
            .map(strip_decoration)
            .find(|l| !l.is_empty())
            .unwrap_or("no message");
        anyhow::bail!(
            "{name} show -json {path} failed ({}): {}; run it in the working directory the plan \
             was made in",
            out.status,
            one_line(first)
        );
    }
    Ok(out.stdout)
}

/// The program found on `PATH`.
#[derive(Debug, PartialEq, Eq)]
struct Program {
    name: &'static str,
    path: PathBuf,
}

/// `tofu` for an OpenTofu working directory (its lock file names OpenTofu's registry) or when
/// only `tofu` is installed; otherwise `terraform`.
fn choose(path_var: &std::ffi::OsStr, lock: &str) -> Option<Program> {
    let find = |name: &'static str| {
        std::env::split_paths(path_var)
            .map(|dir| dir.join(name))
            .find(|p| executable(p))
            .map(|path| Program { name, path })
    };
    let tofu_dir = lock.contains("registry.opentofu.org");
    let (first, second) = match tofu_dir {
        true => ("tofu", "terraform"),
        false => ("terraform", "tofu"),
    };
    find(first).or_else(|| find(second))
}

fn executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// Terraform boxes its errors (`╷`, `│ Error: …`, `╵`): the message without the box.
fn strip_decoration(line: &str) -> &str {
    line.trim_start_matches(['╷', '│', '╵', ' ']).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bin(dir: &Path, name: &str) {
        let p = dir.join(name);
        std::fs::write(&p, "#!/bin/sh\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }

    #[test]
    fn terraform_unless_the_directory_is_opentofus_or_only_tofu_is_there() {
        let both = tempfile::tempdir().unwrap();
        bin(both.path(), "terraform");
        bin(both.path(), "tofu");
        let only_tofu = tempfile::tempdir().unwrap();
        bin(only_tofu.path(), "tofu");
        let empty = tempfile::tempdir().unwrap();
        // A file that is not executable is not a program.
        std::fs::write(empty.path().join("terraform"), "").unwrap();
        let name = |dir: &Path, lock: &str| choose(dir.as_os_str(), lock).map(|p| p.name);
        let tofu_lock = r#"provider "registry.opentofu.org/hashicorp/aws" {}"#;
        let tf_lock = r#"provider "registry.terraform.io/hashicorp/aws" {}"#;
        assert_eq!(name(both.path(), tf_lock), Some("terraform"));
        assert_eq!(name(both.path(), ""), Some("terraform"));
        assert_eq!(name(both.path(), tofu_lock), Some("tofu"));
        assert_eq!(name(only_tofu.path(), tf_lock), Some("tofu"));
        assert_eq!(name(empty.path(), ""), None);
    }

    #[test]
    fn zip_files_are_saved_plans() {
        assert!(is_saved_plan(b"PK\x03\x04rest"));
        assert!(!is_saved_plan(b"{\"format_version\":\"1.2\"}"));
    }
}
