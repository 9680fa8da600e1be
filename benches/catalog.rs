//! Catalog benchmark: what the embedded AWS data costs on first use (inflate + parse), and
//! what expanding action patterns costs.
//!
//! ```text
//! cargo bench --bench catalog
//! ```
//!
//! The catalogs load once per process, so the first-use numbers are one measurement per run;
//! run it a few times to see the spread. Timings are printed, never asserted. `cargo test
//! --benches` runs the same thing (it is quick either way).

use privdiff::catalog::aws::{self, managed};
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
}
