//! `privacy/patient-case`: the post tells the story of one patient.

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// Fires when the post tells the story of one patient or their care,
    /// even with no name in it. The shared patient signal looks for a
    /// singular referent ("my patient", "this gentleman", "a
    /// 45-year-old", "23F", "the lady in bay 3", "Pt in room 12", a
    /// sentence that opens "Man came in" or "Customer asked") and, in the
    /// same or the next sentence, a care event ("came in", "admitted",
    /// "delivered"), a story verb in the past tense ("told me",
    /// "swallowed") or a time anchor ("today", "last night") in a clinical
    /// post. General statements ("patients tell us", "when the patient
    /// swears they floss"), hypotheticals ("if your child has a fever"),
    /// quotations and the author's own family ("my 3-year-old") are not
    /// cases. A reply to a review that confirms the reviewer was treated
    /// ("your treatment", "our records show") is one. The finding
    /// underlines the referent through its care event.
    ///
    /// ## Why
    ///
    /// "You must not use publicly accessible social media to discuss
    /// individual patients or their care." A story without a name can
    /// still be recognised by the patient, their family or their
    /// neighbours, and it tells every reader that what happens in your
    /// clinic may end up online. GMC *Using social media as a medical
    /// professional* ¶18 (`uk-gmc-sm2024-18`); AMA Opinion 2.3.2(a)
    /// (`us-ama-2.3.2(a)`); NMC guidance on sharing confidential
    /// information; HIPAA OCR settlements with dental practices that
    /// confirmed patients when replying to reviews
    /// (`us-hipaa-164.514(b)(2)(ii)`).
    ///
    /// ## Example
    ///
    /// ```text
    /// Man came in with a TV remote stuck where the sun don't shine 📺😂 said he 'fell on it'.
    /// ```
    ///
    /// Better:
    ///
    /// ```text
    /// Foreign bodies are more common than you'd think, and nobody who comes in with one should be laughed at.
    /// ```
    ///
    /// ## Fix
    ///
    /// Share the lesson, not the case: drop the story of the individual
    /// patient, or, for teaching, get the patient's explicit consent and
    /// publish only on a professional, access-controlled forum.
    ///
    /// ## Options
    ///
    /// None.
    pub static RULE = {
        id: "privacy/patient-case",
        fix: Never,
        options: [],
        check: check,
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(case) = &ctx.signals.patient().case else {
        return;
    };
    let mut d = Diagnostic::at(case.span, "story of an individual patient in a public post")
        .with_help("share the general lesson without the individual case, or get the patient's consent and use a closed professional forum")
        .with_note(format!("refers to {}: `{}`", case.reason, ctx.text.slice(case.referent)));
    if let Some(cue) = case.cue {
        d = d.with_note(format!("told as a story: `{}`", ctx.text.slice(cue)));
    }
    out.push(d);
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::testing::{Test, assert_silent, assert_spans};

    #[test]
    fn fires_on_patient_stories() {
        assert_spans(
            &RULE,
            "My patient told me today that her new dentures saved her marriage",
            &["My patient told me"],
        );
        assert_spans(
            &RULE,
            "Man came in with a TV remote stuck where the sun don't shine",
            &["Man came in"],
        );
        assert_spans(
            &RULE,
            "a 45-year-old came into our ER at 2am with chest pain",
            &["a 45-year-old came into"],
        );
        assert_spans(
            &RULE,
            "Customer asked if the suppositories were chewable. They were not.",
            &["Customer asked"],
        );
        assert_spans(
            &RULE,
            "X-ray of the day 😳 this gentleman swallowed his dentures in his sleep.",
            &["this gentleman swallowed"],
        );
        assert_spans(
            &RULE,
            "Saw a 19 yr old girl with Takayasu arteritis in OPD yesterday.",
            &["Saw a 19 yr old girl"],
        );
        assert_spans(
            &RULE,
            "Pt in room 12 has pressed the call light 41 times since 7pm.",
            &["Pt in room 12 has pressed"],
        );
        assert_spans(
            &RULE,
            "Thinking of the lady we looked after this week, what a character.",
            &["the lady we looked after"],
        );
        assert_spans(
            &RULE,
            "Delivered a healthy baby girl for our local principal.",
            &["Delivered a healthy baby girl"],
        );
        assert_spans(
            &RULE,
            "Our favourite frequent flyer is back in bay 2 for the 6th time this month",
            &["Our favourite frequent flyer is back in bay 2 for the 6th time this month"],
        );
    }

    #[test]
    fn fires_on_new_kinds_of_story() {
        assert!(Test::new("Lovely old chap on the ward today told me about his time in the navy").fires(&RULE));
        assert!(Test::new("Had a 67M in resus last night, massive GI bleed, pulled through").fires(&RULE));
        assert!(Test::new("This patient of mine refused every tablet we offered on Monday").fires(&RULE));
        assert!(Test::new("Mrs Patel was admitted with pneumonia and went home smiling").fires(&RULE));
        assert!(Test::new("Client turned up 40 minutes late and demanded a full session").fires(&RULE));
        assert!(Test::new("Woman in her eighties brought in after a fall, sharp as a tack").fires(&RULE));
    }

    #[test]
    fn reply_to_a_review_that_confirms_the_patient() {
        let t = Test::new("We're sorry you feel that way, but our records show you missed two appointments.")
            .reply_to("⭐ Worst dentist ever, rude staff and they charged me twice");
        assert_eq!(t.spans(&RULE), ["our records show"]);
        let t = Test::new("Thanks for the kind words, see you at your next visit!").reply_to("Great clinic!");
        assert!(!t.fires(&RULE));
        let t = Test::new("Sorry to hear this, please call the practice so we can talk.")
            .reply_to("Terrible service, waited an hour");
        assert!(!t.fires(&RULE));
    }

    #[test]
    fn long_posts_stay_linear() {
        let text = "My patient came in today in bay 4. ".repeat(20_000);
        assert!(Test::new(&text).fires(&RULE));
        let text = "patients ".repeat(50_000);
        assert!(!Test::new(&text).fires(&RULE));
    }

    #[test]
    fn hard_negatives() {
        assert_silent(
            &RULE,
            "Patients tell us all the time that the worst part of coming to hospital is the waiting.",
        );
        assert_silent(
            &RULE,
            "Patients attending for elective procedures are advised to fast from midnight.",
        );
        assert_silent(&RULE, "When the patient swears they floss every day 🤥😂 #dentistlife");
        assert_silent(
            &RULE,
            "Thank you to the patient volunteers and actors who gave up their Saturdays.",
        );
        assert_silent(
            &RULE,
            "Tip from a nurse mum: if your kid has a fever, give them plenty to drink.",
        );
        assert_silent(
            &RULE,
            "Sad to say goodbye to Sister Ruth Adeyemi after 31 years on Ward 9.",
        );
        assert_silent(
            &RULE,
            "Huge congratulations to Dr Amara Bello on passing her MRCP this week!",
        );
        assert_silent(&RULE, "Our new patient portal is live! Sign up here.");
        assert_silent(
            &RULE,
            "Sourdough attempt #4 finally got an open crumb! Recipe from a very patient baker friend.",
        );
        assert_silent(
            &RULE,
            "Meet the team 👋 This is Tom, our new sports physio, who joins us from a rugby club.",
        );
        assert_silent(
            &RULE,
            "Every winter someone tells me that a flu jab gave them flu. It can't.",
        );
        assert_silent(&RULE, "If someone seems confused or unwell in the heat, call 111.");
        assert_silent(
            &RULE,
            "Our Vasantpur clinic will be closed on Monday for Diwali. Wishing all our patients a happy festival",
        );
        assert_silent(
            &RULE,
            "Credit unknown: 'you will never forget the patient who held your hand on your worst day.'",
        );
        assert_silent(&RULE, "My 3-year-old has had chickenpox all week, send coffee");
        assert_silent(&RULE, "Team meeting in room 4 today at 2pm, cake provided");
        assert_silent(&RULE, "");
        assert_silent(&RULE, "🩺🩺🩺");
    }
}
