//! Command line: the flags, and dispatch. Parses the arguments, hands the command to
//! [`crate::run`], and maps an error to exit code 2 with one line on standard error.

use crate::comment;
use crate::gate::FailOn;
use crate::render::Format;
use crate::rules::Pages;
use crate::run;
use crate::settings::{self, Flags, Settings};
use crate::stderr::one_line;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
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
    /// Plan JSON file, a saved plan (read with `terraform show -json` or `tofu show -json`), or
    /// `-` for standard input.
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
    /// Display names for principals the plan knows only by object id (Azure role
    /// assignments): a JSON object of object id to name, e.g. `{"9f01…": "deploy-bot"}`.
    #[arg(long, value_name = "FILE")]
    principal_names: Option<PathBuf>,
    /// Where the rules' pages are published: the comment links each rule code to its page and
    /// SARIF gives it as the rule's `helpUri`. `URL/PD011.md`, or URL with `{code}` replaced
    /// when it has one. Default: the config file's `rules_url`, else no links.
    #[arg(long, value_name = "URL", value_parser = parse_rules_url)]
    rules_url: Option<Pages>,
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

fn parse_rules_url(s: &str) -> Result<Pages, String> {
    Pages::parse(s)
}

fn parse_account(s: &str) -> Result<String, String> {
    if crate::providers::aws::arn::is_account(s) {
        Ok(s.to_string())
    } else {
        Err("an AWS account id is 12 digits".into())
    }
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
        Command::Analyze(args) => {
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => settings::auto_color(),
            };
            let settings = Settings::load(args.analysis.into())?;
            let options = crate::render::RenderOptions {
                color,
                width: settings::table_width(),
                rule_pages: settings.rule_pages.clone(),
            };
            run::analyze(&settings, args.format, &options)
        }
        Command::Comment(args) => {
            let settings = Settings::load(args.analysis.into())?;
            let options = comment::Options {
                platform: args.platform,
                key: args.key,
                behavior: args.behavior,
                skip_if_no_changes: args.skip_if_no_changes,
                number: args.pr,
                dry_run: args.dry_run,
                rule_pages: settings.rule_pages.clone(),
            };
            run::comment(&settings, &options)
        }
        Command::Rules => run::rules(),
        Command::Explain { code } => run::explain(&code),
    }
}

impl From<AnalysisArgs> for Flags {
    fn from(args: AnalysisArgs) -> Flags {
        Flags {
            plan: args.plan,
            outputs: args.outputs,
            fail_on: args.fail_on,
            config: args.config,
            source_dir: args.source_dir,
            trusted_accounts: args.trusted_accounts,
            azure_roles: args.azure_roles,
            gcp_roles: args.gcp_roles,
            principal_names: args.principal_names,
            step_summary: args.step_summary,
            github_output: args.github_output,
            rules_url: args.rules_url,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
