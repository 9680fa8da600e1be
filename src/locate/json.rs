//! The `resource` and `data` blocks of one `.tf.json` file (Terraform's JSON syntax), with
//! their lines.
//!
//! `{"resource": {"TYPE": {"NAME": {...}}}}`; each level may also be an array of such objects,
//! and `"//"` keys are comments. A block's `line` is the line where its body starts, which is
//! the line of its `"NAME"` key unless the file breaks the line after the colon.

use super::blocks::{Decl, Lines, Syntax};
use serde_json::value::RawValue;
use std::collections::BTreeMap;

type Object<'a> = BTreeMap<String, &'a RawValue>;

/// The declarations of a `.tf.json` file, ordered by address.
pub fn json_decls(src: &str) -> Result<Vec<Decl>, Syntax> {
    let top: Object = serde_json::from_str(src).map_err(|e| Syntax {
        line: e.line(),
        column: e.column(),
    })?;
    let lines = Lines::new(src);
    let mut out = Vec::new();
    for (block, prefix) in [("resource", ""), ("data", "data.")] {
        let Some(types) = top.get(block) else {
            continue;
        };
        for (kind, names) in objects(types).iter().flatten() {
            for (name, body) in objects(names).iter().flatten() {
                if kind == "//" || name == "//" {
                    continue;
                }
                let Some((start, end)) = offsets(src, body) else {
                    continue;
                };
                out.push(Decl {
                    local: format!("{prefix}{kind}.{name}"),
                    line: lines.line(start),
                    end_line: lines.line(end),
                });
            }
        }
    }
    Ok(out)
}

/// An object, or each object of an array; anything else holds no blocks.
fn objects(raw: &RawValue) -> Vec<Object<'_>> {
    serde_json::from_str::<Object>(raw.get())
        .map(|o| vec![o])
        .or_else(|_| serde_json::from_str::<Vec<Object>>(raw.get()))
        .unwrap_or_default()
}

/// Byte offsets in `src` of the first and last byte of `raw`, which was borrowed from it.
fn offsets(src: &str, raw: &RawValue) -> Option<(usize, usize)> {
    let text = raw.get();
    let start = (text.as_ptr() as usize).checked_sub(src.as_ptr() as usize)?;
    let end = start + text.len().checked_sub(1)?;
    (end < src.len()).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_resources_and_data_sources() {
        let src = r#"{
  "//": "comment",
  "resource": {
    "aws_iam_role": {
      "ci": {
        "name": "ci"
      },
      "//": "not a resource"
    }
  },
  "data": [
    {"aws_iam_policy_document": {"doc": {}}}
  ]
}"#;
        let d = json_decls(src).unwrap();
        let got: Vec<_> = d
            .iter()
            .map(|d| (d.local.as_str(), d.line, d.end_line))
            .collect();
        assert_eq!(
            got,
            [
                ("aws_iam_role.ci", 5, 7),
                ("data.aws_iam_policy_document.doc", 12, 12)
            ]
        );
        let crlf = src.replace('\n', "\r\n");
        assert_eq!(json_decls(&crlf).unwrap(), d);
    }

    #[test]
    fn escaped_keys_and_odd_shapes() {
        let d = json_decls(r#"{"resource": {"aws_iam_role": {"\u0061": {}}, "x": 3}, "data": 1}"#);
        assert_eq!(d.unwrap()[0].local, "aws_iam_role.a");
        let e = json_decls("{\n  \"resource\": {,\n}").unwrap_err();
        assert_eq!((e.line, e.column), (2, 16));
        assert!(json_decls("[]").is_err());
    }
}
