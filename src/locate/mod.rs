//! Where a plan address is declared: the file and lines of its `resource` or `data` block.
//!
//! The plan carries no positions, so the sources are scanned: each module call on the address
//! is followed to its directory (`modules.rs`), the configuration files directly in that
//! directory are parsed once (`files.rs`, `blocks.rs`, `json.rs`), and the block whose type and
//! name match the address (instance keys dropped) gives the lines. Only the directories of
//! modules the plan has resources in are read.
//!
//! Sources come from the pull request: whatever cannot be read or parsed is skipped with a
//! one-line warning that names the file but never quotes it.

mod blocks;
mod codeowners;
mod files;
mod json;
mod modules;
mod paths;
#[cfg(test)]
mod tests;

pub use codeowners::CodeOwners;

use crate::plan::refs::Address;
use crate::plan::Plan;
use crate::render::escape::terminal;
use crate::report::Location;
use anyhow::{bail, Context};
use files::Unreadable;
use modules::{ModuleDirs, Unresolved, MANIFEST, MAX_DEPTH};
use paths::{display_base, normalize, slashed};
use serde_json::error::Category;
use serde_json::value::RawValue;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Whether `dir` directly holds at least one `.tf` (or `.tf.json`) file.
pub fn has_sources(dir: &Path) -> bool {
    files::source_files(dir).is_ok_and(|f| !f.is_empty())
}

/// The declarations of the modules a plan uses, read from their sources.
#[derive(Debug, Default)]
pub struct Sources {
    /// Module call path (call names joined by `.`, "" for the root) → its entry in `dirs`.
    modules: HashMap<String, usize>,
    /// Per module directory read: module-local address (`TYPE.NAME`, `data.TYPE.NAME`) → where
    /// it is declared.
    dirs: Vec<HashMap<String, Location>>,
}

impl Sources {
    /// Reads the Terraform sources under `dir` for the modules the plan uses.
    ///
    /// Err only when `dir` itself cannot be read (not a directory / does not exist): that is a
    /// usage error. A file that does not parse, a module directory that is missing, or an
    /// unreadable file is skipped and described in the returned warnings (one line each, plain
    /// text, no control characters), never a failure.
    pub fn load(dir: &Path, plan: &Plan) -> anyhow::Result<(Sources, Vec<String>)> {
        let cwd = std::env::current_dir().ok();
        Self::load_in(dir, plan, cwd.as_deref())
    }

    /// [`Sources::load`] with locations made relative to `cwd` rather than the process's
    /// working directory.
    fn load_in(
        dir: &Path,
        plan: &Plan,
        cwd: Option<&Path>,
    ) -> anyhow::Result<(Sources, Vec<String>)> {
        let what = || format!("cannot read the Terraform sources in {}", dir.display());
        if !std::fs::metadata(dir).with_context(what)?.is_dir() {
            bail!("{}: not a directory", dir.display());
        }
        std::fs::read_dir(dir).with_context(what)?;
        let mut loader = Loader {
            root: dir,
            base: display_base(dir, cwd),
            sources: Sources::default(),
            by_dir: HashMap::new(),
            warnings: Vec::new(),
        };
        let dirs = loader.module_dirs(plan.configuration);
        for calls in used_calls(plan) {
            let calls: Vec<&str> = calls.iter().map(String::as_str).collect();
            loader.add_module(&calls, &dirs);
        }
        Ok((loader.sources, loader.warnings))
    }

    /// Where the resource (or data source) at a plan `address` is declared, e.g.
    /// `module.ci["x"].module.inner.aws_iam_role.deployer[0]` → the block
    /// `resource "aws_iam_role" "deployer"` in the directory of module call `ci` → `inner`.
    /// `None` for addresses not found (or pseudo addresses like `external:aws_iam_role/NAME`).
    pub fn find(&self, address: &str) -> Option<Location> {
        let a = Address::parse(address)?;
        let calls: Vec<&str> = a.modules.iter().map(|(n, _)| n.as_str()).collect();
        let dir = self.modules.get(&calls.join("."))?;
        self.dirs[*dir].get(&a.local).cloned()
    }
}

/// The module call paths (instance keys dropped) the plan has resources in, the root always.
/// Paths deeper than [`MAX_DEPTH`] are left out without a warning: no real configuration
/// nests so deep, and naming one in a warning would repeat a hostile address at length.
fn used_calls(plan: &Plan) -> BTreeSet<Vec<String>> {
    let addresses = plan.resource_changes.iter().map(|r| &r.address);
    let state = plan.prior_state.iter().map(|r| &r.address);
    let mut out: BTreeSet<Vec<String>> = addresses
        .chain(state)
        .filter_map(|a| Address::parse(a))
        .filter(|a| a.modules.len() <= MAX_DEPTH)
        .map(|a| a.modules.into_iter().map(|(n, _)| n).collect())
        .collect();
    out.insert(Vec::new());
    out
}

struct Loader<'d> {
    /// The root module directory as the user gave it; files are read under it.
    root: &'d Path,
    /// `root` as locations name it (see [`display_base`]).
    base: PathBuf,
    sources: Sources,
    /// Directory read (normalised) → its entry in `sources.dirs`, so that module calls sharing
    /// a directory parse it once.
    by_dir: HashMap<PathBuf, usize>,
    warnings: Vec<String>,
}

impl Loader<'_> {
    fn warn(&mut self, message: String) {
        self.warnings.push(terminal(&message));
    }

    /// `rel` (relative to the root module) as a location names it.
    fn display(&self, rel: &Path) -> String {
        let s = slashed(&normalize(&self.base.join(rel)));
        if s.is_empty() {
            ".".into()
        } else {
            s
        }
    }

    /// `rel` as a path to read.
    fn fs_path(&self, rel: &Path) -> PathBuf {
        let p = normalize(&self.root.join(rel));
        if p.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            p
        }
    }

    fn module_dirs(&mut self, configuration: Option<&RawValue>) -> ModuleDirs {
        let mut dirs = ModuleDirs::default();
        if dirs.read_configuration(configuration).is_err() {
            self.warn(format!(
                "the plan's configuration section is malformed: module directories come from {MANIFEST} alone"
            ));
        }
        let file = self.display(Path::new(MANIFEST));
        let e = match files::read(&self.fs_path(Path::new(MANIFEST))) {
            Ok(text) => match dirs.read_manifest(&text) {
                Ok(()) => return dirs,
                Err(e) => {
                    let what = match e.classify() {
                        Category::Data => "not a module manifest",
                        _ => "not valid JSON",
                    };
                    format!("{what} (line {}, column {})", e.line(), e.column())
                }
            },
            // No manifest: no module is installed, or `terraform init` did not run here.
            Err(Unreadable::Io(std::io::ErrorKind::NotFound)) => return dirs,
            Err(e) => e.to_string(),
        };
        self.warn(format!("{file}: skipped, {e}"));
        dirs
    }

    fn add_module(&mut self, calls: &[&str], dirs: &ModuleDirs) {
        let module = calls
            .iter()
            .map(|c| format!("module.{c}"))
            .collect::<Vec<_>>()
            .join(".");
        let rel = match dirs.resolve(calls) {
            Ok(rel) => rel,
            Err(Unresolved::NotInstalled) => {
                return self.warn(format!(
                    "{module}: skipped, its source is not a local path and {MANIFEST} does not list it (run terraform init)"
                ));
            }
            Err(Unresolved::Unknown) => {
                return self.warn(format!(
                    "{module}: skipped, neither the plan's configuration nor {MANIFEST} says where its sources are"
                ));
            }
        };
        let path = self.fs_path(&rel);
        let index = match self.by_dir.get(&path) {
            Some(&i) => i,
            None => {
                let decls = self.scan(&rel, &path, &module);
                self.sources.dirs.push(decls);
                let i = self.sources.dirs.len() - 1;
                self.by_dir.insert(path, i);
                i
            }
        };
        self.sources.modules.insert(calls.join("."), index);
    }

    /// The declarations of the files directly in one module directory. Where two files
    /// declare the same block, the first by name wins, except that an override file never
    /// wins over another.
    fn scan(&mut self, rel: &Path, path: &Path, module: &str) -> HashMap<String, Location> {
        let list = match files::source_files(path) {
            Ok(list) => list,
            Err(e) => {
                let dir = self.display(rel);
                let module = if module.is_empty() {
                    "the root module"
                } else {
                    module
                };
                let why = match e.kind() {
                    std::io::ErrorKind::NotFound => "does not exist".to_string(),
                    kind => format!("cannot be read ({kind})"),
                };
                self.warn(format!("{dir}: skipped, the directory of {module} {why}"));
                return HashMap::new();
            }
        };
        let mut found: HashMap<String, (Location, bool)> = HashMap::new();
        for f in list {
            let file = self.display(&rel.join(&f.name));
            let text = match files::read(&path.join(&f.name)) {
                Ok(text) => text,
                Err(e) => {
                    self.warn(format!("{file}: skipped, {e}"));
                    continue;
                }
            };
            let (decls, syntax) = match f.syntax {
                files::Syntax::Hcl => (blocks::hcl_decls(&text), "HCL"),
                files::Syntax::Json => (json::json_decls(&text), "JSON"),
            };
            let decls = match decls {
                Ok(d) => d,
                Err(e) => {
                    let (line, column) = (e.line, e.column);
                    self.warn(format!(
                        "{file}: skipped, not valid {syntax} (line {line}, column {column})"
                    ));
                    continue;
                }
            };
            for d in decls {
                let location = Location {
                    file: file.clone(),
                    line: d.line,
                    end_line: d.end_line,
                };
                let replace = match found.get(&d.local) {
                    None => true,
                    Some((_, was_override)) => *was_override && !f.is_override,
                };
                if replace {
                    found.insert(d.local, (location, f.is_override));
                }
            }
        }
        found.into_iter().map(|(k, (l, _))| (k, l)).collect()
    }
}
