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
    /// Sections still shown whose diff is not: kept up to date as parts are cut, so that
    /// writing the cut note does not walk the sections again.
    diffs_left_out: usize,
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
        out.extend(parts.rows[..kept.rows].iter().map(String::as_str));
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
        out.extend(parts.notes[..kept.notes].iter().map(String::as_str));
    }
    out.push_str(&cut_note(parts, kept, budget));
    debug_assert!(out.len() <= budget || kept.notes == 0);
    out
}

fn fit(parts: &Parts, budget: usize) -> Kept {
    let mut kept = Kept {
        rows: parts.rows.len(),
        details: parts.details.len(),
        diffs: parts.details.len(),
        diffs_left_out: 0,
        notes: parts.notes.len(),
    };
    let mut len = length(parts, kept);
    let over = |len: usize, kept: Kept| len + cut_note(parts, kept, budget).len() > budget;
    while over(len, kept) && kept.diffs > 0 {
        kept.diffs -= 1;
        if let Some(diff) = &parts.details[kept.diffs].diff {
            len -= diff.len();
            kept.diffs_left_out += 1;
        }
    }
    // From here on no section shows its diff.
    while over(len, kept) && kept.details > 0 {
        kept.details -= 1;
        let section = &parts.details[kept.details];
        len -= section.len(false);
        if section.diff.is_some() {
            kept.diffs_left_out -= 1;
        }
    }
    while over(len, kept) && kept.rows > 0 {
        kept.rows -= 1;
        len -= parts.rows[kept.rows].len();
        if kept.rows == 0 {
            len -= 1 + TABLE_HEADER.len();
        }
    }
    while over(len, kept) && kept.notes > 0 {
        kept.notes -= 1;
        len -= parts.notes[kept.notes].len();
        if kept.notes == 0 {
            len -= NOTES_HEADING.len();
        }
    }
    debug_assert_eq!(len, length(parts, kept));
    kept
}

/// Length of the comment without its cut note.
fn length(parts: &Parts, kept: Kept) -> usize {
    let rows: usize = parts.rows[..kept.rows].iter().map(String::len).sum();
    let table = match kept.rows {
        0 => 0,
        _ => 1 + TABLE_HEADER.len() + rows,
    };
    let details: usize = (0..kept.details)
        .map(|k| parts.details[k].len(k < kept.diffs))
        .sum();
    let notes: usize = parts.notes[..kept.notes].iter().map(String::len).sum();
    let notes = match kept.notes {
        0 => 0,
        _ => NOTES_HEADING.len() + notes,
    };
    parts.head.len() + table + details + notes
}

/// What was cut, or nothing when nothing was.
fn cut_note(parts: &Parts, kept: Kept, budget: usize) -> String {
    let mut cuts = Vec::new();
    let details_cut = parts.details.len() - kept.details;
    if details_cut > 0 {
        cuts.push(format!(
            "the details of {} were cut",
            identities(details_cut)
        ));
    }
    if kept.diffs_left_out > 0 {
        cuts.push(format!(
            "the policy diffs of {} were left out",
            identities(kept.diffs_left_out)
        ));
    }
    let rows_cut = parts.rows.len() - kept.rows;
    if rows_cut > 0 {
        let verb = if rows_cut == 1 { "is" } else { "are" };
        cuts.push(format!("{} {verb} not in the table", identities(rows_cut)));
    }
    let notes_cut = parts.notes.len() - kept.notes;
    if notes_cut > 0 {
        let notes = if notes_cut == 1 {
            "plan note was"
        } else {
            "plan notes were"
        };
        cuts.push(format!("{notes_cut} {notes} left out"));
    }
    if cuts.is_empty() {
        return String::new();
    }
    let last = cuts.pop().unwrap_or_default();
    let cuts = if cuts.is_empty() {
        last
    } else {
        format!("{} and {last}", cuts.join(", "))
    };
    format!(
        "\n**Note:** to keep this comment under {} characters, {cuts}. \
         The full report is available with `--format json`.\n",
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
