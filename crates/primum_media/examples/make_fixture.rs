//! Writes a small picture (a grey gradient, 32x16) as JPEG or PNG, for the
//! command line's test fixtures, which are then given fake metadata with
//! exiftool (see `crates/primum_cli/tests/fixtures/README.md`):
//! `cargo run -p primum_media --example make_fixture -- OUT.jpg`.

fn main() {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: make_fixture OUT.jpg|OUT.png");
        std::process::exit(2);
    };
    let img = image::RgbImage::from_fn(32, 16, |x, y| image::Rgb([(x * 8) as u8, (y * 16) as u8, 128]));
    if let Err(e) = img.save(&out) {
        eprintln!("{out}: {e}");
        std::process::exit(1);
    }
}
