//! Values Terraform marks sensitive never reach any output: a grant from such a document is
//! shown by its source alone, and examples built near one are hidden.

use super::grant::Witness;
use super::subject::IdentityScopes;
use std::collections::BTreeMap;

/// What stands in an output for a value that may not be printed.
pub const HIDDEN: &str = "(sensitive)";

/// Whether examples of `id`'s requests must be hidden: they are built from the characters of
/// every pattern in play, so with any sensitive document around none of them is shown.
pub fn hides_examples(id: &IdentityScopes) -> bool {
    id.origins.iter().any(|o| o.sensitive)
        || !id.before.sensitive.is_empty()
        || !id.after.sensitive.is_empty()
}

/// Replaces everything an example shows with a mark that it is hidden.
pub fn redact_witness(w: &mut Witness) {
    w.action = HIDDEN.into();
    w.resource = HIDDEN.into();
    if w.principal.is_some() {
        w.principal = Some(HIDDEN.into());
    }
    w.context = BTreeMap::new();
}
