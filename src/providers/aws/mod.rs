//! AWS: IAM roles, users and groups with their identity policies, trust policies and
//! boundaries, and the resource policies of the resources that have one.

pub mod access;
pub mod arn;
pub mod callers;
mod examples;
pub mod extract;
pub mod oidc;
pub mod policy;
mod principals;
pub mod routes;
pub mod vocabulary;
