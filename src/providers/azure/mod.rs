//! Azure: role assignments of principals and managed identities on scopes, with the role
//! definitions they grant.

pub mod applicable;
pub mod extract;
pub mod principal_names;
pub mod routes;
pub mod vocabulary;
