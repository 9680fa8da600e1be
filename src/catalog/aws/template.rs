//! The catalog's ARN formats as text (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`):
//! filling their placeholders, and telling which placeholder a part of an ARN is.

use crate::model::pattern::placeholder_holds;

/// The longest resource [`name_wildcards`] reads: matching is quadratic in it.
const LONGEST: usize = 512;

/// A format's literal text and placeholders, in order.
#[derive(Debug, PartialEq, Eq)]
enum Part<'t> {
    Text(&'t str),
    Placeholder(&'t str),
}

fn parts(template: &str) -> Vec<Part<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        if start > 0 {
            out.push(Part::Text(&rest[..start]));
        }
        let Some(len) = rest[start..].find('}') else {
            out.push(Part::Text(&rest[start..]));
            return out;
        };
        out.push(Part::Placeholder(&rest[start + 2..start + len]));
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        out.push(Part::Text(rest));
    }
    out
}

/// A format with each placeholder replaced by `value` of its name.
pub fn fill_with(template: &str, value: &dyn Fn(&str) -> String) -> String {
    parts(template)
        .into_iter()
        .map(|p| match p {
            Part::Text(t) => t.to_string(),
            Part::Placeholder(name) => value(name),
        })
        .collect()
}

/// `sample`, a resource of format `template` in which `mark` stands where a pattern had a
/// wildcard, with each run of marks replaced by what the placeholder it falls in stands for:
/// `value(name)` when the run is the whole placeholder, `partial(name)` when it is part of one
/// (`orders-*`). `None` when `sample` is not of the format (or too long to read).
pub fn name_wildcards(
    template: &str,
    sample: &str,
    mark: char,
    value: &dyn Fn(&str) -> String,
    partial: &dyn Fn(&str) -> String,
) -> Option<String> {
    let chars: Vec<char> = sample.chars().collect();
    if chars.len() > LONGEST {
        return None;
    }
    let parts = parts(template);
    let mut spans = Vec::new();
    let mut dead = std::collections::HashSet::new();
    if !align(&parts, 0, &chars, 0, &mut spans, &mut dead) {
        return None;
    }
    let mut out = String::new();
    let mut spans = spans.into_iter();
    for p in &parts {
        match p {
            Part::Text(t) => out.push_str(t),
            Part::Placeholder(name) => {
                let (start, end) = spans.next()?;
                let held = &chars[start..end];
                if held.iter().all(|&c| c == mark) {
                    out.push_str(&value(name));
                    continue;
                }
                let mut in_run = false;
                for &c in held {
                    if c != mark {
                        out.push(c);
                    } else if !in_run {
                        out.push_str(&partial(name));
                    }
                    in_run = c == mark;
                }
            }
        }
    }
    Some(out)
}

/// Matches `chars[at..]` against `parts[pi..]`, each placeholder holding one or more
/// characters it may hold, the shortest first; `spans` gets each placeholder's range. `dead`
/// remembers the states that cannot match, which keeps the search quadratic at worst.
fn align(
    parts: &[Part],
    pi: usize,
    chars: &[char],
    at: usize,
    spans: &mut Vec<(usize, usize)>,
    dead: &mut std::collections::HashSet<(usize, usize)>,
) -> bool {
    let Some(part) = parts.get(pi) else {
        return at == chars.len();
    };
    if dead.contains(&(pi, at)) {
        return false;
    }
    match part {
        Part::Text(t) => {
            let n = t.chars().count();
            let fits = chars.len() >= at + n && t.chars().eq(chars[at..at + n].iter().copied());
            if fits && align(parts, pi + 1, chars, at + n, spans, dead) {
                return true;
            }
        }
        Part::Placeholder(name) => {
            for end in at + 1..=chars.len() {
                if !placeholder_holds(name, chars[end - 1]) {
                    break;
                }
                spans.push((at, end));
                if align(parts, pi + 1, chars, end, spans, dead) {
                    return true;
                }
                spans.pop();
            }
        }
    }
    dead.insert((pi, at));
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const OBJECT: &str = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
    const FUNCTION: &str = "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}";

    fn named(template: &str, sample: &str) -> Option<String> {
        let value = |n: &str| match n {
            "Account" => "111122223333".to_string(),
            _ => format!("<{n}>"),
        };
        let partial = |n: &str| format!("<{n}…>");
        name_wildcards(template, sample, '\u{1}', &value, &partial)
    }

    #[test]
    fn each_wildcard_is_named_by_the_placeholder_it_falls_in() {
        assert_eq!(
            named(OBJECT, "arn:aws:s3:::acme/\u{1}").as_deref(),
            Some("arn:aws:s3:::acme/<ObjectName>")
        );
        assert_eq!(
            named(OBJECT, "arn:aws:s3:::\u{1}/logs/\u{1}").as_deref(),
            Some("arn:aws:s3:::<BucketName>/logs/<ObjectName…>")
        );
        assert_eq!(
            named(
                FUNCTION,
                "arn:aws:lambda:eu-west-1:\u{1}:function:orders-\u{1}"
            )
            .as_deref(),
            Some("arn:aws:lambda:eu-west-1:111122223333:function:orders-<FunctionName…>")
        );
    }

    #[test]
    fn a_sample_of_another_shape_is_not_named() {
        // A bucket is not an object; a function name holds no colon.
        assert_eq!(named(OBJECT, "arn:aws:s3:::\u{1}"), None);
        assert_eq!(
            named(FUNCTION, "arn:aws:lambda:eu-west-1:1:function:f:\u{1}"),
            None
        );
        assert_eq!(named(OBJECT, &"a".repeat(LONGEST + 1)), None);
    }

    #[test]
    fn filling_replaces_every_placeholder() {
        let filled = fill_with(OBJECT, &|n| format!("<{n}>"));
        assert_eq!(filled, "arn:<Partition>:s3:::<BucketName>/<ObjectName>");
    }
}
