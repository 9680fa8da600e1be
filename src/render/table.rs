//! `--format table`: a terminal summary. A summary line; then, when the plan lets principals
//! newly reach a role or resource, a "Who can reach it" table, the most exposed first, with the
//! example request and the concerns of each entry below it; then one row per changed identity
//! ("What it can do") and per changed resource ("Resource policies"), each table followed by the
//! witnesses of its rows; then the findings the config file ignores, each marked with why; then
//! the plan's notes.

use super::escape::terminal;
use super::phrase;
use super::RenderOptions;
use crate::model::{Severity, Verdict};
use crate::report::{Finding, IdentityReport, Reach, Report};
use comfy_table::{presets, Cell, Color, ColumnConstraint, ContentArrangement, Table, Width};

pub fn render(report: &Report, opts: &RenderOptions) -> String {
    let identities = phrase::changed_by_urgency(report);
    let resources = phrase::changed_resources_by_urgency(report);
    let mut out = String::new();
    if let Some(gate) = &report.gate {
        let line = terminal(&gate.headline());
        let color = match gate.decision {
            crate::report::Decision::Fail => Color::Red,
            crate::report::Decision::Pass => Color::Green,
        };
        out.push_str(&painted(&line, color, opts));
        out.push('\n');
    }
    if !phrase::anything_changed(report) {
        out.push_str(&nothing_changed(report));
    } else {
        out.push_str(&summary(report));
        // A plan about identities alone reads as it always has: one table, no headings.
        let headed = !report.reach.is_empty() || !resources.is_empty();
        if !report.reach.is_empty() {
            let lines = report.reach.iter().flat_map(reach_lines).collect();
            section(
                &mut out,
                Some("Who can reach it"),
                reach_table(&report.reach, opts),
                lines,
            );
        }
        let listed = phrase::listed(report);
        if !listed.is_empty() {
            section(
                &mut out,
                Some("Findings"),
                findings_table(&listed, opts),
                Vec::new(),
            );
        }
        if !identities.is_empty() {
            let heading = (headed || !listed.is_empty()).then_some("What it can do");
            let table = subject_table("Identity", &identities, opts);
            section(&mut out, heading, table, witness_lines(&identities));
        }
        if !resources.is_empty() {
            let table = subject_table("Resource", &resources, opts);
            section(
                &mut out,
                Some("Resource policies"),
                table,
                witness_lines(&resources),
            );
        }
    }
    let ignored = phrase::ignored(report);
    if !ignored.is_empty() {
        let table = ignored_table(&ignored, opts);
        section(&mut out, Some("Ignored findings"), table, Vec::new());
    }
    if report.plan.errored {
        out.push_str(
            "\nwarning: Terraform reported that planning failed; changes may be partial\n",
        );
    }
    for note in report.notes.iter().chain(&phrase::unlisted_notes(report)) {
        out.push_str(&format!("note: {}\n", terminal(note)));
    }
    out
}

/// `text` in `color` when the output is coloured (ANSI, as the tables are).
fn painted(text: &str, color: Color, opts: &RenderOptions) -> String {
    if !opts.color {
        return text.to_string();
    }
    let code = match color {
        Color::Red => 31,
        Color::Green => 32,
        _ => 0,
    };
    format!("\x1b[1;{code}m{text}\x1b[0m")
}

/// `No identity's scope changed (2 identities analysed)`, naming resources when there are some.
fn nothing_changed(report: &Report) -> String {
    let identities = phrase::identities(report.summary.identities);
    match report.summary.resources.total {
        0 => format!("No identity's scope changed ({identities} analysed)\n"),
        n => format!(
            "No identity's or resource's scope changed ({identities}, {} analysed)\n",
            phrase::resources(n)
        ),
    }
}

/// `3 identities analysed: 1 widened; 2 resources: 1 widened; 1 public, 1 foreign-account access`.
fn summary(report: &Report) -> String {
    let s = &report.summary;
    let mut line = format!("{} analysed", phrase::identities(s.identities));
    let identities = counts(&phrase::identity_counts(s));
    if !identities.is_empty() {
        line.push_str(&format!(": {identities}"));
    }
    if s.resources.total > 0 {
        line.push_str(&format!(
            "; {}: {}",
            phrase::resources(s.resources.total),
            counts(&s.resources)
        ));
    }
    if let Some(exposure) = phrase::exposure(s) {
        line.push_str(&format!("; {exposure}"));
    }
    if let Some(findings) = phrase::severity_counts(report) {
        line.push_str(&format!("; {findings}"));
    }
    if let Some(ignored) = phrase::ignored_count(report) {
        line.push_str(&format!("; {ignored}"));
    }
    line.push('\n');
    line
}

/// A table, with its heading before it when the output has several, and its lines after it.
fn section(out: &mut String, heading: Option<&str>, table: Table, lines: Vec<String>) {
    if let Some(heading) = heading {
        out.push_str(&format!("\n{heading}\n"));
    }
    out.push_str(&table.to_string());
    out.push('\n');
    if !lines.is_empty() {
        out.push('\n');
        lines.iter().for_each(|line| out.push_str(line));
    }
}

/// `1 widened, 1 unverifiable, 2 unchanged`.
fn counts(counts: &crate::report::Counts) -> String {
    let counts: Vec<String> = phrase::counts(counts)
        .iter()
        .map(|(n, word)| format!("{n} {word}"))
        .collect();
    counts.join(", ")
}

fn new_table(opts: &RenderOptions) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    // Never ask the terminal: the caller decides on colour, and without a width lookup the
    // output is the same bytes wherever it is printed.
    table.force_no_tty();
    if opts.color {
        table.enforce_styling();
    }
    table
}

/// One row per changed identity or resource; `first` names the first column.
fn subject_table(first: &str, changed: &[&IdentityReport], opts: &RenderOptions) -> Table {
    let mut table = new_table(opts);
    table.set_header(vec![
        first,
        "Kind",
        "Verdict",
        "Added",
        "Removed",
        "Most important addition",
    ]);
    for identity in changed {
        let top = phrase::top_addition(identity).map_or_else(|| "-".to_string(), |t| terminal(&t));
        table.add_row(vec![
            Cell::new(terminal(&identity.label())),
            Cell::new(terminal(&identity.kind_label())),
            verdict_cell(identity.verdict),
            Cell::new(format!("+{}", identity.added.len())),
            Cell::new(format!("−{}", identity.removed.len())),
            Cell::new(top),
        ]);
    }
    table
}

/// One row per principal that newly reaches a subject, in report order (the most exposed first).
fn reach_table(reach: &[Reach], opts: &RenderOptions) -> Table {
    let mut table = new_table(opts);
    table.set_header(vec![
        "Class",
        "Subject",
        "Principal",
        "Newly allowed",
        "Concerns",
    ]);
    for r in reach {
        let class = Cell::new(r.class.as_str());
        let concerns = Cell::new(terminal(&phrase::concern_codes(r)));
        table.add_row(vec![
            if phrase::is_exposed(r) {
                class.fg(Color::Red)
            } else {
                class
            },
            Cell::new(terminal(&r.subject)),
            Cell::new(terminal(&phrase::principal(r))),
            Cell::new(terminal(&phrase::reach_allowed(r))),
            if r.concerns.is_empty() {
                concerns
            } else {
                concerns.fg(Color::Yellow)
            },
        ]);
    }
    table
}

/// One row per finding a reviewer acts on, the most severe first; critical and high in red.
fn findings_table(findings: &[&Finding], opts: &RenderOptions) -> Table {
    let mut table = new_table(opts);
    table.set_header(vec!["Severity", "Rule", "Subject", "Finding"]);
    // Messages are long; a fixed bound (not the terminal's width) keeps the output the same
    // bytes wherever it is printed.
    table.set_content_arrangement(ContentArrangement::Dynamic);
    if let Some(column) = table.column_mut(3) {
        column.set_constraint(ColumnConstraint::UpperBoundary(Width::Fixed(FINDING_WIDTH)));
    }
    for f in findings {
        let severity = Cell::new(f.severity.as_str());
        let severity = match f.severity {
            Severity::Critical | Severity::High => severity.fg(Color::Red),
            Severity::Medium => severity.fg(Color::Yellow),
            _ => severity,
        };
        table.add_row(vec![
            severity,
            Cell::new(format!("{} {}", f.code, f.name)),
            Cell::new(terminal(&f.identity)),
            Cell::new(terminal(&phrase::message(f, FINDING_CHARS))),
        ]);
    }
    table
}

/// Longest finding message in a table cell, in characters: the JSON report has them whole.
const FINDING_CHARS: usize = 400;

/// Width of the finding column; longer messages wrap.
const FINDING_WIDTH: u16 = 100;

/// One row per finding the config file ignores, marked `ignored` with the reason.
fn ignored_table(ignored: &[&Finding], opts: &RenderOptions) -> Table {
    let mut table = new_table(opts);
    table.set_header(vec!["Finding", "Severity", "Subject", "Ignored because"]);
    for f in ignored {
        table.add_row(vec![
            Cell::new(format!("{} {}", f.code, f.name)),
            Cell::new(f.severity.as_str()),
            Cell::new(terminal(&f.identity)),
            Cell::new(terminal(&format!("ignored: {}", phrase::ignore_reason(f))))
                .fg(Color::DarkGrey),
        ]);
    }
    table
}

/// The verdict, coloured by what it means for access (colour shows only with styling enforced).
fn verdict_cell(verdict: Verdict) -> Cell {
    let cell = Cell::new(verdict.as_str());
    match verdict {
        Verdict::Widened | Verdict::Created => cell.fg(Color::Red),
        Verdict::Unverifiable => cell.fg(Color::Yellow),
        Verdict::Narrowed => cell.fg(Color::Green),
        Verdict::Deleted | Verdict::Unchanged => cell,
    }
}

/// What each changed row's details say, one identity after the other: `witness for
/// aws_iam_role.app: s3:GetObject on arn:aws:s3:::b/x`, its owner, who acts as it, what its
/// new grants reach, then `note for …` for each caveat on its verdict. Every line starts with
/// fixed text: a CI runner reads a line that starts with plan text such as `::error::` as a
/// command of its own.
fn witness_lines(changed: &[&IdentityReport]) -> Vec<String> {
    let mut out = Vec::new();
    for identity in changed {
        let address = terminal(&identity.address);
        let owner = identity
            .owner
            .as_ref()
            .map(|o| format!("{} ({})", o.name, o.source));
        let facts = [
            (
                "witness for",
                identity.witness.as_ref().map(phrase::witness),
            ),
            ("owner of", owner),
            ("callers of", phrase::callers(identity)),
            ("workloads of", phrase::workloads(identity)),
            ("new grants reach", phrase::reaches(identity)),
        ];
        for (label, fact) in facts {
            let Some(fact) = fact else { continue };
            out.push(match label {
                "new grants reach" => {
                    format!("new grants of {address} reach: {}\n", terminal(&fact))
                }
                _ => format!("{label} {address}: {}\n", terminal(&fact)),
            });
        }
        for note in &identity.notes {
            out.push(format!("note for {address}: {}\n", terminal(note)));
        }
    }
    out
}

/// `example for aws_s3_bucket.logs: s3:GetObject on ... by ...`, then `concern for SUBJECT
/// (PRINCIPAL): MESSAGE` for each concern of the entry.
fn reach_lines(r: &Reach) -> Vec<String> {
    let subject = terminal(&r.subject);
    let mut lines: Vec<String> = r
        .example
        .iter()
        .map(|w| format!("example for {subject}: {}\n", terminal(&phrase::witness(w))))
        .collect();
    for concern in &r.concerns {
        lines.push(format!(
            "concern for {subject} ({}): {}\n",
            terminal(&phrase::principal(r)),
            terminal(&concern.message)
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    use crate::testing::golden;

    const PLAIN: RenderOptions = RenderOptions { color: false };

    /// What a user sees for the shared fixture, like the golden files in tests/snapshots.
    #[test]
    fn shows_the_fixture_as_expected() {
        golden::check(
            "src/render/expected_table.txt",
            &render(&fixtures::report(), &PLAIN),
        );
    }

    #[test]
    fn lists_changed_identities_only() {
        let out = render(&fixtures::report(), &PLAIN);
        assert!(out.starts_with("4 identities analysed: 1 widened, 1 unverifiable, 1 narrowed"));
        assert!(!out.contains("aws_iam_user.alice"));
        assert!(out.contains("witness for aws_iam_role.app: s3:GetObject on arn:aws:s3:::b/x"));
    }

    /// [`fixtures::report`] with no identity or resource changed: one unchanged user, and `resources` unchanged
    /// resources.
    fn unchanged(resources: usize) -> Report {
        let mut report = fixtures::report();
        // Nothing changed, so nothing was found.
        report.findings.clear();
        report.identities.retain(|i| !phrase::is_changed(i));
        report.reach.clear();
        let bucket = report.resources[0].clone();
        report.resources = (0..resources)
            .map(|_| crate::report::IdentityReport {
                verdict: Verdict::Unchanged,
                added: vec![],
                ..bucket.clone()
            })
            .collect();
        report.summary = crate::report::Summary {
            identities: 1,
            unchanged: 1,
            resources: crate::report::Counts::of(&report.resources),
            ..Default::default()
        };
        report
    }

    #[test]
    fn says_so_when_nothing_changed() {
        let out = render(&unchanged(0), &PLAIN);
        assert!(out.starts_with("No identity's scope changed (1 identity analysed)\n"));
        assert!(!out.contains('┌'));
        let out = render(&unchanged(2), &PLAIN);
        assert!(out.starts_with(
            "No identity's or resource's scope changed (1 identity, 2 resources analysed)\n"
        ));
        assert!(!out.contains('┌'));
    }

    #[test]
    fn a_changed_resource_is_a_change() {
        // A resource whose only change narrows it: listed, and the plan is not "unchanged".
        let mut report = unchanged(1);
        report.resources[0].verdict = Verdict::Narrowed;
        report.resources[0].removed = report.resources[0].added.clone();
        report.summary.resources = crate::report::Counts::of(&report.resources);
        let out = render(&report, &PLAIN);
        assert!(out.starts_with("1 identity analysed: 1 unchanged; 1 resource: 1 narrowed\n"));
        assert!(out.contains("\nResource policies\n"));
        assert!(out.contains("│ aws_s3_bucket.logs ┆ aws_s3_bucket ┆ narrowed ┆ +0    ┆ −0 "));
        assert!(!out.contains("What it can do"));
        assert!(!out.contains("Who can reach it"));
    }

    #[test]
    fn who_can_reach_it_comes_first_the_most_exposed_at_the_top() {
        let out = render(&fixtures::report(), &PLAIN);
        let at = |text: &str| {
            out.find(text)
                .unwrap_or_else(|| panic!("no {text} in {out}"))
        };
        assert!(at("Who can reach it") < at("Findings"));
        assert!(at("Findings") < at("What it can do"));
        assert!(at("What it can do") < at("Resource policies"));
        let classes: Vec<&str> = out
            .lines()
            .skip_while(|l| *l != "Who can reach it")
            .filter_map(|l| l.strip_prefix("│ "))
            .take_while(|l| !l.starts_with("Severity"))
            .filter_map(|l| l.split(' ').next())
            .collect();
        assert_eq!(
            classes,
            ["Class", "public", "public", "foreign-account", "federated"]
        );
        assert!(out.contains(
            "example for aws_s3_bucket.logs: s3:GetObject on arn:aws:s3:::acme-logs/<object-name> by AWS:arn:aws:iam::999999999999:root\n"
        ));
        assert!(out.contains("concern for aws_iam_role.app (AWS:arn:aws:iam::999999999999:root): sts:ExternalId is no longer required"));
    }

    #[test]
    fn a_plan_about_identities_alone_has_no_headings() {
        let mut report = fixtures::report();
        report.resources.clear();
        report.reach.clear();
        // Findings are headed, like every other table after the first.
        report
            .findings
            .retain(|f| f.severity == crate::model::Severity::Info);
        report.summary.resources = crate::report::Counts::default();
        report.summary.public_reach = 0;
        report.summary.foreign_reach = 0;
        let out = render(&report, &PLAIN);
        assert!(out.starts_with(
            "4 identities analysed: 1 widened, 1 unverifiable, 1 narrowed, 1 unchanged\n┌"
        ));
        for heading in ["Who can reach it", "What it can do", "Resource policies"] {
            assert!(!out.contains(heading), "{heading}");
        }
    }

    #[test]
    fn public_and_foreign_rows_are_red() {
        let report = fixtures::report();
        let coloured = render(&report, &RenderOptions { color: true });
        let red = |class: &str| {
            coloured
                .lines()
                .any(|l| l.contains(&format!("\u{1b}[38;5;9m {class} ")))
        };
        assert!(red("public") && red("foreign-account"), "{coloured}");
        assert!(!red("federated"));
    }

    #[test]
    fn colour_only_when_asked() {
        let report = fixtures::report();
        assert!(!render(&report, &PLAIN).contains('\u{1b}'));
        let coloured = render(&report, &RenderOptions { color: true });
        assert!(coloured.contains("\u{1b}["));
    }

    #[test]
    fn hostile_names_cannot_drive_the_terminal() {
        let out = render(&fixtures::hostile(), &PLAIN);
        assert!(!out.contains('\u{1b}'));
        assert!(!out.contains('\0'));
        assert!(!out.contains('\r'));
        // Every line is one the renderer made: the names' CR LF did not start new ones.
        assert!(out.lines().all(|l| !l.starts_with("[31m")));
    }
}
