//! The embedded GCP role catalog (`data/gcp/`): what `SOURCE.txt` says about it holds, and it is
//! exactly the export it was generated from (`../shared/catalogs/gcp-roles.json`, read in
//! place), so a stale or hand-edited file is caught.

mod common;
#[path = "aws_data/sha256.rs"]
mod sha256;

use common::optional::shared;
use privdiff::catalog::gcp::embedded;
use serde_json::Value;
use std::io::Read;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn source_line(kind: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join("data/gcp/SOURCE.txt")).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(kind)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("SOURCE.txt has no {kind} line"))
        .split(' ')
        .map(String::from)
        .collect()
}

#[test]
fn source_txt_names_the_embedded_file_by_its_digests() {
    let file = source_line("file");
    assert_eq!(file[0], "roles.tsv.gz");
    let gz = std::fs::read(root().join("data/gcp/roles.tsv.gz")).unwrap();
    assert_eq!(
        sha256::hex(&gz),
        file[1],
        "roles.tsv.gz changed without SOURCE.txt"
    );
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut text)
        .unwrap();
    assert_eq!(sha256::hex(&text), file[2]);
    // The license of the default export travels with the data.
    let license = std::fs::read_to_string(root().join("data/gcp/LICENSE-iam-dataset")).unwrap();
    assert!(license.contains("MIT License") && license.contains("Ian Mckay"));
}

#[test]
fn the_embedded_roles_are_exactly_the_exports() {
    let Some(path) = shared("catalogs/gcp-roles.json") else {
        return;
    };
    let raw = std::fs::read(&path).unwrap();
    let source = source_line("source");
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
