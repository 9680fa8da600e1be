//! Hostile input: a plan comes from a pull request, so anyone can write it. Huge strings, huge
//! policies, deep nesting, bytes that are not text, values of the wrong type, duplicate keys,
//! patterns built to blow up a naive matcher, and names made to break out of their output.
//! Each case must end in a clear input error or the right verdict, within bounded time and
//! memory.
//!
//! Time and memory are bounded by a watchdog and an address-space limit (see [`limited`]), not
//! by asserting durations: only a hang or a blow-up trips them, never a slow CI machine.

mod common;

use common::*;
use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const FORMATS: [&str; 6] = ["table", "markdown", "json", "sarif", "github", "gitlab"];

const MB: u64 = 1024 * 1024;

/// Longer than any of these cases takes in a debug build; only a hang gets here.
const WATCHDOG: Duration = Duration::from_secs(120);

/// Runs `privdiff analyze FILE extra...` under the watchdog and `ulimit -v` of `limit` bytes,
/// so that unbounded memory fails the test (the allocation fails, the binary aborts) instead of
/// swapping the machine. `ulimit -v` bounds address space, which is more than what is resident
/// (the binary's mapping, thread stacks), hence the limits' fixed allowance.
fn limited(file: &std::path::Path, extra: &[&str], limit: u64) -> Run {
    let bin = env!("CARGO_BIN_EXE_privdiff");
    let file = file.to_str().expect("temp paths are UTF-8");
    let script = format!("ulimit -v {}; exec \"$0\" \"$@\"", limit / 1024);
    let mut args = vec!["-c", script.as_str(), bin, "analyze", file];
    args.extend_from_slice(extra);
    let what = format!(
        "privdiff analyze {file} {} (ulimit -v {limit})",
        extra.join(" ")
    );
    let mut child = Command::new("sh")
        .args(&args)
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    let mut out_pipe = child.stdout.take().expect("stdout is piped");
    let mut err_pipe = child.stderr.take().expect("stderr is piped");
    let out = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = std::io::Read::read_to_end(&mut out_pipe, &mut buf);
        buf
    });
    let err = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = std::io::Read::read_to_end(&mut err_pipe, &mut buf);
        buf
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() > WATCHDOG => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{what} did not finish within {WATCHDOG:?}");
            }
            Ok(None) => thread::sleep(Duration::from_millis(10)),
            Err(e) => panic!("waiting for {what}: {e}"),
        }
    };
    Run {
        status,
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
        what,
    }
}

/// Writes `bytes` to a temporary file (large inputs are not kept in memory twice).
fn temp(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().expect("temp file");
    f.write_all(bytes).expect("write temp file");
    f.flush().expect("flush temp file");
    f
}

/// A limit for a run on an input of `size` bytes that the binary must read in a few copies of
/// the input (the file, a policy string unescaped, its parsed form): four times the input, and
/// 300 MB for the binary itself, the embedded data and address space that is never touched.
fn few_copies(size: usize) -> u64 {
    size as u64 * 4 + 300 * MB
}

/// The widened fixture, its parsed JSON.
fn fixture() -> Value {
    serde_json::from_slice(&std::fs::read(plan("ci-role-widened.json")).unwrap()).unwrap()
}

/// The resource change at `address` in a plan.
fn change<'a>(plan_json: &'a mut Value, address: &str) -> &'a mut Value {
    plan_json["resource_changes"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|rc| rc["address"] == address)
        .unwrap_or_else(|| panic!("no {address} in the plan"))
}

/// The fixture with the CI role's inline policy (a JSON string, as Terraform stores it) going
/// from `before` to `after`.
fn ci_plan(before: &str, after: &str) -> Value {
    let mut p = fixture();
    let rc = change(&mut p, "aws_iam_role_policy.ci_artifacts");
    rc["change"]["before"]["policy"] = before.into();
    rc["change"]["after"]["policy"] = after.into();
    p
}

fn allow(action: Value, resource: Value) -> String {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]})
        .to_string()
}

/// Analyses `plan_json` (JSON format, gate off) and returns the CI role's report.
fn ci_role(plan_json: &Value) -> Value {
    let r = run(
        &["analyze", "-", "--format", "json", "--fail-on", "never"],
        Some(serde_json::to_vec(plan_json).unwrap()),
    );
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    identity(&r.json().unwrap(), "aws_iam_role.ci")
        .expect("ci role")
        .clone()
}

/// Analyses `plan_json` and expects a clean input error whose line contains `needle`.
fn input_error(plan_json: &[u8], needle: &str) -> Run {
    let r = run(&["analyze", "-"], Some(plan_json.to_vec()));
    clean_input_error(&r).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        r.stderr().to_lowercase().contains(&needle.to_lowercase()),
        "stderr lacks {needle:?}: {}",
        r.describe()
    );
    r
}

/// No byte of `out` is a C0 control other than line breaks and tabs, DEL, or (as UTF-8) a C1
/// control or a bidi override: nothing that could drive a terminal or reorder a line.
fn assert_inert(out: &[u8], what: &str) {
    let text = String::from_utf8_lossy(out);
    let bad = text.chars().find(|&c| {
        (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    });
    assert!(bad.is_none(), "{what} writes {bad:?}:\n{text}");
}

// --- 1. Huge strings -----------------------------------------------------------------------

#[test]
fn a_100_mb_tag_value_is_read_in_bounded_memory() {
    // An attribute nothing compares is left raw: it costs a scan, not a copy.
    let mut p = fixture();
    let rc = change(&mut p, "aws_iam_role.ci");
    rc["change"]["after"]["tags"]["huge"] = "v".repeat(100 * MB as usize).into();
    let bytes = serde_json::to_vec(&p).unwrap();
    drop(p);
    let file = temp(&bytes);
    let r = limited(
        file.path(),
        &["--format", "json", "--fail-on", "never"],
        few_copies(bytes.len()),
    );
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    let report = r.json().unwrap();
    let ci = identity(&report, "aws_iam_role.ci").expect("ci role");
    assert_eq!(ci["verdict"], "widened", "{ci}");
    assert!(r.stdout.len() < 100_000, "the tag value is not reported");
}

#[test]
fn a_10_mb_action_is_a_widening_with_that_action() {
    // 10 MB rather than 100: the cost is linear (the matcher steps live NFA positions, the atom
    // search counts a long pattern's work), and a compiled pattern takes 8 bytes a character,
    // so 100 MB only makes the test take ten times as long. Before the fix, 100 KB took 18 s
    // and 1.3 GB, and 100 MB did not finish.
    let long = format!("s3:GetObject{}", "A".repeat(10 * MB as usize));
    let p = ci_plan(
        &allow(json!("s3:GetObject"), json!("*")),
        &allow(json!(["s3:GetObject", long]), json!("*")),
    );
    let bytes = serde_json::to_vec(&p).unwrap();
    drop(p);
    let file = temp(&bytes);
    // The report names the action in several places (grants, witness, findings): 40 copies of
    // the input, which is how a linear cost shows; a quadratic one needs terabytes.
    let r = limited(
        file.path(),
        &["--format", "json", "--fail-on", "never"],
        bytes.len() as u64 * 40 + 300 * MB,
    );
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    let report = r.json().unwrap();
    let ci = identity(&report, "aws_iam_role.ci").expect("ci role");
    assert_eq!(ci["verdict"], "widened", "{}", &ci["notes"]);
    let witness = ci["witness"]["action"].as_str().unwrap();
    assert!(
        witness.eq_ignore_ascii_case(&long),
        "witness {}…",
        &witness[..40.min(witness.len())]
    );
    // The text formats elide the middle of a very long name (the JSON report keeps it whole):
    // 10 MB printed into a terminal table or a code-scanning alert helps no reviewer.
    for format in ["table", "markdown", "sarif", "github", "gitlab"] {
        let r = limited(
            file.path(),
            &["--format", format, "--fail-on", "never"],
            bytes.len() as u64 * 40 + 300 * MB,
        );
        assert_eq!(r.code(), Some(0), "{}", r.describe());
        // SARIF carries every rule's documentation, whatever the plan: what the plan adds is
        // the rest.
        let written = match format {
            "sarif" => {
                let mut log: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
                log["runs"][0]["tool"]["driver"]["rules"] = serde_json::Value::Null;
                log.to_string().len()
            }
            _ => r.stdout.len(),
        };
        assert!(
            written < 100_000,
            "--format {format} writes {written} bytes"
        );
        assert!(r.stdout().contains("characters elided") || format == "markdown");
    }
}

#[test]
fn a_100_mb_string_as_the_whole_input_is_an_input_error() {
    let mut bytes = Vec::with_capacity(100 * MB as usize + 2);
    bytes.push(b'"');
    bytes.resize(100 * MB as usize + 1, b'a');
    bytes.push(b'"');
    let file = temp(&bytes);
    let r = limited(file.path(), &[], few_copies(bytes.len()));
    clean_input_error(&r).unwrap_or_else(|e| panic!("{e}"));
    assert!(r.stderr().contains("found a string"), "{}", r.describe());
}

// --- 2. Huge policies ----------------------------------------------------------------------

/// Runs the CI role's policy going from `before` to `before` plus `added` statements, with
/// this many statements: 200,000 rather than 10^6 to keep the suite within a minute in a debug
/// build. The cost is linear now (10^6 identical statements take ~26 s and 3.3 GB); the
/// quadratic costs this guards against already took 60 s at 20,000 statements.
const STATEMENTS: usize = 200_000;

fn many_statements(before: Vec<Value>, added: Value) -> Value {
    let mut after = before.clone();
    after.push(added);
    let p = ci_plan(
        &json!({ "Statement": before }).to_string(),
        &json!({ "Statement": after }).to_string(),
    );
    let bytes = serde_json::to_vec(&p).unwrap();
    drop(p);
    let file = temp(&bytes);
    // Each statement, ~90 bytes of JSON, becomes a parsed statement, its compiled patterns and
    // a place in the comparison's indexes: measured at 18 bytes per input byte (674 MB resident
    // for 36 MB), so 30 leaves room for address space that is never touched.
    let r = limited(
        file.path(),
        &["--format", "json", "--fail-on", "never"],
        bytes.len() as u64 * 30 + 300 * MB,
    );
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    let report = r.json().unwrap();
    identity(&report, "aws_iam_role.ci")
        .expect("ci role")
        .clone()
}

#[test]
fn copies_of_one_statement_are_compared_exactly() {
    let same = json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"});
    let ci = many_statements(
        vec![same; STATEMENTS],
        json!({"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"}),
    );
    assert_eq!(ci["verdict"], "widened", "{}", ci["notes"]);
    assert_eq!(ci["witness"]["action"], "s3:PutObject", "{ci}");
    assert_eq!(ci["added"].as_array().unwrap().len(), 1, "{ci}");
}

#[test]
fn distinct_statements_beyond_the_budget_are_unverifiable_not_unchanged() {
    let before: Vec<Value> = (0..STATEMENTS)
        .map(|i| json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": format!("arn:aws:s3:::b/k{i}")}))
        .collect();
    let ci = many_statements(
        before,
        json!({"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/k0"}),
    );
    assert_eq!(ci["verdict"], "unverifiable", "{}", ci["notes"]);
    assert!(ci["notes"].to_string().contains("budget"), "{ci}");
}

// --- 3. Deep nesting -----------------------------------------------------------------------

#[test]
fn deep_nesting_on_stdin_is_an_input_error() {
    for deep in [vec![b'['; 100_000], b"{\"a\":".repeat(100_000)] {
        let r = run(&["analyze", "-"], Some(deep));
        clean_input_error(&r).unwrap_or_else(|e| panic!("100,000 nested values: {e}"));
    }
}

#[test]
fn deep_nesting_inside_a_plan_is_an_input_error() {
    // Deep nesting where a plan value may hold anything: inside a resource's `after`.
    let mut text = String::from(
        r#"{"format_version":"1.2","planned_values":{},"configuration":{},"resource_changes":[{"address":"aws_iam_role.x","mode":"managed","type":"aws_iam_role","name":"x","provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["create"],"before":null,"after":{"tags":"#,
    );
    text.push_str(&"[".repeat(100_000));
    let r = run(&["analyze", "-"], Some(text.into_bytes()));
    clean_input_error(&r).unwrap_or_else(|e| panic!("deeply nested value in a plan: {e}"));
}

#[test]
fn deep_nesting_inside_a_policy_string_is_an_input_error() {
    let n = 100_000;
    for deep in [
        format!("{{\"Statement\":{}{}}}", "[".repeat(n), "]".repeat(n)),
        format!(
            "{{\"Statement\":{}1{}}}",
            "{\"a\":".repeat(n),
            "}".repeat(n)
        ),
    ] {
        let p = ci_plan(&allow(json!("s3:GetObject"), json!("*")), &deep);
        let r = input_error(&serde_json::to_vec(&p).unwrap(), "not valid JSON");
        assert!(
            r.stderr().contains("aws_iam_role_policy.ci_artifacts"),
            "{}",
            r.describe()
        );
    }
}

// --- 4. Bytes that are not text ------------------------------------------------------------

#[test]
fn invalid_utf8_and_raw_nul_are_input_errors() {
    let text = serde_json::to_vec(&fixture()).unwrap();
    let name = text.windows(9).position(|w| w == b"ci-deploy").unwrap() + 3;
    let comma = text.iter().position(|&b| b == b',').unwrap() + 1;
    // Each case puts bytes at `at` in the (otherwise valid) plan.
    for (what, at, bytes) in [
        ("invalid UTF-8 in a string", name, &b"\xff"[..]),
        ("a truncated UTF-8 sequence in a string", name, b"\xc3"),
        ("invalid UTF-8 outside a string", comma, b"\xc3\xa9"),
        ("raw NUL in a string", name, b"\0"),
        ("raw NUL outside a string", comma, b"\0"),
    ] {
        let mut bad = text.clone();
        bad.splice(at..at, bytes.iter().copied());
        let r = run(&["analyze", "-"], Some(bad));
        clean_input_error(&r).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_inert(&r.stderr, what);
    }
}

#[test]
fn an_escaped_nul_in_a_name_or_action_never_reaches_the_output() {
    let mut p = ci_plan(
        &allow(json!("s3:GetObject"), json!("*")),
        &allow(
            json!(["s3:GetObject", "s3:Put\u{0}Object"]),
            json!("arn:aws:s3:::b\u{0}x/*"),
        ),
    );
    change(&mut p, "aws_iam_role_policy.ci_artifacts")["address"] =
        "aws_iam_role_policy.ci\u{0}artifacts".into();
    let file = temp(&serde_json::to_vec(&p).unwrap());
    for format in FORMATS {
        let r = analyze(file.path(), &["--format", format, "--fail-on", "never"]);
        assert_eq!(r.code(), Some(0), "{}", r.describe());
        assert!(
            !r.stdout.contains(&0) && !r.stderr.contains(&0),
            "--format {format} writes NUL"
        );
        assert_inert(&r.stdout, format);
    }
    let r = analyze(file.path(), &["--format", "json", "--fail-on", "never"]);
    let ci = identity(&r.json().unwrap(), "aws_iam_role.ci")
        .unwrap()
        .clone();
    assert_eq!(ci["verdict"], "widened", "{ci}");
}

// --- 5. Values of the wrong type -----------------------------------------------------------

#[test]
fn numbers_where_strings_belong_are_input_errors() {
    let fine = allow(json!("s3:GetObject"), json!("*"));
    let policies = [
        (allow(json!(5), json!("*")), "Action must be a string"),
        (
            json!({"Statement": 3}).to_string(),
            "Statement must be an object or an array",
        ),
        (
            json!({"Statement": [{"Effect": 1, "Action": "*", "Resource": "*"}]}).to_string(),
            "Effect",
        ),
        ("[1,2]".to_string(), "must be a JSON object"),
        ("7".to_string(), "must be a JSON object"),
    ];
    for (policy, needle) in policies {
        let p = ci_plan(&fine, &policy);
        input_error(&serde_json::to_vec(&p).unwrap(), needle);
    }
    let mut p = ci_plan(&fine, &fine);
    change(&mut p, "aws_iam_role_policy.ci_artifacts")["change"]["after"]["policy"] = json!(7);
    input_error(&serde_json::to_vec(&p).unwrap(), "found a number");
    for (field, value) in [("address", json!(5)), ("type", json!(true))] {
        let mut p = fixture();
        change(&mut p, "aws_iam_role.ci")[field] = value;
        input_error(&serde_json::to_vec(&p).unwrap(), "malformed");
    }
}

// --- 6. Duplicate keys ---------------------------------------------------------------------

#[test]
fn a_policy_with_a_key_twice_is_an_input_error_not_either_value() {
    let fine = allow(json!("s3:GetObject"), json!("*"));
    for policy in [
        r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Action":"*","Resource":"*"}]}"#,
        r#"{"Statement":[],"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    ] {
        let p = ci_plan(&fine, policy);
        input_error(&serde_json::to_vec(&p).unwrap(), "a key twice");
    }
}

#[test]
fn a_plan_with_resource_changes_twice_is_an_input_error() {
    // Terraform never writes a key twice; the typed plan model rejects a second
    // `resource_changes` (serde's derive refuses duplicate fields), so no reader's choice of
    // first or last matters.
    let text = serde_json::to_string(&fixture()).unwrap();
    let doubled = text.replacen(
        "\"resource_changes\":",
        "\"resource_changes\":[],\"resource_changes\":",
        1,
    );
    input_error(doubled.as_bytes(), "duplicate field `resource_changes`");
}

// --- 7. Wildcard blow-up -------------------------------------------------------------------

#[test]
fn patterns_built_to_backtrack_are_compared_in_linear_time() {
    // `*a*a*a…*a*b` against `aaaa…`: exponential for a backtracking matcher, stars × length
    // for the NFA. The added pattern matches no `a…a` action, so only the `…b` ones are new.
    let stars = format!("s3:{}b", "*a".repeat(2000));
    let long = format!("s3:{}", "a".repeat(20_000));
    let ci = ci_role(&ci_plan(
        &allow(json!(["s3:GetObject", long.clone()]), json!("*")),
        &allow(json!(["s3:GetObject", long, stars]), json!("*")),
    ));
    assert_eq!(ci["verdict"], "widened", "{}", ci["notes"]);
    let w = ci["witness"]["action"].as_str().unwrap();
    assert!(w.ends_with('b') && w.matches('a').count() >= 2000, "{w}");
    // The same in a resource ARN and in a StringLike condition: on both sides, so unchanged.
    let arn = format!("arn:aws:s3:::{}b", "*a".repeat(2000));
    let cond = |v: &str| {
        json!({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": arn,
            "Condition": {"StringLike": {"s3:prefix": v}}}]})
        .to_string()
    };
    let same = cond(&format!("{}b", "*a".repeat(2000)));
    let ci = ci_role(&ci_plan(&same, &same));
    assert_eq!(ci["verdict"], "unchanged", "{}", ci["notes"]);
    // Narrowing the condition to one value the pattern matches.
    let ci = ci_role(&ci_plan(&same, &cond(&format!("{}b", "a".repeat(2000)))));
    assert_eq!(ci["verdict"], "narrowed", "{}", ci["notes"]);
}

// --- 8 and 9. Names made to break out of their output --------------------------------------

/// The fixture with the CI role (and its policy's `role` link kept) at `address`.
fn renamed(address: &str) -> Value {
    let mut p = fixture();
    change(&mut p, "aws_iam_role.ci")["address"] = address.into();
    for r in p["prior_state"]["values"]["root_module"]["resources"]
        .as_array_mut()
        .unwrap()
    {
        if r["address"] == "aws_iam_role.ci" {
            r["address"] = address.into();
        }
    }
    p
}

#[test]
fn addresses_with_quotes_and_brackets_round_trip_and_are_escaped() {
    let address = "module.a[\"x\\\"]y\"].aws_iam_role.r[\"k]\\\"[<b>\"]";
    let file = temp(&serde_json::to_vec(&renamed(address)).unwrap());
    let r = analyze(file.path(), &["--format", "json", "--fail-on", "never"]);
    assert_eq!(r.code(), Some(0), "{}", r.describe());
    let report = r.json().unwrap();
    let id = identity(&report, address).unwrap_or_else(|| panic!("{}", r.describe()));
    assert_eq!(id["address"].as_str(), Some(address));
    for format in ["table", "markdown", "sarif", "github", "gitlab"] {
        let r = analyze(file.path(), &["--format", format, "--fail-on", "never"]);
        assert_eq!(r.code(), Some(0), "{}", r.describe());
        assert_inert(&r.stdout, format);
    }
    // Markdown is the one format where `<b>` would be markup.
    let r = analyze(file.path(), &["--format", "markdown", "--fail-on", "never"]);
    assert!(r.stdout().contains("&lt;b&gt;"), "{}", r.describe());
    assert!(!r.stdout().contains("<b>"), "{}", r.describe());
}

#[test]
fn terminal_escapes_in_names_reach_no_output() {
    let nasty = "\u{1b}[31mred\u{1b}]8;;http://x\u{7}link\u{1b}[2J\u{9b}31m\u{202e}evil";
    let address = format!("aws_iam_role.ci[\"{nasty}\"]");
    let mut p = renamed(&address);
    let rc = change(&mut p, "aws_iam_role_policy.ci_artifacts");
    rc["change"]["after"]["policy"] = allow(
        json!(format!("s3:Get{nasty}")),
        json!(format!("arn:aws:s3:::{nasty}/*")),
    )
    .into();
    let file = temp(&serde_json::to_vec(&p).unwrap());
    for format in FORMATS {
        let r = analyze(file.path(), &["--format", format, "--fail-on", "never"]);
        assert_eq!(r.code(), Some(0), "{}", r.describe());
        assert_inert(&r.stdout, format);
        assert_inert(&r.stderr, format);
    }
    // In error lines too: an unsupported format_version, an invalid policy naming its
    // resource, a condition operator quoted by the policy parser.
    let mut bad_version = fixture();
    bad_version["format_version"] = format!("2.{nasty}").into();
    let mut bad_policy = renamed(&address);
    change(&mut bad_policy, "aws_iam_role_policy.ci_artifacts")["address"] =
        format!("aws_iam_role_policy.x[\"{nasty}\"]").into();
    let rc = change(
        &mut bad_policy,
        &format!("aws_iam_role_policy.x[\"{nasty}\"]"),
    );
    rc["change"]["after"]["policy"] = json!({"Statement": [{"Effect": "Allow", "Action": "*",
        "Resource": "*", "Condition": {nasty: "x"}}]})
    .to_string()
    .into();
    for p in [bad_version, bad_policy] {
        let r = run(&["analyze", "-"], Some(serde_json::to_vec(&p).unwrap()));
        clean_input_error(&r).unwrap_or_else(|e| panic!("{e}"));
        assert_inert(&r.stderr, "the error line");
    }
}
