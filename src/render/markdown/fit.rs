//! Fitting a comment into the size limit.
//!
//! What goes first when the comment is too long: policy diffs (from the last section back), then
//! whole `<details>` sections from the end, then rows of the ignored findings, of the resource
//! table, of the identity table and of the findings table from the end, then plan notes from the
//! end, and only then rows of the "Who can reach it" table from the end. The head is never cut. Sections and rows are ordered most urgent first, so
//! the least urgent go first. A final note says exactly what was cut. Lengths are added up rather
//! than re-rendered, so fitting thousands of identities stays linear.

use super::details::CLOSE;
use super::Parts;
use crate::render::phrase;

/// A table: its header (with the blank line and any heading before it) and its rows. A table
/// without a row left is left out, header and all.
pub struct Table {
    pub header: String,
    pub rows: Vec<String>,
}

/// Indexes of [`Parts::tables`], in the order they are shown.
pub const REACH: usize = 0;
pub const FINDINGS: usize = 1;
pub const IDENTITIES: usize = 2;
pub const RESOURCES: usize = 3;
pub const IGNORED: usize = 4;

/// How many identities and how many resources: what the cut note counts sections in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Tally {
    identities: usize,
    resources: usize,
}

impl Tally {
    fn of(&mut self, resource: bool) -> &mut usize {
        if resource {
            &mut self.resources
        } else {
            &mut self.identities
        }
    }

    /// `2 identities and 1 resource`, `1 resource`...
    fn phrase(self) -> String {
        let mut parts = Vec::new();
        if self.identities > 0 {
            parts.push(phrase::identities(self.identities));
        }
        if self.resources > 0 {
            parts.push(phrase::resources(self.resources));
        }
        parts.join(" and ")
    }

    fn is_empty(self) -> bool {
        self.identities == 0 && self.resources == 0
    }
}

/// How much of each part is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Kept {
    /// Rows kept of each table.
    rows: [usize; 5],
    details: usize,
    /// Sections before this index keep their diff.
    diffs: usize,
    /// Sections cut whole, and sections still shown whose diff is not: kept up to date as parts
    /// are cut, so that writing the cut note does not walk the sections again.
    details_cut: Tally,
    diffs_left_out: Tally,
    notes: usize,
}

const NOTES_HEADING: &str = "\n**Plan notes**\n\n";

/// The comment, with as much of `parts` as fits in `budget` bytes.
pub fn assemble(parts: &Parts, budget: usize) -> String {
    let kept = fit(parts, budget);
    let mut out = parts.head.clone();
    for (table, &rows) in parts.tables.iter().zip(&kept.rows) {
        if rows > 0 {
            out.push_str(&table.header);
            out.extend(table.rows[..rows].iter().map(String::as_str));
        }
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
    // Only the head is never cut.
    debug_assert!(out.len() <= budget || (kept.notes == 0 && kept.rows == [0; 5]));
    out
}

fn fit(parts: &Parts, budget: usize) -> Kept {
    let mut kept = Kept {
        rows: parts.tables.each_ref().map(|t| t.rows.len()),
        details: parts.details.len(),
        diffs: parts.details.len(),
        details_cut: Tally::default(),
        diffs_left_out: Tally::default(),
        notes: parts.notes.len(),
    };
    let mut len = length(parts, kept);
    let over = |len: usize, kept: Kept| len + cut_note(parts, kept, budget).len() > budget;
    while over(len, kept) && kept.diffs > 0 {
        kept.diffs -= 1;
        let section = &parts.details[kept.diffs];
        if let Some(diff) = &section.diff {
            len -= diff.len();
            *kept.diffs_left_out.of(section.resource) += 1;
        }
    }
    // From here on no section shows its diff.
    while over(len, kept) && kept.details > 0 {
        kept.details -= 1;
        let section = &parts.details[kept.details];
        len -= section.len(false);
        *kept.details_cut.of(section.resource) += 1;
        if section.diff.is_some() {
            *kept.diffs_left_out.of(section.resource) -= 1;
        }
    }
    let cut_rows = |kept: &mut Kept, len: &mut usize, t: usize| {
        while over(*len, *kept) && kept.rows[t] > 0 {
            kept.rows[t] -= 1;
            *len -= parts.tables[t].rows[kept.rows[t]].len();
            if kept.rows[t] == 0 {
                *len -= parts.tables[t].header.len();
            }
        }
    };
    cut_rows(&mut kept, &mut len, IGNORED);
    cut_rows(&mut kept, &mut len, RESOURCES);
    cut_rows(&mut kept, &mut len, IDENTITIES);
    cut_rows(&mut kept, &mut len, FINDINGS);
    while over(len, kept) && kept.notes > 0 {
        kept.notes -= 1;
        len -= parts.notes[kept.notes].len();
        if kept.notes == 0 {
            len -= NOTES_HEADING.len();
        }
    }
    cut_rows(&mut kept, &mut len, REACH);
    debug_assert_eq!(len, length(parts, kept));
    kept
}

/// Length of the comment without its cut note.
fn length(parts: &Parts, kept: Kept) -> usize {
    let tables: usize = parts
        .tables
        .iter()
        .zip(kept.rows)
        .map(|(table, rows)| match rows {
            0 => 0,
            _ => table.header.len() + table.rows[..rows].iter().map(String::len).sum::<usize>(),
        })
        .sum();
    let details: usize = (0..kept.details)
        .map(|k| parts.details[k].len(k < kept.diffs))
        .sum();
    let notes: usize = parts.notes[..kept.notes].iter().map(String::len).sum();
    let notes = match kept.notes {
        0 => 0,
        _ => NOTES_HEADING.len() + notes,
    };
    parts.head.len() + tables + details + notes
}

/// What was cut, or nothing when nothing was.
fn cut_note(parts: &Parts, kept: Kept, budget: usize) -> String {
    let mut cuts = Vec::new();
    if !kept.details_cut.is_empty() {
        cuts.push(format!(
            "the details of {} were cut",
            kept.details_cut.phrase()
        ));
    }
    if !kept.diffs_left_out.is_empty() {
        cuts.push(format!(
            "the policy diffs of {} were left out",
            kept.diffs_left_out.phrase()
        ));
    }
    let rows_cut = |t: usize| parts.tables[t].rows.len() - kept.rows[t];
    let verb = |n: usize| if n == 1 { "is" } else { "are" };
    let identities = rows_cut(IDENTITIES);
    if identities > 0 {
        cuts.push(format!(
            "{} {} not in the table",
            phrase::identities(identities),
            verb(identities)
        ));
    }
    let resources = rows_cut(RESOURCES);
    if resources > 0 {
        cuts.push(format!(
            "{} {} not in the table of resource policies",
            phrase::resources(resources),
            verb(resources)
        ));
    }
    let findings = rows_cut(FINDINGS);
    if findings > 0 {
        let what = if findings == 1 {
            "finding is"
        } else {
            "findings are"
        };
        cuts.push(format!("{findings} {what} not in the table of findings"));
    }
    let ignored = rows_cut(IGNORED);
    if ignored > 0 {
        let findings = if ignored == 1 {
            "finding is"
        } else {
            "findings are"
        };
        cuts.push(format!("{ignored} ignored {findings} not in their table"));
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
    let reach = rows_cut(REACH);
    if reach > 0 {
        cuts.push(format!(
            "{} {} not in the table of who can reach it",
            phrase::principals(reach),
            verb(reach)
        ));
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
