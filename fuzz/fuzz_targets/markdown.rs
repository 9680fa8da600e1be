//! The Markdown comment on hostile names. The input picks an example plan and a text, which is
//! written into some of the plan's strings (addresses, names, actions, resources, members,
//! condition values, inside policy documents too). Whatever the text, the comment holds only
//! the renderer's own HTML tags, properly nested (so no `</details>` or `<img` from the plan
//! survives), no control character but line breaks and tabs, no bidi character, and no `@`
//! that could start a mention.

#![no_main]

mod limits;

use libfuzzer_sys::fuzz_target;
use limits::LIMITS;
use privdiff::render::{self, escape, Format, RenderOptions};
use privdiff::rules::Pages;
use serde_json::Value;

const TEMPLATES: [&str; 8] = [
    include_str!("../../testdata/plans/ci-role-widened.json"),
    include_str!("../../testdata/plans/hostile-names.json"),
    include_str!("../../testdata/plans/escalation.json"),
    include_str!("../../testdata/plans/trust-oidc.json"),
    include_str!("../../testdata/plans/resource-policies-storage.json"),
    include_str!("../../testdata/plans/gcp-risks.json"),
    include_str!("../../testdata/plans/azure-rbac.json"),
    include_str!("../../testdata/plans/kubernetes-rbac.json"),
];

/// The tags the renderer writes itself.
const OPEN: [&str; 4] = ["<details>", "<summary>", "<pre lang=\"diff\">", "<code>"];
const CLOSE: [&str; 4] = ["</details>", "</summary>", "</pre>", "</code>"];

/// Writes `text` into the strings that `pick` selects, in walk order; a string that holds a
/// JSON document (a policy) is walked too.
fn inject(v: &mut Value, text: &str, pick: &mut impl FnMut() -> u8) {
    match v {
        Value::String(s) => {
            if let Ok(mut inner @ Value::Object(_)) = serde_json::from_str::<Value>(s) {
                inject(&mut inner, text, pick);
                *s = inner.to_string();
                return;
            }
            match pick() % 8 {
                0 => *s = text.to_string(),
                1 => s.push_str(text),
                _ => {}
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|x| inject(x, text, pick)),
        Value::Object(map) => map.values_mut().for_each(|x| inject(x, text, pick)),
        _ => {}
    }
}

/// Checks one rendered comment; `Err` says what is wrong.
fn check(md: &str) -> Result<(), String> {
    let mut open: Vec<usize> = Vec::new();
    let mut rest = md;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        if let Some(k) = OPEN.iter().position(|t| rest.starts_with(t)) {
            open.push(k);
            rest = &rest[OPEN[k].len()..];
        } else if let Some(k) = CLOSE.iter().position(|t| rest.starts_with(t)) {
            if open.pop() != Some(k) {
                return Err(format!("{} closes nothing open", CLOSE[k]));
            }
            rest = &rest[CLOSE[k].len()..];
        } else {
            let end = rest.char_indices().nth(24).map_or(rest.len(), |(i, _)| i);
            return Err(format!("a `<` that is no tag of ours: {:?}", &rest[..end]));
        }
    }
    if !open.is_empty() {
        return Err(format!("{} left open", OPEN[open[open.len() - 1]]));
    }
    let chars: Vec<char> = md.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        // Tabs are kept inside the preformatted policy diffs, where they are only whitespace.
        if c.is_control() && c != '\n' && c != '\t' {
            return Err(format!("control character {c:?}"));
        }
        if escape::is_bidi_control(c) {
            return Err(format!("bidi control {c:?}"));
        }
        // A mention starts with a letter, digit, `_` or `-` after the `@` (GitHub's and GitLab's
        // user and group names); a name that ends in `@` may be followed by the renderer's `:`.
        let next = chars.get(i + 1);
        if c == '@' && next.is_some_and(|n| n.is_alphanumeric() || matches!(n, '_' | '-')) {
            return Err("an `@` that could start a mention".into());
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let [which, seed, rest @ ..] = data else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut plan: Value = serde_json::from_str(TEMPLATES[usize::from(*which) % TEMPLATES.len()])
        .expect("the templates are plans");
    // A small generator, so that which strings are replaced is the input's choice too.
    let mut state = u32::from(*seed) | 1;
    let mut pick = || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        (state >> 8) as u8
    };
    inject(&mut plan, &text, &mut pick);
    let bytes = serde_json::to_vec(&plan).expect("a Value serialises");
    let Ok(plan) = privdiff::plan::load(&bytes) else {
        return;
    };
    let Ok(report) = privdiff::analyze::analyze(&plan, &LIMITS, &Default::default()) else {
        return;
    };
    let full = render::render(&report, Format::Markdown, &RenderOptions::default());
    // The cut comment with its rule codes linked, as the GitHub Action writes it.
    let pages = Pages::parse("https://github.com/acme/privdiff/blob/v1/docs/rules").ok();
    let cut = render::markdown_within(&report, 3000, pages.as_ref());
    for md in [&full, &cut] {
        if let Err(e) = check(md) {
            panic!("{e}\n--- text {text:?}\n--- comment\n{md}");
        }
    }
});
