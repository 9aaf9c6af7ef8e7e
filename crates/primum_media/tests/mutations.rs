//! A cheap fuzz run inside `cargo test`: pictures made here (and the shared
//! media corpus when present) are damaged in many small ways (bytes
//! flipped, cut short, blocks repeated, junk inserted) and each result is
//! read and scrubbed. Nothing may panic, and every scrub that succeeds must
//! read back. The seed is fixed, so a failure reproduces.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use primum_media::ScrubOptions;

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

fn encoded(format: image::ImageFormat) -> Vec<u8> {
    let img = image::RgbImage::from_fn(24, 12, |x, y| image::Rgb([(x * 10) as u8, (y * 20) as u8, 77]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), format)
        .expect("encodes");
    out
}

fn mutate(rng: &mut Rng, b: &[u8]) -> Vec<u8> {
    let mut v = b.to_vec();
    for _ in 0..=rng.below(3) {
        let len = v.len().max(1);
        match rng.below(6) {
            0 => {
                let i = rng.below(len);
                if let Some(x) = v.get_mut(i) {
                    *x ^= 1 << rng.below(8);
                }
            }
            1 => {
                let i = rng.below(len);
                if let Some(x) = v.get_mut(i) {
                    *x = [0x00, 0xFF, 0x7F, 0x80][rng.below(4)];
                }
            }
            2 => v.truncate(rng.below(len)),
            3 => {
                let i = rng.below(len);
                let n = rng.below(64).min(v.len().saturating_sub(i));
                let chunk: Vec<u8> = v[i..i + n].to_vec();
                let at = rng.below(v.len() + 1);
                v.splice(at..at, chunk);
            }
            4 => {
                let at = rng.below(v.len() + 1);
                let junk: Vec<u8> = (0..rng.below(16)).map(|_| rng.next() as u8).collect();
                v.splice(at..at, junk);
            }
            _ => {
                // A length field or an offset gone huge.
                let i = rng.below(len);
                for x in v.iter_mut().skip(i).take(4) {
                    *x = 0xFF;
                }
            }
        }
    }
    v
}

fn shared_corpus(out: &mut Vec<(String, Vec<u8>)>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/media");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        eprintln!("note: ../shared/data/media is not present; mutating generated pictures only");
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_file()
            && p.extension().is_some_and(|x| x != "md")
            && let Ok(b) = std::fs::read(&p)
        {
            out.push((p.display().to_string(), b));
        }
    }
}

#[test]
fn damaged_files_never_panic_and_scrubs_read_back() {
    let mut seeds: Vec<(String, Vec<u8>)> = [
        ("generated.jpg", image::ImageFormat::Jpeg),
        ("generated.png", image::ImageFormat::Png),
        ("generated.gif", image::ImageFormat::Gif),
        ("generated.tiff", image::ImageFormat::Tiff),
        ("generated.webp", image::ImageFormat::WebP),
    ]
    .into_iter()
    .map(|(n, f)| (n.to_string(), encoded(f)))
    .collect();
    shared_corpus(&mut seeds);
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let mut problems = Vec::new();
    let opts = ScrubOptions::default();
    for (name, seed) in &seeds {
        for round in 0..400 {
            let input = mutate(&mut rng, seed);
            let result = catch_unwind(AssertUnwindSafe(|| {
                let _ = primum_media::inspect(&input);
                primum_media::scrub(&input, &opts).map(|s| primum_media::inspect(&s.bytes).err())
            }));
            match result {
                Err(_) => problems.push(format!("{name} round {round}: panicked")),
                Ok(Ok(Some(e))) => problems.push(format!("{name} round {round}: scrubbed output does not read: {e}")),
                Ok(_) => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
