//! `copyright/image-rights`: an attached image's metadata names a
//! copyright holder, creator or licence that is not the author's.

use crate::declare_rule;
use crate::image::{ImageCtx, What, shorten};
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// An image attached to the post (`primum check --image`) whose
    /// metadata makes a rights claim that is not the author's: a copyright
    /// notice (EXIF `Copyright`, XMP `dc:rights`, IPTC copyright notice),
    /// a creator, artist, by-line, credit line or source, usage terms or a
    /// licence. The author's own name comes from the policy file (`[account]
    /// name`); a claim that contains it (titles such as "Dr" and "MD"
    /// aside, in any case) is the author's and does not fire. A stock
    /// agency named anywhere in the metadata (Getty Images, Shutterstock,
    /// iStock, Adobe Stock, Alamy...) and restrictive terms ("all rights
    /// reserved", "editorial use only") are named in the finding. When the
    /// policy gives no author name, every claim is reported, since it
    /// cannot be told to be yours.
    ///
    /// ## Why
    ///
    /// "Respect copyright laws and licensing." A picture found online or
    /// bought for one use is not free to repost; its metadata often says
    /// whose it is. Removing someone else's rights information can itself
    /// infringe (17 U.S.C. §1202; EU Directive 2001/29/EC art. 7), which is
    /// why `primum scrub` keeps copyright notices unless asked.
    ///
    /// ## Example
    ///
    /// A chart downloaded from a stock site, with `Copyright: Getty
    /// Images` and `Credit: Getty Images/iStockphoto`.
    ///
    /// Better: your own picture, or a licensed one credited in the post.
    ///
    /// ## Fix
    ///
    /// Use your own image or one you are licensed to post, and credit it;
    /// set `[account] name` in the policy file so your own pictures are
    /// recognised.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "copyright/image-rights",
        fix: Never,
        options: [],
        check: no_text_check,
    }
}

/// An image rule judges no text: the text engine skips it by scope.
fn no_text_check(_: &Ctx<'_>, _: &mut Vec<Diagnostic>) {}

/// Stock agencies and image libraries, lower case.
const STOCK: &[&str] = &[
    "getty images",
    "gettyimages",
    "istock",
    "shutterstock",
    "adobe stock",
    "alamy",
    "dreamstime",
    "123rf",
    "depositphotos",
    "science photo library",
    "bigstock",
    "pond5",
    "agefotostock",
];

/// Terms that restrict reuse, lower case.
const RESTRICTIVE: &[&str] = &[
    "all rights reserved",
    "editorial use only",
    "rights managed",
    "not for reuse",
];

/// Words of a name that are titles or post-nominals, not the name.
const TITLES: &[&str] = &[
    "dr",
    "prof",
    "professor",
    "mr",
    "mrs",
    "ms",
    "mx",
    "md",
    "do",
    "phd",
    "rn",
    "np",
    "pa",
    "mbbs",
    "frcp",
    "frcs",
    "dds",
    "pharmd",
    "bsc",
    "msc",
    "sister",
    "nurse",
];

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether `claim` names the author: every word of the author's name
/// (titles aside) is in it.
fn is_authors(claim: &str, author: &str) -> bool {
    let name: Vec<String> = words(author)
        .into_iter()
        .filter(|w| !TITLES.contains(&w.as_str()))
        .collect();
    if name.is_empty() {
        return false;
    }
    let claim = words(claim);
    name.iter().all(|w| claim.contains(w))
}

pub fn check_image(ctx: &ImageCtx<'_>, out: &mut Vec<Diagnostic>) {
    let name = ctx.name;
    let author = ctx.policy.account.name.as_deref();
    let claims: Vec<_> = ctx
        .meta
        .items
        .iter()
        .filter(|i| matches!(i.what, What::Copyright | What::Credit | What::Licence))
        .filter(|i| !i.value.trim().is_empty())
        .filter(|i| !author.is_some_and(|a| is_authors(&i.value, a)))
        .collect();
    let stock = ctx.meta.items.iter().find_map(|i| {
        let v = i.value.to_lowercase();
        STOCK.iter().find(|s| v.contains(*s)).map(|s| (*s, i))
    });
    if claims.is_empty() && stock.is_none() {
        return;
    }
    let message = match (stock, claims.first()) {
        (Some((agency, item)), _) => format!(
            "{name}: the metadata names the stock agency \"{}\" ({})",
            agency, item.source
        ),
        (None, Some(first)) => {
            let whose = if author.is_some() { "someone else's" } else { "a" };
            let what = match first.what {
                What::Licence => "licence or usage terms",
                What::Credit => "creator or credit",
                _ => "copyright notice",
            };
            format!(
                "{name}: {whose} {what} \"{}\" in the metadata ({})",
                shorten(&first.value, 40),
                first.source
            )
        }
        (None, None) => return,
    };
    let mut d = Diagnostic::new(None, message).with_help(if author.is_some() {
        "post only images you own or are licensed to share, and credit them; `primum scrub` keeps this notice"
    } else {
        "check that the image is yours or licensed to you; set `[account] name` in the policy file so your own notices are recognised"
    });
    for c in &claims {
        d.notes.push(format!("{}: {}", c.source, shorten(&c.value, 80)));
        let v = c.value.to_lowercase();
        if let Some(r) = RESTRICTIVE.iter().find(|r| v.contains(*r)) {
            d.notes.push(format!("restrictive terms: \"{r}\""));
        }
    }
    out.push(d);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::{ImageMeta, check_image as run};
    use crate::policy::Policy;

    fn with_author(name: &str) -> Policy {
        Policy::resolve(None, Some(("p.toml", &format!("[account]\nname = \"{name}\"\n")))).expect("a valid policy")
    }

    fn messages(meta: &ImageMeta, policy: &Policy) -> Vec<String> {
        run("p.jpg", meta, policy)
            .findings
            .into_iter()
            .filter(|f| f.rule == "copyright/image-rights")
            .map(|f| f.message.into_owned())
            .collect()
    }

    #[test]
    fn someone_elses_copyright_fires() {
        let mut m = ImageMeta::default();
        m.push(
            What::Copyright,
            "EXIF Copyright",
            "(c) 2024 Jordan Photo Ltd. All rights reserved",
        );
        let got = messages(&m, &with_author("Dr Alex Example"));
        assert_eq!(
            got,
            [
                "p.jpg: someone else's copyright notice \"(c) 2024 Jordan Photo Ltd. All rights r…\" in the metadata (EXIF Copyright)"
            ]
        );
        let f = run("p.jpg", &m, &with_author("Dr Alex Example"));
        assert!(f.findings[0].notes.iter().any(|n| n.contains("all rights reserved")));
    }

    #[test]
    fn the_authors_own_notice_does_not_fire() {
        let mut m = ImageMeta::default();
        m.push(What::Copyright, "EXIF Copyright", "(c) 2026 Alex Example MD");
        m.push(What::Credit, "XMP dc:creator", "alex example");
        assert!(messages(&m, &with_author("Dr. Alex Example")).is_empty());
    }

    #[test]
    fn without_an_author_every_claim_is_reported() {
        let mut m = ImageMeta::default();
        m.push(What::Copyright, "EXIF Copyright", "(c) 2026 Alex Example MD");
        let got = messages(&m, &Policy::core());
        assert_eq!(got.len(), 1);
        assert!(got[0].starts_with("p.jpg: a copyright notice"), "{got:?}");
    }

    #[test]
    fn a_stock_agency_is_named() {
        let mut m = ImageMeta::default();
        m.push(What::Credit, "IPTC Credit", "Getty Images/iStockphoto");
        let got = messages(&m, &with_author("Alex Example"));
        assert_eq!(
            got,
            ["p.jpg: the metadata names the stock agency \"getty images\" (IPTC Credit)"]
        );
    }

    #[test]
    fn hard_negatives() {
        let mut m = ImageMeta::default();
        m.push(What::Serial, "EXIF SerialNumber", "SN-1");
        m.push(What::Person, "EXIF Artist", "Jordan");
        m.push(What::Copyright, "EXIF Copyright", "   ");
        assert!(messages(&m, &Policy::core()).is_empty());
        // An author whose name is only titles matches nothing.
        assert!(!is_authors("Dr MD", "Dr MD"));
    }
}
