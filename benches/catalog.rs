//! Catalog benchmark: what the embedded AWS data costs on first use (inflate + parse), what
//! expanding action patterns costs, and what matching one action pattern against one name costs
//! (as the checks do for each statement: the pattern's text, read as it is matched).
//!
//! ```text
//! cargo bench --bench catalog
//! ```
//!
//! The catalogs load once per process, so the first-use numbers are one measurement per run;
//! run it a few times to see the spread. Timings are printed, never asserted. `cargo test
//! --benches` runs the same thing (it is quick either way).

use privdiff::catalog::aws::{self, managed};
use privdiff::model::pattern::{action_matches_ignoring_case, Glob};
use std::time::{Duration, Instant};

fn time<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    println!("{what:<48} {:>9.3} ms", ms(start.elapsed()));
    out
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Inflating alone, to tell decompression from parsing in the first-use numbers.
fn inflate_only(what: &str, gz: &[u8]) {
    use std::io::Read;
    time(&format!("{what}, inflate only"), || {
        let mut text = String::new();
        flate2::read::GzDecoder::new(gz)
            .read_to_string(&mut text)
            .unwrap();
        text.len()
    });
}

fn main() {
    inflate_only(
        "action catalog",
        include_bytes!("../data/aws/actions.tsv.gz"),
    );
    inflate_only(
        "managed policies",
        include_bytes!("../data/aws/managed-policies.tsv.gz"),
    );
    let catalog = time("action catalog, first use (inflate + parse)", aws::catalog);
    time(
        "managed policies, first use (inflate + parse)",
        managed::count,
    );
    time("managed policy lookup (ReadOnlyAccess)", || {
        managed::document("arn:aws:iam::aws:policy/ReadOnlyAccess")
    });
    for pattern in ["*", "s3:Get*", "*:Get*", "*Policy*", "ec2:Describe*"] {
        let ids = time(&format!("matching {pattern:?}, uncached"), || {
            catalog.matching(pattern)
        });
        time(
            &format!("matching {pattern:?}, cached ({} ids)", ids.len()),
            || catalog.matching(pattern),
        );
    }
    let start = Instant::now();
    let n = catalog
        .actions()
        .filter_map(|a| catalog.action(&format!("{}:{}", a.service, a.name)))
        .count();
    println!(
        "{:<48} {:>9.3} µs",
        format!("action lookup by name (mean of {n})"),
        ms(start.elapsed()) * 1e3 / n as f64
    );
    let names: Vec<String> = catalog
        .actions()
        .map(|a| format!("{}:{}", a.service, a.name.to_ascii_lowercase()))
        .collect();
    let patterns = [
        "iam:passrole",
        "s3:get*",
        "*:*object*",
        "ec2:describe*",
        "iam:?ass*",
    ];
    let pairs = (names.len() * patterns.len()) as f64;
    let start = Instant::now();
    let hits: usize = patterns
        .iter()
        .map(|p| {
            names
                .iter()
                .filter(|n| action_matches_ignoring_case(p, n))
                .count()
        })
        .sum();
    println!(
        "{:<48} {:>9.3} ns",
        format!("pattern text vs name, mean ({hits} hits)"),
        ms(start.elapsed()) * 1e6 / pairs
    );
    let start = Instant::now();
    let hits: usize = patterns
        .iter()
        .map(|p| {
            let glob = Glob::action(p);
            names
                .iter()
                .filter(|n| glob.matches_ignoring_case(n))
                .count()
        })
        .sum();
    println!(
        "{:<48} {:>9.3} ns",
        format!("compiled pattern vs name, mean ({hits} hits)"),
        ms(start.elapsed()) * 1e6 / pairs
    );
}
