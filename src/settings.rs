//! The flags of a command that analyses a plan, the config file (`.privdiff.hcl`) and the role
//! files, validated into one [`Settings`]. All of it is read before the plan, so a mistake in
//! any of it stops the run first; every error here is an input error (exit code 2).

use crate::analyze;
use crate::catalog::azure;
use crate::catalog::gcp::roles_file;
use crate::config::{self, Config, Date};
use crate::gate::FailOn;
use crate::locate;
use crate::providers::azure::principal_names::PrincipalNames;
use crate::render::Format;
use crate::rules::Pages;
use crate::stderr::one_line;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The flags as given: no file read, no default applied.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// A plan JSON file, or `-` for standard input.
    pub plan: String,
    /// `--output FORMAT=PATH`, in the order given.
    pub outputs: Vec<(Format, PathBuf)>,
    pub fail_on: Option<FailOn>,
    pub config: Option<PathBuf>,
    pub source_dir: Option<PathBuf>,
    /// 12-digit AWS account ids.
    pub trusted_accounts: Vec<String>,
    pub azure_roles: Option<PathBuf>,
    pub gcp_roles: Option<PathBuf>,
    pub principal_names: Option<PathBuf>,
    pub step_summary: bool,
    pub github_output: bool,
    /// `--rules-url`: where the rules' pages are.
    pub rules_url: Option<Pages>,
}

/// Where the plan comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanSource {
    Stdin,
    /// A file, named as the user wrote it (and so in messages).
    File(String),
}

/// Everything a run needs to analyse a plan and write its outputs.
#[derive(Debug)]
pub struct Settings {
    pub plan: PlanSource,
    /// `--output`: the report in each format to its file, in the order given.
    pub outputs: Vec<(Format, PathBuf)>,
    /// The gate in effect: `--fail-on`, else the config file's `fail_on`, else
    /// [`FailOn::DEFAULT`].
    pub fail_on: FailOn,
    /// Trusted accounts (the flags' first, then the config file's), the config file's `sod`
    /// rules, and the role tables of `--azure-roles` and `--gcp-roles`.
    pub options: analyze::Options,
    /// Where the Terraform sources are read to point findings at `.tf` lines, if anywhere.
    pub source_dir: Option<PathBuf>,
    /// Append the Markdown report to the file named by `GITHUB_STEP_SUMMARY`.
    pub step_summary: bool,
    /// Append the step outputs to the file named by `GITHUB_OUTPUT`.
    pub github_output: bool,
    /// Where the rules' pages are, for the links of the comment and SARIF: `--rules-url`, else
    /// the config file's `rules_url`, else nowhere.
    pub rule_pages: Option<Pages>,
    /// Today (UTC), against which `ignore` blocks expire.
    pub today: Date,
    /// The config file in effect, for [`config::apply`].
    pub config: Option<Config>,
}

impl Settings {
    /// Validates `flags` in the working directory, with the process's environment.
    pub fn load(flags: Flags) -> anyhow::Result<Settings> {
        Settings::load_in(flags, Path::new("."), &|name| std::env::var(name).ok())
    }

    /// [`Settings::load`] with `dir` as the directory where `.privdiff.hcl` and the sources are
    /// looked for when the flags do not name them, and `var` reading the environment.
    pub fn load_in(
        flags: Flags,
        dir: &Path,
        var: &dyn Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Settings> {
        // The config is read first: a mistake in it stops the run before anything else.
        let config = config::find(flags.config.as_deref(), dir)?;
        let today = today(var("PRIVDIFF_TODAY"))?;
        let azure_roles = match &flags.azure_roles {
            Some(path) => azure_roles(path)?,
            None => Default::default(),
        };
        let gcp_roles = match &flags.gcp_roles {
            Some(path) => gcp_roles(path)?,
            None => Default::default(),
        };
        let principal_names = match &flags.principal_names {
            Some(path) => principal_names(path)?,
            None => Default::default(),
        };
        let fail_on = flags
            .fail_on
            .or(config.as_ref().and_then(|c| c.fail_on))
            .unwrap_or(FailOn::DEFAULT);
        let source_dir = flags
            .source_dir
            .or_else(|| locate::has_sources(dir).then(|| dir.to_path_buf()));
        let options = analyze::Options {
            trusted_accounts: trusted_accounts(flags.trusted_accounts, config.as_ref()),
            sod: config.as_ref().map(|c| c.sod.clone()).unwrap_or_default(),
            azure_roles,
            gcp_roles,
            principal_names,
            owner_tags: config
                .as_ref()
                .map(|c| c.owner_tags.clone())
                .unwrap_or_default(),
        };
        let rule_pages = flags
            .rules_url
            .or_else(|| config.as_ref().and_then(|c| c.rules_url.clone()));
        let plan = match flags.plan.as_str() {
            "-" => PlanSource::Stdin,
            _ => PlanSource::File(flags.plan),
        };
        Ok(Settings {
            plan,
            outputs: flags.outputs,
            fail_on,
            options,
            source_dir,
            step_summary: flags.step_summary,
            github_output: flags.github_output,
            rule_pages,
            today,
            config,
        })
    }
}

/// `--color auto`: colour when standard output is a terminal and `NO_COLOR` is unset or empty.
pub fn auto_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// How wide the table may be: `COLUMNS` when it holds a width, else the terminal's when
/// standard output is one, else [`DEFAULT_TABLE_WIDTH`]. Never narrower than
/// [`MIN_TABLE_WIDTH`]: a table needs room for its borders and a word per column.
pub fn table_width() -> u16 {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<u16>().ok())
        .filter(|w| *w > 0);
    // comfy-table asks the terminal only when standard output is one.
    let terminal = || comfy_table::Table::new().width();
    columns
        .or_else(terminal)
        .unwrap_or(DEFAULT_TABLE_WIDTH)
        .max(MIN_TABLE_WIDTH)
}

/// The table's width when neither `COLUMNS` nor a terminal says one: a CI log, a file.
pub const DEFAULT_TABLE_WIDTH: u16 = 100;
/// The narrowest table privdiff draws.
pub const MIN_TABLE_WIDTH: u16 = 40;

/// The flags' accounts, then the config file's that the flags do not repeat.
fn trusted_accounts(mut accounts: Vec<String>, config: Option<&Config>) -> Vec<String> {
    for id in config.iter().flat_map(|c| &c.trusted_accounts) {
        if !accounts.contains(id) {
            accounts.push(id.clone());
        }
    }
    accounts
}

/// A role silently left out of `--azure-roles` could hide a widening, so a mistake stops the run.
fn azure_roles(path: &Path) -> anyhow::Result<azure::RoleTable> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read --azure-roles {}: {e}", path.display()))?;
    azure::RoleTable::parse(&text).map_err(|e| {
        anyhow::anyhow!(
            "--azure-roles {} is not `az role definition list` output: {}",
            path.display(),
            one_line(&e)
        )
    })
}

/// As for [`azure_roles`], a mistake in `--gcp-roles` stops the run.
fn gcp_roles(path: &Path) -> anyhow::Result<roles_file::RoleCatalog> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read --gcp-roles {}: {e}", path.display()))?;
    roles_file::RoleCatalog::parse(&text).map_err(|e| {
        anyhow::anyhow!(
            "--gcp-roles {} is not a GCP role catalog: {}",
            path.display(),
            one_line(&e)
        )
    })
}

/// A name file that does not parse would leave principals unnamed without saying so.
fn principal_names(path: &Path) -> anyhow::Result<PrincipalNames> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read --principal-names {}: {e}", path.display()))?;
    PrincipalNames::parse(&text)
        .map_err(|e| anyhow::anyhow!("--principal-names {}: {}", path.display(), one_line(&e)))
}

/// `PRIVDIFF_TODAY=YYYY-MM-DD` when set, so tests and reproducible runs do not depend on the
/// clock; else the system clock.
fn today(privdiff_today: Option<String>) -> anyhow::Result<Date> {
    match privdiff_today {
        Some(text) if !text.is_empty() => Date::parse(&text).ok_or_else(|| {
            anyhow::anyhow!(
                "PRIVDIFF_TODAY must be a date as YYYY-MM-DD, not {:?}",
                one_line(&text)
            )
        }),
        _ => Ok(Date::today()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(plan: &str) -> Flags {
        Flags {
            plan: plan.to_string(),
            ..Flags::default()
        }
    }

    fn load(flags: Flags, dir: &Path) -> anyhow::Result<Settings> {
        Settings::load_in(flags, dir, &|name| {
            (name == "PRIVDIFF_TODAY").then(|| "2026-01-15".to_string())
        })
    }

    #[test]
    fn trusted_accounts_come_from_the_flags_and_the_config() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(config::FILE_NAME),
            "trusted_accounts = [\"111122223333\", \"444455556666\"]\nsod \"x\" {\n  actions = [[\"a:b\"], [\"c:d\"]]\n}\n",
        )
        .unwrap();
        let settings = load(
            Flags {
                trusted_accounts: vec!["444455556666".into(), "777788889999".into()],
                ..flags("plan.json")
            },
            dir.path(),
        )
        .unwrap();
        assert_eq!(
            settings.options.trusted_accounts,
            ["444455556666", "777788889999", "111122223333"]
        );
        assert_eq!(settings.options.sod, settings.config.unwrap().sod);

        let empty = tempfile::tempdir().unwrap();
        let settings = load(flags("plan.json"), empty.path()).unwrap();
        assert!(settings.config.is_none());
        assert!(settings.options.trusted_accounts.is_empty() && settings.options.sod.is_empty());
    }

    #[test]
    fn the_gate_is_the_flag_else_the_config_file_else_high() {
        let dir = tempfile::tempdir().unwrap();
        let gate = |fail_on: Option<&str>| {
            let flags = Flags {
                fail_on: fail_on.and_then(FailOn::parse),
                ..flags("plan.json")
            };
            load(flags, dir.path()).unwrap().fail_on
        };
        assert_eq!(gate(None), FailOn::DEFAULT);
        std::fs::write(
            dir.path().join(config::FILE_NAME),
            "fail_on = \"widened\"\n",
        )
        .unwrap();
        assert_eq!(gate(None), FailOn::Widened);
        assert_eq!(gate(Some("never")), FailOn::Never);
    }

    #[test]
    fn the_rules_pages_are_the_flags_else_the_config_files_else_none() {
        let dir = tempfile::tempdir().unwrap();
        let page = |flag: Option<&str>| {
            let flags = Flags {
                rules_url: flag.map(|url| Pages::parse(url).unwrap()),
                ..flags("plan.json")
            };
            let settings = load(flags, dir.path()).unwrap();
            settings.rule_pages.map(|p| p.page("PD001"))
        };
        assert_eq!(page(None), None);
        std::fs::write(
            dir.path().join(config::FILE_NAME),
            "rules_url = \"https://docs.example.com/rules/{code}.html\"\n",
        )
        .unwrap();
        assert_eq!(
            page(None).as_deref(),
            Some("https://docs.example.com/rules/PD001.html")
        );
        assert_eq!(
            page(Some("https://github.com/acme/privdiff/blob/v1/docs/rules")).as_deref(),
            Some("https://github.com/acme/privdiff/blob/v1/docs/rules/PD001.md")
        );
    }

    #[test]
    fn sources_are_looked_for_where_the_flag_says_else_where_there_are_some() {
        let dir = tempfile::tempdir().unwrap();
        let source_dir = |flag: Option<&str>| {
            let flags = Flags {
                source_dir: flag.map(PathBuf::from),
                ..flags("plan.json")
            };
            load(flags, dir.path()).unwrap().source_dir
        };
        assert_eq!(source_dir(None), None);
        assert_eq!(source_dir(Some("tf")), Some(PathBuf::from("tf")));
        std::fs::write(dir.path().join("main.tf"), "").unwrap();
        assert_eq!(source_dir(None), Some(dir.path().to_path_buf()));
    }

    #[test]
    fn a_dash_reads_the_plan_from_standard_input() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            load(flags("-"), dir.path()).unwrap().plan,
            PlanSource::Stdin
        );
        assert_eq!(
            load(flags("./-"), dir.path()).unwrap().plan,
            PlanSource::File("./-".into())
        );
    }

    #[test]
    fn today_is_privdiff_today_when_it_is_set() {
        assert_eq!(
            today(Some("2026-01-15".into())).unwrap(),
            Date::parse("2026-01-15").unwrap()
        );
        let e = today(Some("15/01/2026\n".into())).unwrap_err().to_string();
        assert!(e.starts_with("PRIVDIFF_TODAY must be a date as YYYY-MM-DD, not \"15/01/2026"));
        assert!(!e.contains('\n'), "{e}");
        assert!(today(Some(String::new())).is_ok() && today(None).is_ok());
    }

    #[test]
    fn a_role_file_that_cannot_be_used_stops_the_run_and_names_its_flag() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("roles.json");
        std::fs::write(&bad, "{not json").unwrap();
        for (flags, flag) in [
            (
                Flags {
                    gcp_roles: Some(bad.clone()),
                    ..flags("plan.json")
                },
                "--gcp-roles",
            ),
            (
                Flags {
                    azure_roles: Some(bad.clone()),
                    ..flags("plan.json")
                },
                "--azure-roles",
            ),
            (
                Flags {
                    principal_names: Some(bad.clone()),
                    ..flags("plan.json")
                },
                "--principal-names",
            ),
        ] {
            let e = load(flags, dir.path()).unwrap_err().to_string();
            assert!(e.starts_with(&format!("{flag} {}", bad.display())), "{e}");
            assert!(!e.contains('\n'), "{e}");
        }
    }
}
