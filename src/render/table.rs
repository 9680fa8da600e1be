//! `--format table`: a terminal summary. One row per changed identity, then the witness of each
//! identity that has one, then the plan's notes.

use super::escape::terminal;
use super::phrase;
use super::RenderOptions;
use crate::report::{IdentityReport, Report, Verdict};
use comfy_table::{presets, Cell, Color, Table};

pub fn render(report: &Report, opts: &RenderOptions) -> String {
    let changed = phrase::changed_by_urgency(report);
    let analysed = phrase::identities(report.summary.identities);
    let mut out = String::new();
    if changed.is_empty() {
        out.push_str(&format!(
            "No identity's scope changed ({analysed} analysed)\n"
        ));
    } else {
        out.push_str(&format!("{analysed} analysed: {}\n", counts(report)));
        out.push_str(&table(&changed, opts).to_string());
        out.push('\n');
        let witnesses: Vec<String> = changed.iter().filter_map(|i| witness_line(i)).collect();
        if !witnesses.is_empty() {
            out.push('\n');
            witnesses.iter().for_each(|line| out.push_str(line));
        }
    }
    if report.plan.errored {
        out.push_str(
            "\nwarning: Terraform reported that planning failed; changes may be partial\n",
        );
    }
    for note in &report.notes {
        out.push_str(&format!("note: {}\n", terminal(note)));
    }
    out
}

/// `1 widened, 1 unverifiable, 2 unchanged`.
fn counts(report: &Report) -> String {
    let counts: Vec<String> = phrase::counts(&report.summary)
        .iter()
        .map(|(n, word)| format!("{n} {word}"))
        .collect();
    counts.join(", ")
}

fn table(changed: &[&IdentityReport], opts: &RenderOptions) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    // Never ask the terminal: the caller decides on colour, and without a width lookup the
    // output is the same bytes wherever it is printed.
    table.force_no_tty();
    if opts.color {
        table.enforce_styling();
    }
    table.set_header(vec![
        "Identity",
        "Kind",
        "Verdict",
        "Added",
        "Removed",
        "Most important addition",
    ]);
    for identity in changed {
        let top = phrase::top_addition(identity).map_or_else(|| "-".to_string(), |t| terminal(&t));
        table.add_row(vec![
            Cell::new(terminal(&identity.address)),
            Cell::new(terminal(identity.kind)),
            verdict_cell(identity.verdict),
            Cell::new(format!("+{}", identity.added.len())),
            Cell::new(format!("−{}", identity.removed.len())),
            Cell::new(top),
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

/// `witness for aws_iam_role.app: s3:GetBucketPolicy on arn:aws:s3:::b/x`. The line starts with
/// fixed text: a CI runner reads a line that starts with plan text such as `::error::` as a
/// command of its own.
fn witness_line(identity: &IdentityReport) -> Option<String> {
    let witness = identity.witness.as_ref()?;
    Some(format!(
        "witness for {}: {}\n",
        terminal(&identity.address),
        terminal(&phrase::witness(witness))
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures;

    const PLAIN: RenderOptions = RenderOptions { color: false };

    /// What a user sees for the shared fixture; update deliberately when the layout changes.
    const EXPECTED: &str = "\
4 identities analysed: 1 widened, 1 unverifiable, 1 narrowed, 1 unchanged
┌─────────────────────┬───────────────┬──────────────┬───────┬─────────┬───────────────────────────────────────────────────────────────────────────────────────────┐
│ Identity            ┆ Kind          ┆ Verdict      ┆ Added ┆ Removed ┆ Most important addition                                                                   │
╞═════════════════════╪═══════════════╪══════════════╪═══════╪═════════╪═══════════════════════════════════════════════════════════════════════════════════════════╡
│ aws_iam_role.app    ┆ aws_iam_role  ┆ widened      ┆ +2    ┆ −1      ┆ Allow s3:GetBucketPolicy, s3:GetObject on arn:aws:s3:::b/x (2 actions, under 1 condition) │
│ aws_iam_role.ci     ┆ aws_iam_role  ┆ unverifiable ┆ +1    ┆ −0      ┆ policy of aws_iam_role_policy.ci is known only after apply                                │
│ aws_iam_group.vault ┆ aws_iam_group ┆ narrowed     ┆ +0    ┆ −1      ┆ -                                                                                         │
└─────────────────────┴───────────────┴──────────────┴───────┴─────────┴───────────────────────────────────────────────────────────────────────────────────────────┘

witness for aws_iam_role.app: s3:GetBucketPolicy on arn:aws:s3:::b/x with aws:SourceVpc=vpc-1
note: module.legacy was skipped: its provider is not supported
";

    #[test]
    fn shows_the_fixture_as_expected() {
        assert_eq!(render(&fixtures::report(), &PLAIN), EXPECTED);
    }

    #[test]
    fn lists_changed_identities_only() {
        let out = render(&fixtures::report(), &PLAIN);
        assert!(out.starts_with("4 identities analysed: 1 widened, 1 unverifiable, 1 narrowed"));
        assert!(!out.contains("aws_iam_user.alice"));
        assert!(
            out.contains("witness for aws_iam_role.app: s3:GetBucketPolicy on arn:aws:s3:::b/x")
        );
    }

    #[test]
    fn says_so_when_nothing_changed() {
        let mut report = fixtures::report();
        report.identities.retain(|i| !phrase::is_changed(i));
        report.summary = crate::report::Summary {
            identities: 1,
            unchanged: 1,
            ..Default::default()
        };
        let out = render(&report, &PLAIN);
        assert!(out.starts_with("No identity's scope changed (1 identity analysed)\n"));
        assert!(!out.contains('┌'));
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
