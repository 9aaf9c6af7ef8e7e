//! `engagement/self-like`: likes, boosts and reposts of the account's own
//! posts.

use std::collections::HashMap;

use crate::declare_rule;
use crate::history::{HistoryCtx, HistoryDiagnostic, not_per_post};
use crate::rule::Diagnostic;

declare_rule! {
    /// ## What it checks
    ///
    /// In an account audit, each like, favourite, boost or repost the
    /// account made of one of its own posts: the liked post is among the
    /// export's posts (by its id or URI), or the export names the account
    /// as its author (a Bluesky like whose subject holds the account's
    /// DID, a Mastodon like under the account's actor). The finding is on
    /// the liked post; likes of own posts that are no longer in the export
    /// are counted in one finding about the account.
    ///
    /// X exports give no author for a like, so there a like is only caught
    /// when the liked post is in the export; LinkedIn reactions are matched
    /// by the post's link, Facebook's by "liked her own post" in the
    /// export's own wording.
    ///
    /// ## Why
    ///
    /// "Don't like your own posts." Liking or boosting one's own posts
    /// inflates their reach artificially and reads as self-promotion.
    ///
    /// ## Example
    ///
    /// A clinic's account posts a vaccination reminder, then likes and
    /// reposts it from the same account. Better: let colleagues and
    /// patients share it; pin it if it should stay visible.
    ///
    /// ## Fix
    ///
    /// Undo the like or repost; pin the post instead.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "engagement/self-like",
        fix: Never,
        options: [],
        check: not_per_post,
    }
}

pub fn check_history(ctx: &HistoryCtx<'_>, out: &mut Vec<HistoryDiagnostic>) {
    let posts = &ctx.history.posts;
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, p) in posts.iter().enumerate() {
        index.entry(p.id).or_insert(i);
        for a in p.aliases {
            index.entry(a.as_str()).or_insert(i);
        }
    }
    // (post, repost?) -> count, in order of the posts.
    let mut hits: Vec<((usize, bool), usize)> = Vec::new();
    let (mut lost_likes, mut lost_reposts) = (0usize, 0usize);
    for l in &ctx.history.likes {
        match index.get(l.target) {
            Some(&i) => match hits.iter_mut().find(|(k, _)| *k == (i, l.repost)) {
                Some((_, n)) => *n += 1,
                None => hits.push(((i, l.repost), 1)),
            },
            None if l.target_is_own => {
                if l.repost {
                    lost_reposts += 1;
                } else {
                    lost_likes += 1;
                }
            }
            None => {}
        }
    }
    hits.sort_by_key(|(k, _)| *k);
    for ((i, repost), n) in hits {
        let what = if repost { "reposted" } else { "liked" };
        let times = if n > 1 { format!(" ({n} times)") } else { String::new() };
        out.push(HistoryDiagnostic::post(
            i,
            Diagnostic::new(None, format!("the account {what} its own post{times}"))
                .with_help("undo the like or repost; pin the post if it should stay visible"),
        ));
    }
    if lost_likes + lost_reposts > 0 {
        let mut parts = Vec::new();
        if lost_likes > 0 {
            parts.push(format!("{lost_likes} like(s)"));
        }
        if lost_reposts > 0 {
            parts.push(format!("{lost_reposts} repost(s)"));
        }
        out.push(HistoryDiagnostic::account(
            Diagnostic::new(
                None,
                format!(
                    "{} of the account's own posts that are not in the export",
                    parts.join(" and ")
                ),
            )
            .with_help("undo them on the platform"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::history::testing::{ids, posts, run};
    use crate::history::{Engagement, History};
    use crate::policy::Policy;

    const RULE: &str = "engagement/self-like";

    fn like(target: &str, own: bool, repost: bool) -> Engagement<'_> {
        Engagement {
            target,
            target_is_own: own,
            repost,
            created_at: None,
        }
    }

    #[test]
    fn likes_and_reposts_of_own_posts() {
        let items = [("first", "2026-01-01T00:00:00Z"), ("second", "2026-01-02T00:00:00Z")];
        let ids = ids(2);
        let alias = vec!["at://did:plc:me/app.bsky.feed.post/p2".to_string()];
        let mut h: History<'_> = posts(&items, &ids);
        h.posts[1].aliases = &alias;
        h.likes = vec![
            like("p1", false, false),
            like("p1", false, false),
            like("at://did:plc:me/app.bsky.feed.post/p2", true, true),
            // Someone else's post.
            like("at://did:plc:other/app.bsky.feed.post/x", false, false),
            // Own, but deleted since.
            like("at://did:plc:me/app.bsky.feed.post/gone", true, false),
        ];
        let found = run(&h, &Policy::core(), RULE);
        assert_eq!(
            found,
            vec![
                (Some(0), "the account liked its own post (2 times)".to_string()),
                (Some(1), "the account reposted its own post".to_string()),
                (
                    None,
                    "1 like(s) of the account's own posts that are not in the export".to_string()
                ),
            ]
        );
    }

    #[test]
    fn likes_of_others_are_fine() {
        let items = [("first", "2026-01-01T00:00:00Z")];
        let ids = ids(1);
        let mut h = posts(&items, &ids);
        h.likes = vec![
            like("p9", false, false),
            like("https://x.example/users/a/statuses/1", false, true),
        ];
        assert!(run(&h, &Policy::core(), RULE).is_empty());
    }
}
