//! A concrete request, and how a scope treats it.

/// A concrete request. `context` lists each condition key that matters with its value, or
/// `(absent)`; unmodelled clauses appear as `condition: <clause>` = `holds` / `does not hold`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub principal: String,
    pub action: String,
    pub resource: String,
    pub context: Vec<(String, String)>,
}

/// How a scope treats a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    /// No Allow statement matches.
    NotAllowed,
    /// A Deny statement (by origin index) matches.
    Denied {
        origin: usize,
    },
    /// Allowed by the identity's policies but not by its permissions boundary.
    OutsideBoundary,
}
