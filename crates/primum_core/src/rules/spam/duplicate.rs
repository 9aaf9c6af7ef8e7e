//! `spam/duplicate`: the same or nearly the same text posted again within
//! the policy's window.

use std::collections::HashMap;

use crate::declare_rule;
use crate::history::{HistoryCtx, HistoryDiagnostic, describe, not_per_post};
use crate::rule::Diagnostic;

declare_rule! {
    /// ## What it checks
    ///
    /// In an account audit, a post whose text is the same as, or nearly the
    /// same as, an earlier post of the account made within `window_days`
    /// days. Texts are compared as sets of three-word phrases (lower case,
    /// links and @mentions left out); two posts are near-duplicates when
    /// the share of phrases they have in common (Jaccard similarity) is at
    /// least `similarity`. Reposts and posts of fewer than six words
    /// ("Thank you!") are left out. The finding is on the later post.
    ///
    /// Candidates are found with MinHash signatures and locality-sensitive
    /// hashing, so an archive of 100,000 posts is not compared pair by
    /// pair.
    ///
    /// ## Why
    ///
    /// "Be original; don't be spammy." The same message posted again and
    /// again reads as automated promotion, and platforms treat repetitive
    /// posting as spam.
    ///
    /// ## Example
    ///
    /// Two posts a week apart:
    ///
    /// ```text
    /// Book your flu jab at Harbour Lane Surgery this week, walk-ins welcome from 9am!
    /// Book your flu jab at Harbour Lane Surgery this week - walk-ins welcome from 9am
    /// ```
    ///
    /// Better: one post, or a second one that says something new (a
    /// reminder with the remaining dates, a reason to come).
    ///
    /// ## Fix
    ///
    /// Delete the repeat, or rewrite it so that it adds something; pin the
    /// first post instead of posting it again.
    ///
    /// ## Options
    ///
    /// - `window_days` (integer, default 30): how far apart two posts may
    ///   be and still count as a repeat.
    /// - `similarity` (number 0-1, default 0.9): the least share of
    ///   three-word phrases in common for a near-duplicate (1.0: identical
    ///   wording only).
    pub static RULE = {
        id: "spam/duplicate",
        fix: Never,
        options: [
            ("window_days", Int(30), "how many days apart two posts may be and still count as a repeat"),
            ("similarity", Float(0.9), "the least Jaccard similarity of three-word phrases for a near-duplicate (0-1)"),
        ],
        check: not_per_post,
    }
}

/// Posts with fewer words than this are not compared.
const MIN_WORDS: usize = 6;
/// MinHash signature length: 16 bands of 4 rows.
const HASHES: usize = 64;
const ROWS: usize = 4;
/// Earlier candidates compared with each post, most recent first: bounds
/// the work when hundreds of posts are identical.
const MAX_CANDIDATES: usize = 64;

/// FNV-1a over bytes: fast, stable across builds and platforms (the
/// signatures need no resistance to crafted input).
fn fnv(bytes: impl IntoIterator<Item = u8>, mut h: u64) -> u64 {
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// splitmix64: one of the signature's hash functions per seed.
fn mix(x: u64, seed: u64) -> u64 {
    let mut z = x ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The sorted, distinct three-word phrases of a text, hashed.
pub(crate) fn shingles(text: &str) -> Vec<u64> {
    let words: Vec<String> = text
        .split_whitespace()
        .filter(|w| !w.starts_with('@') && !w.contains("://") && !w.starts_with("www."))
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() < MIN_WORDS {
        return Vec::new();
    }
    let mut out: Vec<u64> = words
        .windows(3)
        .map(|w| {
            let h = fnv(w[0].bytes(), FNV_OFFSET);
            let h = fnv(std::iter::once(b' ').chain(w[1].bytes()), h);
            fnv(std::iter::once(b' ').chain(w[2].bytes()), h)
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - common;
    if union == 0 { 0.0 } else { common as f64 / union as f64 }
}

pub fn check_history(ctx: &HistoryCtx<'_>, out: &mut Vec<HistoryDiagnostic>) {
    let window = ctx.opt_i64("window_days").max(0) * 86_400;
    let threshold = ctx.opt_f64("similarity").clamp(0.0, 1.0);
    let posts = &ctx.history.posts;
    // Posts in time order, with their phrases.
    let mut order: Vec<(i64, usize, Vec<u64>)> = posts
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.repost)
        .filter_map(|(i, p)| {
            let s = shingles(p.text);
            Some((p.created_at?.unix(), i, s)).filter(|(_, _, s)| !s.is_empty())
        })
        .collect();
    order.sort_by_key(|(t, i, _)| (*t, *i));
    // Bucket -> positions in `order`, in time order.
    let mut buckets: HashMap<u64, Vec<usize>> = HashMap::new();
    for (pos, (t, i, s)) in order.iter().enumerate() {
        let sig: Vec<u64> = (0..HASHES as u64)
            .map(|seed| s.iter().map(|&x| mix(x, seed + 1)).min().unwrap_or(u64::MAX))
            .collect();
        let mut candidates: Vec<usize> = Vec::new();
        let mut keys = Vec::with_capacity(HASHES / ROWS);
        for (band, rows) in sig.chunks(ROWS).enumerate() {
            let key = rows
                .iter()
                .fold(mix(band as u64, 0), |h, &r| mix(h ^ r, band as u64 + 1));
            keys.push(key);
            if let Some(b) = buckets.get(&key) {
                candidates.extend(
                    b.iter()
                        .rev()
                        .take_while(|&&c| t - order[c].0 <= window)
                        .take(MAX_CANDIDATES)
                        .copied(),
                );
            }
        }
        candidates.sort_unstable_by(|a, b| b.cmp(a));
        candidates.dedup();
        let best = candidates
            .iter()
            .take(MAX_CANDIDATES)
            .map(|&c| (c, jaccard(s, &order[c].2)))
            .filter(|(_, sim)| *sim >= threshold)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        if let Some((c, sim)) = best {
            let earlier = &posts[order[c].1];
            let message = if sim >= 1.0 {
                "the same text as an earlier post".to_string()
            } else {
                format!("nearly the same text as an earlier post ({:.0}% alike)", sim * 100.0)
            };
            let days = (t - order[c].0) / 86_400;
            out.push(HistoryDiagnostic::post(
                *i,
                Diagnostic::new(None, message)
                    .with_note(format!("the earlier post: {} ({days} days before)", describe(earlier)))
                    .with_help("delete the repeat, or rewrite it so that it says something new"),
            ));
        }
        for key in keys {
            buckets.entry(key).or_default().push(pos);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::history::testing::{ids, policy, posts, run};
    use crate::policy::Policy;

    const RULE: &str = "spam/duplicate";

    #[test]
    fn repeats_within_the_window() {
        let items = [
            (
                "Book your flu jab at Harbour Lane Surgery this week, walk-ins welcome from 9am!",
                "2026-10-01T09:00:00Z",
            ),
            (
                "Lovely autumn walk along the river with the team today",
                "2026-10-03T09:00:00Z",
            ),
            (
                "Book your flu jab at Harbour Lane Surgery this week - walk-ins welcome from 9am",
                "2026-10-08T09:00:00Z",
            ),
            (
                "Book your flu jab at Harbour Lane Surgery this week, walk-ins welcome from 9am!",
                "2026-10-09T09:00:00Z",
            ),
        ];
        let ids = ids(items.len());
        let found = run(&posts(&items, &ids), &Policy::core(), RULE);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, Some(2));
        assert_eq!(found[0].1, "the same text as an earlier post");
        assert_eq!(found[1].0, Some(3));
    }

    #[test]
    fn near_duplicates_by_similarity() {
        let items = [
            (
                "Our new asthma clinic opens on Monday: bring your inhaler and your questions, we will check your technique",
                "2026-10-01T09:00:00Z",
            ),
            (
                "Our new asthma clinic opens on Monday: bring your inhaler and your questions, we will check your technique too",
                "2026-10-02T09:00:00Z",
            ),
        ];
        let ids = ids(items.len());
        let found = run(&posts(&items, &ids), &Policy::core(), RULE);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].1.starts_with("nearly the same text"), "{found:?}");
        // Stricter: identical wording only.
        let strict = policy("[rules.\"spam/duplicate\"]\noptions = { similarity = 1.0 }");
        assert!(run(&posts(&items, &ids), &strict, RULE).is_empty());
    }

    #[test]
    fn hard_negatives() {
        let items = [
            // Outside the 30-day window.
            (
                "Book your flu jab at Harbour Lane Surgery this week, walk-ins welcome",
                "2026-01-01T09:00:00Z",
            ),
            (
                "Book your flu jab at Harbour Lane Surgery this week, walk-ins welcome",
                "2026-03-01T09:00:00Z",
            ),
            // Short replies repeat naturally.
            ("Thank you so much!", "2026-03-02T09:00:00Z"),
            ("Thank you so much!", "2026-03-02T10:00:00Z"),
            // Same topic, different words.
            (
                "Flu jabs are available at the surgery from Monday, ask at reception",
                "2026-03-03T09:00:00Z",
            ),
            (
                "Our flu clinic is running all week; book online or call the practice",
                "2026-03-04T09:00:00Z",
            ),
        ];
        let ids = ids(items.len());
        let found = run(&posts(&items, &ids), &Policy::core(), RULE);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn links_and_mentions_do_not_make_a_difference() {
        let items = [
            (
                "@anna great question, the leaflet on hay fever treatment is here https://a.example/1",
                "2026-05-01T09:00:00Z",
            ),
            (
                "@ben great question, the leaflet on hay fever treatment is here https://a.example/2",
                "2026-05-02T09:00:00Z",
            ),
        ];
        let ids = ids(items.len());
        assert_eq!(run(&posts(&items, &ids), &Policy::core(), RULE).len(), 1);
    }

    #[test]
    fn many_identical_posts_are_each_reported_once() {
        let text = "Follow us for daily health tips and news from the practice team";
        let times: Vec<String> = (0..500)
            .map(|i| format!("2026-05-01T{:02}:{:02}:00Z", i / 60 % 24, i % 60))
            .collect();
        let items: Vec<(&str, &str)> = times.iter().map(|t| (text, t.as_str())).collect();
        let ids = ids(items.len());
        let found = run(&posts(&items, &ids), &Policy::core(), RULE);
        assert_eq!(found.len(), 499);
    }
}
