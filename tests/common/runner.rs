//! A local stand-in for the CI runners: runs the shell steps of `action.yml` (a composite GitHub
//! Action) and of the GitLab template the way GitHub Actions and GitLab CI would, with their
//! environment files in a temporary directory, so the integration scripts are tested for real.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use yaml_rust2::{Yaml, YamlLoader};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The directory of the privdiff binary under test, to put on PATH.
pub fn binary_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_privdiff"))
        .parent()
        .expect("the binary has a directory")
        .to_path_buf()
}

/// PATH without any directory holding a `privdiff`, with `first` in front.
pub fn path_with(first: &[PathBuf]) -> String {
    let system = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = first.to_vec();
    dirs.extend(std::env::split_paths(&system).filter(|d| !d.join("privdiff").exists()));
    std::env::join_paths(dirs)
        .expect("PATH entries")
        .into_string()
        .expect("UTF-8 PATH")
}

fn load(path: &Path) -> Yaml {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .remove(0)
}

fn text(y: &Yaml) -> String {
    match y {
        Yaml::String(s) => s.clone(),
        Yaml::Boolean(b) => b.to_string(),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Null | Yaml::BadValue => String::new(),
        other => panic!("not a scalar: {other:?}"),
    }
}

fn map(y: &Yaml) -> Vec<(String, String)> {
    y.as_hash()
        .map(|h| h.iter().map(|(k, v)| (text(k), text(v))).collect())
        .unwrap_or_default()
}

/// The result of running a job's steps.
pub struct JobRun {
    /// Exit status of the last step that ran (a failing step stops the job).
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
    /// `steps.<id>.outputs` (GitHub) by step id.
    pub step_outputs: BTreeMap<String, BTreeMap<String, String>>,
    /// The action's `outputs`, evaluated from the step outputs.
    pub outputs: BTreeMap<String, String>,
    pub step_summary: String,
    /// Variables later steps received through GITHUB_ENV.
    pub env: BTreeMap<String, String>,
}

impl JobRun {
    pub fn describe(&self) -> String {
        format!(
            "exit {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.status, self.stdout, self.stderr
        )
    }
}

/// A workspace and runner directory for one job.
pub struct Job {
    pub workspace: tempfile::TempDir,
    pub runner: tempfile::TempDir,
    /// Variables every step sees (the runner's own `GITHUB_*`/`CI_*` and whatever the test adds).
    pub env: BTreeMap<String, String>,
    /// `GITHUB_ACTION_PATH`: the checkout itself, as `uses: ./` runs the action, unless
    /// [`Job::uses`] says otherwise.
    action_path: PathBuf,
    /// What `github.action_repository` and `github.action_ref` evaluate to: empty for
    /// `uses: ./`.
    action_expressions: (String, String),
}

impl Job {
    pub fn new() -> Job {
        let workspace = tempfile::tempdir().expect("workspace");
        let runner = tempfile::tempdir().expect("runner temp");
        let mut env = BTreeMap::new();
        env.insert("HOME".into(), runner.path().display().to_string());
        env.insert("PATH".into(), path_with(&[binary_dir()]));
        Job {
            workspace,
            runner,
            env,
            action_path: repo_root(),
            action_expressions: Default::default(),
        }
    }

    /// Runs the action as `uses: REPOSITORY@REF` would: from `.../_actions/REPOSITORY/REF` (a
    /// link to this checkout), with `github.action_repository` and `github.action_ref` set
    /// when `expressions` (some runners leave them empty in a composite action's steps).
    pub fn uses(&mut self, repository: &str, r#ref: &str, expressions: bool) -> &mut Job {
        let dir = self.runner.path().join("_actions").join(repository);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(r#ref);
        std::os::unix::fs::symlink(repo_root(), &path).unwrap();
        self.action_path = path;
        if expressions {
            self.action_expressions = (repository.to_string(), r#ref.to_string());
        }
        self
    }

    pub fn set(&mut self, key: &str, value: impl Into<String>) -> &mut Job {
        self.env.insert(key.to_string(), value.into());
        self
    }

    /// Copies a file into the workspace.
    pub fn put(&self, from: &Path, name: &str) {
        let to = self.workspace.path().join(name);
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::copy(from, &to).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    }

    /// Copies a directory tree into the workspace.
    pub fn put_dir(&self, from: &Path, name: &str) {
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = format!("{name}/{}", entry.file_name().to_string_lossy());
            if entry.file_type().unwrap().is_dir() {
                self.put_dir(&entry.path(), &target);
            } else {
                self.put(&entry.path(), &target);
            }
        }
    }

    fn shell(&self, script: &str, env: &BTreeMap<String, String>) -> (i32, String, String) {
        let out = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .current_dir(self.workspace.path())
            .env_clear()
            .envs(env)
            .output()
            .expect("bash runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Runs `action.yml` as a workflow step `uses: ./` with `inputs`, as GitHub's runner runs a
    /// composite action: each step in a fresh `bash -eo pipefail`, its `${{ }}` expressions
    /// evaluated, GITHUB_ENV and GITHUB_PATH carried to later steps, GITHUB_OUTPUT read as
    /// the step's outputs.
    pub fn run_action(&self, inputs: &[(&str, &str)], token: &str) -> JobRun {
        let action = load(&repo_root().join("action.yml"));
        let mut given: BTreeMap<String, String> = BTreeMap::new();
        for (name, spec) in action["inputs"].as_hash().expect("inputs").iter() {
            // A default may be an expression itself; the runner evaluates it.
            let default = text(&spec["default"]);
            let default = match default.trim() {
                "${{ github.token }}" => token.to_string(),
                d => {
                    assert!(!d.contains("${{"), "unknown default expression {d}");
                    default
                }
            };
            given.insert(text(name), default);
        }
        for (name, value) in inputs {
            assert!(given.contains_key(*name), "action.yml has no input {name}");
            given.insert(name.to_string(), value.to_string());
        }
        let expr = |value: &str, steps: &BTreeMap<String, BTreeMap<String, String>>| -> String {
            let mut out = String::new();
            let mut rest = value;
            while let Some(start) = rest.find("${{") {
                out.push_str(&rest[..start]);
                let end = rest[start..].find("}}").expect("closed expression") + start;
                let e = rest[start + 3..end].trim();
                let v = if let Some(name) = e.strip_prefix("inputs.") {
                    given.get(name).cloned().unwrap_or_default()
                } else if e == "github.token" {
                    token.to_string()
                } else if e == "github.action_repository" {
                    self.action_expressions.0.clone()
                } else if e == "github.action_ref" {
                    self.action_expressions.1.clone()
                } else if let Some(path) = e.strip_prefix("steps.") {
                    let (id, output) = path.split_once(".outputs.").expect("steps.ID.outputs.X");
                    steps
                        .get(id)
                        .and_then(|o| o.get(output))
                        .cloned()
                        .unwrap_or_default()
                } else {
                    panic!("the test runner does not know the expression {e}")
                };
                out.push_str(&v);
                rest = &rest[end + 2..];
            }
            out.push_str(rest);
            out
        };
        let summary = self.runner.path().join("step-summary.md");
        let mut carried: BTreeMap<String, String> = BTreeMap::new();
        let mut path_prefix: Vec<PathBuf> = Vec::new();
        let mut run = JobRun {
            status: 0,
            stdout: String::new(),
            stderr: String::new(),
            step_outputs: BTreeMap::new(),
            outputs: BTreeMap::new(),
            step_summary: String::new(),
            env: BTreeMap::new(),
        };
        let steps = action["runs"]["steps"].as_vec().expect("steps").clone();
        assert_eq!(text(&action["runs"]["using"]), "composite");
        for (n, step) in steps.iter().enumerate() {
            assert!(
                step["if"].is_badvalue(),
                "the runner does not evaluate `if`"
            );
            assert_eq!(text(&step["shell"]), "bash");
            let files: Vec<PathBuf> = ["output", "env", "path"]
                .iter()
                .map(|f| self.runner.path().join(format!("{f}-{n}")))
                .collect();
            for f in &files {
                std::fs::write(f, "").unwrap();
            }
            let mut env = self.env.clone();
            env.extend(carried.clone());
            let base_path = env.get("PATH").cloned().unwrap_or_default();
            let mut dirs = path_prefix.clone();
            dirs.extend(std::env::split_paths(&base_path));
            env.insert(
                "PATH".into(),
                std::env::join_paths(dirs).unwrap().into_string().unwrap(),
            );
            env.insert(
                "GITHUB_ACTION_PATH".into(),
                self.action_path.display().to_string(),
            );
            env.insert(
                "GITHUB_WORKSPACE".into(),
                self.workspace.path().display().to_string(),
            );
            env.insert(
                "RUNNER_TEMP".into(),
                self.runner.path().display().to_string(),
            );
            env.insert("GITHUB_STEP_SUMMARY".into(), summary.display().to_string());
            env.insert("GITHUB_OUTPUT".into(), files[0].display().to_string());
            env.insert("GITHUB_ENV".into(), files[1].display().to_string());
            env.insert("GITHUB_PATH".into(), files[2].display().to_string());
            for (k, v) in map(&step["env"]) {
                env.insert(k, expr(&v, &run.step_outputs));
            }
            let script = expr(&text(&step["run"]), &run.step_outputs);
            let (status, stdout, stderr) = self.shell(&script, &env);
            run.stdout.push_str(&stdout);
            run.stderr.push_str(&stderr);
            run.status = status;
            let read = |f: &PathBuf| std::fs::read_to_string(f).unwrap_or_default();
            let id = text(&step["id"]);
            let outputs: BTreeMap<String, String> = read(&files[0])
                .lines()
                .filter_map(|l| l.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            if !id.is_empty() {
                run.step_outputs.insert(id, outputs);
            }
            for line in read(&files[1]).lines() {
                let (k, v) = line.split_once('=').expect("KEY=VALUE in GITHUB_ENV");
                carried.insert(k.to_string(), v.to_string());
            }
            for line in read(&files[2]).lines().rev() {
                path_prefix.insert(0, PathBuf::from(line));
            }
            if status != 0 {
                break;
            }
        }
        for (name, spec) in action["outputs"].as_hash().expect("outputs").iter() {
            run.outputs
                .insert(text(name), expr(&text(&spec["value"]), &run.step_outputs));
        }
        run.step_summary = std::fs::read_to_string(&summary).unwrap_or_default();
        run.env = carried;
        run
    }

    /// Runs the `script` of the GitLab template's `.privdiff` job as a GitLab runner would: the
    /// job's variables (overridden by `variables`) in the environment, the script lines in one
    /// bash session, in the project directory.
    pub fn run_gitlab_template(&self, variables: &[(&str, &str)]) -> JobRun {
        let template = load(&repo_root().join("ci/gitlab/privdiff.gitlab-ci.yml"));
        let job = &template[".privdiff"];
        let mut env = self.env.clone();
        env.insert(
            "CI_PROJECT_DIR".into(),
            self.workspace.path().display().to_string(),
        );
        for (k, v) in map(&job["variables"]) {
            env.entry(k).or_insert(v);
        }
        for (k, v) in variables {
            env.insert(k.to_string(), v.to_string());
        }
        let script: Vec<String> = job["script"]
            .as_vec()
            .expect("script")
            .iter()
            .map(text)
            .collect();
        let (status, stdout, stderr) = self.shell(&script.join("\n"), &env);
        JobRun {
            status,
            stdout,
            stderr,
            step_outputs: BTreeMap::new(),
            outputs: BTreeMap::new(),
            step_summary: String::new(),
            env: BTreeMap::new(),
        }
    }
}
