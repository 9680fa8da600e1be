//! The provider-neutral permission model every stage shares: statements and scopes, the one
//! wildcard pattern type, requests, subjects and what each side grants them, grants, witnesses
//! and verdicts, severities, and the hiding of sensitive values.
//!
//! Nothing here knows a cloud: each provider reads its grants into these types (see
//! `crate::providers`), and the comparison, the checks, the rules and the renderers read them.

pub mod bits;
pub mod grant;
pub mod names;
pub mod note;
pub mod pattern;
pub mod provider;
pub mod request;
pub mod route;
pub mod sensitive;
pub mod severity;
pub mod statement;
pub mod subject;
pub mod usage;
pub mod values;
pub mod vocabulary;

pub use grant::{
    list, AccessSummary, Binding, Grant, GrantKind, Reached, ScopeKind, Verdict, Witness,
};
pub use names::PlanNames;
pub use note::{AclSetAside, Note};
pub use pattern::{Glob, Syntax};
pub use provider::Provider;
pub use request::{Decision, Request};
pub use severity::Severity;
pub use statement::{Clause, Effect, Match, Scope, Statement};
pub use subject::{
    mark, with_origin, Boundary, Credential, Document, Extracted, IdentityScopes, Origin,
    PublicAccessBlock, SideScope, Unexpanded,
};
pub use values::{IpRange, Num, NumOp};
