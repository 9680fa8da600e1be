//! Command line: parse flags, run, map the outcome to an exit code.

use crate::render::{self, Format, RenderOptions};
use crate::report::{Report, Verdict};
use crate::scope::Limits;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Read, Write};
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
}

#[derive(clap::Args)]
struct AnalyzeArgs {
    /// Plan JSON file, or `-` for standard input.
    plan: String,
    /// Output format: `table`, `markdown` (a pull-request comment) or `json`.
    #[arg(long, default_value = "table", value_parser = parse_format)]
    format: Format,
    /// Exit with 1 when the plan widens an identity (`widened`, the default), also when a
    /// scope cannot be verified (`unverifiable`), or never.
    #[arg(long, value_enum, default_value_t = FailOn::Widened)]
    fail_on: FailOn,
    /// Colour in the table: `auto` (a terminal and NO_COLOR unset), `always` or `never`.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum FailOn {
    Never,
    Widened,
    Unverifiable,
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
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            let msg: String = format!("{e:#}")
                .chars()
                .filter(|c| !c.is_control())
                .collect();
            let _ = writeln!(std::io::stderr(), "privdiff: error: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Analyze(args) => analyze(args),
    }
}

fn analyze(args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let input = read_input(&args.plan)?;
    let plan = crate::plan::load(&input)?;
    let report = crate::analyze::analyze(&plan, &Limits::default())?;
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let out = render::render(&report, args.format, &RenderOptions { color });
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
    Ok(gate(&report, args.fail_on))
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

fn gate(report: &Report, fail_on: FailOn) -> ExitCode {
    let failed = report.identities.iter().any(|i| match fail_on {
        FailOn::Never => false,
        FailOn::Widened => i.verdict.grants_new_access(),
        FailOn::Unverifiable => i.verdict.grants_new_access() || i.verdict == Verdict::Unverifiable,
    });
    ExitCode::from(u8::from(failed))
}
