//! Module directories: where the sources of each module call are.
//!
//! Two records say it. `.terraform/modules/modules.json`, written by `terraform init`, gives
//! the directory Terraform actually used for every module it installed (`Key` is the call
//! path `a.b`, `Dir` is relative to the root module). The plan's `configuration` gives each
//! call's `source` as written, and a local source (`./x`, `../x`) is a directory relative to
//! the calling module's. modules.json wins where it has the call; without it, only local
//! sources can be followed.

use super::paths::normalize;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where modules.json lies under the root module directory (with the default `TF_DATA_DIR`).
pub const MANIFEST: &str = ".terraform/modules/modules.json";

/// Module calls nested deeper than this are not followed. The configuration section cannot
/// describe them anyway: serde_json's recursion limit stops at about 40 levels of modules.
pub const MAX_DEPTH: usize = 64;

/// The two records, read once.
#[derive(Debug, Default)]
pub struct ModuleDirs {
    /// `source` of each module call in the plan's configuration, by call path; `None` when
    /// the plan has no (readable) configuration.
    sources: Option<HashMap<String, String>>,
    /// `Dir` of each module in modules.json, by call path.
    installed: HashMap<String, String>,
}

/// Why a module's directory is not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unresolved {
    /// Its source is not local, and modules.json does not list it.
    NotInstalled,
    /// Neither the configuration nor modules.json mention it.
    Unknown,
}

#[derive(Deserialize)]
struct Config {
    #[serde(default)]
    root_module: Module,
}

#[derive(Deserialize, Default)]
struct Module {
    #[serde(default)]
    module_calls: HashMap<String, Call>,
}

#[derive(Deserialize)]
struct Call {
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    module: Module,
}

#[derive(Deserialize)]
struct Manifest {
    #[serde(rename = "Modules", default)]
    modules: Vec<Record>,
}

#[derive(Deserialize)]
struct Record {
    #[serde(rename = "Key")]
    key: String,
    #[serde(rename = "Dir")]
    dir: String,
}

impl ModuleDirs {
    /// Reads the module calls of the plan's `configuration` section. Err when the section is
    /// there but not shaped as Terraform writes it.
    pub fn read_configuration(
        &mut self,
        configuration: Option<&RawValue>,
    ) -> Result<(), serde_json::Error> {
        if let Some(raw) = configuration {
            let config: Config = serde_json::from_str(raw.get())?;
            let mut sources = HashMap::new();
            collect(&config.root_module, "", &mut sources);
            self.sources = Some(sources);
        }
        Ok(())
    }

    /// Reads the text of a modules.json. Err when it is not valid JSON of that shape.
    pub fn read_manifest(&mut self, text: &str) -> Result<(), serde_json::Error> {
        let manifest: Manifest = serde_json::from_str(text)?;
        self.installed = manifest
            .modules
            .into_iter()
            .filter(|r| !r.key.is_empty())
            .map(|r| (r.key, r.dir))
            .collect();
        Ok(())
    }

    /// The directory of the module at call path `calls` (call names from the root, instance
    /// keys dropped), relative to the root module directory and normalised (it may start with
    /// `..`, where a local source leaves the root module). The root module is the empty path.
    ///
    /// The deepest call on the path that modules.json lists gives the start; each call below
    /// it must have a local source.
    pub fn resolve(&self, calls: &[&str]) -> Result<PathBuf, Unresolved> {
        // The path comes from plan addresses, which may be hostile: bound the work.
        if calls.len() > MAX_DEPTH {
            return Err(Unresolved::Unknown);
        }
        let key = |n: usize| calls[..n].join(".");
        let start = (1..=calls.len())
            .rev()
            .find(|&n| self.installed.contains_key(&key(n)))
            .unwrap_or(0);
        let mut dir = match start {
            0 => PathBuf::new(),
            n => normalize(Path::new(&self.installed[&key(n)])),
        };
        for n in start + 1..=calls.len() {
            let source = self.sources.as_ref().and_then(|s| s.get(&key(n)));
            match source {
                Some(s) if is_local(s) => dir = normalize(&dir.join(s)),
                Some(_) => return Err(Unresolved::NotInstalled),
                None => return Err(Unresolved::Unknown),
            }
        }
        Ok(dir)
    }
}

fn collect(module: &Module, path: &str, out: &mut HashMap<String, String>) {
    for (name, call) in &module.module_calls {
        let key = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}.{name}")
        };
        collect(&call.module, &key, out);
        if let Some(source) = &call.source {
            out.insert(key, source.clone());
        }
    }
}

/// Terraform's test for a local path source: it starts with `./` or `../`. Anything else
/// (registry, git, absolute path, ...) is installed under `.terraform/modules`.
fn is_local(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dirs(config: serde_json::Value, manifest: Option<&str>) -> ModuleDirs {
        let raw = serde_json::value::to_raw_value(&config).unwrap();
        let mut d = ModuleDirs::default();
        d.read_configuration(Some(&raw)).unwrap();
        if let Some(m) = manifest {
            d.read_manifest(m).unwrap();
        }
        d
    }

    fn config() -> serde_json::Value {
        serde_json::json!({"root_module": {"module_calls": {
            "ci": {"source": "./modules/ci", "module": {"module_calls": {
                "inner": {"source": "../inner", "module": {}}}}},
            "remote": {"source": "acme/iam/aws", "version_constraint": "~> 1.0", "module": {
                "module_calls": {"sub": {"source": "./sub"}}}}}}})
    }

    fn resolve(d: &ModuleDirs, calls: &[&str]) -> Result<String, Unresolved> {
        d.resolve(calls).map(|p| super::super::paths::slashed(&p))
    }

    #[test]
    fn local_sources_are_relative_to_the_calling_module() {
        let d = dirs(config(), None);
        assert_eq!(resolve(&d, &[]), Ok(String::new()));
        assert_eq!(resolve(&d, &["ci"]), Ok("modules/ci".into()));
        assert_eq!(resolve(&d, &["ci", "inner"]), Ok("modules/inner".into()));
        assert_eq!(resolve(&d, &["remote"]), Err(Unresolved::NotInstalled));
        assert_eq!(
            resolve(&d, &["remote", "sub"]),
            Err(Unresolved::NotInstalled)
        );
        assert_eq!(resolve(&d, &["nope"]), Err(Unresolved::Unknown));
    }

    #[test]
    fn modules_json_wins_and_local_calls_below_it_follow() {
        let m = r#"{"Modules":[{"Key":"","Source":"","Dir":"."},
            {"Key":"remote","Source":"registry.terraform.io/acme/iam/aws","Version":"1.2.0","Dir":".terraform/modules/remote"},
            {"Key":"ci","Source":"./modules/ci","Dir":"elsewhere/ci"}]}"#;
        let d = dirs(config(), Some(m));
        assert_eq!(
            resolve(&d, &["remote"]),
            Ok(".terraform/modules/remote".into())
        );
        assert_eq!(
            resolve(&d, &["remote", "sub"]),
            Ok(".terraform/modules/remote/sub".into())
        );
        assert_eq!(resolve(&d, &["ci"]), Ok("elsewhere/ci".into()));
        assert_eq!(resolve(&d, &["ci", "inner"]), Ok("elsewhere/inner".into()));
    }

    #[test]
    fn without_configuration_only_modules_json_counts() {
        let m = r#"{"Modules":[{"Key":"a.b","Dir":"./x/../y/"}]}"#;
        let mut d = ModuleDirs::default();
        d.read_configuration(None).unwrap();
        d.read_manifest(m).unwrap();
        assert_eq!(resolve(&d, &["a", "b"]), Ok("y".into()));
        assert_eq!(resolve(&d, &["a"]), Err(Unresolved::Unknown));
        assert_eq!(resolve(&d, &[]), Ok(String::new()));
    }

    #[test]
    fn misshapen_records_are_errors() {
        let mut d = ModuleDirs::default();
        assert!(d.read_manifest("{\"Modules\": 3}").is_err());
        let raw = serde_json::value::to_raw_value(&serde_json::json!({"root_module": 1})).unwrap();
        assert!(d.read_configuration(Some(&raw)).is_err());
    }

    #[test]
    fn a_deep_path_does_not_recurse() {
        let d = dirs(config(), None);
        let deep = vec!["ci"; 100_000];
        assert_eq!(d.resolve(&deep), Err(Unresolved::Unknown));
    }
}
