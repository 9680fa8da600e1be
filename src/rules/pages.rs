//! Where the rules' documentation pages are published, so a comment or a SARIF rule can link a
//! code to its page. privdiff has no address of its own: the caller says where `docs/rules/` is
//! served (the GitHub Action passes the copy in the action's own repository, at its ref).

use std::fmt;

/// A validated base address of the rules' pages.
///
/// `https://host/path` links `PD011` to `https://host/path/PD011.md`, the file as `docs/rules/`
/// holds it. An address with `{code}` in it has the code put there instead, for a site whose
/// pages are named otherwise (`https://docs.example.com/rules/{code}/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pages {
    url: String,
}

/// The placeholder for a rule's code in an address.
const CODE: &str = "{code}";

/// Longest address accepted: a link is written once per finding line.
const MAX_LEN: usize = 500;

impl Pages {
    /// `url` when it is an `http(s)` address made of characters that need no escaping in a
    /// Markdown link, an HTML attribute or a JSON string; else why not. The address reaches a
    /// comment whoever set it, so anything that could end the link or start markup is refused
    /// rather than escaped.
    pub fn parse(url: &str) -> Result<Pages, String> {
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| format!("{url:?} is not an http:// or https:// address"))?;
        if url.len() > MAX_LEN {
            return Err(format!("the address is longer than {MAX_LEN} characters"));
        }
        let host = rest.split('/').next().unwrap_or("");
        if host.is_empty() {
            return Err(format!("{url:?} has no host"));
        }
        let unsafe_char = rest.replace(CODE, "").chars().find(|&c| {
            !(c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    '-' | '.' | '_' | '~' | '/' | ':' | '%' | '@' | '+' | '=' | ','
                ))
        });
        if let Some(c) = unsafe_char {
            return Err(format!(
                "{url:?} has {c:?} in it; an address of letters, digits and - . _ ~ / : % @ + = , is needed"
            ));
        }
        Ok(Pages {
            url: match url.contains(CODE) {
                true => url.to_string(),
                false => url.trim_end_matches('/').to_string(),
            },
        })
    }

    /// The address of `code`'s page.
    pub fn page(&self, code: &str) -> String {
        match self.url.contains(CODE) {
            true => self.url.replace(CODE, code),
            false => format!("{}/{code}.md", self.url),
        }
    }
}

impl fmt::Display for Pages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_address_links_to_the_markdown_file_of_docs_rules() {
        let pages =
            Pages::parse("https://github.com/acme/privdiff/blob/v1.2.0/docs/rules/").unwrap();
        assert_eq!(
            pages.page("PD011"),
            "https://github.com/acme/privdiff/blob/v1.2.0/docs/rules/PD011.md"
        );
    }

    #[test]
    fn a_code_placeholder_names_the_page_instead() {
        let pages = Pages::parse("https://docs.example.com/rules/{code}/").unwrap();
        assert_eq!(pages.page("PD003"), "https://docs.example.com/rules/PD003/");
    }

    #[test]
    fn addresses_that_could_leave_a_link_are_refused() {
        for url in [
            "javascript:alert(1)",
            "ftp://example.com/rules",
            "https://",
            "https:///rules",
            "https://example.com/a b",
            "https://example.com/a)[x](https://evil",
            "https://example.com/a\"onmouseover=x",
            "https://example.com/<script>",
            "https://example.com/a|b",
            "https://example.com/rules?x=1",
            "https://example.com/rules#top",
            "https://example.com/\n",
            "https://example.com/{cod}",
        ] {
            assert!(Pages::parse(url).is_err(), "{url:?} was accepted");
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_LEN));
        assert!(Pages::parse(&long).is_err());
    }
}
