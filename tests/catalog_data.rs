//! The embedded GCP and Azure role catalogs (`data/gcp/`, `data/azure/`): what each
//! `SOURCE.txt` says about its file holds, and each is exactly the export it was generated from
//! (`../shared/catalogs/`, read in place), so a stale or hand-edited file is caught.

mod common;
#[path = "aws_data/sha256.rs"]
mod sha256;

use common::optional::shared;
use privdiff::catalog::azure::{embedded as azure, RoleTable};
use privdiff::catalog::gcp::embedded;
use serde_json::Value;
use std::io::Read;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn source_line(cloud: &str, kind: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join(format!("data/{cloud}/SOURCE.txt"))).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(kind)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("{cloud} SOURCE.txt has no {kind} line"))
        .split(' ')
        .map(String::from)
        .collect()
}

#[test]
fn source_txt_names_the_embedded_files_by_their_digests() {
    for (cloud, name) in [("gcp", "roles.tsv.gz"), ("azure", "roles.jsonl.gz")] {
        let file = source_line(cloud, "file");
        assert_eq!(file[0], name);
        let gz = std::fs::read(root().join(format!("data/{cloud}/{name}"))).unwrap();
        assert_eq!(
            sha256::hex(&gz),
            file[1],
            "{name} changed without SOURCE.txt"
        );
        let mut text = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut text)
            .unwrap();
        assert_eq!(sha256::hex(&text), file[2]);
        // The license of the default export travels with the data.
        let license =
            std::fs::read_to_string(root().join(format!("data/{cloud}/LICENSE-iam-dataset")))
                .unwrap();
        assert!(license.contains("MIT License") && license.contains("Ian Mckay"));
    }
}

#[test]
fn the_embedded_gcp_roles_are_exactly_the_export() {
    let Some(path) = shared("catalogs/gcp-roles.json") else {
        return;
    };
    let raw = std::fs::read(&path).unwrap();
    let source = source_line("gcp", "source");
    assert_eq!(
        sha256::hex(&raw),
        source[1],
        "data/gcp/ was generated from another export: run scripts/update-gcp-roles"
    );
    let roles: Vec<Value> = serde_json::from_slice(&raw).unwrap();
    let mut with_permissions = 0;
    for r in &roles {
        let name = r["name"].as_str().unwrap();
        let mut want: Vec<&str> = r["includedPermissions"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| p.as_str().unwrap())
            .collect();
        want.sort_unstable();
        want.dedup();
        match embedded::role(name) {
            Some(got) => {
                with_permissions += 1;
                assert_eq!(got, want, "{name}");
            }
            // A role listed without permissions stays unexpanded, never "grants nothing".
            None => assert!(want.is_empty(), "{name} is missing"),
        }
    }
    assert_eq!(embedded::len(), with_permissions);
}

#[test]
fn the_embedded_azure_roles_are_exactly_the_export() {
    let Some(path) = shared("catalogs/azure-role-definitions.json") else {
        return;
    };
    let raw = std::fs::read(&path).unwrap();
    assert_eq!(
        sha256::hex(&raw),
        source_line("azure", "source")[1],
        "data/azure/ was generated from another export: run scripts/update-azure-roles"
    );
    // The export read as `--azure-roles` reads it: every role the same, by name and by id.
    let export = RoleTable::parse(std::str::from_utf8(&raw).unwrap()).unwrap();
    assert_eq!(export.len(), azure::all().len());
    for role in azure::all() {
        assert_eq!(
            export.find(&role.name).as_ref(),
            Some(role),
            "{}",
            role.name
        );
        assert_eq!(
            export.find(&role.id).map(|r| r.name),
            Some(role.name.clone())
        );
    }
}
