//! What each command does once its flags are settled. `analyze` and `comment` share
//! [`analysis`]: read the plan, analyse it, apply the config file, locate findings in the
//! sources, and write the `--output` files, the step summary and the step outputs.

mod saved_plan;
mod write;

use crate::compare::Limits;
use crate::render::{self, Format, RenderOptions};
use crate::report::Report;
use crate::settings::{PlanSource, Settings};
use crate::stderr::{one_line, warn};
use crate::{comment, config, gate, locate, rules};
use std::io::{Read, Write};
use std::process::ExitCode;

/// A plan analysed, its outputs written.
#[derive(Debug)]
pub struct Analysed {
    pub report: Report,
    /// Whether the report fails the gate in effect.
    pub gate_failed: bool,
}

impl Analysed {
    /// 1 when the gate failed, else 0.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(u8::from(self.gate_failed))
    }
}

/// `privdiff analyze`: the report on standard output.
pub fn analyze(
    settings: &Settings,
    format: Format,
    options: &RenderOptions,
) -> anyhow::Result<ExitCode> {
    let analysed = analysis(settings)?;
    let out = render::render(&analysed.report, format, options);
    print_stdout(&out)?;
    Ok(analysed.exit_code())
}

/// `privdiff comment`: the Markdown report posted on the pull or merge request.
pub fn comment(settings: &Settings, options: &comment::Options) -> anyhow::Result<ExitCode> {
    let analysed = analysis(settings)?;
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let outcome = comment::post(&analysed.report, options, &env)?;
    eprintln!("privdiff: {}", one_line(&outcome.to_string()));
    Ok(analysed.exit_code())
}

/// `privdiff rules`: one line per rule.
pub fn rules() -> anyhow::Result<ExitCode> {
    let mut out = String::new();
    for r in rules::RULES {
        out.push_str(&format!(
            "{}  {:<8} {:<30} {}\n",
            r.code, r.severity, r.name, r.summary
        ));
    }
    print_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// `privdiff explain CODE`: the rule's documentation.
pub fn explain(code: &str) -> anyhow::Result<ExitCode> {
    let rule = rules::find(code).ok_or_else(|| {
        let codes: Vec<&str> = rules::RULES.iter().map(|r| r.code).collect();
        anyhow::anyhow!(
            "no rule {:?}; the rules are {} (see privdiff rules)",
            one_line(code),
            codes.join(", ")
        )
    })?;
    print_stdout(&rule.markdown())?;
    Ok(ExitCode::SUCCESS)
}

/// Everything both commands do before their own output.
pub fn analysis(settings: &Settings) -> anyhow::Result<Analysed> {
    let input = read_plan(&settings.plan)?;
    let plan = crate::plan::load(&input)?;
    let mut report = crate::analyze::analyze(&plan, &Limits::default(), &settings.options)?;
    if let Some(config) = &settings.config {
        config::apply(&mut report, config, settings.today);
    }
    if let Some(dir) = &settings.source_dir {
        let (sources, warnings) = locate::Sources::load(dir, &plan)?;
        for w in warnings {
            warn(&w);
        }
        report.locate(|address| sources.find(address));
        // Without an owner tag, the repository's CODEOWNERS says whose the file declaring it is.
        if let Some(codeowners) = locate::CodeOwners::find(dir) {
            for s in report.identities.iter_mut().chain(&mut report.resources) {
                let Some(at) = s.location.as_ref().filter(|_| s.owner.is_none()) else {
                    continue;
                };
                if let Some(name) = codeowners.owners_of(std::path::Path::new(&at.file)) {
                    s.owner = Some(crate::report::Owner {
                        name,
                        source: format!("{} for {}", codeowners.file, at.file),
                    });
                }
            }
        }
    }
    let decided = gate::decide(&report, settings.fail_on);
    let gate_failed = decided.decision == crate::report::Decision::Fail;
    report.gate = Some(decided);
    // A file is read in a viewer of any width: the table is as wide as in a CI log.
    let plain = RenderOptions {
        color: false,
        width: crate::settings::DEFAULT_TABLE_WIDTH,
        rule_pages: settings.rule_pages.clone(),
    };
    for (format, path) in &settings.outputs {
        write::replacing(path, &render::render(&report, *format, &plain))
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    }
    if settings.step_summary {
        let markdown = render::render(&report, Format::Markdown, &plain);
        write::append_to_env_file("GITHUB_STEP_SUMMARY", &markdown)?;
    }
    if settings.github_output {
        let outputs = render::github_outputs(&report, gate_failed);
        write::append_to_env_file("GITHUB_OUTPUT", &outputs)?;
    }
    Ok(Analysed {
        report,
        gate_failed,
    })
}

fn read_plan(source: &PlanSource) -> anyhow::Result<Vec<u8>> {
    match source {
        PlanSource::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut buf)
                .map_err(|e| anyhow::anyhow!("cannot read the plan from standard input: {e}"))?;
            Ok(buf)
        }
        PlanSource::File(path) => {
            let bytes =
                std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read {path}: {e}"))?;
            // A saved binary plan is read as the user would read it, with `show -json`.
            match saved_plan::is_saved_plan(&bytes) {
                true => saved_plan::show(path),
                false => Ok(bytes),
            }
        }
    }
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
