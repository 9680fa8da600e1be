//! Every fixture's comment rendered as GitHub renders it (GitHub-Flavored Markdown, with the
//! raw HTML GitHub allows): the decision opens it, every table is a table with all its columns,
//! `<details>` sections nest and close, and no HTML comes from the plan's text.

mod common;

use common::*;

/// The tags privdiff writes, and those GFM makes of its Markdown.
const ALLOWED: &[&str] = &[
    "p",
    "strong",
    "em",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "ul",
    "li",
    "h4",
    "details",
    "summary",
    "br",
    "del",
    "a",
    "blockquote",
    "hr",
    "ol",
];

fn gfm() -> comrak::Options<'static> {
    let mut o = comrak::Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    // GitHub keeps the HTML a comment may hold (`<details>`); what it would strip matters less
    // than what privdiff lets through, so render it all and look.
    o.render.r#unsafe = true;
    o
}

/// The tag names in `html`, opening and closing (`/details`).
fn tags(html: &str) -> Vec<String> {
    html.match_indices('<')
        .map(|(at, _)| {
            html[at + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '/' || *c == '!')
                .collect()
        })
        .collect()
}

/// `|` that separate cells: not escaped with a backslash (GFM splits inside code spans too).
fn separators(line: &str) -> usize {
    let mut n = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => n += 1,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    n
}

#[test]
fn every_comment_renders_as_github_would() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for plan in plan_files() {
        let name = plan.file_name().unwrap().to_string_lossy().into_owned();
        let r = analyze(&plan, &["--format", "markdown"]);
        if !matches!(r.code(), Some(0 | 1)) {
            continue;
        }
        checked += 1;
        failures.extend(problems(&name, &r.stdout()));
    }
    assert!(checked > 40, "only {checked} plans rendered");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_checks_catch_what_github_would_show_wrong() {
    let bad = "**privdiff:** no decision\n\n| A | B |\n| --- | --- |\n| x | y | z |\n\n\
               <details><summary>s</summary>\n\n<img src=x>\n";
    let found = problems("bad", bad);
    for expected in [
        "opens with",
        "tag <img>",
        "unclosed",
        "a row of 4 separators under 3",
    ] {
        assert!(
            found.iter().any(|f| f.contains(expected)),
            "{expected}: {found:?}"
        );
    }
}

/// What GitHub would render wrong in the comment `md`.
fn problems(name: &str, md: &str) -> Vec<String> {
    let mut failures = Vec::new();
    let html = comrak::markdown_to_html(md, &gfm());
    // The decision first.
    if !(html.starts_with("<p><strong>⛔ Blocks this change:</strong>")
        || html.starts_with("<p><strong>✅ Passes:</strong>"))
    {
        failures.push(format!(
            "{name}: opens with {:?}",
            &html[..html.len().min(80)]
        ));
    }
    // No tag but ours and GFM's; sections and summaries balanced and nested.
    let mut open: Vec<String> = Vec::new();
    for t in tags(&html) {
        let bare = t.trim_start_matches('/');
        if !ALLOWED.contains(&bare) {
            failures.push(format!("{name}: tag <{t}>"));
            continue;
        }
        if bare != "details" && bare != "summary" {
            continue;
        }
        match t.strip_prefix('/') {
            Some(closing) if open.last().map(String::as_str) == Some(closing) => {
                open.pop();
            }
            Some(closing) => failures.push(format!("{name}: </{closing}> closes {open:?}")),
            None => open.push(t.clone()),
        }
    }
    if !open.is_empty() {
        failures.push(format!("{name}: unclosed {open:?}"));
    }
    // Every table GFM finds is one privdiff wrote, with every row as wide as its header.
    let delimiters = md.lines().filter(|l| l.starts_with("| ---")).count();
    let tables = html.matches("<table>").count();
    if tables != delimiters {
        failures.push(format!(
            "{name}: {delimiters} tables written, {tables} rendered"
        ));
    }
    let mut width = None;
    for line in md.lines() {
        if !line.starts_with('|') {
            width = None;
            continue;
        }
        let n = separators(line);
        match width {
            None => width = Some(n),
            Some(w) if w != n => {
                failures.push(format!("{name}: a row of {n} separators under {w}: {line}"))
            }
            _ => {}
        }
    }
    failures
}

#[test]
fn plan_text_that_looks_like_html_stays_text() {
    let md = analyze(&plan("hostile-names.json"), &["--format", "markdown"]).stdout();
    let html = comrak::markdown_to_html(&md, &gfm());
    for t in tags(&html) {
        assert!(
            ALLOWED.contains(&t.trim_start_matches('/')),
            "<{t}> in {html}"
        );
    }
}

#[test]
fn rule_codes_render_as_links_to_their_pages() {
    let url = "https://github.com/acme/privdiff/blob/v1.2.0/docs/rules";
    for name in ["deploy-role.json", "hostile-names.json", "shared-role.json"] {
        let r = analyze(&plan(name), &["--format", "markdown", "--rules-url", url]);
        assert!(matches!(r.code(), Some(0 | 1)), "{}", r.describe());
        let md = r.stdout();
        assert!(problems(name, &md).is_empty(), "{:?}", problems(name, &md));
        let html = comrak::markdown_to_html(&md, &gfm());
        let mut linked = std::collections::BTreeSet::new();
        for (at, _) in html.match_indices("<a href=\"") {
            let rest = &html[at + "<a href=\"".len()..];
            let (href, rest) = rest.split_once("\">").unwrap();
            let text = &rest[..rest.find("</a>").unwrap()];
            if text.starts_with("PD") {
                assert_eq!(href, format!("{url}/{text}.md"), "{name}");
                linked.insert(text.to_string());
            }
        }
        let report = analyze(&plan(name), &["--format", "json"]).json().unwrap();
        let codes: std::collections::BTreeSet<String> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect();
        assert!(!codes.is_empty(), "{name} has no findings");
        assert_eq!(linked, codes, "{name}: the codes linked are the report's");
    }
}
