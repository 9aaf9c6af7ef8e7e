//! Imports exports and prints what was read and how long it took: the
//! importers' share of an audit's time (`bench/audit.sh`).
//!
//! Usage: cargo run --release -p primum_export --example import -- EXPORT...

use std::path::Path;
use std::time::Instant;

fn main() {
    for arg in std::env::args().skip(1) {
        let t = Instant::now();
        match primum_export::import(Path::new(&arg), &primum_export::Quiet) {
            Ok(e) => println!(
                "{arg}: {} posts, {} likes, {} errors, {:.2} s",
                e.posts.len(),
                e.likes.len(),
                e.errors.len(),
                t.elapsed().as_secs_f64()
            ),
            Err(e) => println!("{arg}: {e}"),
        }
    }
}
