//! Reading every page of a list: both platforms cap a page at 100 items.

use super::http::{Api, Reply};
use ureq::http::Method;

/// Items asked for per page: the most either platform serves.
pub const PER_PAGE: usize = 100;
/// Pages read at most (100,000 comments): a guard against a server that always says "next".
const MAX_PAGES: u32 = 1000;

/// Every item of a paginated list, in the server's order. `url(n)` is the URL of page `n`
/// (from 1); `not_found` is the hint for a 404.
pub fn all<T: serde::de::DeserializeOwned>(
    api: &Api,
    url: impl Fn(u32) -> String,
    not_found: &str,
) -> anyhow::Result<Vec<T>> {
    let mut items = Vec::new();
    let mut page = 1;
    loop {
        let reply = api.call(Method::GET, &url(page), None, not_found)?;
        let batch: Vec<T> = reply.json()?;
        let got = batch.len();
        items.extend(batch);
        match next(&reply, page, got) {
            Some(n) if n <= MAX_PAGES => page = n,
            Some(_) => anyhow::bail!(
                "{} lists more than {MAX_PAGES} pages for {}; privdiff stops there",
                api.service().name,
                reply.request
            ),
            None => return Ok(items),
        }
    }
}

/// The page after `page`, which held `got` items, or `None` when it was the last.
///
/// The server says so in GitLab's `X-Next-Page` (a number, or empty on the last page) or in a
/// `Link` header with `rel="next"` (GitHub; GitLab too). The next page is always asked for by
/// number on our own URL rather than by following the link, so a link can never send the token
/// to another host. With neither header, a full page means there may be more.
pub fn next(reply: &Reply, page: u32, got: usize) -> Option<u32> {
    if let Some(next) = reply.next_page.as_deref() {
        let next = next.trim();
        if next.is_empty() {
            return None;
        }
        // Only forward: a server that points back would make this loop for ever.
        return next.parse().ok().filter(|&n| n > page);
    }
    if let Some(link) = reply.link.as_deref() {
        return link_has_next(link).then_some(page + 1);
    }
    (got >= PER_PAGE).then_some(page + 1)
}

/// Whether a `Link` header (RFC 8288) has a link with relation `next`:
/// `<https://x/?page=2>; rel="next", <https://x/?page=5>; rel="last"`. The URLs are skipped
/// whole, so a comma or `rel=` inside one cannot confuse the parse.
pub fn link_has_next(link: &str) -> bool {
    let mut rest = link;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else {
            return false;
        };
        let after = &rest[open + close + 1..];
        let params = &after[..after.find('<').unwrap_or(after.len())];
        let is_next = params.split(';').any(|param| {
            let Some((name, value)) = param.split_once('=') else {
                return false;
            };
            let value = value.trim().trim_end_matches(',').trim().trim_matches('"');
            name.trim().eq_ignore_ascii_case("rel")
                && value
                    .split_ascii_whitespace()
                    .any(|rel| rel.eq_ignore_ascii_case("next"))
        });
        if is_next {
            return true;
        }
        rest = after;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(link: Option<&str>, next_page: Option<&str>) -> Reply {
        Reply {
            request: "GET /x".into(),
            link: link.map(str::to_string),
            next_page: next_page.map(str::to_string),
            body: String::new(),
            service: "Test",
        }
    }

    #[test]
    fn link_headers_are_parsed_by_relation() {
        let github = "<https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=2>; \
                      rel=\"next\", <https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=4>; rel=\"last\"";
        assert!(link_has_next(github));
        let last_page = "<https://api.github.com/x?page=1>; rel=\"first\", <https://api.github.com/x?page=3>; rel=\"prev\"";
        assert!(!link_has_next(last_page));
        assert!(link_has_next("<https://x/?page=2>; rel=next"));
        assert!(link_has_next("<https://x/?page=2>; REL=\"prev next\""));
        assert!(!link_has_next(
            "<https://x/?a=1,rel=\"next\">; rel=\"last\""
        ));
        assert!(!link_has_next("<https://x/?page=2>; rel=\"nextish\""));
        assert!(!link_has_next(""));
        assert!(!link_has_next("<unclosed; rel=\"next\""));
    }

    #[test]
    fn the_next_page_comes_from_x_next_page_then_link_then_a_full_page() {
        assert_eq!(next(&reply(None, Some("3")), 2, 2), Some(3));
        assert_eq!(next(&reply(None, Some("")), 2, 100), None);
        assert_eq!(
            next(&reply(None, Some("2")), 2, 100),
            None,
            "never backwards"
        );
        assert_eq!(next(&reply(None, Some("junk")), 2, 100), None);
        assert_eq!(
            next(
                &reply(Some("<https://x/?page=4>; rel=\"next\""), None),
                3,
                2
            ),
            Some(4)
        );
        assert_eq!(
            next(
                &reply(Some("<https://x/?page=1>; rel=\"prev\""), None),
                2,
                100
            ),
            None
        );
        assert_eq!(next(&reply(None, None), 1, PER_PAGE), Some(2));
        assert_eq!(next(&reply(None, None), 1, PER_PAGE - 1), None);
        assert_eq!(next(&reply(None, None), 1, 0), None);
    }
}
