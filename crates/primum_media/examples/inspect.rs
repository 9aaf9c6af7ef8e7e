//! Prints what each image's metadata holds and what a scrub removes:
//! `cargo run -p primum_media --example inspect -- FILE...`.

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        match primum_media::inspect(&bytes) {
            Ok(i) => {
                println!(
                    "{path}: {} {:?} orientation {:?} icc {:?}",
                    i.format.as_str(),
                    i.dimensions,
                    i.orientation,
                    i.icc_profile
                );
                for item in &i.meta.items {
                    println!("  {:?} | {} | {}", item.what, item.source, item.value);
                }
            }
            Err(e) => println!("{path}: cannot read: {e}"),
        }
        match primum_media::scrub(&bytes, &primum_media::ScrubOptions::default()) {
            Ok(s) => println!(
                "  scrub: {} -> {} bytes; removed {:?}; kept {:?}",
                bytes.len(),
                s.bytes.len(),
                s.removed,
                s.kept
            ),
            Err(e) => println!("  scrub refused: {e}"),
        }
    }
}
