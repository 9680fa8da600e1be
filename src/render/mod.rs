//! Renderers: one module per output format, each a pure function of the [`Report`].
//!
//! Renderers format only; they never analyse (every count, verdict and order they show is in
//! the report, except that the human formats list the most urgent verdicts first). The same
//! report always renders to the same bytes. All report text is treated as hostile and passes
//! through [`escape`] before it reaches the output.

mod blocks;
pub mod escape;
mod fingerprint;
mod github;
mod github_outputs;
mod gitlab;
mod json;
mod markdown;
mod phrase;
mod sarif;
mod table;

use crate::report::Report;
use crate::rules::Pages;

/// An output format, selected with `--format NAME`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A terminal table with the witness of each widened identity below it.
    Table,
    /// A pull-request comment for GitHub or GitLab, capped at 65,000 characters.
    Markdown,
    /// The report itself, as documented in `docs/json-schema.md`.
    Json,
    /// SARIF 2.1.0 for GitHub code scanning, described in `docs/outputs.md`.
    Sarif,
    /// GitHub Actions annotations (workflow commands), described in `docs/outputs.md`.
    Github,
    /// A GitLab Code Quality report, described in `docs/outputs.md`.
    Gitlab,
}

impl Format {
    /// Every format, in the order `--help` lists them. The one registry of formats.
    pub const ALL: &'static [Format] = &[
        Format::Table,
        Format::Markdown,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Gitlab,
    ];

    /// The format called `s` (exactly as [`Format::name`] spells it), if any.
    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.iter().copied().find(|f| f.name() == s)
    }

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Markdown => "markdown",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Gitlab => "gitlab",
        }
    }
}

/// Choices that belong to the caller rather than to the report. The caller decides them;
/// renderers never look at the environment, so output stays a function of its inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    /// Colour the table's verdicts (a terminal, and `NO_COLOR` unset).
    pub color: bool,
    /// The table's width in columns: its cells wrap to fit.
    pub width: u16,
    /// Where the rules' pages are: the comment links each rule code to its page, SARIF names
    /// it as the rule's `helpUri`. Without it, codes are plain text.
    pub rule_pages: Option<Pages>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions::PLAIN
    }
}

impl RenderOptions {
    /// No colour, 100 columns: what a CI log or a file gets.
    pub const PLAIN: RenderOptions = RenderOptions {
        color: false,
        width: 100,
        rule_pages: None,
    };
}

/// The Markdown comment cut to fit in `max_bytes` (a host's comment size limit, less what the
/// caller adds): details are cut first, never the summary.
pub fn markdown_within(report: &Report, max_bytes: usize, rule_pages: Option<&Pages>) -> String {
    escape::log_text(markdown::render_within(report, max_bytes, rule_pages))
}

/// The step outputs of `--github-output` (`widened=…`, `unverifiable=…`, `findings=…`,
/// `gate=…`, one a line). Not a `--format`: counts for a workflow to read, not a report.
pub fn github_outputs(report: &Report, gate_failed: bool) -> String {
    github_outputs::render(report, gate_failed)
}

/// Renders `report` in `format`. The result ends with a newline.
///
/// Any output may end up in a CI log, where a runner reads `##[command]` anywhere in a line:
/// the last step breaks every `##[` up, in a way that keeps each format's meaning.
pub fn render(report: &Report, format: Format, opts: &RenderOptions) -> String {
    match format {
        Format::Table => escape::log_text(table::render(report, opts)),
        Format::Markdown => escape::log_text(markdown::render(report, opts.rule_pages.as_ref())),
        Format::Json => escape::log_json(json::render(report)),
        Format::Sarif => escape::log_json(sarif::render(report, opts.rule_pages.as_ref())),
        Format::Github => escape::log_text(github::render(report)),
        Format::Gitlab => escape::log_json(gitlab::render(report)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    #[test]
    fn json_formats_keep_the_text_they_break_for_logs() {
        let mut report = fixtures::report();
        report.identities[0].address = "a##[b".to_string();
        for format in [Format::Json, Format::Sarif, Format::Gitlab] {
            let out = render(&report, format, &RenderOptions::PLAIN);
            assert!(!out.contains("##["), "{}", format.name());
            serde_json::from_str::<serde_json::Value>(&out).unwrap();
        }
        let json: serde_json::Value =
            serde_json::from_str(&render(&report, Format::Json, &RenderOptions::PLAIN)).unwrap();
        assert_eq!(json["identities"][0]["address"], "a##[b");
    }

    #[test]
    fn every_format_parses_back_from_its_name() {
        for &format in Format::ALL {
            assert_eq!(Format::parse(format.name()), Some(format));
        }
        assert_eq!(Format::parse("xml"), None);
        assert_eq!(Format::parse("Table"), None);
    }

    #[test]
    fn every_format_is_documented() {
        let doc = include_str!("../../docs/outputs.md");
        for &format in Format::ALL {
            let entry = format!("| `--format {}` |", format.name());
            assert!(doc.contains(&entry), "docs/outputs.md lacks {entry}");
        }
    }

    #[test]
    fn every_format_renders_deterministically_and_ends_with_a_newline() {
        let report = fixtures::report();
        let opts = RenderOptions {
            color: true,
            ..RenderOptions::PLAIN
        };
        for &format in Format::ALL {
            let first = render(&report, format, &opts);
            assert!(first.ends_with('\n'), "{}", format.name());
            assert_eq!(first, render(&report, format, &opts), "{}", format.name());
        }
    }

    #[test]
    fn every_format_says_something_when_there_is_no_finding() {
        // Even a format made of findings (annotations, issues) prints a line, so an empty
        // output always means a failure, never a clean plan.
        let report = fixtures::no_findings();
        for &format in Format::ALL {
            let out = render(&report, format, &RenderOptions::PLAIN);
            assert!(out.ends_with('\n'), "{}", format.name());
            assert!(!out.trim().is_empty(), "{}", format.name());
        }
    }

    #[test]
    fn no_format_lets_a_control_character_through() {
        let report = fixtures::hostile();
        for &format in Format::ALL {
            let out = render(&report, format, &RenderOptions::PLAIN);
            // JSON escapes control characters as \u00XX, so none is left raw in any format.
            let raw = out.chars().find(|&c| c.is_control() && c != '\n');
            assert_eq!(raw, None, "{}", format.name());
        }
    }

    #[test]
    fn no_plan_text_becomes_a_command_a_ci_runner_would_run() {
        // GitHub's runner reads an output line that starts with `::` (after leading spaces) as
        // a workflow command, and `##[command]` anywhere in a line.
        let mut report = fixtures::report();
        let evil = "::error title=pwned::x ##[add-mask]y";
        for id in &mut report.identities {
            id.address = format!("{evil}{}", id.address);
        }
        for f in &mut report.findings {
            f.identity = format!("{evil}{}", f.identity);
            f.address = format!("{evil}{}", f.address);
            f.message = format!("{evil}{}", f.message);
        }
        report.notes.push(evil.to_string());
        for g in report
            .identities
            .iter_mut()
            .chain(&mut report.resources)
            .flat_map(|i| i.added.iter_mut())
        {
            g.resources.push(evil.to_string());
            g.principals.push(evil.to_string());
        }
        for r in &mut report.resources {
            r.address = format!("{evil}{}", r.address);
            r.notes.push(evil.to_string());
        }
        for r in &mut report.reach {
            for text in [&mut r.subject, &mut r.principal]
                .into_iter()
                .chain(&mut r.actions)
                .chain(r.concerns.iter_mut().map(|c| &mut c.message))
            {
                *text = format!("{evil}{text}");
            }
            if let Some(w) = &mut r.example {
                w.resource = format!("{evil}{}", w.resource);
            }
        }
        for f in &mut report.findings {
            f.principal.iter_mut().for_each(|p| p.insert_str(0, evil));
        }
        for &format in Format::ALL {
            let out = render(&report, format, &RenderOptions::PLAIN);
            assert!(!out.contains("##["), "{}", format.name());
            for line in out.lines().map(str::trim_start) {
                let ours = format == Format::Github
                    && ["::error ", "::warning ", "::notice "]
                        .iter()
                        .any(|c| line.starts_with(c));
                assert!(ours || !line.starts_with("::"), "{}: {line}", format.name());
            }
        }
    }
}
