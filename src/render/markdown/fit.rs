//! Fitting a comment into the size limit.
//!
//! What goes first when the comment is too long: policy diffs (from the last block back), then
//! the collapsed details of the blocks from the end, then whole blocks from the end, then rows
//! of the ignored findings and of the other findings from the end, then plan notes from the
//! end, and only then rows of the "Who can reach it" table from the end. The head, with the
//! decision, is never cut. Blocks and rows are ordered most urgent first, so the least urgent go
//! first. A final note says exactly what was cut. Lengths are added up rather than re-rendered,
//! so fitting thousands of identities stays linear.

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
pub const IGNORED: usize = 2;

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
    rows: [usize; 3],
    /// Blocks shown.
    blocks: usize,
    /// Blocks before this index keep their details.
    details: usize,
    /// Blocks before this index keep their diff.
    diffs: usize,
    /// Blocks cut whole, blocks shown without their details, and blocks with details whose
    /// diff is not shown: kept up to date as parts are cut, so that writing the cut note does
    /// not walk the blocks again.
    blocks_cut: Tally,
    details_cut: Tally,
    diffs_left_out: Tally,
    notes: usize,
}

const NOTES_HEADING: &str = "\n**Plan notes**\n\n";

/// The comment, with as much of `parts` as fits in `budget` bytes.
pub fn assemble(parts: &Parts, budget: usize) -> String {
    let kept = fit(parts, budget);
    let mut out = parts.head.clone();
    let table = |out: &mut String, t: usize| {
        if kept.rows[t] > 0 {
            out.push_str(&parts.tables[t].header);
            out.extend(
                parts.tables[t].rows[..kept.rows[t]]
                    .iter()
                    .map(String::as_str),
            );
        }
    };
    table(&mut out, REACH);
    for (k, block) in parts.blocks[..kept.blocks].iter().enumerate() {
        out.push_str(&block.head);
        if k < kept.details {
            out.push_str(&block.body);
            if k < kept.diffs {
                out.push_str(block.diff.as_deref().unwrap_or(""));
            }
            out.push_str(CLOSE);
        }
    }
    table(&mut out, FINDINGS);
    table(&mut out, IGNORED);
    if kept.notes > 0 {
        out.push_str(NOTES_HEADING);
        out.extend(parts.notes[..kept.notes].iter().map(String::as_str));
    }
    out.push_str(&cut_note(parts, kept, budget));
    // Only the head is never cut.
    debug_assert!(out.len() <= budget || (kept.notes == 0 && kept.rows == [0; 3]));
    out
}

fn fit(parts: &Parts, budget: usize) -> Kept {
    let n = parts.blocks.len();
    let mut kept = Kept {
        rows: parts.tables.each_ref().map(|t| t.rows.len()),
        blocks: n,
        details: n,
        diffs: n,
        blocks_cut: Tally::default(),
        details_cut: Tally::default(),
        diffs_left_out: Tally::default(),
        notes: parts.notes.len(),
    };
    let mut len = length(parts, kept);
    let over = |len: usize, kept: Kept| len + cut_note(parts, kept, budget).len() > budget;
    while over(len, kept) && kept.diffs > 0 {
        kept.diffs -= 1;
        let block = &parts.blocks[kept.diffs];
        if let Some(diff) = &block.diff {
            len -= diff.len();
            *kept.diffs_left_out.of(block.resource) += 1;
        }
    }
    // From here on no block shows its diff.
    while over(len, kept) && kept.details > 0 {
        kept.details -= 1;
        let block = &parts.blocks[kept.details];
        len -= block.len(true, false) - block.len(false, false);
        *kept.details_cut.of(block.resource) += 1;
        if block.diff.is_some() {
            *kept.diffs_left_out.of(block.resource) -= 1;
        }
    }
    // From here on no block shows its details.
    while over(len, kept) && kept.blocks > 0 {
        kept.blocks -= 1;
        let block = &parts.blocks[kept.blocks];
        len -= block.len(false, false);
        *kept.blocks_cut.of(block.resource) += 1;
        *kept.details_cut.of(block.resource) -= 1;
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
    let blocks: usize = (0..kept.blocks)
        .map(|k| parts.blocks[k].len(k < kept.details, k < kept.diffs))
        .sum();
    let notes: usize = parts.notes[..kept.notes].iter().map(String::len).sum();
    let notes = match kept.notes {
        0 => 0,
        _ => NOTES_HEADING.len() + notes,
    };
    parts.head.len() + tables + blocks + notes
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
    if !kept.blocks_cut.is_empty() {
        let n = kept.blocks_cut.identities + kept.blocks_cut.resources;
        cuts.push(format!(
            "{} {} not shown",
            kept.blocks_cut.phrase(),
            verb(n)
        ));
    }
    let findings = rows_cut(FINDINGS);
    if findings > 0 {
        let what = if findings == 1 {
            "finding is"
        } else {
            "findings are"
        };
        cuts.push(format!(
            "{findings} {what} not in the table of other findings"
        ));
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
