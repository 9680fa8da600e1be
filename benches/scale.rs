//! Scale benchmark: how privdiff's `load` + `analyze` compares with a bare `serde_json` parse of
//! the same bytes, in wall-clock time and in peak memory, on large generated plans.
//!
//! ```text
//! cargo bench --bench scale                        # 8 MB and 80 MB (the default)
//! cargo bench --bench scale -- --sizes 8,80,400    # sizes in MB (fractions allowed)
//! cargo bench --bench scale -- --sizes 8 --keep    # keep the generated plan for profiling
//! ```
//!
//! For each size it writes a deterministic plan (fixed seed, no randomness at run time) of that
//! many MB (10^6 bytes) into the temporary directory, in the shape of `terraform show -json`:
//! `planned_values`, `resource_changes`, `prior_state` and `configuration`. The mix is the one of
//! the issue, one role to four other resources: `aws_iam_role`s, each with an inline
//! `aws_iam_role_policy` and an `aws_iam_role_policy_attachment` (customer-managed
//! `aws_iam_policy`s or AWS-managed ARNs), and noise (S3 buckets, instances, security groups).
//! Most changes are no-ops; 2% of roles get a widened action (`s3:GetObject` → `s3:Get*`), and a
//! few are narrowed, retagged, created or deleted. Counts are calibrated on a small sample so
//! that the file reaches the requested size; with realistic attribute values, the issue's
//! "10,000 roles and 40,000 other resources" is about 280 MB (`--sizes 280`).
//!
//! It then times, best of `--runs` (3): reading the file, a bare
//! `serde_json::from_slice::<Value>`, privdiff's `load` alone and `load` + `analyze` (not
//! rendering), and the `privdiff` binary end to end. Peak memory (`VmHWM`) is measured in child
//! processes: this executable re-run with `--child FILE` (load + analyze) or `--child-bare FILE`
//! (bare parse). Timings are printed, never asserted.
//!
//! Run without `--bench` (as `cargo test --benches` does), it does one quick pass at a small
//! size, so test runs stay fast. See `docs/benchmark.md`.

#![recursion_limit = "256"]

use serde_json::{json, Value};
use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

const USAGE: &str = "usage: scale [--sizes MB[,MB...]] [--runs N] [--keep]\n       scale --child FILE | --child-bare FILE";

/// Roles in the sample plan that sizes a role's share of the file.
const CALIBRATION_ROLES: usize = 100;
const SEED: u64 = 0x5ca1_e0f0_2026_1129;
const ACCOUNT: &str = "111122223333";
const PROVIDER: &str = "registry.terraform.io/hashicorp/aws";
const TF_VERSION: &str = "1.9.5";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("scale: {e}");
            ExitCode::FAILURE
        }
    }
}

struct Options {
    sizes: Vec<f64>,
    runs: usize,
    keep: bool,
}

fn run(args: &[String]) -> Result<(), String> {
    // Hidden child modes, used to measure peak memory in a fresh process.
    if let [mode, file] = args {
        match mode.as_str() {
            "--child" => return child(Path::new(file), false),
            "--child-bare" => return child(Path::new(file), true),
            _ => {}
        }
    }
    let bench = args.iter().any(|a| a == "--bench");
    let mut opts = Options {
        sizes: Vec::new(),
        runs: 3,
        keep: false,
    };
    let mut it = args.iter().filter(|a| *a != "--bench");
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) => (f, Some(v.to_string())),
            None => (a.as_str(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match flag {
            "--sizes" => {
                let v = value("--sizes")?;
                for s in v.split(',').filter(|s| !s.trim().is_empty()) {
                    let mb: f64 = s
                        .trim()
                        .parse()
                        .map_err(|_| format!("bad size `{s}` (MB)\n{USAGE}"))?;
                    if !(mb > 0.0 && mb <= 4096.0) {
                        return Err(format!("size {mb} MB is out of range (0, 4096]"));
                    }
                    opts.sizes.push(mb);
                }
            }
            "--runs" => {
                let v = value("--runs")?;
                opts.runs = v
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("bad run count `{v}`\n{USAGE}"))?;
            }
            "--keep" => opts.keep = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            _ => return Err(format!("unknown argument `{a}`\n{USAGE}")),
        }
    }
    if opts.sizes.is_empty() {
        if bench {
            opts.sizes = vec![8.0, 80.0];
        } else {
            // `cargo test --benches` / `--all-targets`: one quick smoke pass.
            opts.sizes = vec![0.5];
            opts.runs = 1;
        }
    }
    benchmark(&opts)
}

// ---------------------------------------------------------------------------------------------
// Measuring

/// What one size produced.
struct Row {
    mb: f64,
    bytes: u64,
    resources: usize,
    identities: usize,
    widened: usize,
    read: Duration,
    bare: Duration,
    /// `load` alone, and `load` + `analyze`.
    load: Duration,
    privdiff: Duration,
    e2e: Option<Duration>,
    bare_hwm_kb: Option<u64>,
    privdiff_hwm_kb: Option<u64>,
}

fn benchmark(opts: &Options) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this executable: {e}"))?;
    let binary = privdiff_binary(&exe);
    println!(
        "privdiff scale benchmark: best of {} run(s) per measure",
        opts.runs
    );
    match &binary {
        Some(b) => println!("end-to-end binary: {}", b.display()),
        None => println!(
            "end-to-end binary: not found (build it with `cargo build --release`); skipped"
        ),
    }
    let mut rows = Vec::new();
    for &mb in &opts.sizes {
        let path = std::env::temp_dir().join(format!("privdiff-scale-{}mb.json", fmt_mb(mb)));
        let t = Instant::now();
        let shape =
            generate(&path, mb).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        let bytes = std::fs::metadata(&path).map_err(|e| e.to_string())?.len();
        println!(
            "generated {} ({:.1} MB, {} resources: {} roles) in {:.1} s",
            path.display(),
            bytes as f64 / 1e6,
            shape.resources,
            shape.roles,
            t.elapsed().as_secs_f64()
        );
        let row = measure(&path, mb, bytes, &shape, opts.runs, &exe, binary.as_deref());
        if !opts.keep {
            let _ = std::fs::remove_file(&path);
        }
        rows.push(row?);
    }
    print_tables(&rows);
    if opts.keep {
        println!("\nplans kept in {}", std::env::temp_dir().display());
    }
    Ok(())
}

fn measure(
    path: &Path,
    mb: f64,
    bytes: u64,
    shape: &Shape,
    runs: usize,
    exe: &Path,
    binary: Option<&Path>,
) -> Result<Row, String> {
    let read = best(runs, || {
        let t = Instant::now();
        let data = std::fs::read(path).map_err(|e| e.to_string())?;
        let d = t.elapsed();
        std::hint::black_box(&data);
        Ok(d)
    })?;
    let data = std::fs::read(path).map_err(|e| e.to_string())?;

    // Drops happen outside the timed section, for both parses.
    let bare = best(runs, || {
        let t = Instant::now();
        let v: Value = serde_json::from_slice(&data).map_err(|e| format!("bare parse: {e}"))?;
        let d = t.elapsed();
        std::hint::black_box(&v);
        Ok(d)
    })?;

    let mut summary = None;
    let mut load = Duration::MAX;
    let privdiff = best(runs, || {
        let t = Instant::now();
        let plan = privdiff::plan::load(&data).map_err(|e| format!("load: {e}"))?;
        load = load.min(t.elapsed());
        let report = privdiff::analyze::analyze(
            &plan,
            &privdiff::compare::Limits::default(),
            &Default::default(),
        )
        .map_err(|e| format!("analyze: {e:?}"))?;
        let d = t.elapsed();
        summary = Some((report.summary.identities, report.summary.widened));
        Ok(d)
    })?;
    let (identities, widened) = summary.unwrap_or_default();
    drop(data);

    let e2e = match binary {
        Some(bin) => Some(best(runs, || {
            let t = Instant::now();
            let status = Command::new(bin)
                .args([
                    "analyze",
                    &path.to_string_lossy(),
                    "--format",
                    "json",
                    "--fail-on",
                    "never",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::inherit())
                .status()
                .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
            let d = t.elapsed();
            if !status.success() {
                return Err(format!("{} exited with {status}", bin.display()));
            }
            Ok(d)
        })?),
        None => None,
    };

    Ok(Row {
        mb,
        bytes,
        resources: shape.resources,
        identities,
        widened,
        read,
        bare,
        load,
        privdiff,
        e2e,
        bare_hwm_kb: child_hwm(exe, "--child-bare", path)?,
        privdiff_hwm_kb: child_hwm(exe, "--child", path)?,
    })
}

fn best(runs: usize, mut f: impl FnMut() -> Result<Duration, String>) -> Result<Duration, String> {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        best = best.min(f()?);
    }
    Ok(best)
}

/// The `privdiff` binary cargo built alongside this benchmark, if any.
fn privdiff_binary(exe: &Path) -> Option<PathBuf> {
    let candidates = [
        option_env!("CARGO_BIN_EXE_privdiff").map(PathBuf::from),
        // target/<profile>/deps/scale-HASH → target/<profile>/privdiff
        exe.parent()
            .and_then(Path::parent)
            .map(|d| d.join("privdiff")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_file())
}

/// Runs this executable in a child mode and returns the `VmHWM` it reports, in kB.
fn child_hwm(exe: &Path, mode: &str, path: &Path) -> Result<Option<u64>, String> {
    let out = Command::new(exe)
        .arg(mode)
        .arg(path)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    if !out.status.success() {
        return Err(format!("child {mode} failed: {}", out.status));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    Ok(text
        .split_whitespace()
        .find_map(|w| w.strip_prefix("vmhwm_kb="))
        .and_then(|v| v.parse().ok()))
}

/// Child mode: read, parse (bare or privdiff), and report peak resident memory.
fn child(path: &Path, bare: bool) -> Result<(), String> {
    let data = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bare {
        let v: Value = serde_json::from_slice(&data).map_err(|e| format!("bare parse: {e}"))?;
        std::hint::black_box(&v);
        println!("{}", hwm_field());
    } else {
        let plan = privdiff::plan::load(&data).map_err(|e| format!("load: {e}"))?;
        let report = privdiff::analyze::analyze(
            &plan,
            &privdiff::compare::Limits::default(),
            &Default::default(),
        )
        .map_err(|e| format!("analyze: {e:?}"))?;
        std::hint::black_box(&report);
        println!(
            "identities={} widened={} {}",
            report.summary.identities,
            report.summary.widened,
            hwm_field()
        );
    }
    Ok(())
}

/// Peak resident set size of this process as `vmhwm_kb=N`, or nothing where `/proc` lacks it.
fn hwm_field() -> String {
    let kb = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        });
    kb.map(|kb| format!("vmhwm_kb={kb}")).unwrap_or_default()
}

fn print_tables(rows: &[Row]) {
    let ms = |d: Duration| format!("{:.0}", d.as_secs_f64() * 1e3);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n{:>8} {:>9} {:>10} {:>7} {:>8} {:>8} {:>8} {:>11} {:>10} {:>8}",
        "size MB",
        "resources",
        "identities",
        "widened",
        "read ms",
        "bare ms",
        "load ms",
        "privdiff ms",
        "ratio≤1.5",
        "e2e ms"
    );
    for r in rows {
        let _ = writeln!(
            out,
            "{:>8.1} {:>9} {:>10} {:>7} {:>8} {:>8} {:>8} {:>11} {:>10.2} {:>8}",
            r.bytes as f64 / 1e6,
            r.resources,
            r.identities,
            r.widened,
            ms(r.read),
            ms(r.bare),
            ms(r.load),
            ms(r.privdiff),
            r.privdiff.as_secs_f64() / r.bare.as_secs_f64(),
            r.e2e.map(ms).unwrap_or_else(|| "-".into()),
        );
    }
    let _ = writeln!(
        out,
        "\n{:>8} {:>13} {:>10} {:>17} {:>10}",
        "size MB", "bare peak MB", "bare ×file", "privdiff peak MB", "×file ≤2"
    );
    let peak = |kb: Option<u64>, bytes: u64| match kb {
        Some(kb) => (
            format!("{:.0}", kb as f64 * 1024.0 / 1e6),
            format!("{:.2}", kb as f64 * 1024.0 / bytes as f64),
        ),
        None => ("-".into(), "-".into()),
    };
    for r in rows {
        let (bp, br) = peak(r.bare_hwm_kb, r.bytes);
        let (pp, pr) = peak(r.privdiff_hwm_kb, r.bytes);
        let _ = writeln!(
            out,
            "{:>8.1} {:>13} {:>10} {:>17} {:>10}",
            r.bytes as f64 / 1e6,
            bp,
            br,
            pp,
            pr
        );
    }
    let _ =
        writeln!(
        out,
        "\nMB = 10^6 bytes; requested sizes: {} MB. privdiff ms = load + analyze (no rendering); \
         ratio = privdiff / bare; e2e = the binary with --format json. Peak = VmHWM of a child \
         process that reads the file and then parses it (bare) or loads and analyses it.",
        rows.iter().map(|r| fmt_mb(r.mb)).collect::<Vec<_>>().join(", ")
    );
    print!("{out}");
}

fn fmt_mb(mb: f64) -> String {
    if mb.fract() == 0.0 {
        format!("{mb:.0}")
    } else {
        format!("{mb}")
    }
}

// ---------------------------------------------------------------------------------------------
// Generating a plan

/// splitmix64: small, fast and deterministic.
struct Rng(u64);

impl Rng {
    fn new(kind: u64, i: usize) -> Rng {
        let mut r = Rng(SEED
            ^ kind.wrapping_mul(0x9e37_79b9_7f4a_7c15)
            ^ (i as u64).wrapping_mul(0xd1b5_4a32_d192_ed03));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }

    /// An upper-case alphanumeric id like AWS unique ids.
    fn id(&mut self, prefix: &str, len: usize) -> String {
        const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let mut s = String::from(prefix);
        for _ in 0..len {
            s.push(CHARS[self.below(CHARS.len())] as char);
        }
        s
    }

    fn hex(&mut self, len: usize) -> String {
        let mut s = String::new();
        while s.len() < len {
            let _ = write!(s, "{:016x}", self.next());
        }
        s.truncate(len);
        s
    }

    fn date(&mut self) -> String {
        format!(
            "20{:02}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            20 + self.below(6),
            1 + self.below(12),
            1 + self.below(28),
            self.below(24),
            self.below(60),
            self.below(60)
        )
    }
}

const TEAMS: &[&str] = &[
    "platform", "payments", "search", "data", "identity", "growth", "mobile", "infra",
];
const ENVS: &[&str] = &["prod", "staging", "dev"];
const AZS: &[&str] = &["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const MANAGED: &[&str] = &[
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
    "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
];

/// How many resources of each kind a plan of a given size holds. Resources are emitted in
/// address order, as Terraform does: policies, roles, inline policies, attachments, instances,
/// buckets, security groups.
struct Shape {
    roles: usize,
    policies: usize,
    instances: usize,
    buckets: usize,
    groups: usize,
    resources: usize,
}

impl Shape {
    fn new(roles: usize) -> Shape {
        let policies = (roles / 5).max(1);
        // 40,000 "other" resources per 10,000 roles: inline policies, attachments, policies,
        // and noise to make up the rest.
        let noise = 4 * roles - 2 * roles - policies;
        let instances = noise * 3 / 10;
        let groups = noise * 3 / 10;
        let buckets = noise - instances - groups;
        Shape {
            roles,
            policies,
            instances,
            buckets,
            groups,
            resources: 3 * roles + policies + noise,
        }
    }

    fn each(&self, mut f: impl FnMut(&Res) -> std::io::Result<()>) -> std::io::Result<()> {
        for j in 0..self.policies {
            f(&policy(j))?;
        }
        for i in 0..self.roles {
            f(&role(i))?;
        }
        for i in 0..self.roles {
            f(&inline(i))?;
        }
        for i in 0..self.roles {
            f(&attachment(i, self))?;
        }
        for i in 0..self.instances {
            f(&instance(i, self))?;
        }
        for i in 0..self.buckets {
            f(&bucket(i))?;
        }
        for i in 0..self.groups {
            f(&security_group(i))?;
        }
        Ok(())
    }
}

/// One resource instance of the plan, with everything each section needs.
struct Res {
    kind: &'static str,
    name: String,
    actions: &'static [&'static str],
    before: Value,
    after: Value,
    after_unknown: Value,
    before_sensitive: Value,
    after_sensitive: Value,
    /// `expressions` of the configuration block.
    expressions: Value,
}

const NO_OP: &[&str] = &["no-op"];
const UPDATE: &[&str] = &["update"];
const CREATE: &[&str] = &["create"];
const DELETE: &[&str] = &["delete"];
const REPLACE: &[&str] = &["delete", "create"];

impl Res {
    /// A resource change; nothing in the generated plans is marked sensitive.
    fn new(
        kind: &'static str,
        name: String,
        (actions, before, after, after_unknown): (&'static [&'static str], Value, Value, Value),
        expressions: Value,
    ) -> Res {
        Res {
            kind,
            name,
            actions,
            before_sensitive: unmarked(&before),
            after_sensitive: unmarked(&after),
            before,
            after,
            after_unknown,
            expressions,
        }
    }

    fn address(&self) -> String {
        format!("{}.{}", self.kind, self.name)
    }
}

/// Role `i`'s fate in the plan. Fixed by `i`, so that each resource of a role agrees.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    Same,
    /// The inline policy gains a wildcard (`s3:GetObject` → `s3:Get*`): 2% of roles.
    Widened,
    /// The inline policy loses a statement.
    Narrowed,
    /// Tags change; permissions do not.
    Retagged,
    Created,
    Deleted,
}

fn fate(i: usize) -> Fate {
    if i % 50 == 7 {
        Fate::Widened
    } else if i % 200 == 113 {
        Fate::Created
    } else if i % 500 == 251 {
        Fate::Deleted
    } else if i % 250 == 99 {
        Fate::Narrowed
    } else if i % 100 == 42 {
        Fate::Retagged
    } else {
        Fate::Same
    }
}

/// Customer-managed policy `j`: 1% gain a statement, some are new in this plan.
fn policy_fate(j: usize) -> Fate {
    if j % 100 == 3 {
        Fate::Widened
    } else if j % 150 == 77 {
        Fate::Created
    } else {
        Fate::Same
    }
}

fn role_name(i: usize) -> String {
    format!("svc-{i:05}-{}", TEAMS[i % TEAMS.len()])
}

fn tags(rng: &mut Rng, team: &str, extra: usize) -> Value {
    let mut t = serde_json::Map::new();
    t.insert("team".into(), team.into());
    t.insert("env".into(), rng.pick(ENVS).into());
    t.insert("managed-by".into(), "terraform".into());
    t.insert(
        "cost-center".into(),
        format!("cc-{:04}", rng.below(10_000)).into(),
    );
    for k in 0..extra {
        t.insert(
            format!("owner-{k}"),
            format!("{}@example.com", rng.hex(8)).into(),
        );
    }
    Value::Object(t)
}

/// Mirrors `v` with `false` at known leaves, as `after_unknown` does (objects and arrays kept).
fn known(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, x)| x.is_object() || x.is_array())
                .map(|(k, x)| (k.clone(), known(x)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(known).collect()),
        _ => Value::Bool(false),
    }
}

/// The `*_sensitive` / `after_unknown` mirror of `v` with nothing marked.
fn unmarked(v: &Value) -> Value {
    if v.is_null() {
        Value::Bool(false)
    } else {
        known(v)
    }
}

fn doc(statements: Vec<Value>) -> String {
    json!({"Statement": statements, "Version": "2012-10-17"}).to_string()
}

fn trust_policy(i: usize, rng: &mut Rng) -> String {
    let st = match rng.below(5) {
        0 | 1 => {
            json!({"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}})
        }
        2 => {
            json!({"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}})
        }
        3 => json!({
            "Action": "sts:AssumeRoleWithWebIdentity", "Effect": "Allow",
            "Principal": {"Federated": format!("arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com")},
            "Condition": {
                "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                "StringLike": {"token.actions.githubusercontent.com:sub": format!("repo:acme/svc-{i:05}:ref:refs/heads/*")}
            }
        }),
        _ => json!({
            "Action": "sts:AssumeRole", "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
            "Condition": {"StringEquals": {"sts:ExternalId": rng.hex(24)}}
        }),
    };
    doc(vec![st])
}

/// Role `i`'s inline policy document, before (`after == false`) or after the plan.
fn inline_policy(i: usize, after: bool) -> String {
    let mut rng = Rng::new(2, i);
    let bucket = format!("arn:aws:s3:::acme-{}-{i:05}", rng.pick(ENVS));
    let fate = fate(i);
    let get = if after && fate == Fate::Widened {
        "s3:Get*"
    } else {
        "s3:GetObject"
    };
    let mut sts = vec![
        json!({"Sid": "ReadData", "Action": [get, "s3:ListBucket"], "Effect": "Allow", "Resource": [bucket.clone(), format!("{bucket}/*")]}),
        json!({"Sid": "Logs", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Effect": "Allow",
               "Resource": format!("arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:/svc/{i:05}:*")}),
    ];
    match rng.below(4) {
        0 => sts.push(json!({"Sid": "Table", "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"], "Effect": "Allow",
                              "Resource": format!("arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/svc-{i:05}")})),
        1 => sts.push(json!({"Sid": "Decrypt", "Action": "kms:Decrypt", "Effect": "Allow",
                              "Resource": format!("arn:aws:kms:eu-west-1:{ACCOUNT}:key/{}", rng.hex(32)),
                              "Condition": {"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}}})),
        2 => sts.push(json!({"Sid": "Queue", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage"], "Effect": "Allow",
                              "Resource": format!("arn:aws:sqs:eu-west-1:{ACCOUNT}:svc-{i:05}")})),
        _ => {}
    }
    // One role in five fences itself with Deny statements.
    if i % 5 == 1 {
        sts.push(json!({"Sid": "RegionFence", "Effect": "Deny", "Action": "*", "Resource": "*",
                        "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}}));
        sts.push(json!({"Sid": "TlsOnly", "Effect": "Deny", "Action": "s3:*", "Resource": [bucket.clone(), format!("{bucket}/*")],
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}));
    }
    if !after || fate != Fate::Narrowed {
        sts.push(json!({"Sid": "Params", "Action": ["ssm:GetParameter", "ssm:GetParametersByPath"], "Effect": "Allow",
                        "Resource": format!("arn:aws:ssm:eu-west-1:{ACCOUNT}:parameter/svc/{i:05}/*")}));
    }
    doc(sts)
}

fn policy_name(j: usize) -> String {
    format!("shared-{j:05}")
}

fn policy_arn(j: usize) -> String {
    format!("arn:aws:iam::{ACCOUNT}:policy/shared/{}", policy_name(j))
}

fn policy(j: usize) -> Res {
    let mut rng = Rng::new(3, j);
    let fate = policy_fate(j);
    let team = TEAMS[j % TEAMS.len()];
    let document = |after: bool| {
        let mut sts = vec![
            json!({"Sid": "Describe", "Action": ["ec2:Describe*", "cloudwatch:GetMetricData", "cloudwatch:ListMetrics"], "Effect": "Allow", "Resource": "*"}),
            json!({"Sid": "Artifacts", "Action": ["s3:GetObject", "s3:GetObjectVersion"], "Effect": "Allow",
                   "Resource": format!("arn:aws:s3:::acme-artifacts-{team}/*")}),
            json!({"Sid": "Secrets", "Action": "secretsmanager:GetSecretValue", "Effect": "Allow",
                   "Resource": format!("arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:{team}/*"),
                   "Condition": {"StringEquals": {"aws:ResourceTag/team": team}}}),
        ];
        if after && fate == Fate::Widened {
            sts.push(json!({"Sid": "Publish", "Action": "s3:Put*", "Effect": "Allow", "Resource": format!("arn:aws:s3:::acme-artifacts-{team}/*")}));
        }
        doc(sts)
    };
    let tags = tags(&mut rng, team, 0);
    let existing = json!({
        "arn": policy_arn(j), "attachment_count": 5, "description": format!("Shared permissions for {team} services"),
        "id": policy_arn(j), "name": policy_name(j), "name_prefix": "", "path": "/shared/", "policy": document(false),
        "policy_id": rng.id("ANPA", 17), "tags": tags, "tags_all": tags,
    });
    let expressions = json!({
        "description": {"constant_value": format!("Shared permissions for {team} services")},
        "name": {"constant_value": policy_name(j)},
        "path": {"constant_value": "/shared/"},
        "policy": {"references": ["local.artifact_bucket_prefix"]},
        "tags": {"constant_value": tags},
    });
    let (actions, before, after, after_unknown) = match fate {
        Fate::Created => {
            let after = json!({
                "description": format!("Shared permissions for {team} services"), "name": policy_name(j), "path": "/shared/",
                "policy": document(true), "tags": tags, "tags_all": tags,
            });
            let unknown = json!({"arn": true, "attachment_count": true, "id": true, "name_prefix": true, "policy_id": true, "tags": {}, "tags_all": {}});
            (CREATE, Value::Null, after, unknown)
        }
        Fate::Widened => {
            let mut after = existing.clone();
            after["policy"] = document(true).into();
            let unknown = known(&after);
            (UPDATE, existing, after, unknown)
        }
        _ => {
            let unknown = known(&existing);
            (NO_OP, existing.clone(), existing, unknown)
        }
    };
    Res::new(
        "aws_iam_policy",
        format!("shared_{j:05}"),
        (actions, before, after, after_unknown),
        expressions,
    )
}

fn role(i: usize) -> Res {
    let mut rng = Rng::new(1, i);
    let fate = fate(i);
    let team = TEAMS[i % TEAMS.len()];
    let name = role_name(i);
    let arn = format!("arn:aws:iam::{ACCOUNT}:role/service/{name}");
    let trust = trust_policy(i, &mut rng);
    let tags = tags(&mut rng, team, 1);
    let existing = json!({
        "arn": arn, "assume_role_policy": trust, "create_date": rng.date(),
        "description": format!("Runtime role of svc-{i:05} ({team})"), "force_detach_policies": false, "id": name,
        // Not set in the configuration: the policies come from separate resources.
        "inline_policy": [],
        "managed_policy_arns": [],
        "max_session_duration": 3600, "name": name, "name_prefix": "", "path": "/service/",
        "permissions_boundary": null, "tags": tags, "tags_all": tags, "unique_id": rng.id("AROA", 17),
    });
    let expressions = json!({
        "assume_role_policy": {},
        "description": {"constant_value": format!("Runtime role of svc-{i:05} ({team})")},
        "name": {"constant_value": name},
        "path": {"constant_value": "/service/"},
        "tags": {"constant_value": tags},
    });
    let (actions, before, after, after_unknown) = match fate {
        Fate::Created => {
            let after = json!({
                "assume_role_policy": trust, "description": format!("Runtime role of svc-{i:05} ({team})"),
                "force_detach_policies": false, "max_session_duration": 3600, "name": name, "path": "/service/",
                "permissions_boundary": null, "tags": tags, "tags_all": tags,
            });
            let unknown = json!({"arn": true, "create_date": true, "id": true, "inline_policy": true, "managed_policy_arns": true,
                                 "name_prefix": true, "tags": {}, "tags_all": {}, "unique_id": true});
            (CREATE, Value::Null, after, unknown)
        }
        Fate::Deleted => (DELETE, existing, Value::Null, json!({})),
        Fate::Retagged => {
            let mut after = existing.clone();
            after["tags"]["env"] = "prod".into();
            after["tags"]["review"] = "2026-q4".into();
            after["tags_all"] = after["tags"].clone();
            let unknown = known(&after);
            (UPDATE, existing, after, unknown)
        }
        _ => {
            let unknown = known(&existing);
            (NO_OP, existing.clone(), existing, unknown)
        }
    };
    Res::new(
        "aws_iam_role",
        format!("svc_{i:05}"),
        (actions, before, after, after_unknown),
        expressions,
    )
}

fn inline(i: usize) -> Res {
    let fate = fate(i);
    let role = role_name(i);
    let pname = format!("{role}-inline");
    let existing = json!({"id": format!("{role}:{pname}"), "name": pname, "name_prefix": "", "policy": inline_policy(i, false), "role": role});
    let expressions = json!({
        "name": {"constant_value": pname},
        "policy": {"references": [format!("aws_s3_bucket.data_{:05}.arn", i % 997), format!("aws_s3_bucket.data_{:05}", i % 997)]},
        "role": {"references": [format!("aws_iam_role.svc_{i:05}.id"), format!("aws_iam_role.svc_{i:05}")]},
    });
    let (actions, before, after, after_unknown) = match fate {
        // `role = aws_iam_role.x.id` is unknown until the role exists.
        Fate::Created => (
            CREATE,
            Value::Null,
            json!({"name": pname, "policy": inline_policy(i, true)}),
            json!({"id": true, "name_prefix": true, "role": true}),
        ),
        Fate::Deleted => (DELETE, existing, Value::Null, json!({})),
        Fate::Widened | Fate::Narrowed => {
            let mut after = existing.clone();
            after["policy"] = inline_policy(i, true).into();
            (UPDATE, existing, after, json!({}))
        }
        _ => (NO_OP, existing.clone(), existing, json!({})),
    };
    Res::new(
        "aws_iam_role_policy",
        format!("svc_{i:05}"),
        (actions, before, after, after_unknown),
        expressions,
    )
}

/// Which policy role `i` has attached: a shared customer-managed policy for 3 roles in 5, an
/// AWS-managed one otherwise.
fn attachment_target(i: usize, shape: &Shape) -> Result<usize, &'static str> {
    if i % 5 < 3 {
        Ok((i * 7) % shape.policies)
    } else {
        Err(MANAGED[(i / 5) % MANAGED.len()])
    }
}

fn attached_arn(i: usize, shape: &Shape) -> String {
    match attachment_target(i, shape) {
        Ok(j) => policy_arn(j),
        Err(arn) => arn.to_string(),
    }
}

fn attachment(i: usize, shape: &Shape) -> Res {
    let mut rng = Rng::new(4, i);
    let role = role_name(i);
    let target = attachment_target(i, shape);
    let policy_expr = match target {
        Ok(j) => {
            json!({"references": [format!("aws_iam_policy.shared_{j:05}.arn"), format!("aws_iam_policy.shared_{j:05}")]})
        }
        Err(arn) => json!({"constant_value": arn}),
    };
    let expressions = json!({
        "policy_arn": policy_expr,
        "role": {"references": [format!("aws_iam_role.svc_{i:05}.name"), format!("aws_iam_role.svc_{i:05}")]},
    });
    let existing = json!({"id": format!("{role}-{}", rng.hex(26)), "policy_arn": attached_arn(i, shape), "role": role});
    let new_policy = matches!(target, Ok(j) if policy_fate(j) == Fate::Created);
    let (actions, before, after, after_unknown) = match fate(i) {
        Fate::Deleted => (DELETE, existing, Value::Null, json!({})),
        _ if new_policy => (
            CREATE,
            Value::Null,
            json!({"role": role}),
            json!({"id": true, "policy_arn": true}),
        ),
        Fate::Created => (
            CREATE,
            Value::Null,
            json!({"policy_arn": attached_arn(i, shape), "role": role}),
            json!({"id": true}),
        ),
        _ => (NO_OP, existing.clone(), existing, json!({})),
    };
    Res::new(
        "aws_iam_role_policy_attachment",
        format!("svc_{i:05}"),
        (actions, before, after, after_unknown),
        expressions,
    )
}

fn instance(i: usize, shape: &Shape) -> Res {
    let mut rng = Rng::new(5, i);
    let team = TEAMS[i % TEAMS.len()];
    let az = rng.pick(AZS);
    let ip = format!(
        "10.{}.{}.{}",
        rng.below(256),
        rng.below(256),
        1 + rng.below(254)
    );
    let id = format!("i-{}", rng.hex(17));
    let tags = {
        let mut t = tags(&mut rng, team, 0);
        t["Name"] = format!("app-{i:05}").into();
        t
    };
    let sg = format!("sg-{}", rng.hex(17));
    let existing = json!({
        "ami": format!("ami-{}", rng.hex(17)), "arn": format!("arn:aws:ec2:eu-west-1:{ACCOUNT}:instance/{id}"),
        "associate_public_ip_address": false, "availability_zone": az,
        "capacity_reservation_specification": [{"capacity_reservation_preference": "open", "capacity_reservation_target": []}],
        "cpu_options": [{"amd_sev_snp": "", "core_count": 1, "threads_per_core": 2}],
        "credit_specification": [{"cpu_credits": "unlimited"}], "disable_api_stop": false, "disable_api_termination": false,
        "ebs_block_device": [], "ebs_optimized": false, "enclave_options": [{"enabled": false}], "ephemeral_block_device": [],
        "get_password_data": false, "hibernation": false, "host_id": "",
        "iam_instance_profile": role_name(i % shape.roles), "id": id,
        "instance_initiated_shutdown_behavior": "stop", "instance_state": "running", "instance_type": rng.pick(&["t3.micro", "t3.small", "m6i.large"]),
        "ipv6_address_count": 0, "ipv6_addresses": [], "key_name": "", "launch_template": [],
        "maintenance_options": [{"auto_recovery": "default"}],
        "metadata_options": [{"http_endpoint": "enabled", "http_protocol_ipv6": "disabled", "http_put_response_hop_limit": 2,
                              "http_tokens": "required", "instance_metadata_tags": "disabled"}],
        "monitoring": false, "network_interface": [], "outpost_arn": "", "password_data": "", "placement_group": "",
        "primary_network_interface_id": format!("eni-{}", rng.hex(17)),
        "private_dns": format!("ip-{}.eu-west-1.compute.internal", ip.replace('.', "-")),
        "private_ip": ip, "public_dns": "", "public_ip": "",
        "root_block_device": [{"delete_on_termination": true, "device_name": "/dev/xvda", "encrypted": true, "iops": 3000,
                               "kms_key_id": format!("arn:aws:kms:eu-west-1:{ACCOUNT}:key/{}", rng.hex(32)), "tags": {},
                               "throughput": 125, "volume_id": format!("vol-{}", rng.hex(17)), "volume_size": 20, "volume_type": "gp3"}],
        "secondary_private_ips": [], "security_groups": [], "source_dest_check": true,
        "subnet_id": format!("subnet-{}", rng.hex(17)), "tags": tags, "tags_all": tags, "tenancy": "default",
        "user_data": rng.hex(40), "user_data_replace_on_change": false, "vpc_security_group_ids": [sg],
    });
    let expressions = json!({
        "ami": {"references": ["data.aws_ami.al2023.id", "data.aws_ami.al2023"]},
        "iam_instance_profile": {"references": [format!("aws_iam_instance_profile.svc_{:05}.name", i % shape.roles), format!("aws_iam_instance_profile.svc_{:05}", i % shape.roles)]},
        "instance_type": {"constant_value": existing["instance_type"]},
        "metadata_options": [{"http_tokens": {"constant_value": "required"}}],
        "root_block_device": [{"encrypted": {"constant_value": true}, "volume_size": {"constant_value": 20}, "volume_type": {"constant_value": "gp3"}}],
        "subnet_id": {"references": ["var.subnet_ids"]},
        "tags": {"constant_value": tags},
        "user_data": {"references": ["local.user_data"]},
        "vpc_security_group_ids": {"references": [format!("aws_security_group.app_{:05}.id", i % 1000), format!("aws_security_group.app_{:05}", i % 1000)]},
    });
    let (actions, before, after, after_unknown) = match i % 97 {
        5 => {
            // AMI change: replaced, most computed attributes unknown again.
            let mut after = existing.clone();
            let obj = after.as_object_mut().expect("object");
            for k in [
                "arn",
                "id",
                "primary_network_interface_id",
                "private_dns",
                "private_ip",
                "public_dns",
                "public_ip",
                "host_id",
                "outpost_arn",
                "password_data",
            ] {
                obj.remove(k);
            }
            obj.insert("ami".into(), format!("ami-{}", rng.hex(17)).into());
            let mut unknown = known(&after);
            for k in [
                "arn",
                "id",
                "primary_network_interface_id",
                "private_dns",
                "private_ip",
                "public_dns",
                "public_ip",
                "host_id",
                "outpost_arn",
                "password_data",
            ] {
                unknown[k] = true.into();
            }
            (REPLACE, existing, after, unknown)
        }
        11 => {
            let mut after = existing.clone();
            after["instance_type"] = "m6i.xlarge".into();
            let unknown = known(&after);
            (UPDATE, existing, after, unknown)
        }
        _ => {
            let unknown = known(&existing);
            (NO_OP, existing.clone(), existing, unknown)
        }
    };
    let mut after_sensitive = unmarked(&after);
    if let Value::Object(m) = &mut after_sensitive {
        m.insert("user_data".into(), false.into());
    }
    Res {
        kind: "aws_instance",
        name: format!("app_{i:05}"),
        actions,
        before_sensitive: unmarked(&before),
        after_sensitive,
        before,
        after,
        after_unknown,
        expressions,
    }
}

fn bucket(i: usize) -> Res {
    let mut rng = Rng::new(6, i);
    let team = TEAMS[i % TEAMS.len()];
    let name = format!("acme-{}-data-{i:05}", rng.pick(ENVS));
    let tags = tags(&mut rng, team, 0);
    let existing = json!({
        "acceleration_status": "", "acl": null, "arn": format!("arn:aws:s3:::{name}"), "bucket": name,
        "bucket_domain_name": format!("{name}.s3.amazonaws.com"), "bucket_prefix": "",
        "bucket_regional_domain_name": format!("{name}.s3.eu-west-1.amazonaws.com"),
        "cors_rule": [], "force_destroy": false,
        "grant": [{"id": rng.hex(64), "permissions": ["FULL_CONTROL"], "type": "CanonicalUser", "uri": ""}],
        "hosted_zone_id": "Z1BKCTXD74EZPE", "id": name, "lifecycle_rule": [], "logging": [], "object_lock_configuration": [],
        "object_lock_enabled": false, "policy": "", "region": "eu-west-1", "replication_configuration": [], "request_payer": "BucketOwner",
        "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": "", "sse_algorithm": "AES256"}], "bucket_key_enabled": false}]}],
        "tags": tags, "tags_all": tags, "timeouts": null,
        "versioning": [{"enabled": i % 3 == 0, "mfa_delete": false}], "website": [], "website_domain": null, "website_endpoint": null,
    });
    let expressions = json!({
        "bucket": {"constant_value": name},
        "tags": {"constant_value": tags},
    });
    let (actions, before, after, after_unknown) = match i % 113 {
        17 => {
            let after = json!({"bucket": name, "force_destroy": false, "tags": tags, "tags_all": tags, "timeouts": null});
            let unknown = json!({
                "acceleration_status": true, "acl": true, "arn": true, "bucket_domain_name": true, "bucket_prefix": true,
                "bucket_regional_domain_name": true, "cors_rule": true, "grant": true, "hosted_zone_id": true, "id": true,
                "lifecycle_rule": true, "logging": true, "object_lock_configuration": true, "object_lock_enabled": true,
                "policy": true, "region": true, "replication_configuration": true, "request_payer": true,
                "server_side_encryption_configuration": true, "tags": {}, "tags_all": {}, "versioning": true, "website": true,
                "website_domain": true, "website_endpoint": true,
            });
            (CREATE, Value::Null, after, unknown)
        }
        31 => {
            let mut after = existing.clone();
            after["tags"]["retention"] = "90d".into();
            after["tags_all"] = after["tags"].clone();
            let unknown = known(&after);
            (UPDATE, existing, after, unknown)
        }
        _ => {
            let unknown = known(&existing);
            (NO_OP, existing.clone(), existing, unknown)
        }
    };
    Res::new(
        "aws_s3_bucket",
        format!("data_{i:05}"),
        (actions, before, after, after_unknown),
        expressions,
    )
}

fn security_group(i: usize) -> Res {
    let mut rng = Rng::new(7, i);
    let team = TEAMS[i % TEAMS.len()];
    let id = format!("sg-{}", rng.hex(17));
    let ingress: Vec<Value> = (0..1 + rng.below(2))
        .map(|k| {
            let port = [443, 8080, 5432][k];
            json!({"cidr_blocks": [format!("10.{}.0.0/16", rng.below(256))], "description": "from the VPC", "from_port": port,
                   "ipv6_cidr_blocks": [], "prefix_list_ids": [], "protocol": "tcp", "security_groups": [], "self": false, "to_port": port})
        })
        .collect();
    let egress = vec![
        json!({"cidr_blocks": ["0.0.0.0/0"], "description": "", "from_port": 0, "ipv6_cidr_blocks": [], "prefix_list_ids": [],
                             "protocol": "-1", "security_groups": [], "self": false, "to_port": 0}),
    ];
    let tags = tags(&mut rng, team, 0);
    let existing = json!({
        "arn": format!("arn:aws:ec2:eu-west-1:{ACCOUNT}:security-group/{id}"), "description": format!("app-{i:05} ({team})"),
        "egress": egress, "id": id, "ingress": ingress, "name": format!("app-{i:05}"), "name_prefix": "", "owner_id": ACCOUNT,
        "revoke_rules_on_delete": false, "tags": tags, "tags_all": tags, "timeouts": null, "vpc_id": format!("vpc-{}", rng.hex(17)),
    });
    let expressions = json!({
        "description": {"constant_value": format!("app-{i:05} ({team})")},
        "egress": {"constant_value": existing["egress"]},
        "ingress": {"references": ["var.vpc_cidrs"]},
        "name": {"constant_value": format!("app-{i:05}")},
        "tags": {"constant_value": tags},
        "vpc_id": {"references": ["var.vpc_id"]},
    });
    let (actions, before, after, after_unknown) = match i % 89 {
        23 => {
            let mut after = existing.clone();
            after["ingress"]
                .as_array_mut()
                .expect("array")
                .push(json!({"cidr_blocks": ["0.0.0.0/0"], "description": "public", "from_port": 443, "ipv6_cidr_blocks": [],
                             "prefix_list_ids": [], "protocol": "tcp", "security_groups": [], "self": false, "to_port": 443}));
            let unknown = known(&after);
            (UPDATE, existing, after, unknown)
        }
        _ => {
            let unknown = known(&existing);
            (NO_OP, existing.clone(), existing, unknown)
        }
    };
    Res::new(
        "aws_security_group",
        format!("app_{i:05}"),
        (actions, before, after, after_unknown),
        expressions,
    )
}

/// Writes a plan in Terraform's `show -json` layout (compact, keys in Terraform's order).
fn generate(path: &Path, mb: f64) -> std::io::Result<Shape> {
    // Size a sample plan, then scale the counts linearly to reach the requested size.
    let mut sample = Count(0);
    write_plan(&mut sample, &Shape::new(CALIBRATION_ROLES))?;
    let roles = (mb * 1e6 * CALIBRATION_ROLES as f64 / sample.0 as f64).round() as usize;
    let shape = Shape::new(roles.max(10));
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    write_plan(&mut w, &shape)?;
    w.flush()?;
    Ok(shape)
}

/// Counts bytes written.
struct Count(u64);

impl Write for Count {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn write_plan(mut w: impl Write, shape: &Shape) -> std::io::Result<()> {
    write!(
        w,
        r#"{{"format_version":"1.2","terraform_version":"{TF_VERSION}","#
    )?;
    w.write_all(br#""variables":{"subnet_ids":{"value":["subnet-0a1b2c3d","subnet-4e5f6a7b"]},"vpc_id":{"value":"vpc-0c0ffee0"}},"#)?;

    w.write_all(br#""planned_values":{"root_module":{"resources":["#)?;
    let mut sep = Sep::default();
    shape.each(|r| {
        if r.after.is_null() {
            return Ok(());
        }
        sep.put(&mut w)?;
        state_resource(&mut w, r, &r.after, &r.after_sensitive)
    })?;
    w.write_all(b"]}},")?;

    let mut sep = Sep::default();
    w.write_all(br#""resource_changes":["#)?;
    shape.each(|r| {
        sep.put(&mut w)?;
        write!(
            w,
            r#"{{"address":"{}","mode":"managed","type":"{}","name":"{}","provider_name":"{PROVIDER}","change":{{"actions":"#,
            r.address(),
            r.kind,
            r.name
        )?;
        serde_json::to_writer(&mut w, r.actions)?;
        for (k, v) in [
            ("before", &r.before),
            ("after", &r.after),
            ("after_unknown", &r.after_unknown),
            ("before_sensitive", &r.before_sensitive),
            ("after_sensitive", &r.after_sensitive),
        ] {
            write!(w, r#","{k}":"#)?;
            serde_json::to_writer(&mut w, v)?;
        }
        w.write_all(b"}")?;
        if r.actions == REPLACE {
            w.write_all(br#","action_reason":"replace_because_cannot_update""#)?;
        }
        w.write_all(b"}")
    })?;
    w.write_all(b"],")?;

    let mut sep = Sep::default();
    write!(
        w,
        r#""prior_state":{{"format_version":"1.0","terraform_version":"{TF_VERSION}","values":{{"root_module":{{"resources":["#
    )?;
    shape.each(|r| {
        if r.before.is_null() {
            return Ok(());
        }
        sep.put(&mut w)?;
        state_resource(&mut w, r, &r.before, &r.before_sensitive)
    })?;
    w.write_all(b"]}}},")?;

    let mut sep = Sep::default();
    w.write_all(br#""configuration":{"provider_config":{"aws":{"name":"aws","full_name":"registry.terraform.io/hashicorp/aws","version_constraint":"~> 5.0","expressions":{"region":{"constant_value":"eu-west-1"}}}},"root_module":{"resources":["#)?;
    shape.each(|r| {
        sep.put(&mut w)?;
        write!(
            w,
            r#"{{"address":"{}","mode":"managed","type":"{}","name":"{}","provider_config_key":"aws","expressions":"#,
            r.address(),
            r.kind,
            r.name
        )?;
        serde_json::to_writer(&mut w, &r.expressions)?;
        w.write_all(br#","schema_version":0}"#)
    })?;
    w.write_all(br#"],"variables":{"subnet_ids":{},"vpc_id":{}}}},"#)?;
    w.write_all(
        br#""timestamp":"2026-11-29T12:00:00Z","applyable":true,"complete":true,"errored":false}"#,
    )?;
    w.write_all(b"\n")?;
    Ok(())
}

/// Writes the commas between the items of a JSON array.
#[derive(Default)]
struct Sep(bool);

impl Sep {
    fn put(&mut self, w: &mut impl Write) -> std::io::Result<()> {
        if std::mem::replace(&mut self.0, true) {
            w.write_all(b",")?;
        }
        Ok(())
    }
}

/// A resource of `planned_values` or `prior_state`.
fn state_resource(
    w: &mut impl Write,
    r: &Res,
    values: &Value,
    sensitive: &Value,
) -> std::io::Result<()> {
    write!(
        w,
        r#"{{"address":"{}","mode":"managed","type":"{}","name":"{}","provider_name":"{PROVIDER}","schema_version":0,"values":"#,
        r.address(),
        r.kind,
        r.name
    )?;
    serde_json::to_writer(&mut *w, values)?;
    w.write_all(br#","sensitive_values":"#)?;
    serde_json::to_writer(&mut *w, sensitive)?;
    w.write_all(b"}")
}
