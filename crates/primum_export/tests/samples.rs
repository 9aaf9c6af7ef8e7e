//! Every real export sample in `../shared/data/exports/` imported, with
//! its counts and specific records checked. The samples are third-party
//! data and stay outside the repository: each test skips with one line
//! when they are absent.

use std::path::{Path, PathBuf};

use primum_export::{Export, LikeKind, Quiet, Source, import};

fn sample(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/exports").join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipped: ../shared/data/exports/{rel} is not present");
        None
    }
}

fn load(rel: &str) -> Option<Export> {
    let p = sample(rel)?;
    Some(import(&p, &Quiet).unwrap_or_else(|e| panic!("{rel}: {e}")))
}

#[test]
fn dump() {
    for rel in [
        "x/rti_at_mla_2021",
        "x/bizweekgraphics_grailbird_2015",
        "x/ethereum_classic_2022",
        "x/dogsheep_fixture_2020",
        "mastodon/fossilizer_2023_zip",
        "mastodon/fossilizer_2022_targz",
        "mastodon/fossilizer_single/activity-with-attachment.json",
        "bluesky/paul_staging.repo.car",
        "bluesky/bnewbold.robocracy.org.20250310005405.car",
        "bluesky/fakermaker.repo.car",
        "bluesky/greenground.repo.car",
        "bluesky/repo_slice.car",
        "linkedin/sanand0_2025/Shares.csv",
        "linkedin/sanand0_2025",
    ] {
        let Some(e) = load(rel) else { continue };
        let own = e.likes.iter().filter(|l| l.target_is_own).count();
        eprintln!(
            "{rel}: {} posts={} likes={} own_likes={} settings={:?} errors={:?} first={:?}",
            e.source,
            e.posts.len(),
            e.likes.len(),
            own,
            e.settings.as_ref().map(|s| s.len()),
            e.errors.iter().map(|x| x.to_string()).collect::<Vec<_>>(),
            e.posts.first().map(|p| (&p.id, p.text.chars().take(60).collect::<String>(), p.created_at.map(|t| t.to_string()), &p.url))
        );
    }
}
