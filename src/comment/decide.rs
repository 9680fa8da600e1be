//! Deciding what to send: which of the listed comments are privdiff's own, and which writes
//! turn them into the one the behaviour asks for. Pure, so every case is tested without HTTP.

use super::marker::Key;
use super::Behavior;

/// A comment on the pull request or merge request, as the platform listed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub id: u64,
    /// Written by the account the token belongs to.
    pub mine: bool,
    pub body: String,
}

/// One write, in the order the flow sends them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Create,
    Update(u64),
    Delete(u64),
}

/// The ids of privdiff's earlier comments with `key`, in listing order (oldest first): those
/// written by the token's own account whose first line is the key's marker. A comment carrying
/// the marker but written by anyone else (a quote, another bot) is never among them, so it is
/// never edited or deleted.
pub fn own_marked(listed: &[Listed], key: &Key) -> Vec<u64> {
    listed
        .iter()
        .filter(|c| c.mine && key.marks(&c.body))
        .map(|c| c.id)
        .collect()
}

/// The writes that leave the pull request as `behavior` asks, given privdiff's earlier comments
/// with this key (`own`, oldest first).
///
/// - `post_nothing` (`--skip-if-no-changes` and no identity or resource changed): delete every earlier
///   comment, whatever the behaviour, so a report that said "widened" does not outlive the fix.
/// - `update`: update the newest, create one when there is none, and delete older duplicates
///   (left by two runs that raced to create), so the key keeps exactly one comment.
/// - `new`: create, touch nothing else.
/// - `delete-and-new`: create, then delete every earlier one. Creating first means that a
///   failure half-way leaves the old report rather than none.
pub fn decide(own: &[u64], behavior: Behavior, post_nothing: bool) -> Vec<Step> {
    if post_nothing {
        return own.iter().map(|&id| Step::Delete(id)).collect();
    }
    match behavior {
        Behavior::Update => match own.split_last() {
            None => vec![Step::Create],
            Some((&newest, older)) => std::iter::once(Step::Update(newest))
                .chain(older.iter().map(|&id| Step::Delete(id)))
                .collect(),
        },
        Behavior::New => vec![Step::Create],
        Behavior::DeleteAndNew => std::iter::once(Step::Create)
            .chain(own.iter().map(|&id| Step::Delete(id)))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Step::*;

    fn comment(id: u64, mine: bool, body: &str) -> Listed {
        Listed {
            id,
            mine,
            body: body.to_string(),
        }
    }

    #[test]
    fn only_own_comments_with_the_keys_marker_are_ours() {
        let prod = Key::parse("prod").unwrap();
        let listed = [
            comment(1, true, "<!-- privdiff:comment key=prod -->\nold"),
            comment(2, false, "<!-- privdiff:comment key=prod -->\nforeign bot"),
            comment(3, true, "<!-- privdiff:comment key=staging -->\nother plan"),
            comment(4, true, "LGTM"),
            comment(5, false, "> <!-- privdiff:comment key=prod -->\nquoted"),
            comment(6, true, "<!-- privdiff:comment key=prod -->\r\nnewer"),
        ];
        assert_eq!(own_marked(&listed, &prod), vec![1, 6]);
        assert_eq!(own_marked(&[], &prod), Vec::<u64>::new());
    }

    #[test]
    fn update_edits_the_newest_and_deletes_older_duplicates() {
        assert_eq!(decide(&[], Behavior::Update, false), vec![Create]);
        assert_eq!(decide(&[7], Behavior::Update, false), vec![Update(7)]);
        assert_eq!(
            decide(&[3, 5, 9], Behavior::Update, false),
            vec![Update(9), Delete(3), Delete(5)]
        );
    }

    #[test]
    fn new_always_creates_and_keeps_the_rest() {
        assert_eq!(decide(&[], Behavior::New, false), vec![Create]);
        assert_eq!(decide(&[3, 5], Behavior::New, false), vec![Create]);
    }

    #[test]
    fn delete_and_new_creates_then_deletes_every_earlier_one() {
        assert_eq!(decide(&[], Behavior::DeleteAndNew, false), vec![Create]);
        assert_eq!(
            decide(&[3, 5], Behavior::DeleteAndNew, false),
            vec![Create, Delete(3), Delete(5)]
        );
    }

    #[test]
    fn posting_nothing_deletes_every_earlier_one_whatever_the_behavior() {
        for behavior in [Behavior::Update, Behavior::New, Behavior::DeleteAndNew] {
            assert_eq!(decide(&[], behavior, true), vec![]);
            assert_eq!(decide(&[3, 5], behavior, true), vec![Delete(3), Delete(5)]);
        }
    }
}
