//! Shared helpers for the binary-level tests: run `privdiff` with a timeout and capture its output.
#![allow(dead_code)]

pub mod golden;
pub mod optional;
pub mod runner;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Longest time one run of the binary may take before the test kills it and fails.
pub const TIMEOUT: Duration = Duration::from_secs(60);

pub struct Run {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// What was run, for failure messages.
    pub what: String,
}

impl Run {
    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
    /// A short description of the outcome for assertion messages.
    pub fn describe(&self) -> String {
        let mut out = self.stdout();
        if out.len() > 2000 {
            let mut cut = 2000;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
            out.push('…');
        }
        format!(
            "`{}` exited with {:?}\n--- stderr ---\n{}\n--- stdout ---\n{}",
            self.what,
            self.status,
            self.stderr(),
            out
        )
    }
    /// Parses stdout as JSON (the `--format json` report).
    pub fn json(&self) -> Result<serde_json::Value, String> {
        serde_json::from_slice(&self.stdout)
            .map_err(|e| format!("stdout is not JSON ({e}): {}", self.describe()))
    }
}

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn plans_dir() -> PathBuf {
    manifest_dir().join("testdata/plans")
}

pub fn bad_dir() -> PathBuf {
    manifest_dir().join("testdata/bad")
}

pub fn plan(name: &str) -> PathBuf {
    plans_dir().join(name)
}

/// Runs the binary with `args`, feeding `stdin` (or nothing) on standard input.
pub fn run(args: &[&str], stdin: Option<Vec<u8>>) -> Run {
    let what = format!("privdiff {}", args.join(" "));
    let mut child = Command::new(env!("CARGO_BIN_EXE_privdiff"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        // Output goes to a pipe: the binary must not colour it. Clear variables that would force colour.
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        // Tables are 100 columns wide unless `COLUMNS` says otherwise; golden files are.
        .env_remove("COLUMNS")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));

    let writer = stdin.map(|data| {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        // The binary may reject the input and exit before reading it all: ignore broken pipes.
        thread::spawn(move || {
            let _ = pipe.write_all(&data);
        })
    });
    let mut out_pipe = child.stdout.take().expect("stdout is piped");
    let mut err_pipe = child.stderr.take().expect("stderr is piped");
    let out_reader = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out_pipe.read_to_end(&mut buf);
        buf
    });
    let err_reader = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err_pipe.read_to_end(&mut buf);
        buf
    });

    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{what} did not finish within {TIMEOUT:?}");
            }
            Ok(None) => thread::sleep(Duration::from_millis(5)),
            Err(e) => panic!("waiting for {what}: {e}"),
        }
    };
    if let Some(w) = writer {
        let _ = w.join();
    }
    Run {
        status,
        stdout: out_reader.join().expect("stdout reader"),
        stderr: err_reader.join().expect("stderr reader"),
        what,
    }
}

/// Runs `privdiff analyze FILE extra...`.
pub fn analyze(file: &Path, extra: &[&str]) -> Run {
    let file = file.to_str().expect("test paths are UTF-8").to_owned();
    let mut args = vec!["analyze", file.as_str()];
    args.extend_from_slice(extra);
    run(&args, None)
}

/// Checks that a run failed cleanly with an input/usage error: exit code 2, exactly one non-empty
/// line on stderr, no panic or backtrace text. Returns a description of what is wrong, if anything.
pub fn clean_input_error(r: &Run) -> Result<(), String> {
    let mut problems = Vec::new();
    if r.code() != Some(2) {
        problems.push(format!("exit code {:?}, expected 2", r.code()));
    }
    let err = r.stderr();
    let body = err.strip_suffix('\n').unwrap_or(&err);
    let body = body.strip_suffix('\r').unwrap_or(body);
    if body.trim().is_empty() {
        problems.push("stderr is empty".to_owned());
    } else if body.contains('\n') {
        problems.push(format!(
            "stderr has {} lines, expected 1",
            body.lines().count()
        ));
    }
    for bad in ["panicked", "RUST_BACKTRACE", "stack backtrace"] {
        if err.contains(bad) {
            problems.push(format!("stderr contains {bad:?}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}: {}", problems.join("; "), r.describe()))
    }
}

/// Reads a tab-separated file with a header line; returns the rows (header dropped, blank lines
/// and `#` comments skipped).
pub fn read_tsv(path: &Path, columns: usize) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<String> = line.split('\t').map(str::to_owned).collect();
        assert_eq!(
            cols.len(),
            columns,
            "{}:{}: expected {columns} tab-separated columns: {line:?}",
            path.display(),
            i + 1
        );
        rows.push(cols);
    }
    assert!(!rows.is_empty(), "{} has no rows", path.display());
    rows
}

/// The `*.json` plan fixtures, sorted.
pub fn plan_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(plans_dir())
        .expect("testdata/plans exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no plan fixtures found");
    files
}

/// The identity (or resource) object with `address` in a JSON report.
pub fn identity<'a>(report: &'a serde_json::Value, address: &str) -> Option<&'a serde_json::Value> {
    ["identities", "resources"]
        .iter()
        .filter_map(|list| report[list].as_array())
        .flatten()
        .find(|i| i["address"].as_str() == Some(address))
}

/// The actions of a finding's example requests, in order.
pub fn request_actions(finding: &serde_json::Value) -> Vec<&str> {
    finding["requests"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|w| w["action"].as_str())
        .collect()
}

/// Every file under `dir` (at any depth) whose name ends in `.{extension}`, sorted; none when
/// `dir` cannot be read.
pub fn files_under(dir: &Path, extension: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, extension: &str, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, extension, out);
            } else if path.extension().is_some_and(|e| e == extension) {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, extension, &mut out);
    out.sort();
    out
}

/// The codes of the findings on `subject` in a JSON report, in report order.
pub fn finding_codes<'r>(report: &'r serde_json::Value, subject: &str) -> Vec<&'r str> {
    report["findings"]
        .as_array()
        .expect("a report lists its findings")
        .iter()
        .filter(|f| f["identity"] == subject)
        .map(|f| f["code"].as_str().expect("a finding has a code"))
        .collect()
}
