//! Fitting a comment into the size limit.
//!
//! What goes first when the comment is too long: policy diffs (from the last section back), then
//! whole `<details>` sections from the end, then table rows from the end, then plan notes from
//! the end. Sections and rows are ordered most urgent first, so the least urgent go first. A
//! final note says exactly what was cut. Lengths are added up rather than re-rendered, so fitting
//! thousands of identities stays linear.

use super::details::CLOSE;
use super::{Parts, TABLE_HEADER};

/// How much of each part is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Kept {
    rows: usize,
    details: usize,
    /// Sections before this index keep their diff.
    diffs: usize,
    notes: usize,
}

const NOTES_HEADING: &str = "\n**Plan notes**\n\n";

/// The comment, with as much of `parts` as fits in `budget` bytes.
pub fn assemble(parts: &Parts, budget: usize) -> String {
    let kept = fit(parts, budget);
    let mut out = parts.head.clone();
    if kept.rows > 0 {
        out.push('\n');
        out.push_str(TABLE_HEADER);
        parts.rows[..kept.rows].iter().for_each(|row| out.push_str(row));
    }
    for (k, section) in parts.details[..kept.details].iter().enumerate() {
        out.push_str(&section.body);
        if k < kept.diffs {
            out.push_str(section.diff.as_deref().unwrap_or(""));
        }
        out.push_str(CLOSE);
    }
    if kept.notes > 0 {
        out.push_str(NOTES_HEADING);
        parts.notes[..kept.notes].iter().for_each(|note| out.push_str(note));
    }
    out.push_str(&cut_note(parts, kept, budget));
    out
}

fn fit(parts: &Parts, budget: usize) -> Kept {
    let mut kept = Kept {
        rows: parts.rows.len(),
        details: parts.details.len(),
        diffs: parts.details.len(),
        notes: parts.notes.len(),
    };
    let mut len = length(parts, kept);
    let over = |len: usize, kept: Kept| len + cut_note(parts, kept, budget).len() > budget;
    while over(len, kept) && kept.diffs > 0 {
        kept.diffs -= 1;
        len -= parts.details[kept.diffs].diff.as_ref().map_or(0, String::len);
    }
    while over(len, kept) && kept.details > 0 {
        kept.details -= 1;
        len -= parts.details[kept.details].len(false);
    }
    while over(len, kept) && kept.rows > 0 {
        kept.rows -= 1;
        len -= parts.rows[kept.rows].len() + if kept.rows == 0 { 1 + TABLE_HEADER.len() } else { 0 };
    }
    while over(len, kept) && kept.notes > 0 {
        kept.notes -= 1;
        len -= parts.notes[kept.notes].len() + if kept.notes == 0 { NOTES_HEADING.len() } else { 0 };
    }
    debug_assert_eq!(len, length(parts, kept));
    kept
}

/// Length of the comment without its cut note.
fn length(parts: &Parts, kept: Kept) -> usize {
    let rows: usize = parts.rows[..kept.rows].iter().map(String::len).sum();
    let table = if kept.rows > 0 { 1 + TABLE_HEADER.len() + rows } else { 0 };
    let details: usize = (0..kept.details)
        .map(|k| parts.details[k].len(k < kept.diffs))
        .sum();
    let notes: usize = parts.notes[..kept.notes].iter().map(String::len).sum();
    let notes = if kept.notes > 0 { NOTES_HEADING.len() + notes } else { 0 };
    parts.head.len() + table + details + notes
}

/// What was cut, or nothing when nothing was.
fn cut_note(parts: &Parts, kept: Kept, budget: usize) -> String {
    let shown = &parts.details[..kept.details];
    let diffs_left_out = shown[kept.diffs.min(kept.details)..]
        .iter()
        .filter(|s| s.diff.is_some())
        .count();
    let mut cuts = Vec::new();
    let details_cut = parts.details.len() - kept.details;
    if details_cut > 0 {
        cuts.push(format!("the details of {} were cut", identities(details_cut)));
    }
    if diffs_left_out > 0 {
        cuts.push(format!("the policy diffs of {} were left out", identities(diffs_left_out)));
    }
    let rows_cut = parts.rows.len() - kept.rows;
    if rows_cut > 0 {
        let verb = if rows_cut == 1 { "is" } else { "are" };
        cuts.push(format!("{} {verb} not in the table", identities(rows_cut)));
    }
    let notes_cut = parts.notes.len() - kept.notes;
    if notes_cut > 0 {
        let notes = if notes_cut == 1 { "plan note was" } else { "plan notes were" };
        cuts.push(format!("{notes_cut} {notes} left out"));
    }
    if cuts.is_empty() {
        return String::new();
    }
    format!(
        "\n**Note:** {} to keep this comment under {} characters. The full report is available with `--format json`.\n",
        cuts.join("; "),
        thousands(budget),
    )
}

fn identities(n: usize) -> String {
    crate::render::phrase::identities(n)
}

/// `65000` → `65,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
