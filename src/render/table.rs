//! `--format table`: a terminal summary, as wide as the caller says (`COLUMNS`, the terminal,
//! else 100 columns): cells wrap within their columns. The gate's decision and a summary line;
//! then, when the plan lets principals newly reach a role or resource, a "Who can reach it"
//! table, the most exposed first, with the example request and the concerns of each entry below
//! it; then one two-column table per changed identity or resource, the most severe first, as
//! the Markdown comment has its blocks: what it is and whose, what changed, who acts as it, what
//! its new grants reach, its findings, its witness and notes; then the findings about no block,
//! the findings the config file ignores, each marked with why, and the plan's notes.

use super::blocks::{self, Block};
use super::escape::terminal;
use super::phrase;
use super::RenderOptions;
use crate::model::{Severity, Verdict};
use crate::report::{Finding, Reach, Report};
use comfy_table::{presets, Cell, Color, ColumnConstraint, ContentArrangement, Table, Width};

pub fn render(report: &Report, opts: &RenderOptions) -> String {
    let mut out = String::new();
    if let Some(gate) = &report.gate {
        let color = match gate.decision {
            crate::report::Decision::Fail => Color::Red,
            crate::report::Decision::Pass => Color::Green,
        };
        for line in wrapped(&terminal(&gate.headline()), opts.width).lines() {
            out.push_str(&painted(line, color, opts));
            out.push('\n');
        }
    }
    let decision = out.len();
    if !phrase::anything_changed(report) {
        out.push_str(&nothing_changed(report));
    } else {
        out.push_str(&summary(report));
        if !report.reach.is_empty() {
            let lines = report.reach.iter().flat_map(reach_lines).collect();
            section(
                &mut out,
                Some("Who can reach it"),
                reach_table(&report.reach, opts),
                lines,
            );
        }
        let (blocks, others) = blocks::blocks(report, FINDING_CHARS);
        for block in &blocks {
            section(&mut out, None, block_table(block, opts), Vec::new());
        }
        if !others.is_empty() {
            section(
                &mut out,
                Some("Other findings"),
                findings_table(&others, opts),
                Vec::new(),
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
    // Tables wrap their cells; the lines between them wrap here.
    let mut fitted = out[..decision].to_string();
    for line in out[decision..].lines() {
        if line.starts_with(['┌', '│', '╞', '├', '└']) {
            fitted.push_str(line);
        } else {
            fitted.push_str(&wrapped(line, opts.width));
        }
        fitted.push('\n');
    }
    fitted
}

/// What starts each line a long line wraps onto: the text it continues may be plan text, and a
/// CI runner reads a line whose first text (after spaces) is `::error::` as a command.
const CONTINUED: &str = "  ┆ ";

/// `line` in lines of at most `width` characters, broken between words (inside a word longer
/// than a line), each line after the first starting with [`CONTINUED`].
fn wrapped(line: &str, width: u16) -> String {
    let width = usize::from(width);
    if line.chars().count() <= width {
        return line.to_string();
    }
    let indent = CONTINUED.chars().count();
    let mut out = String::new();
    let mut current = String::new();
    let mut len = 0;
    let mut room = width;
    let flush = |out: &mut String, current: &mut String, len: &mut usize, room: &mut usize| {
        if !out.is_empty() {
            out.push('\n');
            out.push_str(CONTINUED);
        }
        out.push_str(current.trim_end());
        current.clear();
        *len = 0;
        *room = width - indent;
    };
    for word in line.split_inclusive(' ') {
        let mut word = word;
        loop {
            let n = word.chars().count();
            let fits = len + n.saturating_sub(usize::from(word.ends_with(' '))) <= room;
            if fits {
                current.push_str(word);
                len += n;
                break;
            }
            if len > 0 {
                flush(&mut out, &mut current, &mut len, &mut room);
                continue;
            }
            // A word longer than a whole line: as much of it as fits.
            let cut = word
                .char_indices()
                .nth(room)
                .map_or(word.len(), |(at, _)| at);
            current.push_str(&word[..cut]);
            flush(&mut out, &mut current, &mut len, &mut room);
            word = &word[cut..];
            if word.is_empty() {
                break;
            }
        }
    }
    if !current.is_empty() {
        flush(&mut out, &mut current, &mut len, &mut room);
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

/// A table after a blank line, with its heading before it, and its lines after it.
fn section(out: &mut String, heading: Option<&str>, table: Table, lines: Vec<String>) {
    out.push('\n');
    if let Some(heading) = heading {
        out.push_str(&format!("{heading}\n"));
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
    // Never ask the terminal: the caller says how wide (and whether in colour), and the output
    // is the same bytes wherever it is printed.
    table.force_no_tty();
    table.set_content_arrangement(ContentArrangement::Dynamic);
    table.set_width(opts.width);
    if opts.color {
        table.enforce_styling();
    }
    table
}

/// One subject's block: a row per fact, the label on the left. Every line of it starts with a
/// border, so no plan text can start a line.
fn block_table(block: &Block, opts: &RenderOptions) -> Table {
    let subject = block.subject;
    let mut table = new_table(opts);
    let what = if block.resource {
        "resource"
    } else {
        "identity"
    };
    let heading = format!("{}: {}", subject.label(), phrase::verdict_heading(subject));
    table.set_header(vec![
        Cell::new(what),
        painted_cell(Cell::new(terminal(&heading)), subject.verdict),
    ]);
    // One label width for every block, so that blocks line up one under the other.
    if let Some(column) = table.column_mut(0) {
        column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(LABEL_WIDTH)));
    }
    let mut rows: Vec<(Cell, String)> = Vec::new();
    let mut kind = subject.kind_label();
    if let Some(name) = subject
        .name
        .as_ref()
        .filter(|n| !subject.label().contains(n.as_str()))
    {
        kind.push_str(&format!(" · {name}"));
    }
    rows.push((Cell::new("kind"), kind));
    if let Some(owner) = &subject.owner {
        rows.push((
            Cell::new("owner"),
            format!("{} ({})", owner.name, owner.source),
        ));
    }
    if let Some(at) = &subject.location {
        rows.push((
            Cell::new("declared in"),
            format!("{} line {}", at.file, at.line),
        ));
    }
    for (label, text) in phrase::block_facts(subject) {
        rows.push((Cell::new(label), text));
    }
    for f in &block.findings {
        let text = format!("{} {}: {}", f.finding.code, f.finding.name, f.said());
        rows.push((severity_cell(f.finding.severity), text));
    }
    if let Some(w) = &subject.witness {
        rows.push((Cell::new("witness"), phrase::witness(w)));
    }
    for note in &subject.notes {
        rows.push((Cell::new("note"), note.clone()));
    }
    for (label, text) in rows {
        table.add_row(vec![label, Cell::new(terminal(&text))]);
    }
    table
}

/// The label column of a block: its longest label, `who may act as it`, and the padding.
const LABEL_WIDTH: u16 = 19;

/// A severity, critical and high in red, medium in yellow.
fn severity_cell(severity: Severity) -> Cell {
    let cell = Cell::new(severity.as_str());
    match severity {
        Severity::Critical | Severity::High => cell.fg(Color::Red),
        Severity::Medium => cell.fg(Color::Yellow),
        _ => cell,
    }
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

/// One row per finding about no block, the most severe first; critical and high in red.
fn findings_table(findings: &[&Finding], opts: &RenderOptions) -> Table {
    let mut table = new_table(opts);
    table.set_header(vec!["Severity", "Rule", "Subject", "Finding"]);
    for f in findings {
        table.add_row(vec![
            severity_cell(f.severity),
            Cell::new(format!("{} {}", f.code, f.name)),
            Cell::new(terminal(&f.identity)),
            Cell::new(terminal(&phrase::message(f, FINDING_CHARS))),
        ]);
    }
    table
}

/// Longest finding message in a table cell, in characters: the JSON report has them whole.
const FINDING_CHARS: usize = 400;

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

/// `cell` coloured by what `verdict` means for access (colour shows only with styling
/// enforced).
fn painted_cell(cell: Cell, verdict: Verdict) -> Cell {
    match verdict {
        Verdict::Widened | Verdict::Created => cell.fg(Color::Red),
        Verdict::Unverifiable => cell.fg(Color::Yellow),
        Verdict::Narrowed => cell.fg(Color::Green),
        Verdict::Deleted | Verdict::Unchanged => cell,
    }
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

    const PLAIN: RenderOptions = RenderOptions::PLAIN;

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
        assert!(out.contains(
            "│ witness           ┆ s3:GetObject on arn:aws:s3:::b/x with aws:SourceVpc=vpc-1"
        ));
    }

    #[test]
    fn one_block_per_changed_subject_the_most_severe_first() {
        let out = render(&fixtures::report(), &PLAIN);
        let heads: Vec<&str> = out
            .lines()
            .filter(|l| l.starts_with("│ identity ") || l.starts_with("│ resource "))
            .collect();
        assert_eq!(heads.len(), 4, "{out}");
        assert!(
            heads[0].contains("aws_s3_bucket.logs: widened"),
            "{heads:?}"
        );
        assert!(heads[1].contains("aws_iam_role.app: widened"), "{heads:?}");
        assert!(out.contains("│ critical          ┆ PD006 public-access: is open to anyone"));
    }

    #[test]
    fn long_lines_wrap_between_words_behind_a_mark() {
        assert_eq!(wrapped("short line", 40), "short line");
        let w = wrapped(
            "example for aws_iam_role.app: sts:AssumeRole on a long resource",
            30,
        );
        assert_eq!(
            w,
            "example for aws_iam_role.app:\n  ┆ sts:AssumeRole on a long\n  ┆ resource"
        );
        let w = wrapped(&format!("x {}", "::error::".repeat(10)), 40);
        assert!(w.lines().all(|l| l.chars().count() <= 40), "{w}");
        assert!(w.lines().skip(1).all(|l| l.starts_with(CONTINUED)), "{w}");
    }

    #[test]
    fn never_wider_than_asked() {
        for width in [40u16, 60, 100, 160] {
            let opts = RenderOptions {
                width,
                ..RenderOptions::PLAIN
            };
            for report in [fixtures::report(), fixtures::hostile()] {
                let out = render(&report, &opts);
                for line in out.lines() {
                    let n = line.chars().count();
                    assert!(n <= usize::from(width), "{width}: {n} columns: {line}");
                }
            }
        }
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
        assert!(
            out.contains("│ resource          ┆ aws_s3_bucket.logs: narrowed"),
            "{out}"
        );
        assert!(!out.contains("Who can reach it"));
    }

    #[test]
    fn who_can_reach_it_comes_first_the_most_exposed_at_the_top() {
        let out = render(&fixtures::report(), &PLAIN);
        let at = |text: &str| {
            out.find(text)
                .unwrap_or_else(|| panic!("no {text} in {out}"))
        };
        assert!(at("Who can reach it") < at("│ resource "));
        assert!(at("│ resource ") < at("│ identity "));
        let classes: Vec<&str> = out
            .lines()
            .skip_while(|l| *l != "Who can reach it")
            .take_while(|l| !l.is_empty())
            .filter_map(|l| l.strip_prefix("│ "))
            .filter_map(|l| l.split(' ').next())
            .filter(|c| !c.is_empty())
            .collect();
        assert_eq!(
            classes,
            ["Class", "public", "public", "foreign-account", "federated"]
        );
        // Lines longer than the table wrap behind a mark; joined again, they read whole.
        let joined = out.replace("\n  ┆ ", " ");
        assert!(joined.contains(
            "example for aws_s3_bucket.logs: s3:GetObject on arn:aws:s3:::acme-logs/<object-name> by AWS:arn:aws:iam::999999999999:root\n"
        ));
        assert!(joined.contains("concern for aws_iam_role.app (AWS:arn:aws:iam::999999999999:root): sts:ExternalId is no longer required"));
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
            "4 identities analysed: 1 widened, 1 unverifiable, 1 narrowed, 1 unchanged\n\n┌"
        ));
        for heading in ["Who can reach it", "Other findings", "Ignored findings"] {
            assert!(!out.contains(heading), "{heading}");
        }
    }

    #[test]
    fn public_and_foreign_rows_are_red() {
        let report = fixtures::report();
        let coloured = render(
            &report,
            &RenderOptions {
                color: true,
                ..RenderOptions::PLAIN
            },
        );
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
        let coloured = render(
            &report,
            &RenderOptions {
                color: true,
                ..RenderOptions::PLAIN
            },
        );
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
