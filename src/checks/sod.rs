//! Separation of duties of the user's own: `sod` blocks of `.privdiff.hcl`.

use crate::model::Severity;

/// A combination of duties one identity must not hold together: it fires when the plan leaves
/// an identity able to do one action of every group where before it could not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sod {
    /// The block's label, e.g. `deploy-and-approve`.
    pub name: String,
    /// Groups of IAM action patterns (`codepipeline:PutApprovalResult`, `s3:Put*`): one action
    /// of each group completes the combination.
    pub actions: Vec<Vec<String>>,
    pub severity: Severity,
}
