//! Kubernetes: RBAC roles and bindings of service accounts, users and groups, per cluster.

pub mod extract;
pub mod routes;
pub mod vocabulary;
