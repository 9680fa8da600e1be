//! The module layers of `docs/architecture.md` hold in the code: every module of `src/` is
//! listed, and every import from one module to another goes to a lower layer. So the import
//! graph has no circle between modules, and the document is the map of the code as it is.

mod common;

use common::{files_under, manifest_dir};
use std::collections::BTreeMap;

/// The layers, top first: the lines of the first ```text block under `## Layers`.
fn layers() -> BTreeMap<String, usize> {
    let doc = std::fs::read_to_string(manifest_dir().join("docs/architecture.md")).unwrap();
    let section = doc
        .split_once("\n## Layers\n")
        .expect("docs/architecture.md has a `## Layers` section")
        .1;
    let block = section
        .split_once("```text\n")
        .and_then(|(_, rest)| rest.split_once("\n```"))
        .expect("the Layers section has a ```text block")
        .0;
    let lines: Vec<&str> = block.lines().collect();
    let mut out = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        for module in line.split_whitespace() {
            // The bottom line is layer 0.
            let layer = lines.len() - 1 - i;
            assert!(
                out.insert(module.to_string(), layer).is_none(),
                "{module} is listed twice"
            );
        }
    }
    out
}

/// Whether `relative` (under `src/`) holds test code only.
fn is_test_code(relative: &str) -> bool {
    relative.ends_with("/tests.rs")
        || relative.contains("/tests/")
        || relative.contains("/fixtures/")
}

/// The code of a file outside its comments and its `#[cfg(test)] mod tests { .. }`, which by
/// this crate's habit ends the file.
fn code(text: &str) -> String {
    let text = match text.find("\n#[cfg(test)]\nmod tests {") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a piece of code names: `crate::model::X`, and each of
/// `crate::{diff, reach::entries}`.
fn named(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let module = item.trim().split("::").next().unwrap_or("");
                if !module.is_empty() && module != "self" {
                    out.push(module.to_string());
                }
            }
            continue;
        }
        let end = rest
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(rest.len());
        out.push(rest[..end].to_string());
    }
    out
}

#[test]
fn every_import_between_modules_goes_down_the_layers() {
    let layers = layers();
    let src = manifest_dir().join("src");
    let all = files_under(&src, "rs");
    let mut wrong = Vec::new();
    for path in all {
        let relative = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if matches!(relative.as_str(), "lib.rs" | "main.rs") || is_test_code(&relative) {
            continue;
        }
        let module = relative
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        let Some(&layer) = layers.get(&module) else {
            wrong.push(format!("{module} (src/{relative}) is in no layer"));
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        for other in named(&code(&text)) {
            if other == module {
                continue;
            }
            match layers.get(&other) {
                Some(&below) if below < layer => {}
                Some(_) => wrong.push(format!(
                    "src/{relative} imports {other}, not below {module}"
                )),
                None => wrong.push(format!(
                    "src/{relative} imports {other}, which is in no layer"
                )),
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "docs/architecture.md's layers do not hold:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_reader_sees_group_imports_and_paths() {
    assert_eq!(
        named("use crate::{diff, reach::Accounts};\nlet x = crate::model::Grant::default();"),
        ["diff", "reach", "model"]
    );
    assert_eq!(
        code("use a;\n// crate::x\n#[cfg(test)]\nmod tests {\n use crate::y;\n}"),
        "use a;"
    );
}
