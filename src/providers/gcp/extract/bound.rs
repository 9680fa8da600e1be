//! The GCP resource type a resource-level IAM resource binds roles on, by its Terraform type
//! (`google_storage_bucket_iam_member` → `storage.buckets`): what decides which of a role's
//! permissions the binding grants (see [`crate::catalog::gcp::applicable`]).

/// Terraform type noun → the resource type, as permissions name it.
const TYPES: &[(&str, &str)] = &[
    (
        "artifact_registry_repository",
        "artifactregistry.repositories",
    ),
    ("bigquery_dataset", "bigquery.datasets"),
    ("bigquery_table", "bigquery.tables"),
    ("cloud_run_service", "run.services"),
    ("cloud_run_v2_job", "run.jobs"),
    ("cloud_run_v2_service", "run.services"),
    ("cloudfunctions2_function", "cloudfunctions.functions"),
    ("cloudfunctions_function", "cloudfunctions.functions"),
    ("compute_instance", "compute.instances"),
    ("kms_crypto_key", "cloudkms.cryptoKeys"),
    ("kms_key_ring", "cloudkms.keyRings"),
    ("pubsub_subscription", "pubsub.subscriptions"),
    ("pubsub_topic", "pubsub.topics"),
    ("secret_manager_secret", "secretmanager.secrets"),
    ("service_account", "iam.serviceAccounts"),
    ("spanner_database", "spanner.databases"),
    ("spanner_instance", "spanner.instances"),
    ("storage_bucket", "storage.buckets"),
];

/// The resource type a `google_*_iam_*` resource binds on, when privdiff knows what lives
/// under it; `None` for projects, folders and organizations (every permission applies) and
/// for resources it does not know (every permission is counted, the worst case).
pub fn bound_type(kind: &str) -> Option<&'static str> {
    let noun = super::names::noun(kind)?;
    let ty = TYPES.iter().find(|(n, _)| *n == noun)?.1;
    crate::catalog::gcp::applicable::known(ty).then_some(ty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_level_families_name_their_type() {
        assert_eq!(
            bound_type("google_storage_bucket_iam_member"),
            Some("storage.buckets")
        );
        assert_eq!(
            bound_type("google_service_account_iam_binding"),
            Some("iam.serviceAccounts")
        );
        assert_eq!(bound_type("google_project_iam_member"), None);
        assert_eq!(bound_type("google_healthcare_dataset_iam_member"), None);
    }

    #[test]
    fn every_type_is_in_the_applicability_table() {
        for (noun, ty) in TYPES {
            assert!(
                crate::catalog::gcp::applicable::known(ty),
                "{noun}: {ty} is not in the table"
            );
        }
    }
}
