//! The config file as written: its attributes and blocks, in order, duplicates and all, with
//! each value reduced to what a config value can be. [`super::validate`] decides what it means.

/// A body: the file itself, or the inside of a block.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub key: String,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// `rule`, `ignore`, `sod`...
    pub kind: String,
    pub labels: Vec<String>,
    pub body: Body,
}

/// A value the way validation sees it: literals, lists of them, or something else it will
/// refuse by name.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    Bool(bool),
    Number(String),
    List(Vec<Value>),
    /// What the value is, e.g. `an object`, `a function call`: the config file is data, so
    /// expressions are never evaluated.
    Other(&'static str),
}

impl Value {
    /// What kind of value it is, for "must be a string, not a number".
    pub fn kind(&self) -> &'static str {
        match self {
            Value::String(_) => "a string",
            Value::Bool(_) => "a bool",
            Value::Number(_) => "a number",
            Value::List(_) => "a list",
            Value::Other(what) => what,
        }
    }
}

/// Text that is not HCL (or repeats an attribute, which hcl refuses), with where it is
/// (1-based line and column) when hcl says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub at: Option<(usize, usize)>,
    pub message: String,
}

/// Parses HCL text into its raw body.
pub fn parse(text: &str) -> Result<Body, SyntaxError> {
    let body = hcl::parse(text).map_err(|e| match e {
        hcl::Error::Parse(e) => {
            let (line, column) = (e.location().line(), e.location().column());
            // hcl refuses a repeated attribute itself; say which one, as other mistakes do.
            let message = match key_at(text, line, column) {
                Some(key) if e.message().contains("redefined attribute") => {
                    format!("{key:?} is set twice")
                }
                _ => format!("HCL syntax error: {}", e.message()),
            };
            SyntaxError {
                at: Some((line, column)),
                message,
            }
        }
        other => SyntaxError {
            at: None,
            message: format!("HCL syntax error: {other}"),
        },
    })?;
    Ok(body_of(body))
}

/// The identifier that starts at `line`, `column` (1-based, in characters) of `text`.
fn key_at(text: &str, line: usize, column: usize) -> Option<String> {
    let rest: String = text
        .lines()
        .nth(line.checked_sub(1)?)?
        .chars()
        .skip(column.checked_sub(1)?)
        .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))
        .collect();
    (!rest.is_empty()).then_some(rest)
}

fn body_of(body: hcl::Body) -> Body {
    let mut out = Body {
        attributes: Vec::new(),
        blocks: Vec::new(),
    };
    for structure in body {
        match structure {
            hcl::Structure::Attribute(a) => out.attributes.push(Attribute {
                key: a.key.to_string(),
                value: value_of(a.expr),
            }),
            hcl::Structure::Block(b) => out.blocks.push(Block {
                kind: b.identifier.to_string(),
                labels: b.labels.into_iter().map(|l| l.into_inner()).collect(),
                body: body_of(b.body),
            }),
        }
    }
    out
}

fn value_of(expr: hcl::Expression) -> Value {
    use hcl::Expression as E;
    match expr {
        E::String(s) => Value::String(s),
        E::Bool(b) => Value::Bool(b),
        E::Number(n) => Value::Number(n.to_string()),
        E::Array(items) => Value::List(items.into_iter().map(value_of).collect()),
        E::Parenthesis(inner) => value_of(*inner),
        // A heredoc, or a quoted string hcl kept as a template: fine while it is only text.
        E::TemplateExpr(t) => literal_text(&t).map_or(Value::Other("a template"), Value::String),
        E::Null => Value::Other("null"),
        E::Object(_) => Value::Other("an object"),
        E::Variable(_) | E::Traversal(_) => Value::Other("a reference"),
        E::FuncCall(_) => Value::Other("a function call"),
        _ => Value::Other("an expression"),
    }
}

/// The text of a template without interpolations or directives.
fn literal_text(t: &hcl::TemplateExpr) -> Option<String> {
    let template = hcl::Template::from_expr(t).ok()?;
    template
        .elements()
        .iter()
        .map(|e| match e {
            hcl::template::Element::Literal(s) => Some(s.as_str()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_attributes_and_blocks_as_written() {
        let body = parse(
            "a = \"x\"\nb = 1\nrule \"PD001\" {\n  enabled = false\n}\nlist = [[\"s3:Get*\"], (true)]\ntext = <<EOT\nhello\nEOT\n",
        )
        .unwrap();
        let keys: Vec<&str> = body.attributes.iter().map(|a| a.key.as_str()).collect();
        assert_eq!(keys, ["a", "b", "list", "text"]);
        assert_eq!(body.attributes[1].value, Value::Number("1".into()));
        assert_eq!(
            body.attributes[2].value,
            Value::List(vec![
                Value::List(vec![Value::String("s3:Get*".into())]),
                Value::Bool(true)
            ])
        );
        assert_eq!(body.attributes[3].value, Value::String("hello\n".into()));
        assert_eq!(body.blocks[0].kind, "rule");
        assert_eq!(body.blocks[0].labels, ["PD001"]);
        assert_eq!(body.blocks[0].body.attributes[0].value, Value::Bool(false));
    }

    #[test]
    fn expressions_are_named_not_evaluated() {
        let body =
            parse("a = var.x\nb = upper(\"x\")\nc = { k = 1 }\nd = \"${var.x}\"\ne = null\n")
                .unwrap();
        let kinds: Vec<&str> = body.attributes.iter().map(|a| a.value.kind()).collect();
        assert_eq!(
            kinds,
            [
                "a reference",
                "a function call",
                "an object",
                "a template",
                "null"
            ]
        );
    }

    #[test]
    fn syntax_errors_say_where() {
        let e = parse("fail_on = \"high\"\nrule \"PD001\" {\n").unwrap_err();
        let (line, _) = e.at.expect("a location");
        assert!(line >= 2, "{e:?}");
        assert!(e.message.starts_with("HCL syntax error: "), "{e:?}");
    }

    #[test]
    fn a_repeated_attribute_is_named() {
        let e = parse("rule \"PD001\" {\n  enabled = true\n  enabled = false\n}\n").unwrap_err();
        assert_eq!(e.at, Some((3, 3)));
        assert_eq!(e.message, "\"enabled\" is set twice");
    }
}
