//! The plan loader and everything after it: any bytes either fail with an error or analyse
//! and render in every format, without a panic and without a raw control or bidi character
//! (an ESC that drives a terminal, an override that reorders a line) in any output.

#![no_main]

mod limits;

use libfuzzer_sys::fuzz_target;
use limits::LIMITS;
use privdiff::render::{self, escape, Format, RenderOptions};

fuzz_target!(|data: &[u8]| {
    let plan = match privdiff::plan::load(data) {
        Ok(plan) => plan,
        // The CLI prints the error on one line, with control characters removed.
        Err(_) => return,
    };
    let report = match privdiff::analyze::analyze(&plan, &LIMITS, &Default::default()) {
        Ok(report) => report,
        Err(_) => return,
    };
    for &format in Format::ALL {
        let out = render::render(&report, format, &RenderOptions::PLAIN);
        assert!(out.ends_with('\n'), "{format:?} output does not end a line");
        // Line breaks and, in Markdown's preformatted blocks, tabs are the only controls any
        // format writes; a bidi control never shows.
        let raw = out
            .chars()
            .find(|&c| c.is_control() && c != '\n' && c != '\t' || escape::is_bidi_control(c));
        assert!(raw.is_none(), "{format:?} output holds a raw {raw:?}");
    }
});
