//! `privacy/anonymous-account`: an anonymous post that traces back to its
//! author's workplace.

use std::sync::LazyLock;

use primum_text::{Lexicon, Span};

use crate::declare_rule;
use crate::phi::names::MONTHS_DAYS;
use crate::post::AccountKind;
use crate::rule::{Ctx, Diagnostic};
use crate::signals::PlaceKind;

declare_rule! {
    /// ## What it checks
    ///
    /// Only for anonymous accounts (the post's or the policy's account
    /// kind is `anonymous`). Fires when the post names the workplace (a
    /// hospital, clinic or named unit: "Ashcombe General", "St Mildred's",
    /// "Ward 7B"), or gives two or more other traceable details: a shift
    /// pattern ("Thursday lates", "day shift"), a unique colleague ("ward
    /// manager"), a workplace event ("Christmas do"). A capitalised name
    /// after "at" or "on" counts as the workplace when the post also names
    /// a colleague, a shift or a workplace event ("Bed manager at
    /// Greyfield Royal", "Charge nurse on 6 South at Mercy West"), however
    /// the hospital is called; so do a unit code after "on" and a
    /// hospital's nickname after "at the" ("Night 3 on 4B at the Mercy",
    /// with "Charge nurse off sick"). A place name joined to a hospital unit
    /// ("outside Tallaght ED", "ICU at Waikato") names the workplace too.
    /// Traceable phrases are in
    /// `lexicons/traceable.csv`; names are found by pattern. The finding
    /// spans the details.
    ///
    /// ## Why
    ///
    /// "Content uploaded anonymously can, in many cases, be traced back to
    /// its point of origin." Posts made anonymously can often be traced
    /// back, and the same standards apply to them: GMC *Using social media
    /// as a medical professional* ¶9 (`uk-gmc-sm2024-9`), GMC 2013 ¶18
    /// (`uk-gmc-sm2013-18`). Naming the ward and the shift also narrows
    /// down the patients and colleagues the post is about.
    ///
    /// ## Example
    ///
    /// ```text
    /// Night 4 of 4 on Ward 22 at Ashcombe General. Ward manager STILL hasn't sorted the rota.
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// Last of four nights done. Rotas are hard for everyone this winter.
    /// ```
    ///
    /// ## Fix
    ///
    /// Leave out the hospital, unit, shift and colleagues, or post under
    /// your own name and hold the post to that standard.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "privacy/anonymous-account",
        fix: Never,
        options: [],
        check: check,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Category {
    Shift,
    Colleague,
    Event,
}

static TRACEABLE: LazyLock<Lexicon<Category>> = LazyLock::new(|| {
    Lexicon::new(crate::lexicon_rows!("traceable.csv").into_iter().filter_map(|r| {
        let c = match r.get(1)?.trim() {
            "shift" => Category::Shift,
            "colleague" => Category::Colleague,
            "event" => Category::Event,
            _ => return None,
        };
        Some((r.first()?.clone(), c))
    }))
});

/// Capitalised words after "at the" that are not a hospital's nickname
/// ("at the NHS", "at the weekend"); calendar words ("at the Christmas do")
/// are in [`MONTHS_DAYS`].
const NOT_NICKNAME: &[&str] = &[
    "nhs", "end", "start", "weekend", "moment", "time", "same", "top", "bottom", "front", "back", "gym", "pub",
];

/// Hospital units whose name, next to a place, names the author's hospital.
const UNITS: &[&str] = &[
    "ED", "A&E", "ICU", "ITU", "NICU", "PICU", "HDU", "CCU", "SCBU", "AMU", "MAU", "ER",
];

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if ctx.account() != Some(AccountKind::Anonymous) {
        return;
    }
    let a = ctx.text;
    let mut details: Vec<(Span, &'static str)> = ctx
        .signals
        .places()
        .iter()
        .filter_map(|p| match p.kind {
            PlaceKind::Institution => Some((p.span, "workplace")),
            PlaceKind::Ward => Some((p.span, "ward")),
            _ => None,
        })
        .collect();
    // "outside Tallaght ED", "ICU at Waikato": a place name joined to a
    // hospital unit is the author's hospital.
    for p in ctx.signals.places() {
        if p.kind != PlaceKind::Locality {
            continue;
        }
        let after = a.text[p.span.end..].trim_start();
        let unit_after = after
            .split(|c: char| !c.is_alphanumeric() && c != '&')
            .next()
            .is_some_and(|w| UNITS.contains(&w));
        let before = a.text[..p.span.start].trim_end();
        let unit_before = ["at", "in"].iter().any(|prep| {
            before.strip_suffix(prep).is_some_and(|rest| {
                rest.ends_with(' ')
                    && rest
                        .trim_end()
                        .rsplit(|c: char| !c.is_alphanumeric() && c != '&')
                        .next()
                        .is_some_and(|w| UNITS.contains(&w))
            })
        });
        if unit_after || unit_before {
            details.push((p.span, "workplace"));
        }
    }
    let named = !details.is_empty();
    let mut cats: Vec<Category> = Vec::new();
    for m in TRACEABLE.each(a) {
        if a.quoted[m.first] {
            continue;
        }
        let what = match m.value {
            Category::Shift => "shift",
            Category::Colleague => "colleague",
            Category::Event => "workplace event",
        };
        details.push((m.span, what));
        if !cats.contains(m.value) {
            cats.push(*m.value);
        }
    }
    // "Bed manager at Greyfield Royal": a name after "at" is the
    // workplace when a colleague, shift or event says the post is about work.
    let mut named = named;
    if !named && !cats.is_empty() {
        for p in ctx.signals.places() {
            let before = a.text[..p.span.start].trim_end();
            if p.kind == PlaceKind::Locality && (before.ends_with(" at") || before.ends_with(" on")) {
                details.push((p.span, "workplace"));
                named = true;
            }
        }
    }
    // "on 4B at the Mercy": a unit code after "on" and a hospital's
    // nickname after "at the" are the workplace in a post about work.
    if !cats.is_empty() {
        let word = |k: usize| a.tokens.get(k).map_or("", |t| t.norm.as_str());
        for (i, t) in a.tokens.iter().enumerate() {
            if a.quoted[i] || !matches!(t.norm.as_str(), "on" | "at") {
                continue;
            }
            let Some(nx) = a.tokens.get(i + 1) else { continue };
            let code = a.slice(nx.span);
            let unit_code = t.norm == "on"
                && code.len() <= 4
                && code.starts_with(|c: char| c.is_ascii_digit())
                && code.ends_with(|c: char| c.is_ascii_uppercase())
                && code.chars().all(|c| c.is_ascii_alphanumeric());
            if unit_code {
                details.push((nx.span, "ward"));
                named = true;
                continue;
            }
            if t.norm == "at"
                && word(i + 1) == "the"
                && let Some(name) = a.tokens.get(i + 2)
                && name.kind == primum_text::TokenKind::Word
                && name.case == primum_text::Case::Title
                && !NOT_NICKNAME.contains(&name.norm.as_str())
                && !MONTHS_DAYS.contains(&name.norm.as_str())
            {
                details.push((name.span, "workplace"));
                named = true;
            }
        }
    }
    if !named && cats.len() < 2 {
        return;
    }
    details.sort_by_key(|d| d.0.start);
    let Some(first) = details.first() else { return };
    let span = details.iter().map(|d| d.0).fold(first.0, Span::cover);
    let listed: Vec<String> = details.iter().map(|(s, w)| format!("{w} `{}`", a.slice(*s))).collect();
    out.push(
        Diagnostic::at(span, "anonymous post that traces back to its author's workplace")
            .with_help("leave out the hospital, unit, shift pattern and colleagues, or post under your own name")
            .with_note(format!("traceable details: {}", listed.join(", "))),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::post::AccountKind;
    use crate::testing::Test;

    fn anon(text: &str) -> Test {
        Test::new(text).account(AccountKind::Anonymous)
    }

    #[test]
    fn a_place_joined_to_a_unit_is_the_workplace() {
        assert!(anon("NICU at Ashford down three nurses again tonight, send help").fires(&RULE));
        assert!(anon("Queue outside Kilmore ED went round the block this morning").fires(&RULE));
        assert!(!anon("Lovely walk in Kilmore this morning before the rain").fires(&RULE));
        assert!(!anon("ICU nurses everywhere deserve a pay rise").fires(&RULE));
    }

    #[test]
    fn fires_on_traceable_posts() {
        assert_eq!(
            anon("Night 4 of 4 on Ward 22 at Ashcombe General. Six waiting for beds.").spans(&RULE),
            ["Ward 22 at Ashcombe General"]
        );
        assert_eq!(
            anon("Who keeps stealing my oat milk on Ward 7B at Kingsbury Children's?? I know it's one of the Thursday lates").spans(&RULE),
            ["Ward 7B at Kingsbury Children's?? I know it's one of the Thursday lates"]
        );
        assert!(
            anon("Anyone else on the St Mildred's ED day shift hear what happened at the Christmas do?").fires(&RULE)
        );
        assert!(anon("Ward manager cancelled the Christmas do again and the night shift is fuming").fires(&RULE));
        // A hospital by any name, after "at", with a colleague named.
        assert!(anon("Bed manager at Greyfield Royal is an absolute cow. Sent three of us home early.").fires(&RULE));
        assert!(anon("Charge nurse on 6 South at Mercy West told us today there's no overtime budget").fires(&RULE));
        assert!(anon("Site manager at Larkhill Park rang me at 2am again").fires(&RULE));
    }

    #[test]
    fn only_on_anonymous_accounts() {
        let text = "Night 4 of 4 on Ward 22 at Ashcombe General.";
        assert!(!Test::new(text).account(AccountKind::Professional).fires(&RULE));
        assert!(!Test::new(text).fires(&RULE));
    }

    #[test]
    fn nothing_traceable() {
        assert!(!anon("Quiet night in the ED. I will not be saying that word again.").fires(&RULE));
        assert!(!anon("Nights again. Coffee machine broken. Send beans").fires(&RULE));
        // A place with no sign that the post is about work.
        assert!(!anon("Lovely walk at Malham Cove today, legs are done").fires(&RULE));
        assert!(!anon("").fires(&RULE));
    }

    #[test]
    fn unit_codes_and_hospital_nicknames() {
        assert!(anon("Night 2 on 6C at the Royal in Leeds. Charge nurse off sick again.").fires(&RULE));
        assert!(anon("Charge nurse off sick again, so it's just me at the Mater tonight.").fires(&RULE));
        assert!(!anon("Lovely dinner at the Ivy on Friday with the girls").fires(&RULE));
        assert!(!anon("Back on 4B tonight, wish me luck").fires(&RULE));
        assert!(!anon("Charge nurse made us all laugh at the end of a long week").fires(&RULE));
    }
}
