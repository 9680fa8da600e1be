//! Command line: parse flags, run, map the outcome to an exit code.

use crate::compare::Limits;
use crate::config::{self, Config, Date};
use crate::gate::{self, FailOn};
use crate::model::Verdict;
use crate::render::{self, Format, RenderOptions};
use crate::report::Report;
use crate::{comment, locate};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "privdiff",
    version,
    about = "Reports privilege widening in Terraform and OpenTofu plans"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse a plan (`terraform show -json plan.out`) and report each identity's scope change.
    Analyze(AnalyzeArgs),
    /// Analyse a plan and post the Markdown report on a GitHub pull request or GitLab merge
    /// request, updating privdiff's own comment from earlier runs.
    Comment(CommentArgs),
    /// List the rules findings come from: code, severity, name and what each reports.
    Rules,
    /// Print the documentation of one rule (what it detects, why it matters, an example, the
    /// fix, standards and references).
    Explain {
        /// A rule code, e.g. `PD006`.
        code: String,
    },
}

/// What every command that analyses a plan takes.
#[derive(clap::Args)]
struct AnalysisArgs {
    /// Plan JSON file, or `-` for standard input.
    plan: String,
    /// Also write the report in FORMAT to PATH (repeatable), e.g. `--output sarif=privdiff.sarif`.
    #[arg(long = "output", value_name = "FORMAT=PATH", value_parser = parse_output)]
    outputs: Vec<(Format, PathBuf)>,
    /// Exit with 1 when a finding that is not ignored is of this severity or above (`info`,
    /// `low`, `medium`, `high`, `critical`); when an identity or resource is widened or created
    /// (`widened`), also when a scope cannot be verified (`unverifiable`); or `never`. Default:
    /// the config file's `fail_on`, else `high`.
    #[arg(long, value_name = "WHEN", value_parser = parse_fail_on)]
    fail_on: Option<FailOn>,
    /// Config file (default: `.privdiff.hcl` in the current directory, when there is one).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Directory of the Terraform sources, to point findings at `.tf` file and line (default:
    /// the current directory when it holds `.tf` files).
    #[arg(long, value_name = "DIR")]
    source_dir: Option<PathBuf>,
    /// An AWS account whose principals are trusted (repeatable): access granted to it is
    /// classed `trusted-account` rather than `foreign-account`.
    #[arg(long = "trusted-account", value_name = "ID", value_parser = parse_account)]
    trusted_accounts: Vec<String>,
    /// Azure role definitions as `az role definition list` prints them (a JSON array): roles
    /// privdiff's built-in table lacks, and custom roles not in the plan. They take precedence
    /// over the built-in table.
    #[arg(long = "azure-roles", value_name = "FILE")]
    azure_roles: Option<PathBuf>,
    /// A complete GCP role catalog: one IAM Role as `gcloud iam roles describe ROLE
    /// --format=json` prints it, or a JSON array of them. Its roles take precedence over
    /// privdiff's curated table.
    #[arg(long, value_name = "FILE")]
    gcp_roles: Option<PathBuf>,
    /// Append the Markdown report to the file named by `GITHUB_STEP_SUMMARY`, when it is set.
    #[arg(long)]
    step_summary: bool,
    /// Append `widened`, `unverifiable`, `findings` and `gate` (`pass`/`fail`) outputs to the
    /// file named by `GITHUB_OUTPUT`, when it is set (for a GitHub Actions step).
    #[arg(long)]
    github_output: bool,
}

#[derive(clap::Args)]
struct AnalyzeArgs {
    #[command(flatten)]
    analysis: AnalysisArgs,
    /// Format on standard output: table, markdown, json, sarif, github (workflow-command
    /// annotations) or gitlab (Code Quality report).
    #[arg(long, default_value = "table", value_parser = parse_format)]
    format: Format,
    /// Colour in the table: `auto` (a terminal and NO_COLOR unset), `always` or `never`.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(clap::Args)]
struct CommentArgs {
    /// Where to post: `github` (a pull request) or `gitlab` (a merge request).
    #[arg(value_enum)]
    platform: comment::Platform,
    #[command(flatten)]
    analysis: AnalysisArgs,
    /// Keeps one comment per key, so two plans in one repository keep two comments.
    #[arg(long, default_value = "default", value_parser = parse_key)]
    key: String,
    /// `update` privdiff's comment (create it if there is none), post a `new` one each run, or
    /// `delete-and-new`.
    #[arg(long, value_enum, default_value_t = comment::Behavior::Update)]
    behavior: comment::Behavior,
    /// Post nothing when no identity or resource changed, and delete privdiff's earlier comment.
    #[arg(long)]
    skip_if_no_changes: bool,
    /// Pull request number (GitHub; default: from the event at `GITHUB_EVENT_PATH`) or merge
    /// request IID (GitLab; default: `CI_MERGE_REQUEST_IID`).
    #[arg(long, value_name = "NUMBER")]
    pr: Option<u64>,
    /// Print the requests it would send instead of sending them.
    #[arg(long)]
    dry_run: bool,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Color {
    Auto,
    Always,
    Never,
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        format!(
            "unknown format `{s}` (expected one of: {})",
            names.join(", ")
        )
    })
}

/// Checked while parsing, so a bad key stops the run before any output is written.
fn parse_key(s: &str) -> Result<String, String> {
    comment::Key::parse(s)
        .map(|_| s.to_string())
        .map_err(|e| e.to_string())
}

fn parse_fail_on(s: &str) -> Result<FailOn, String> {
    FailOn::parse(s).ok_or_else(|| {
        format!(
            "unknown value `{s}` (expected one of: {})",
            FailOn::NAMES.join(", ")
        )
    })
}

fn parse_output(s: &str) -> Result<(Format, PathBuf), String> {
    let (format, path) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not FORMAT=PATH"))?;
    if path.is_empty() {
        return Err(format!("`{s}` has no path after `=`"));
    }
    Ok((parse_format(format)?, PathBuf::from(path)))
}

/// Runs the CLI. Exit codes: 0 fine, 1 the gate failed, 2 usage or input error.
pub fn main() -> ExitCode {
    // A bug must not dump a backtrace into a CI log or pull-request check: one line, and the
    // distinct exit status of a panic (101) so it is never mistaken for a verdict.
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let clean: String = what.chars().filter(|c| !c.is_control()).take(300).collect();
        eprintln!(
            "privdiff: internal error: {clean} (this is a bug in privdiff; please report it)"
        );
    }));
    let mut command = Cli::command().long_version(long_version());
    let parsed = command
        .try_get_matches_from_mut(std::env::args_os())
        .and_then(|m| Cli::from_arg_matches(&m).map_err(|e| e.format(&mut command)));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "privdiff: error: {}",
                one_line(&format!("{e:#}"))
            );
            ExitCode::from(2)
        }
    }
}

/// `--version`: the version on the first line, exactly `privdiff X.Y.Z` as `-V` prints it (the
/// CI install scripts compare that line), then the embedded data's sources, one a line.
fn long_version() -> &'static str {
    let mut text = env!("CARGO_PKG_VERSION").to_string();
    for s in crate::catalog::sources() {
        text.push_str(&format!(
            "\nAWS data: {} {} ({})",
            s.package, s.version, s.date
        ));
    }
    // clap keeps `&'static str`s; this runs once per process.
    Box::leak(text.into_boxed_str())
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Analyze(args) => analyze(args),
        Command::Comment(args) => post_comment(args),
        Command::Rules => {
            print_stdout(&rules_list())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { code } => {
            let rule = crate::rules::find(&code).ok_or_else(|| {
                let codes: Vec<&str> = crate::rules::RULES.iter().map(|r| r.code).collect();
                anyhow::anyhow!(
                    "no rule {:?}; the rules are {} (see privdiff rules)",
                    one_line(&code),
                    codes.join(", ")
                )
            })?;
            print_stdout(&rule.markdown())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `privdiff rules`: one line per rule.
fn rules_list() -> String {
    let mut out = String::new();
    for r in crate::rules::RULES {
        out.push_str(&format!(
            "{}  {:<8} {:<30} {}\n",
            r.code, r.severity, r.name, r.summary
        ));
    }
    out
}

fn analyze(args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let (report, fail_on) = analysis(&args.analysis)?;
    let out = render::render(&report, args.format, &RenderOptions { color });
    print_stdout(&out)?;
    Ok(exit_code(&report, fail_on))
}

fn print_stdout(out: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
    {
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(e.into());
        }
    }
    Ok(())
}

fn post_comment(args: CommentArgs) -> anyhow::Result<ExitCode> {
    let (report, fail_on) = analysis(&args.analysis)?;
    let options = comment::Options {
        platform: args.platform,
        key: args.key,
        behavior: args.behavior,
        skip_if_no_changes: args.skip_if_no_changes,
        number: args.pr,
        dry_run: args.dry_run,
    };
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let outcome = comment::post(&report, &options, &env)?;
    eprintln!("privdiff: {}", one_line(&outcome.to_string()));
    Ok(exit_code(&report, fail_on))
}

/// Reads the config file and the plan, analyses it, applies the config, locates findings in
/// the sources, and writes the `--output` files and the step summary: everything both commands
/// do before their own output. Returns the report and the gate in effect.
fn analysis(args: &AnalysisArgs) -> anyhow::Result<(Report, FailOn)> {
    // The config is read first: a mistake in it stops the run before the plan is looked at.
    let config = config::find(args.config.as_deref(), Path::new("."))?;
    let today = today()?;
    // So are the role catalogs: a role silently left out could hide a widening.
    let azure_roles = match &args.azure_roles {
        Some(path) => azure_roles(path)?,
        None => Default::default(),
    };
    let gcp_roles = match &args.gcp_roles {
        Some(path) => gcp_roles(path)?,
        None => Default::default(),
    };
    let input = read_input(&args.plan)?;
    let plan = crate::plan::load(&input)?;
    let options = crate::analyze::Options {
        azure_roles,
        gcp_roles,
        ..analysis_options(args, config.as_ref())
    };
    let mut report = crate::analyze::analyze(&plan, &Limits::default(), &options)?;
    if let Some(config) = &config {
        config::apply(&mut report, config, today);
    }
    let fail_on = args
        .fail_on
        .or(config.as_ref().and_then(|c| c.fail_on))
        .unwrap_or(FailOn::DEFAULT);
    let source_dir = args.source_dir.clone().or_else(|| {
        let cwd = PathBuf::from(".");
        locate::has_sources(&cwd).then_some(cwd)
    });
    if let Some(dir) = source_dir {
        let (sources, warnings) = locate::Sources::load(&dir, &plan)?;
        for w in warnings {
            warn(&w);
        }
        report.locate(|address| sources.find(address));
    }
    let plain = RenderOptions { color: false };
    for (format, path) in &args.outputs {
        write_replacing(path, &render::render(&report, *format, &plain))
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    }
    if args.step_summary {
        let markdown = render::render(&report, Format::Markdown, &plain);
        append_to_env_file("GITHUB_STEP_SUMMARY", &markdown)?;
    }
    if args.github_output {
        let failed = gate::failed(&report, fail_on);
        append_to_env_file("GITHUB_OUTPUT", &github_outputs(&report, failed))?;
    }
    Ok((report, fail_on))
}

/// The flags and the config file together: trusted accounts from both, the flags' first.
fn analysis_options(args: &AnalysisArgs, config: Option<&Config>) -> crate::analyze::Options {
    let mut trusted_accounts = args.trusted_accounts.clone();
    for id in config.iter().flat_map(|c| &c.trusted_accounts) {
        if !trusted_accounts.contains(id) {
            trusted_accounts.push(id.clone());
        }
    }
    crate::analyze::Options {
        trusted_accounts,
        sod: config.map(|c| c.sod.clone()).unwrap_or_default(),
        ..Default::default()
    }
}

/// The role definitions of `--azure-roles`.
fn azure_roles(path: &Path) -> anyhow::Result<crate::catalog::azure::RoleTable> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read --azure-roles {}: {e}", path.display()))?;
    crate::catalog::azure::RoleTable::parse(&text).map_err(|e| {
        anyhow::anyhow!(
            "--azure-roles {} is not `az role definition list` output: {}",
            path.display(),
            one_line(&e)
        )
    })
}

/// `--gcp-roles FILE`: a mistake in it stops the run, as a role silently left out could hide
/// a widening.
fn gcp_roles(path: &Path) -> anyhow::Result<crate::catalog::gcp_roles_file::RoleCatalog> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read --gcp-roles {}: {e}", path.display()))?;
    crate::catalog::gcp_roles_file::RoleCatalog::parse(&text).map_err(|e| {
        anyhow::anyhow!(
            "--gcp-roles {} is not a GCP role catalog: {}",
            path.display(),
            one_line(&e.to_string())
        )
    })
}

/// Today (UTC), against which ignores expire: `PRIVDIFF_TODAY=YYYY-MM-DD` when set, so tests
/// and reproducible runs do not depend on the clock; else the system clock.
fn today() -> anyhow::Result<Date> {
    match std::env::var("PRIVDIFF_TODAY") {
        Ok(text) if !text.is_empty() => Date::parse(&text).ok_or_else(|| {
            anyhow::anyhow!(
                "PRIVDIFF_TODAY must be a date as YYYY-MM-DD, not {:?}",
                one_line(&text)
            )
        }),
        _ => Ok(Date::today()),
    }
}

/// The step outputs of `--github-output`: identities and resources widened (or created) and
/// unverifiable, findings not ignored, and the gate.
fn github_outputs(report: &Report, failed: bool) -> String {
    let count =
        |p: fn(&crate::report::IdentityReport) -> bool| report.subjects().filter(|i| p(i)).count();
    format!(
        "widened={}\nunverifiable={}\nfindings={}\ngate={}\n",
        count(|i| i.verdict.grants_new_access()),
        count(|i| i.verdict == Verdict::Unverifiable),
        report
            .findings
            .iter()
            .filter(|f| f.suppression.is_none())
            .count(),
        if failed { "fail" } else { "pass" },
    )
}

/// Writes `text` to a new file beside `path`, then renames it over `path`: a symlink at `path`
/// (which a pull request can commit where a report goes) is replaced, never followed.
fn write_replacing(path: &Path, text: &str) -> std::io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"))?;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let temporary = dir.unwrap_or(Path::new(".")).join(format!(
        ".{}.privdiff-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .and_then(|mut file| file.write_all(text.as_bytes()));
    let renamed = written.and_then(|()| std::fs::rename(&temporary, path));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    renamed
}

/// Appends `text` to the file an Actions variable names; nothing when it is unset (so the same
/// command runs unchanged outside Actions).
fn append_to_env_file(variable: &str, text: &str) -> anyhow::Result<()> {
    let Some(path) = std::env::var_os(variable).filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(|e| anyhow::anyhow!("cannot write to the file named by {variable}: {e}"))
}

/// A problem that does not stop the run, on one line of standard error.
fn warn(message: &str) {
    eprintln!("privdiff: warning: {}", one_line(message));
}

/// Text from the plan, the sources or an API may hold control characters or bidi overrides:
/// none may reach the terminal, split a message over lines or reorder it.
fn one_line(text: &str) -> String {
    render::escape::log_text(render::escape::plain(text))
}

fn read_input(path: &str) -> anyhow::Result<Vec<u8>> {
    let mut buf = Vec::new();
    if path == "-" {
        std::io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .map_err(|e| anyhow::anyhow!("cannot read the plan from standard input: {e}"))?;
    } else {
        buf = std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read {path}: {e}"))?;
    }
    Ok(buf)
}

fn parse_account(s: &str) -> Result<String, String> {
    if crate::providers::aws::arn::is_account(s) {
        Ok(s.to_string())
    } else {
        Err("an AWS account id is 12 digits".into())
    }
}

fn exit_code(report: &Report, fail_on: FailOn) -> ExitCode {
    ExitCode::from(u8::from(gate::failed(report, fail_on)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures;
    use crate::report::Suppression;

    #[test]
    fn github_outputs_count_identities_resources_and_findings_not_ignored() {
        // One widened role, one unverifiable role, one widened bucket.
        let mut report = fixtures::report();
        assert_eq!(
            github_outputs(&report, true),
            "widened=2\nunverifiable=1\nfindings=9\ngate=fail\n"
        );
        report.findings[0].suppression = Some(Suppression {
            reason: "accepted".into(),
            expires: None,
            ignore: 1,
        });
        assert!(github_outputs(&report, false).contains("\nfindings=8\ngate=pass\n"));
        report.resources.clear();
        assert!(github_outputs(&report, true).starts_with("widened=1\nunverifiable=1\n"));
    }

    fn args(flags: &[&str]) -> AnalysisArgs {
        let mut argv = vec!["privdiff", "analyze", "plan.json"];
        argv.extend_from_slice(flags);
        match Cli::try_parse_from(argv).unwrap().command {
            Command::Analyze(a) => a.analysis,
            _ => unreachable!("an analyze command"),
        }
    }

    #[test]
    fn fail_on_takes_every_gate_and_is_unset_by_default() {
        assert_eq!(args(&[]).fail_on, None);
        for name in FailOn::NAMES {
            assert_eq!(args(&["--fail-on", name]).fail_on, FailOn::parse(name));
        }
        let mut argv = vec!["privdiff", "analyze", "plan.json", "--fail-on", "severe"];
        assert!(Cli::try_parse_from(&argv).is_err());
        argv.truncate(3);
        argv.extend(["--config", "x.hcl"]);
        assert!(Cli::try_parse_from(&argv).is_ok());
    }

    #[test]
    fn trusted_accounts_come_from_the_flags_and_the_config() {
        let config = config::parse(
            "trusted_accounts = [\"111122223333\", \"444455556666\"]\nsod \"x\" {\n  actions = [[\"a:b\"], [\"c:d\"]]\n}\n",
            ".privdiff.hcl",
        )
        .unwrap();
        let options = analysis_options(
            &args(&[
                "--trusted-account",
                "444455556666",
                "--trusted-account",
                "777788889999",
            ]),
            Some(&config),
        );
        assert_eq!(
            options.trusted_accounts,
            ["444455556666", "777788889999", "111122223333"]
        );
        assert_eq!(options.sod, config.sod);
        let options = analysis_options(&args(&[]), None);
        assert!(options.trusted_accounts.is_empty() && options.sod.is_empty());
    }
}
