//! The `resource` and `data` blocks of one `.tf` file, with their lines.

use hcl::edit::parser::parse_body;
use hcl::edit::Span;

/// One top-level `resource` or `data` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decl {
    /// The module-local address it declares: `TYPE.NAME`, or `data.TYPE.NAME`.
    pub local: String,
    /// 1-based line of the `resource`/`data` keyword.
    pub line: usize,
    /// 1-based line of the closing brace.
    pub end_line: usize,
}

/// Where a file failed to parse, 1-based. Only the position: the parser's message quotes the
/// offending line, and file content must not reach a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Syntax {
    pub line: usize,
    pub column: usize,
}

/// Byte offset → 1-based line. Only `\n` ends a line, as in HCL, so a CRLF file counts the same
/// as an LF one (the `\r` is the last byte of its line).
pub struct Lines {
    newlines: Vec<usize>,
}

impl Lines {
    pub fn new(src: &str) -> Lines {
        let newlines = src
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i)
            .collect();
        Lines { newlines }
    }

    /// The line holding the byte at `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.newlines.partition_point(|&n| n < offset) + 1
    }
}

/// The top-level `resource "TYPE" "NAME"` and `data "TYPE" "NAME"` blocks of an HCL file, in
/// file order. Blocks nested in others and blocks with another number of labels are not
/// declarations and are left out.
pub fn hcl_decls(src: &str) -> Result<Vec<Decl>, Syntax> {
    let body = parse_body(src).map_err(|e| Syntax {
        line: e.location().line(),
        column: e.location().column(),
    })?;
    let lines = Lines::new(src);
    let mut out = Vec::new();
    for block in body.blocks() {
        let prefix = match block.ident.as_str() {
            "resource" => "",
            "data" => "data.",
            _ => continue,
        };
        let [kind, name] = block.labels.as_slice() else {
            continue;
        };
        // Parsed blocks always carry a span; one without cannot be placed.
        let Some(span) = block.span() else { continue };
        out.push(Decl {
            local: format!("{prefix}{}.{}", kind.as_str(), name.as_str()),
            line: lines.line(span.start),
            end_line: lines.line(span.end.saturating_sub(1).max(span.start)),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_with_lf_and_crlf() {
        let lf = Lines::new("a\nbc\n\nd");
        assert_eq!(
            [0, 1, 2, 3, 4, 5, 6].map(|o| lf.line(o)),
            [1, 1, 2, 2, 2, 3, 4]
        );
        let crlf = Lines::new("a\r\nbc\r\n");
        assert_eq!(
            [0, 1, 2, 3, 4, 5, 6].map(|o| crlf.line(o)),
            [1, 1, 1, 2, 2, 2, 2]
        );
        assert_eq!(Lines::new("").line(0), 1);
    }

    const SRC: &str = r#"# roles
resource "aws_iam_role" "deployer" {
  count = 1
  inline_policy {
    name = "x"
  }
}

data aws_iam_policy_document "doc" {}
module "m" { source = "./m" }
resource "only_one_label" {}
locals {
  resource = "x"
}
resource "aws_iam_user" "u" {
  name = "u"
}
"#;

    #[test]
    fn finds_resource_and_data_blocks_with_their_lines() {
        let d = hcl_decls(SRC).unwrap();
        let got: Vec<_> = d
            .iter()
            .map(|d| (d.local.as_str(), d.line, d.end_line))
            .collect();
        assert_eq!(
            got,
            [
                ("aws_iam_role.deployer", 2, 7),
                ("data.aws_iam_policy_document.doc", 9, 9),
                ("aws_iam_user.u", 15, 17),
            ]
        );
    }

    #[test]
    fn crlf_files_give_the_same_lines() {
        let crlf = SRC.replace('\n', "\r\n");
        assert_eq!(hcl_decls(&crlf).unwrap(), hcl_decls(SRC).unwrap());
    }

    #[test]
    fn a_parse_error_gives_only_its_position() {
        let e = hcl_decls("resource \"a\" \"b\" {\n  x = \n}\nsecret = [1,\n").unwrap_err();
        assert!(e.line >= 2, "{e:?}");
        assert!(e.column >= 1);
    }

    #[test]
    fn truncated_input_never_panics() {
        let src = format!("{SRC}{}", "x = [[[[[[[[[[{a = \"${b}\"}]]]]]]]]]]\n");
        for end in (0..=src.len()).filter(|&i| src.is_char_boundary(i)) {
            let _ = hcl_decls(&src[..end]);
        }
        let deep = format!("x = {}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(hcl_decls(&deep).is_err());
    }
}
