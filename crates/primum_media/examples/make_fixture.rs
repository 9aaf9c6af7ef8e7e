//! Writes a picture as JPEG or PNG: by default a small grey gradient (32x16)
//! for the command line's test fixtures, which are then given fake metadata
//! with exiftool (see `crates/primum_cli/tests/fixtures/README.md`); with a
//! size, a noisy photo-like picture of that size for the scrub benchmark
//! (`bench/scrub_media.sh`):
//! `cargo run -p primum_media --example make_fixture -- OUT.jpg [WIDTHxHEIGHT]`.

use std::io::BufWriter;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next() else {
        eprintln!("usage: make_fixture OUT.jpg|OUT.png [WIDTHxHEIGHT]");
        std::process::exit(2);
    };
    let size = args.next().and_then(|s| {
        let (w, h) = s.split_once('x')?;
        Some((w.parse::<u32>().ok()?, h.parse::<u32>().ok()?))
    });
    let result = match size {
        None => image::RgbImage::from_fn(32, 16, |x, y| image::Rgb([(x * 8) as u8, (y * 16) as u8, 128]))
            .save(&out)
            .map_err(|e| e.to_string()),
        Some((w, h)) => {
            // Smooth colour fields plus noise: compresses like a photo
            // (about 2-3 bits per pixel at quality 90).
            let mut seed = 0x9E37_79B9_7F4A_7C15u64;
            let img = image::RgbImage::from_fn(w, h, |x, y| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let n = (seed % 48) as u32;
                let r = (x * 255 / w.max(1) + n) as u8;
                let g = (y * 255 / h.max(1) + n / 2) as u8;
                let b = (((x + y) / 8 % 200) + n) as u8;
                image::Rgb([r, g, b])
            });
            std::fs::File::create(&out).map_err(|e| e.to_string()).and_then(|f| {
                image::codecs::jpeg::JpegEncoder::new_with_quality(BufWriter::new(f), 90)
                    .encode_image(&img)
                    .map_err(|e| e.to_string())
            })
        }
    };
    if let Err(e) = result {
        eprintln!("{out}: {e}");
        std::process::exit(1);
    }
}
