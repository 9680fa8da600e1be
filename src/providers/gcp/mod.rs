//! GCP: IAM bindings and members on projects, folders, organizations and resources, with the
//! roles they grant.

pub mod extract;
pub mod routes;
pub mod vocabulary;
