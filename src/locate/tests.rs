//! Whole-module tests of [`Sources`] on small trees written to a temporary directory.

use super::*;
use serde_json::json;
use std::fs;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A directory under the system temporary directory, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let p = std::env::temp_dir().join(format!("privdiff-{}-{name}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&p);
        fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.0.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Plan JSON with one no-op change per address and the given `configuration`.
fn plan_json(addresses: &[&str], configuration: Option<serde_json::Value>) -> Vec<u8> {
    let changes: Vec<_> = addresses
        .iter()
        .map(|a| {
            json!({"address": a, "mode": "managed", "type": "t", "name": "n",
                   "change": {"actions": ["no-op"], "before": {}, "after": {}}})
        })
        .collect();
    let mut plan = json!({"format_version": "1.2", "resource_changes": changes});
    if let Some(c) = configuration {
        plan["configuration"] = c;
    }
    serde_json::to_vec(&plan).unwrap()
}

/// Loads the sources of `t/infra` for a plan, with `t` as the working directory.
fn load(t: &TempDir, plan: &[u8]) -> (Sources, Vec<String>) {
    let plan = crate::plan::load(plan).unwrap();
    Sources::load_in(&t.path().join("infra"), &plan, Some(t.path())).unwrap()
}

fn at(s: &Sources, address: &str) -> Option<(String, usize, usize)> {
    s.find(address).map(|l| (l.file, l.line, l.end_line))
}

fn loc(file: &str, line: usize, end_line: usize) -> Option<(String, usize, usize)> {
    Some((file.to_string(), line, end_line))
}

fn nested_config() -> serde_json::Value {
    json!({"root_module": {"module_calls": {
        "ci": {"source": "./modules/ci", "for_each_expression": {}, "module": {"module_calls": {
            "inner": {"source": "../inner", "module": {}}}}},
        "remote": {"source": "acme/iam/aws", "module": {"module_calls": {
            "sub": {"source": "./sub", "module": {}}}}},
        "gone": {"source": "./modules/gone", "module": {}}}}})
}

fn nested_tree() -> TempDir {
    let t = TempDir::new("nested");
    t.write(
        "infra/main.tf",
        "module \"ci\" {\n  for_each = toset([\"x\", \"y\"])\n  source   = \"./modules/ci\"\n}\n\nresource \"aws_iam_user\" \"bot\" {\n  count = 2\n}\n",
    );
    t.write(
        "infra/modules/ci/main.tf",
        "module \"inner\" {\n  source = \"../inner\"\n}\n",
    );
    t.write(
        "infra/modules/inner/main.tf",
        "\r\n# roles\r\nresource \"aws_iam_role\" \"deployer\" {\r\n  count = 1\r\n  name  = \"d\"\r\n}\r\n\r\ndata \"aws_iam_policy_document\" \"d\" {\r\n}\r\n",
    );
    t
}

#[test]
fn finds_blocks_in_nested_modules_without_instance_keys() {
    let t = nested_tree();
    let plan = plan_json(
        &[
            r#"module.ci["x"].module.inner.aws_iam_role.deployer[0]"#,
            "aws_iam_user.bot[1]",
        ],
        Some(nested_config()),
    );
    let (s, warnings) = load(&t, &plan);
    assert_eq!(warnings, Vec::<String>::new());
    let inner = "infra/modules/inner/main.tf";
    assert_eq!(
        at(
            &s,
            r#"module.ci["x"].module.inner.aws_iam_role.deployer[0]"#
        ),
        loc(inner, 3, 6)
    );
    assert_eq!(
        at(&s, r#"module.ci["y"].module.inner.aws_iam_role.deployer"#),
        loc(inner, 3, 6)
    );
    assert_eq!(
        at(
            &s,
            r#"module.ci["x"].module.inner.data.aws_iam_policy_document.d"#
        ),
        loc(inner, 8, 9)
    );
    assert_eq!(at(&s, "aws_iam_user.bot[0]"), loc("infra/main.tf", 6, 8));
    assert_eq!(at(&s, "aws_iam_user.nope"), None);
    assert_eq!(at(&s, "module.ci.aws_iam_role.deployer"), None);
    assert_eq!(at(&s, "external:aws_iam_role/deployer"), None);
    assert_eq!(at(&s, "module.unknown.aws_iam_role.deployer"), None);
}

#[test]
fn only_directories_of_modules_the_plan_uses_are_read() {
    let t = nested_tree();
    t.write("infra/modules/inner/broken.tf", "resource {");
    let (s, warnings) = load(
        &t,
        &plan_json(&["aws_iam_user.bot[0]"], Some(nested_config())),
    );
    assert_eq!(warnings, Vec::<String>::new());
    assert_eq!(s.dirs.len(), 1);
}

#[test]
fn registry_modules_come_from_modules_json() {
    let t = nested_tree();
    t.write(
        "infra/.terraform/modules/modules.json",
        r#"{"Modules":[{"Key":"","Source":"","Dir":"."},
            {"Key":"remote","Source":"registry.terraform.io/acme/iam/aws","Version":"1.0.0","Dir":".terraform/modules/remote"}]}"#,
    );
    t.write(
        "infra/.terraform/modules/remote/main.tf",
        "resource \"aws_iam_policy\" \"this\" {\n}\n",
    );
    t.write(
        "infra/.terraform/modules/remote/sub/iam.tf",
        "resource \"aws_iam_role\" \"sub\" {}\n",
    );
    let plan = plan_json(
        &[
            "module.remote.aws_iam_policy.this",
            "module.remote.module.sub.aws_iam_role.sub",
        ],
        Some(nested_config()),
    );
    let (s, warnings) = load(&t, &plan);
    assert_eq!(warnings, Vec::<String>::new());
    assert_eq!(
        at(&s, "module.remote.aws_iam_policy.this"),
        loc("infra/.terraform/modules/remote/main.tf", 1, 2)
    );
    assert_eq!(
        at(&s, "module.remote.module.sub.aws_iam_role.sub"),
        loc("infra/.terraform/modules/remote/sub/iam.tf", 1, 1)
    );
    // Without a configuration, modules.json alone still finds the registry module.
    let (s, warnings) = load(&t, &plan_json(&["module.remote.aws_iam_policy.this"], None));
    assert_eq!(warnings, Vec::<String>::new());
    assert!(s.find("module.remote.aws_iam_policy.this").is_some());
}

#[test]
fn unresolved_and_missing_module_directories_are_warnings() {
    let t = nested_tree();
    let plan = plan_json(
        &[
            "module.remote.aws_iam_policy.this",
            "module.gone.aws_iam_role.r",
            "module.stray.aws_iam_role.r",
        ],
        Some(nested_config()),
    );
    let (s, warnings) = load(&t, &plan);
    assert_eq!(
        warnings,
        [
            "infra/modules/gone: skipped, the directory of module.gone does not exist",
            "module.remote: skipped, its source is not a local path and .terraform/modules/modules.json does not list it (run terraform init)",
            "module.stray: skipped, neither the plan's configuration nor .terraform/modules/modules.json says where its sources are",
        ]
    );
    assert_eq!(at(&s, "module.gone.aws_iam_role.r"), None);
}

#[test]
fn a_file_that_does_not_parse_is_skipped_with_its_position() {
    let t = nested_tree();
    t.write(
        "infra/bad.tf",
        "resource \"aws_iam_role\" \"x\" {\n  name = \n}\n",
    );
    t.write("infra/bad.tf.json", "{\"resource\": }");
    t.write("infra/.terraform/modules/modules.json", "{\"Modules\": {}}");
    let (s, warnings) = load(
        &t,
        &plan_json(&["aws_iam_user.bot[0]"], Some(nested_config())),
    );
    assert_eq!(
        warnings,
        [
            "infra/.terraform/modules/modules.json: skipped, not a module manifest (line 1, column 12)",
            "infra/bad.tf: skipped, not valid HCL (line 2, column 10)",
            "infra/bad.tf.json: skipped, not valid JSON (line 1, column 14)",
        ]
    );
    assert_eq!(at(&s, "aws_iam_user.bot[0]"), loc("infra/main.tf", 6, 8));
}

#[test]
fn override_files_do_not_win_over_the_declaration() {
    let t = TempDir::new("override");
    t.write(
        "infra/a_override.tf",
        "resource \"aws_iam_role\" \"r\" {\n  name = \"o\"\n}\n",
    );
    t.write(
        "infra/override.tf.json",
        "{\"resource\": {\"aws_iam_role\": {\"r\": {}}}}",
    );
    t.write(
        "infra/roles.tf.json",
        "{\n \"resource\": {\"aws_iam_role\": {\n  \"r\": {\n  }\n }}\n}\n",
    );
    t.write(
        "infra/z.tf",
        "resource \"aws_iam_role\" \"only_override\" {}\n",
    );
    t.write(
        "infra/zz_override.tf",
        "resource \"aws_iam_role\" \"only_override\" {}\n",
    );
    let (s, warnings) = load(&t, &plan_json(&["aws_iam_role.r"], None));
    assert_eq!(warnings, Vec::<String>::new());
    assert_eq!(at(&s, "aws_iam_role.r"), loc("infra/roles.tf.json", 3, 4));
    assert_eq!(
        at(&s, "aws_iam_role.only_override"),
        loc("infra/z.tf", 1, 1)
    );
}

#[test]
fn locations_are_relative_to_the_working_directory() {
    let t = nested_tree();
    let plan = plan_json(&["aws_iam_user.bot[0]"], None);
    let plan = crate::plan::load(&plan).unwrap();
    let file = |dir: &Path, cwd: &Path| {
        let (s, _) = Sources::load_in(dir, &plan, Some(cwd)).unwrap();
        s.find("aws_iam_user.bot[0]").unwrap().file
    };
    let infra = t.path().join("infra");
    assert_eq!(file(&infra, t.path()), "infra/main.tf");
    assert_eq!(
        file(&t.path().join("./infra/modules/.."), t.path()),
        "infra/main.tf"
    );
    assert_eq!(file(&infra, &infra), "main.tf");
    let outside = Path::new("/nonexistent-cwd");
    assert_eq!(
        file(&infra, outside),
        format!("{}/main.tf", slashed(&normalize(&infra)))
    );
}

#[test]
fn an_unreadable_root_is_an_error() {
    let t = nested_tree();
    let plan = plan_json(&[], None);
    let plan = crate::plan::load(&plan).unwrap();
    assert!(Sources::load(&t.path().join("absent"), &plan).is_err());
    let e = Sources::load(&t.path().join("infra/main.tf"), &plan).unwrap_err();
    assert!(e.to_string().ends_with("main.tf: not a directory"), "{e}");
}

#[test]
fn has_sources_looks_only_at_the_directory_itself() {
    let t = nested_tree();
    assert!(has_sources(&t.path().join("infra")));
    assert!(has_sources(&t.path().join("infra/modules/ci")));
    assert!(!has_sources(&t.path().join("infra/modules")));
    assert!(!has_sources(&t.path().join("absent")));
    t.write("json/x.tf.json", "{}");
    assert!(has_sources(&t.path().join("json")));
}

#[cfg(unix)]
#[test]
fn warnings_carry_no_control_characters() {
    let t = nested_tree();
    t.write("infra/evil\u{1b}[31m\n.tf", "resource {");
    let cfg = json!({"root_module": {"module_calls": {"x\u{7}": {"source": "pkg"}}}});
    let (_, warnings) = load(&t, &plan_json(&["module.x\u{7}.aws_iam_role.r"], Some(cfg)));
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    for w in &warnings {
        assert!(!w.chars().any(char::is_control), "{w:?}");
    }
}
