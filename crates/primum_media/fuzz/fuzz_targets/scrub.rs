//! Scrubbing any bytes never panics, and what a scrub returns reads back
//! and scrubs to itself (a second scrub has nothing left to remove).
#![no_main]

use libfuzzer_sys::fuzz_target;
use primum_media::ScrubOptions;

fuzz_target!(|data: &[u8]| {
    let opts = ScrubOptions::default();
    if let Ok(s) = primum_media::scrub(data, &opts) {
        primum_media::inspect(&s.bytes).expect("a scrubbed image reads back");
        let again = primum_media::scrub(&s.bytes, &opts).expect("a scrubbed image scrubs again");
        assert!(again.bytes.len() <= s.bytes.len(), "a second scrub grew the file");
    }
});
