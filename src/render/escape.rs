//! Escaping of report text for each output medium.
//!
//! Every string in a report may come from the plan, and the plan is written by whoever opens the
//! pull request. Renderers therefore treat all report text as hostile: none of it reaches the
//! output without passing through one of these functions. Each first cleans the text (control
//! characters, which could drive a terminal or break a line, and bidirectional overrides, which
//! could make one address read as another) and then escapes what is special in its medium.

/// Zero-width space put after an `@` that could start a mention, so `@acme/team` in a name cannot
/// notify anyone. An entity such as `&#64;` would not do: GitHub decodes entities before it looks
/// for mentions.
const ZWSP: char = '\u{200B}';

/// Whether an `@` followed by `next` could start a mention (GitHub's `@user`, `@org/team`;
/// GitLab's `@user`, `@group`, `@all`). An `@` before a space, another `@` or the end cannot,
/// and is left alone so that text such as a diff's `@@ -1,4 +1,4 @@` reads as usual.
fn may_mention(next: Option<char>) -> bool {
    next.is_some_and(|c| c != '@' && !c.is_whitespace())
}

/// Bidirectional formatting characters: they reorder how the text around them is displayed
/// ("Trojan Source"), so a name could be made to look like another.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Where the cleaned text goes: one line, or a preformatted block that keeps its line breaks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lines {
    Single,
    Block,
}

/// Cleans one character: `None` drops it. Whitespace controls become a space (not nothing) so the
/// words they separated stay apart; every other C0 control, DEL and C1 control (the ESC that
/// starts an ANSI sequence among them) and every bidi control is dropped.
fn clean(c: char, lines: Lines) -> Option<char> {
    match c {
        '\n' | '\t' if lines == Lines::Block => Some(c),
        '\r' if lines == Lines::Block => None,
        '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => Some(' '),
        c if c.is_control() || is_bidi_control(c) => None,
        c => Some(c),
    }
}

/// The legacy workflow-command marker of GitHub's runner (and Azure Pipelines'), recognised
/// anywhere in a log line: `##[error]`, `##[add-mask]`, `##[stop-commands]`...
const LOG_COMMAND: &str = "##[";

/// Rendered text with every `##[` broken by a zero-width space, so no log line can hold a
/// runner command. (A command that starts a line, `::name::`, is kept out by every renderer
/// starting its lines with text of its own.)
pub fn log_text(out: String) -> String {
    if out.contains(LOG_COMMAND) {
        out.replace(LOG_COMMAND, "#\u{200B}#[")
    } else {
        out
    }
}

/// Rendered JSON with every `##[` written `#\u0023[`, and every control character serde_json
/// leaves raw (DEL, the C1 controls such as the one-byte CSI `\u009b`) and every bidi control
/// written as a `\uXXXX` escape: the same strings to a JSON reader, and nothing that drives a
/// terminal or reorders a line when the JSON is shown in a log. All of these can only occur
/// inside JSON strings, where the escapes are valid.
pub fn log_json(out: String) -> String {
    let out = if out.contains(LOG_COMMAND) {
        out.replace(LOG_COMMAND, "#\\u0023[")
    } else {
        out
    };
    let raw = |c: char| c.is_control() && c != '\n' || is_bidi_control(c);
    if !out.contains(raw) {
        return out;
    }
    let mut escaped = String::with_capacity(out.len() + 64);
    for c in out.chars() {
        if raw(c) {
            escaped.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            escaped.push(c);
        }
    }
    escaped
}

/// Text for a terminal: one line with no control characters, so a name cannot move the cursor,
/// change colours or clear the screen. A terminal needs nothing more than [`plain`].
pub fn terminal(s: &str) -> String {
    plain(s)
}

/// Text that another program shows as plain text on one line (a code-scanning alert, a Code
/// Quality entry): no control characters, which could break the line, and no bidi controls,
/// which could make one address read as another.
///
/// Text longer than [`MAX_PLAIN_CHARS`] keeps its start and end around a count of what was left
/// out: a plan can hold a 100 MB action, which is no use printed whole in a terminal table or a
/// code-scanning alert (the JSON report keeps it exact).
pub fn plain(s: &str) -> String {
    let out: String = s.chars().filter_map(|c| clean(c, Lines::Single)).collect();
    let n = out.chars().count();
    if n <= MAX_PLAIN_CHARS {
        return out;
    }
    let head: String = out.chars().take(PLAIN_HEAD).collect();
    let tail: String = out.chars().skip(n - PLAIN_TAIL).collect();
    let elided = n - PLAIN_HEAD - PLAIN_TAIL;
    format!("{head}…({elided} characters elided)…{tail}")
}

/// Longest text [`plain`] keeps whole, and what it keeps of longer text. Generous: no real
/// name, ARN or finding message comes near it.
const MAX_PLAIN_CHARS: usize = 4096;
const PLAIN_HEAD: usize = 2048;
const PLAIN_TAIL: usize = 512;

/// Text for a SARIF `message.text`: [`plain`], then `\`, `[` and `]` backslash-escaped. SARIF
/// plain-text messages may hold embedded links, `[text](target)` (SARIF 2.1.0 §3.11.6), so an
/// unescaped bracket would let a name become a link in a code-scanning alert.
pub fn sarif_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in plain(s).chars() {
        if matches!(c, '\\' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The message of a GitHub Actions workflow command (`::error ...::MESSAGE`): [`plain`], then `%`
/// escaped as `@actions/core` does. The runner reads commands line by line, so a line break in a
/// name could start a command of its own; the toolkit escapes CR and LF, [`plain`] leaves none.
pub fn workflow_data(s: &str) -> String {
    workflow_escape(s, false)
}

/// A property value of a GitHub Actions workflow command (`file=`, `title=`): like
/// [`workflow_data`], and also `:` and `,`, which would end the value.
pub fn workflow_property(s: &str) -> String {
    workflow_escape(s, true)
}

fn workflow_escape(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in plain(s).chars() {
        match c {
            '%' => out.push_str("%25"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

/// A relative path as a URI reference (a SARIF `artifactLocation.uri`): [`plain`], then every
/// byte but the unreserved characters and `/` percent-encoded. `:` is among the encoded, so a
/// first segment such as `c:` cannot be read as a URI scheme.
pub fn uri_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let clean: String = s.chars().filter_map(|c| clean(c, Lines::Single)).collect();
    for b in clean.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Text for one line of Markdown prose or a table cell (GitHub and GitLab flavours): HTML
/// specials become entities (no tag, and so no `</details>`, can be formed), Markdown specials are
/// backslash-escaped (no emphasis, code span, link, heading, strikethrough, math or cell break),
/// and mentions are broken. Also escaped, because the text is often the first thing in a list
/// item: a leading list marker (`-`, `+`, `1.`, `1)`), where `- - x` would nest another list.
/// And the `:` of `://` and the `.` of `www.`, so a bare URL is not made a link.
///
/// Not for raw-HTML contexts such as `<summary>`, where Markdown is not parsed and the backslashes
/// would show: use [`html`] there.
pub fn markdown_inline(s: &str) -> String {
    let chars: Vec<char> = s.chars().filter_map(|c| clean(c, Lines::Single)).collect();
    let mut out = String::with_capacity(s.len());
    // Whether every character so far is a digit: then `1.` or `1)` would start a list.
    let mut all_digits = true;
    for (k, &c) in chars.iter().enumerate() {
        let after = &chars[k + 1..];
        let starts_list = match c {
            '-' | '+' => k == 0,
            '.' | ')' => k > 0 && all_digits,
            _ => false,
        };
        all_digits &= c.is_ascii_digit();
        let starts_url = match c {
            ':' => after.starts_with(&['/', '/']),
            '.' => k >= 3 && chars[k - 3..k].iter().all(|w| w.eq_ignore_ascii_case(&'w')),
            _ => false,
        };
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '@' if may_mention(after.first().copied()) => out.extend(['@', ZWSP]),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '$' => out.extend(['\\', c]),
            _ if starts_list || starts_url => out.extend(['\\', c]),
            c => out.push(c),
        }
    }
    out
}

/// Text for one line of raw HTML (a `<summary>`): HTML specials become entities and mentions are
/// broken (GitHub looks for mentions in raw HTML text too).
pub fn html(s: &str) -> String {
    html_with(s, Lines::Single)
}

/// Like [`html`] but keeps line breaks and tabs: for the body of a `<pre>` block.
pub fn html_block(s: &str) -> String {
    html_with(s, Lines::Block)
}

fn html_with(s: &str, lines: Lines) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().filter_map(|c| clean(c, lines)).peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '@' if may_mention(chars.peek().copied()) => out.extend(['@', ZWSP]),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hostile inputs every escaper is tested against.
    const DETAILS_CLOSE: &str = "x</details>y";
    const IMG: &str = "<img src=x onerror=alert(1)>";
    const MENTION: &str = "@acme/team";
    const BACKTICKS: &str = "a```b`c";
    const PIPE: &str = "a|b";
    const ANSI: &str = "\u{1b}[31mred";
    const CRLF: &str = "a\r\nb";
    const NUL: &str = "a\0b";

    fn has_control(s: &str) -> bool {
        s.chars().any(char::is_control)
    }

    #[test]
    fn terminal_strips_every_control_character() {
        assert_eq!(terminal(ANSI), "[31mred");
        assert_eq!(terminal(CRLF), "a  b");
        assert_eq!(terminal(NUL), "ab");
        assert_eq!(terminal("a\u{7f}b\u{9b}c\u{85}d"), "abc d");
        assert_eq!(terminal("role\u{202E}nimda"), "rolenimda");
        for s in [
            DETAILS_CLOSE,
            IMG,
            MENTION,
            BACKTICKS,
            PIPE,
            ANSI,
            CRLF,
            NUL,
        ] {
            assert!(!has_control(&terminal(s)), "{s:?}");
        }
    }

    #[test]
    fn terminal_keeps_printable_text_as_is() {
        // The terminal needs no other escaping: these are only characters there.
        for s in [
            DETAILS_CLOSE,
            IMG,
            MENTION,
            BACKTICKS,
            PIPE,
            "arn:aws:s3:::b/*",
        ] {
            assert_eq!(terminal(s), s);
        }
    }

    #[test]
    fn markdown_inline_escapes_html() {
        assert_eq!(markdown_inline(DETAILS_CLOSE), "x&lt;/details&gt;y");
        assert_eq!(markdown_inline(IMG), "&lt;img src=x onerror=alert(1)&gt;");
        assert_eq!(markdown_inline("a&b\"c"), "a&amp;b&quot;c");
    }

    #[test]
    fn markdown_inline_breaks_mentions() {
        assert_eq!(markdown_inline(MENTION), "@\u{200B}acme/team");
        assert_eq!(
            markdown_inline("a@all b@\u{1b}c"),
            "a@\u{200B}all b@\u{200B}c"
        );
        // Only an `@` that could start a mention is touched.
        assert_eq!(markdown_inline("@@ -1 +1 @@ x@"), "@@ -1 +1 @@ x@");
        assert_eq!(markdown_inline("@@team"), "@@\u{200B}team");
    }

    #[test]
    fn markdown_inline_escapes_markdown_specials() {
        assert_eq!(markdown_inline(BACKTICKS), "a\\`\\`\\`b\\`c");
        assert_eq!(markdown_inline(PIPE), "a\\|b");
        assert_eq!(markdown_inline("*_[]#~$\\"), "\\*\\_\\[\\]\\#\\~\\$\\\\");
        // An escaped backslash must not turn the escape of the next character off.
        assert_eq!(markdown_inline("\\|"), "\\\\\\|");
    }

    #[test]
    fn markdown_inline_escapes_a_leading_list_marker_only() {
        assert_eq!(markdown_inline("- x"), "\\- x");
        assert_eq!(markdown_inline("+ x"), "\\+ x");
        assert_eq!(markdown_inline("12. x"), "12\\. x");
        assert_eq!(markdown_inline("3) x"), "3\\) x");
        assert_eq!(markdown_inline("a-b 1. c"), "a-b 1. c");
        assert_eq!(markdown_inline("vpc-1.2"), "vpc-1.2");
        assert_eq!(markdown_inline("1.2.3"), "1\\.2.3");
    }

    #[test]
    fn markdown_inline_does_not_let_a_bare_url_become_a_link() {
        assert_eq!(markdown_inline("see https://e.x"), "see https\\://e.x");
        assert_eq!(markdown_inline("WWW.e.x"), "WWW\\.e.x");
        assert_eq!(markdown_inline("arn:aws:s3:::b"), "arn:aws:s3:::b");
        assert_eq!(markdown_inline("w.x"), "w.x");
    }

    #[test]
    fn markdown_inline_is_one_line_without_controls() {
        assert_eq!(markdown_inline(ANSI), "\\[31mred");
        assert_eq!(markdown_inline(CRLF), "a  b");
        assert_eq!(markdown_inline(NUL), "ab");
    }

    #[test]
    fn sarif_text_escapes_what_could_form_an_embedded_link() {
        assert_eq!(sarif_text("[l](https://e.x)"), "\\[l\\](https://e.x)");
        assert_eq!(sarif_text("a\\[b"), "a\\\\\\[b");
        assert_eq!(sarif_text(CRLF), "a  b");
        assert_eq!(sarif_text(ANSI), "\\[31mred");
        assert_eq!(sarif_text(IMG), IMG);
    }

    #[test]
    fn workflow_values_are_escaped_as_the_actions_toolkit_does() {
        assert_eq!(workflow_data("50% a:b,c"), "50%25 a:b,c");
        assert_eq!(workflow_property("50% a:b,c"), "50%25 a%3Ab%2Cc");
        // A line break cannot survive, so no `::command` can start a line of its own.
        assert_eq!(
            workflow_data("x\r\n::error::pwned\u{2028}::warning::y"),
            "x  ::error::pwned ::warning::y"
        );
        assert_eq!(workflow_property(ANSI), "[31mred");
        assert_eq!(workflow_property(NUL), "ab");
    }

    #[test]
    fn uri_path_encodes_all_but_unreserved_characters_and_slashes() {
        assert_eq!(uri_path("iam/roles-1_a.tf"), "iam/roles-1_a.tf");
        assert_eq!(uri_path("a b%#?.tf"), "a%20b%25%23%3F.tf");
        assert_eq!(uri_path("c:/x"), "c%3A/x");
        assert_eq!(uri_path("é\u{202E}\0"), "%C3%A9");
    }

    #[test]
    fn html_escapes_tags_and_mentions_but_not_markdown() {
        assert_eq!(html(DETAILS_CLOSE), "x&lt;/details&gt;y");
        assert_eq!(html(IMG), "&lt;img src=x onerror=alert(1)&gt;");
        assert_eq!(html(MENTION), "@\u{200B}acme/team");
        assert_eq!(html("a'b\"c&"), "a&#39;b&quot;c&amp;");
        // Markdown is not parsed in raw HTML, so a backslash would be shown, not consumed.
        assert_eq!(html(BACKTICKS), BACKTICKS);
        assert_eq!(html(PIPE), PIPE);
    }

    #[test]
    fn html_is_one_line_without_controls() {
        assert_eq!(html(ANSI), "[31mred");
        assert_eq!(html(CRLF), "a  b");
        assert_eq!(html(NUL), "ab");
    }

    #[test]
    fn html_block_keeps_lines_and_drops_other_controls() {
        assert_eq!(html_block(CRLF), "a\nb");
        assert_eq!(html_block("a\tb"), "a\tb");
        assert_eq!(html_block(ANSI), "[31mred");
        assert_eq!(html_block(NUL), "ab");
        assert_eq!(
            html_block("</pre>\n</details>"),
            "&lt;/pre&gt;\n&lt;/details&gt;"
        );
        assert_eq!(html_block(MENTION), "@\u{200B}acme/team");
        assert_eq!(html_block("@@ -1,4 +1,4 @@\n"), "@@ -1,4 +1,4 @@\n");
    }

    #[test]
    fn plain_elides_the_middle_of_very_long_text() {
        let long = format!("start{}end", "x".repeat(100_000));
        let out = plain(&long);
        assert!(
            out.starts_with("startxx") && out.ends_with("xxend"),
            "{out}"
        );
        assert!(out.contains("…(97448 characters elided)…"), "{out}");
        assert!(out.chars().count() < 3000);
        let short = "y".repeat(MAX_PLAIN_CHARS);
        assert_eq!(plain(&short), short);
    }
}
