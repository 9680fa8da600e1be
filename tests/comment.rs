//! The comment bot against a local fake of the GitHub and GitLab APIs (`comment/fake.rs`):
//! the real HTTP path, never the internet.

mod common;
#[path = "comment/fake.rs"]
mod fake;

use fake::{Fake, Flavor, ME, TOKEN};
use privdiff::comment::{post_printing_to, Behavior, Options, Outcome, Platform};
use privdiff::report::Report;
use std::collections::HashMap;

type Env = HashMap<&'static str, String>;

fn report(file: &str) -> Report {
    let bytes = std::fs::read(common::plan(file)).expect("a plan fixture");
    let plan = privdiff::plan::load(&bytes).expect("a valid plan");
    privdiff::analyze::analyze(
        &plan,
        &privdiff::compare::Limits::default(),
        &Default::default(),
    )
    .expect("analysed")
}

/// One identity widened, one unchanged.
fn widened() -> Report {
    report("ci-role-widened.json")
}

/// No identity changed.
fn unchanged() -> Report {
    let r = report("equivalent-rewrite.json");
    assert!(r
        .identities
        .iter()
        .all(|i| i.verdict == privdiff::model::Verdict::Unchanged));
    r
}

/// A report whose uncut Markdown is longer than `bytes`: the widened identity, many times.
fn huge(bytes: usize) -> Report {
    let mut r = widened();
    let ci = r
        .identities
        .iter()
        .find(|i| i.verdict.grants_new_access())
        .cloned()
        .expect("a widened identity");
    let mut k = 0;
    while privdiff::render::markdown_within(&r, usize::MAX, None).len() <= bytes {
        for _ in 0..200 {
            let mut copy = ci.clone();
            copy.address = format!("aws_iam_role.ci_{k:05}");
            r.identities.push(copy);
            k += 1;
        }
    }
    r
}

fn options(platform: Platform, key: &str, behavior: Behavior) -> Options {
    Options {
        platform,
        key: key.to_string(),
        behavior,
        skip_if_no_changes: false,
        number: None,
        dry_run: false,
        rule_pages: None,
    }
}

fn github(key: &str) -> Options {
    Options {
        number: Some(7),
        ..options(Platform::Github, key, Behavior::Update)
    }
}

fn gitlab(key: &str) -> Options {
    options(Platform::Gitlab, key, Behavior::Update)
}

fn github_env(fake: &Fake) -> Env {
    HashMap::from([
        ("GITHUB_TOKEN", TOKEN.to_string()),
        ("GITHUB_REPOSITORY", "acme/app".to_string()),
        ("GITHUB_API_URL", fake.url.clone()),
    ])
}

fn gitlab_env(fake: &Fake) -> Env {
    HashMap::from([
        ("GITLAB_TOKEN", TOKEN.to_string()),
        ("CI_API_V4_URL", format!("{}/api/v4", fake.url)),
        ("CI_PROJECT_ID", "group/project".to_string()),
        ("CI_MERGE_REQUEST_IID", "7".to_string()),
    ])
}

/// Runs the bot; its outcome and what it printed on standard output.
fn post(report: &Report, options: &Options, env: &Env) -> (anyhow::Result<Outcome>, String) {
    let mut out = Vec::new();
    let read = |name: &str| env.get(name).cloned();
    let outcome = post_printing_to(report, options, &read, &mut out);
    (outcome, String::from_utf8(out).expect("UTF-8 output"))
}

fn ok(report: &Report, options: &Options, env: &Env) -> Outcome {
    match post(report, options, env) {
        (Ok(outcome), _) => outcome,
        (Err(e), _) => panic!("{e:#}"),
    }
}

fn err(report: &Report, options: &Options, env: &Env) -> String {
    match post(report, options, env) {
        (Ok(outcome), _) => panic!("expected an error, got: {outcome}"),
        (Err(e), out) => {
            let msg = format!("{e:#}");
            assert!(!msg.contains(TOKEN) && !out.contains(TOKEN), "{msg}");
            assert!(!msg.contains('\n'), "one line: {msg}");
            msg
        }
    }
}

const PROD: &str = "<!-- privdiff:comment key=prod -->";

fn seed_foreign_chatter(fake: &Fake, n: usize) {
    for k in 0..n {
        fake.seed("alice", &format!("review comment {k}"));
    }
}

#[test]
fn github_first_run_creates_and_the_second_updates_the_same_comment() {
    let fake = Fake::start(Flavor::GitHub);
    seed_foreign_chatter(&fake, 5);
    let env = github_env(&fake);

    let first = ok(&widened(), &github("prod"), &env);
    let mine = fake.mine();
    assert_eq!(mine.len(), 1);
    assert_eq!(first.comment_id(), Some(mine[0].id));
    assert_eq!(
        first.to_string(),
        format!("created comment {} on acme/app#7", mine[0].id)
    );
    assert!(
        mine[0].body.starts_with(&format!("{PROD}\n**privdiff:**")),
        "{}",
        mine[0].body
    );
    assert!(mine[0].body.contains("widened"));

    // 6 comments at 2 a page: the listing must have followed the Link header to page 3.
    assert!(
        fake.log().iter().any(|r| r.url.ends_with("&page=3")),
        "{:?}",
        fake.log()
    );
    assert!(fake
        .log()
        .iter()
        .all(|r| r.auth.as_deref() == Some("Authorization")));

    let second = ok(&unchanged(), &github("prod"), &env);
    let after = fake.mine();
    assert_eq!(after.len(), 1, "{after:?}");
    assert_eq!(after[0].id, mine[0].id);
    assert_eq!(
        second.to_string(),
        format!("updated comment {} on acme/app#7", mine[0].id)
    );
    assert!(after[0].body.contains("no identity's permissions changed"));
    assert_eq!(fake.comments().len(), 6);
}

#[test]
fn github_two_keys_keep_two_comments() {
    let fake = Fake::start(Flavor::GitHub);
    let env = github_env(&fake);
    for _ in 0..2 {
        ok(&widened(), &github("prod"), &env);
        ok(&widened(), &github("staging"), &env);
    }
    let mine = fake.mine();
    assert_eq!(mine.len(), 2, "{mine:?}");
    assert!(mine[0].body.starts_with(PROD));
    assert!(mine[1]
        .body
        .starts_with("<!-- privdiff:comment key=staging -->\n"));
}

#[test]
fn a_foreign_comment_carrying_the_marker_is_never_touched() {
    let fake = Fake::start(Flavor::GitHub);
    let env = github_env(&fake);
    let forged = format!("{PROD}\nI am another bot quoting privdiff");
    let foreign = fake.seed("mallory[bot]", &forged);

    let first = ok(&widened(), &github("prod"), &env);
    assert!(first.to_string().starts_with("created comment"), "{first}");

    let delete_and_new = Options {
        behavior: Behavior::DeleteAndNew,
        ..github("prod")
    };
    ok(&widened(), &delete_and_new, &env);
    let skip = Options {
        skip_if_no_changes: true,
        ..github("prod")
    };
    ok(&unchanged(), &skip, &env);

    let comments = fake.comments();
    assert_eq!(comments.len(), 1, "{comments:?}");
    assert_eq!(
        (comments[0].id, comments[0].body.as_str()),
        (foreign, forged.as_str())
    );
    let touched: Vec<_> = fake
        .writes()
        .into_iter()
        .filter(|r| r.url.ends_with(&format!("/{foreign}")))
        .collect();
    assert!(touched.is_empty(), "{touched:?}");
}

#[test]
fn a_user_named_like_the_bot_is_someone_else() {
    // `github-actions` the user is not `github-actions[bot]` the app, whatever the logins say;
    // so when GraphQL names no account id, GET /user (which does) decides.
    for viewer_without_id in [false, true] {
        let fake = Fake::start(Flavor::GitHub);
        fake.state.lock().unwrap().viewer_without_id = viewer_without_id;
        let env = github_env(&fake);
        let mine = ok(&widened(), &github("prod"), &env);
        let id = mine.comment_id().unwrap();
        let forged = fake.seed("github-actions", &format!("{PROD}\nall clear"));
        let again = ok(&widened(), &github("prod"), &env);
        assert_eq!(again.comment_id(), Some(id), "{viewer_without_id}: {again}");
        let comments = fake.comments();
        assert!(comments
            .iter()
            .any(|c| c.id == forged && c.body.ends_with("all clear")));
        assert_eq!(fake.mine().len(), 1, "{viewer_without_id}");
    }
}

#[test]
fn new_posts_another_comment_and_delete_and_new_replaces_them_all() {
    let fake = Fake::start(Flavor::GitHub);
    let env = github_env(&fake);
    let new = Options {
        behavior: Behavior::New,
        ..github("prod")
    };
    ok(&widened(), &new, &env);
    ok(&widened(), &new, &env);
    let before: Vec<u64> = fake.mine().iter().map(|c| c.id).collect();
    assert_eq!(before.len(), 2);

    let replace = Options {
        behavior: Behavior::DeleteAndNew,
        ..github("prod")
    };
    let outcome = ok(&widened(), &replace, &env);
    let after = fake.mine();
    assert_eq!(after.len(), 1);
    assert!(!before.contains(&after[0].id));
    assert_eq!(outcome.comment_id(), Some(after[0].id));
    assert_eq!(outcome.deleted(), before);
    // Created first, so a failure half-way never leaves the pull request without a report.
    let methods: Vec<String> = fake.writes().iter().map(|r| r.method.clone()).collect();
    assert_eq!(methods, ["POST", "POST", "POST", "DELETE", "DELETE"]);
}

#[test]
fn update_keeps_the_newest_of_several_and_deletes_the_duplicates() {
    let fake = Fake::start(Flavor::GitHub);
    let env = github_env(&fake);
    let older = fake.seed(ME, &format!("{PROD}\nold"));
    let newer = fake.seed(ME, &format!("{PROD}\nnewer"));
    let outcome = ok(&widened(), &github("prod"), &env);
    assert_eq!(
        outcome.to_string(),
        format!("updated comment {newer} and deleted earlier comment {older} on acme/app#7")
    );
    let mine = fake.mine();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].id, newer);
}

#[test]
fn skip_if_no_changes_deletes_the_stale_comment_and_posts_nothing() {
    let fake = Fake::start(Flavor::GitHub);
    let env = github_env(&fake);
    ok(&widened(), &github("prod"), &env);
    let stale = fake.mine()[0].id;
    fake.clear_log();

    let skip = Options {
        skip_if_no_changes: true,
        ..github("prod")
    };
    let outcome = ok(&unchanged(), &skip, &env);
    assert!(fake.mine().is_empty());
    assert_eq!(
        outcome.to_string(),
        format!("no identity or resource changed, so posted nothing on acme/app#7 and deleted earlier comment {stale}")
    );
    let writes: Vec<String> = fake.writes().iter().map(|r| r.method.clone()).collect();
    assert_eq!(writes, ["DELETE"]);

    // With nothing left to delete, nothing is sent at all.
    fake.clear_log();
    let again = ok(&unchanged(), &skip, &env);
    assert!(fake.writes().is_empty());
    assert_eq!(
        again.to_string(),
        "no identity or resource changed, so posted nothing on acme/app#7"
    );

    // A widened report is still posted with the flag.
    ok(&widened(), &skip, &env);
    assert_eq!(fake.mine().len(), 1);
}

#[test]
fn a_rejected_token_gives_a_clear_error_without_the_token() {
    let fake = Fake::start(Flavor::GitHub);
    let mut env = github_env(&fake);
    env.insert("GITHUB_TOKEN", "wrong-token-value".to_string());
    let msg = err(&widened(), &github("prod"), &env);
    assert!(msg.contains("401 Unauthorized"), "{msg}");
    assert!(msg.contains("GITHUB_TOKEN was rejected"), "{msg}");
    assert!(!msg.contains("wrong-token-value"), "{msg}");
    assert!(fake.writes().is_empty());
}

#[test]
fn a_wrong_repository_gives_a_404_that_says_what_to_check() {
    let fake = Fake::start(Flavor::GitHub);
    let mut env = github_env(&fake);
    env.insert("GITHUB_REPOSITORY", "acme/typo".to_string());
    let msg = err(&widened(), &github("prod"), &env);
    assert_eq!(
        msg,
        "GitHub answered 404 Not Found to GET /repos/acme/typo/issues/7/comments: \"Not Found\"; \
         check GITHUB_REPOSITORY and the pull request number"
    );
}

#[test]
fn a_server_error_is_reported_with_the_echoed_token_redacted() {
    let fake = Fake::start(Flavor::GitHub);
    let env = github_env(&fake);
    fake.state.lock().unwrap().fail = Some(("GET", 500));
    let msg = err(&widened(), &github("prod"), &env);
    assert!(
        msg.starts_with(
            "GitHub answered 500 Internal Server Error to GET /repos/acme/app/issues/7/comments"
        ),
        "{msg}"
    );
    assert!(msg.contains("failure while serving Bearer ***"), "{msg}");
    assert!(msg.contains("try again later"), "{msg}");
}

#[test]
fn a_failure_after_a_write_says_what_was_already_done() {
    let fake = Fake::start(Flavor::GitHub);
    let env = github_env(&fake);
    let older = fake.seed(ME, &format!("{PROD}\nold"));
    let newer = fake.seed(ME, &format!("{PROD}\nnewer"));
    fake.state.lock().unwrap().fail = Some(("DELETE", 500));
    let msg = err(&widened(), &github("prod"), &env);
    assert!(
        msg.starts_with(&format!(
            "updated comment {newer} on acme/app#7, then: GitHub answered 500"
        )),
        "{msg}"
    );
    assert!(
        msg.contains(&format!("DELETE /repos/acme/app/issues/comments/{older}")),
        "{msg}"
    );
}

#[test]
fn the_viewer_falls_back_to_get_user_and_is_never_guessed() {
    let fake = Fake::start(Flavor::GitHub);
    let env = github_env(&fake);
    ok(&widened(), &github("prod"), &env);
    fake.state.lock().unwrap().graphql_broken = true;
    let outcome = ok(&widened(), &github("prod"), &env);
    assert!(
        outcome.to_string().starts_with("updated comment"),
        "{outcome}"
    );
    assert!(fake
        .log()
        .iter()
        .any(|r| r.method == "GET" && r.url == "/user"));

    fake.state.lock().unwrap().user_broken = true;
    fake.clear_log();
    let msg = err(&widened(), &github("prod"), &env);
    assert!(
        msg.starts_with("cannot tell which account GITHUB_TOKEN belongs to"),
        "{msg}"
    );
    assert!(msg.contains("Resource not accessible"), "{msg}");
    assert!(fake.writes().is_empty());
}

#[test]
fn enterprise_server_urls_put_graphql_beside_the_rest_api() {
    let fake = Fake::start(Flavor::GitHub);
    let mut env = github_env(&fake);
    env.insert("GITHUB_API_URL", format!("{}/api/v3/", fake.url));
    ok(&widened(), &github("prod"), &env);
    let log = fake.log();
    assert_eq!(log[0].url, "/api/graphql", "{log:?}");
    assert!(log[1]
        .url
        .starts_with("/api/v3/repos/acme/app/issues/7/comments?"));
    assert_eq!(fake.mine().len(), 1);
}

#[test]
fn the_pull_request_number_comes_from_the_event_payload() {
    let fake = Fake::start(Flavor::GitHub);
    let dir = std::env::temp_dir().join(format!("privdiff-comment-event-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let event = dir.join("event.json");
    std::fs::write(
        &event,
        r#"{"action":"synchronize","number":7,"pull_request":{"number":7}}"#,
    )
    .unwrap();
    let mut env = github_env(&fake);
    env.insert("GITHUB_EVENT_PATH", event.display().to_string());
    let from_event = Options {
        number: None,
        ..github("prod")
    };
    let outcome = ok(&widened(), &from_event, &env);
    assert!(outcome.to_string().ends_with(" on acme/app#7"), "{outcome}");

    std::fs::write(&event, r#"{"ref":"refs/heads/main","commits":[]}"#).unwrap();
    let msg = err(&widened(), &from_event, &env);
    assert!(
        msg.contains("names no pull request") && msg.contains("--pr"),
        "{msg}"
    );
    env.remove("GITHUB_EVENT_PATH");
    let msg = err(&widened(), &from_event, &env);
    assert!(msg.contains("GITHUB_EVENT_PATH is not set"), "{msg}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_dry_run_reads_but_sends_no_write_and_prints_the_plan() {
    let fake = Fake::start(Flavor::GitHub);
    let env = github_env(&fake);
    let older = fake.seed(ME, &format!("{PROD}\nold"));
    let newer = fake.seed(ME, &format!("{PROD}\nnewer"));
    let dry = Options {
        dry_run: true,
        ..github("prod")
    };
    let (outcome, out) = post(&widened(), &dry, &env);
    let outcome = outcome.expect("a dry run");
    assert!(fake.writes().is_empty(), "{:?}", fake.writes());
    assert!(fake.log().iter().any(|r| r.method == "GET"), "it did read");
    assert_eq!(fake.mine().len(), 2);
    assert!(!outcome.sent());
    assert_eq!(
        outcome.to_string(),
        format!("dry run, nothing sent: would update comment {newer} and delete earlier comment {older} on acme/app#7")
    );
    assert!(
        out.contains(&format!(
            "  PATCH {}/repos/acme/app/issues/comments/{newer}\n",
            fake.url
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "  DELETE {}/repos/acme/app/issues/comments/{older}\n",
            fake.url
        )),
        "{out}"
    );
    assert!(out.contains("comment body ("), "{out}");
    assert!(out.contains(&format!("{PROD}\n**privdiff:**")), "{out}");
    assert!(!out.contains(TOKEN));
}

#[test]
fn a_dry_run_without_a_token_prints_the_target_and_body_and_sends_nothing() {
    let fake = Fake::start(Flavor::GitHub);
    let mut env = github_env(&fake);
    env.remove("GITHUB_TOKEN");
    let dry = Options {
        dry_run: true,
        ..github("prod")
    };
    let (outcome, out) = post(&widened(), &dry, &env);
    let outcome = outcome.expect("a dry run");
    assert!(fake.log().is_empty(), "{:?}", fake.log());
    assert!(out.contains("target: acme/app#7\n"), "{out}");
    assert!(out.contains("GITHUB_TOKEN is not set"), "{out}");
    assert!(out.contains(&format!("{PROD}\n**privdiff:**")), "{out}");
    assert!(
        outcome.to_string().starts_with("dry run, nothing sent"),
        "{outcome}"
    );

    // Not a dry run: the missing token is an error.
    let msg = err(&widened(), &github("prod"), &env);
    assert!(msg.starts_with("GITHUB_TOKEN is not set"), "{msg}");
}

#[test]
fn a_hostile_key_is_refused_before_anything_is_sent() {
    let fake = Fake::start(Flavor::GitHub);
    let env = github_env(&fake);
    let msg = err(&widened(), &github("prod --> <img src=x>"), &env);
    assert!(
        msg.starts_with("invalid --key: the key contains ' '"),
        "{msg}"
    );
    assert!(fake.log().is_empty());
}

#[test]
fn a_github_comment_is_cut_to_the_size_limit() {
    let fake = Fake::start(Flavor::GitHub);
    let env = github_env(&fake);
    let big = huge(70_000);
    let outcome = ok(&big, &github("prod"), &env);
    let body = &fake.mine()[0].body;
    assert!(body.chars().count() <= 65_536, "{}", body.len());
    assert!(body.len() > 50_000, "{}", body.len());
    assert!(body.starts_with(&format!("{PROD}\n")));
    assert!(
        body.contains("**Note:** to keep this comment under"),
        "the cut is said"
    );
    assert!(outcome.comment_id().is_some());
}

#[test]
fn gitlab_creates_updates_and_skips_system_and_foreign_notes() {
    let fake = Fake::start(Flavor::GitLab);
    let env = gitlab_env(&fake);
    fake.seed_note("gitlab", "added 1 commit", true);
    seed_foreign_chatter(&fake, 3);
    let forged = fake.seed("mallory", &format!("{PROD}\nforged"));

    let first = ok(&widened(), &gitlab("prod"), &env);
    let mine = fake.mine();
    assert_eq!(mine.len(), 1);
    assert_eq!(
        first.to_string(),
        format!("created comment {} on group/project!7", mine[0].id)
    );
    // 5 notes at 2 a page: X-Next-Page led to page 3.
    assert!(
        fake.log().iter().any(|r| r.url.contains("&page=3&")),
        "{:?}",
        fake.log()
    );
    assert!(fake
        .log()
        .iter()
        .all(|r| r.auth.as_deref() == Some("PRIVATE-TOKEN")));

    let second = ok(&widened(), &gitlab("prod"), &env);
    assert_eq!(
        second.to_string(),
        format!("updated comment {} on group/project!7", mine[0].id)
    );
    assert!(fake.log().iter().any(|r| r.method == "PUT"));
    assert_eq!(fake.mine().len(), 1);

    let skip = Options {
        skip_if_no_changes: true,
        ..gitlab("prod")
    };
    ok(&unchanged(), &skip, &env);
    assert!(fake.mine().is_empty());
    let left = fake.comments();
    assert_eq!(left.len(), 5);
    assert!(left
        .iter()
        .any(|c| c.id == forged && c.body.ends_with("forged")));
}

#[test]
fn gitlab_falls_back_to_the_job_token_header() {
    let fake = Fake::start(Flavor::GitLab);
    let mut env = gitlab_env(&fake);
    env.remove("GITLAB_TOKEN");
    env.insert("CI_JOB_TOKEN", TOKEN.to_string());
    env.insert("CI_PROJECT_PATH", "group/project".to_string());
    let options = Options {
        number: Some(7),
        ..gitlab("prod")
    };
    env.remove("CI_MERGE_REQUEST_IID");
    ok(&widened(), &options, &env);
    assert!(fake
        .log()
        .iter()
        .all(|r| r.auth.as_deref() == Some("JOB-TOKEN")));
    assert_eq!(fake.mine().len(), 1);
}

#[test]
fn gitlab_errors_name_the_cause_without_the_token() {
    let fake = Fake::start(Flavor::GitLab);
    let mut env = gitlab_env(&fake);
    env.insert("GITLAB_TOKEN", "glpat-wrong".to_string());
    let msg = err(&widened(), &gitlab("prod"), &env);
    assert!(
        msg.contains("GitLab answered 401 Unauthorized to GET /api/v4/user"),
        "{msg}"
    );
    assert!(
        msg.contains("GITLAB_TOKEN was rejected") && !msg.contains("glpat-wrong"),
        "{msg}"
    );

    let mut env = gitlab_env(&fake);
    env.insert("CI_PROJECT_ID", "group/other".to_string());
    let msg = err(&widened(), &gitlab("prod"), &env);
    assert!(
        msg.contains("404 Not Found to GET /api/v4/projects/group%2Fother/merge_requests/7/notes"),
        "{msg}"
    );
    assert!(msg.contains("check CI_PROJECT_ID"), "{msg}");

    let env = gitlab_env(&fake);
    fake.state.lock().unwrap().fail = Some(("POST", 503));
    let msg = err(&widened(), &gitlab("prod"), &env);
    assert!(
        msg.starts_with("GitLab answered 503 Service Unavailable to POST"),
        "{msg}"
    );
    assert!(msg.contains("Bearer ***"), "{msg}");

    let mut env = gitlab_env(&fake);
    env.remove("CI_MERGE_REQUEST_IID");
    let msg = err(&widened(), &gitlab("prod"), &env);
    assert!(msg.contains("CI_MERGE_REQUEST_IID is not set"), "{msg}");
}

#[test]
fn gitlab_dry_run_sends_no_write() {
    let fake = Fake::start(Flavor::GitLab);
    let env = gitlab_env(&fake);
    let dry = Options {
        dry_run: true,
        ..gitlab("prod")
    };
    let (outcome, out) = post(&widened(), &dry, &env);
    assert_eq!(
        outcome.unwrap().to_string(),
        "dry run, nothing sent: would create a comment on group/project!7"
    );
    assert!(fake.writes().is_empty());
    let notes = format!(
        "{}/api/v4/projects/group%2Fproject/merge_requests/7/notes",
        fake.url
    );
    assert!(out.contains(&format!("  POST {notes}\n")), "{out}");
}

#[test]
fn a_gitlab_note_is_cut_to_the_size_limit() {
    let fake = Fake::start(Flavor::GitLab);
    let env = gitlab_env(&fake);
    let big = huge(1_000_000);
    ok(&big, &gitlab("prod"), &env);
    let body = &fake.mine()[0].body;
    assert!(body.chars().count() <= 1_000_000, "{}", body.len());
    assert!(body.len() > 900_000, "{}", body.len());
    assert!(
        body.contains("**Note:** to keep this comment under"),
        "the cut is said"
    );
}

#[test]
fn an_unreachable_api_is_one_clear_line() {
    // A port that was free a moment ago: the connection is refused at once.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut env: Env = HashMap::from([
        ("GITHUB_TOKEN", TOKEN.to_string()),
        ("GITHUB_REPOSITORY", "acme/app".to_string()),
    ]);
    env.insert("GITHUB_API_URL", format!("http://127.0.0.1:{port}"));
    let msg = err(&widened(), &github("prod"), &env);
    assert!(
        msg.starts_with("could not reach GitHub for POST /graphql: "),
        "{msg}"
    );
    assert!(!msg.contains("GET /user"), "not tried twice: {msg}");
}

#[test]
fn skip_if_no_changes_still_posts_for_a_changed_resource_or_a_new_reach() {
    let skip = Options {
        skip_if_no_changes: true,
        ..github("prod")
    };
    // A changed resource, here one that only narrowed, is a change like a changed identity.
    let mut resource = unchanged();
    let mut bucket = resource.identities[0].clone();
    bucket.address = "aws_s3_bucket.logs".to_string();
    bucket.kind = "aws_s3_bucket";
    bucket.verdict = privdiff::model::Verdict::Narrowed;
    resource.resources.push(bucket.clone());
    // A principal newly reaching a subject is a change even if no verdict said so.
    let mut reach = unchanged();
    reach.reach.push(privdiff::report::Reach {
        subject: bucket.address.clone(),
        subject_kind: "aws_s3_bucket",
        scope: privdiff::model::ScopeKind::Resource,
        principal: "*".to_string(),
        class: privdiff::report::PrincipalClass::Public,
        account: None,
        actions: vec!["s3:GetObject".to_string()],
        not_actions: false,
        resources: vec![],
        conditions: vec![],
        concerns: vec![],
        addresses: vec![],
        example: None,
    });
    for report in [resource, reach] {
        let fake = Fake::start(Flavor::GitHub);
        let env = github_env(&fake);
        let outcome = ok(&report, &skip, &env);
        assert!(
            outcome.to_string().starts_with("created comment"),
            "{outcome}"
        );
        assert_eq!(fake.mine().len(), 1);
    }
}
