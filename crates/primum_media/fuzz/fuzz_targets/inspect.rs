//! Reading any bytes as an image never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = primum_media::inspect(data);
});
