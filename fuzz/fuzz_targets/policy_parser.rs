//! The policy document parser. Any text parses or fails without a panic, and a policy that
//! parses means the same after its statements and list elements are reordered and its actions
//! re-cased: the comparison finds no widening either way (the tool's first promise).

#![no_main]

mod limits;

use libfuzzer_sys::fuzz_target;
use limits::LIMITS;
use privdiff::compare::compare;
use privdiff::model::Scope;
use privdiff::providers::aws::vocabulary::Aws;
use serde_json::Value;

/// The same policy written differently: statements and every list reversed, actions in upper
/// case (ASCII only: other case mappings are not one-to-one).
fn rewritten(doc: &Value) -> Value {
    let mut doc = doc.clone();
    if let Some(Value::Array(statements)) = doc.get_mut("Statement") {
        statements.reverse();
        for st in statements.iter_mut().filter_map(Value::as_object_mut) {
            for (key, value) in st.iter_mut() {
                let is_action = key == "Action" || key == "NotAction";
                match value {
                    Value::Array(items) => {
                        items.reverse();
                        if is_action {
                            for item in items.iter_mut() {
                                if let Value::String(s) = item {
                                    s.make_ascii_uppercase();
                                }
                            }
                        }
                    }
                    Value::String(s) if is_action => s.make_ascii_uppercase(),
                    _ => {}
                }
            }
        }
    }
    doc
}

fn scope(doc: &Value) -> Option<Scope> {
    let statements = privdiff::providers::aws::policy::parse(doc).ok()?;
    Some(Scope {
        statements,
        boundary: None,
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(Some(statements)) = privdiff::providers::aws::policy::parse_str(text) else {
        return;
    };
    let _ = privdiff::providers::aws::policy::normalised(&statements, true);
    let doc: Value = serde_json::from_str(text).expect("parse_str accepted it");
    let original = Scope {
        statements,
        boundary: None,
    };
    let other = scope(&rewritten(&doc)).expect("a rewritten policy parses too");
    for (old, new) in [(&original, &other), (&other, &original)] {
        if let Ok(delta) = compare(old, new, &LIMITS, &Aws::default()) {
            assert!(
                delta.is_empty(),
                "reordering and re-casing widened {text:?}: {:?}",
                delta.witness()
            );
        }
    }
});
