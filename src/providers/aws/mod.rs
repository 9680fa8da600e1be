//! AWS: IAM roles, users and groups with their identity policies, trust policies and
//! boundaries, and the resource policies of the resources that have one.

pub mod access;
pub mod arn;
pub mod extract;
pub mod policy;
pub mod routes;
pub mod vocabulary;
