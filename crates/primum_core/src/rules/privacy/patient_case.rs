//! `privacy/patient-case`: the post tells the story of one patient.

use crate::declare_rule;
use crate::rule::{Ctx, Diagnostic};

declare_rule! {
    /// ## What it checks
    ///
    /// Fires when the post tells the story of one patient or their care,
    /// even with no name in it. The shared patient signal looks for one
    /// specific person — a singular referent ("my patient", "this
    /// gentleman", "one of my clinic patients", "a 45-year-old", "23F",
    /// "the lady in bay 3", "Pt in room 12", "MRN 00482913", a sentence
    /// that opens "Man came in" or "Customer asked"), a person or role
    /// noun with a determiner ("the cyclist", "the Year 12 captain", "a
    /// bed blocker"), a name ("Mrs Patel", "Agnes McTavish", "Tadeusz
    /// Wiśniewski, who..."), a kinship word used as a name ("we got there
    /// for grandpa"), or a third-person pronoun (he, she, him, her) —
    /// and, in the same or the next sentence (for a pronoun, also the one
    /// before), care: a care event or outcome ("came in", "admitted",
    /// "airlifted", "is stable", "she's going to be ok"), a story verb
    /// ("told me", "swallowed"), a time anchor or care setting ("today's
    /// CT", "last night", "in our PICU", "cath lab") in a clinical post,
    /// or a personal detail attached to a patient ("our oldest patient
    /// ... is 103", "Patient DOB 12/04/1951", "she's one of my
    /// patients"). Someone "in cubicle 4 who..." is a patient too.
    /// Not cases: general statements ("patients tell us", "when the
    /// patient swears they floss", "people aged 50 and over"),
    /// hypotheticals ("if your child has a fever, give him..."),
    /// quotations and their signatures, colleagues (a pronoun or name
    /// whose nearest person is a staff role or title: "Sister Ruth ...
    /// She taught half the nurses", "our ward clerk Bev", "Bernadette
    /// Kearney, our practice nurse"), public figures (a listed name, or a
    /// name after a rank or office such as Sir, Dame, Lord, Prince or
    /// President: "Sir Chris Hoy talking about his diagnosis"; "a public
    /// figure speaking about her own diagnosis") and the
    /// author's own family or life ("my 3-year-old", "Proud mum moment",
    /// "Twelve years married today. He..."). A reply to a review that
    /// confirms the reviewer was treated ("your treatment", "our records
    /// show") is one, and so is a reply to someone who told of their own
    /// past care ("Dr Sharma did my root canal") that speaks of their
    /// care in the second person ("Glad your root canal went smoothly",
    /// "see you at your 6-month check"). A room or bed number that is
    /// the subject of a sentence ("Room 14 is a total crock", "Mr.
    /// Alvarez in 412 who..."; not "Room 4 is booked"), a first name at
    /// a named care home ("our Elsie at Rosewood Lodge", "our resident
    /// Winifred Hale at Elmbank Care Home"), a health-service number
    /// ("NHS no 943 476 5919"), one patient's image shown with when it
    /// was taken ("this CT from tonight's trauma call", "today's X-ray";
    /// not "this MRI scanner"), an opening "New patient today whose..."
    /// and a bed that is a label's subject ("bay 6 is our resident
    /// frequent flyer"), a Hinglish age
    /// ("92 saal ke uncle") and a case frame ("Fascinating case this
    /// week: 34M", "Another case of ... in cubicle 4") count as referents
    /// and cues; a story verb may follow an auxiliary or a negation ("this
    /// patient who hadn't smiled in a photo"); a pronoun for the
    /// reader's relative ("if your nan's on warfarin, keep her...") or a
    /// pet is not a patient. The finding underlines the referent through
    /// its care event.
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
        .with_note(note(&["refers to ", case.reason, ": `", ctx.text.slice(case.referent), "`"]));
    if let Some(cue) = case.cue {
        d = d.with_note(note(&["told as a story: `", ctx.text.slice(cue), "`"]));
    }
    out.push(d);
}

/// A note made of `parts`, joined without format machinery.
fn note(parts: &[&str]) -> String {
    parts.concat()
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
    fn pronouns_tell_a_story_in_a_clinical_post() {
        assert!(Test::new("Post-op X-ray from this morning 👀 she'll be back on her feet in no time.").fires(&RULE));
        assert!(
            Test::new("Look at the ECG from last night's shift. He walked in chatting with an inferior STEMI.")
                .fires(&RULE)
        );
        assert!(
            Test::new("Thinking of the motorcyclist we worked on last night. He's stable in ICU this morning.")
                .fires(&RULE)
        );
        assert!(
            Test::new(
                "Thanks to the neighbours who held the door when we came for grandma at 2am. She's doing fine 👍"
            )
            .fires(&RULE)
        );
    }

    #[test]
    fn names_record_numbers_and_details_single_out_a_patient() {
        assert!(
            Test::new(
                "Huge welcome back to Bronisław Kowalczyk, who went home from our stroke unit on Tuesday after 3 weeks."
            )
            .fires(&RULE)
        );
        assert!(
            Test::new("Today in clinic: Sunita Sharma, 47, tailor from Rampur, sugar 380 and no symptoms.")
                .fires(&RULE)
        );
        assert!(
            Test::new("Our longest-staying patient this year is 97 and still does the crossword every morning.")
                .fires(&RULE)
        );
        assert!(Test::new("Happy 101st birthday to Edna Price, our oldest patient! 🎂").fires(&RULE));
        assert!(Test::new("Go and follow her page, she's one of my long-term patients and so brave.").fires(&RULE));
        assert!(Test::new("Pt MRN 5521873 in bed 12 still waiting on her bloods, 4 hours later.").fires(&RULE));
        assert!(Test::new("Patient DOB 03/07/1948 - can anyone chase her discharge meds?").fires(&RULE));
    }

    #[test]
    fn role_nouns_beds_and_labels() {
        assert!(
            Test::new(
                "To the jogger who stopped to help the pedestrian outside our ED on Sunday night: he's going to be ok."
            )
            .fires(&RULE)
        );
        assert!(
            Test::new("The Year 9 netball captain from Riverside who fainted at sports day is stable in our PICU.")
                .fires(&RULE)
        );
        assert!(Test::new("Some drunk idiot in bay 3 who keeps pulling his cannula out.").fires(&RULE));
        assert!(Test::new("Who else has a bed blocker who refuses every nursing home? Day 60.").fires(&RULE));
        assert!(
            Test::new("A 61-year-old roofer was airlifted in this afternoon after a fall from scaffolding.")
                .fires(&RULE)
        );
        assert!(
            Test::new("Brought back a 30-year-old from VF arrest this afternoon. Three shocks. He's talking.")
                .fires(&RULE)
        );
        assert!(
            Test::new("Shout out to the teenager who did CPR on his dad in the car park. He's alive because of you.")
                .fires(&RULE)
        );
    }

    #[test]
    fn colleagues_family_and_general_statements_are_not_cases() {
        assert_silent(
            &RULE,
            "Welcome to our new charge nurse Priya Shah! She joins us from ICU on Monday.",
        );
        assert_silent(
            &RULE,
            "Please welcome Staff Nurse Kofi Boateng to Ward 8! Kofi joins us from Accra.",
        );
        assert_silent(
            &RULE,
            "After 25 years on Ward 3, Sister Mary Quinn retires on Friday. She trained half of us.",
        );
        assert_silent(
            &RULE,
            "Happy birthday to our brilliant ward clerk Jo 🎂 don't tell her we told you.",
        );
        assert_silent(&RULE, "Twenty years married today. He still can't load a dishwasher.");
        assert_silent(&RULE, "Dad's 70th birthday lunch today, he cried at the speeches.");
        assert_silent(
            &RULE,
            "Proud mum moment 🥹 first day at school today. Back on nights tomorrow!",
        );
        assert_silent(
            &RULE,
            "She lost her first tooth at breakfast and demanded five dollars.",
        );
        assert_silent(
            &RULE,
            "If your child has a fever, give him plenty to drink and call 111 if he gets worse.",
        );
        assert_silent(
            &RULE,
            "Everyone aged 65 and over can get the shingles vaccine this autumn at the surgery.",
        );
        assert_silent(
            &RULE,
            "Screening kits are posted to people aged 50 to 74 every two years.",
        );
        assert_silent(
            &RULE,
            "'Wherever the art of medicine is loved, there is also a love of humanity.' – Hippocrates. One for a long week on the wards.",
        );
        assert_silent(&RULE, "The new cath lab opens on Monday and the team is thrilled.");
        // A public figure, a colleague by their team, staff in a story.
        assert_silent(
            &RULE,
            "Met the Health Secretary at the conference today. He promised more funding for the ICU.",
        );
        assert_silent(
            &RULE,
            "Welcome back to Anna Lee, who returns to our ICU team after maternity leave on Monday.",
        );
        assert_silent(
            &RULE,
            "Taught the new F1s about sepsis today. One of them asked if she could shadow me in resus.",
        );
        assert_silent(
            &RULE,
            "Big thanks to Tom from estates who fixed the ward heating in an hour. He's a legend.",
        );
        assert_silent(
            &RULE,
            "A man with chest pain should always call 999; he should never drive himself to hospital.",
        );
        assert_silent(
            &RULE,
            "Cyclists: wear a helmet. Most of the head injuries we see in the ED are preventable.",
        );
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
    fn second_person_replies_rooms_residents_and_shorthand() {
        let t = Test::new("Thanks Priya! Glad your hip op went well, see you at your 12-week review.")
            .reply_to("Can't thank the team enough, they did my hip replacement in May and I'm walking again - Priya");
        assert!(t.fires(&RULE));
        let t = Test::new("Don't forget to book your flu jab appointment online!").reply_to("When do flu jabs start?");
        assert!(!t.fires(&RULE));
        let t = Test::new("Thanks Sam! Your talk was brilliant.").reply_to("Loved presenting with you all today");
        assert!(!t.fires(&RULE));
        assert!(Test::new("Room 9 is a nightmare tonight. Obs fine, wants a sandwich every 10 minutes.").fires(&RULE));
        assert_silent(&RULE, "Room 9 is booked for the teaching session on Friday.");
        assert!(Test::new("Mrs. Okafor in 207 who keeps unplugging her own drip. Again.").fires(&RULE));
        assert!(
            Test::new("Happy 99th birthday to our Walter at Oakfield Manor! Still the first up for bingo.")
                .fires(&RULE)
        );
        assert_silent(
            &RULE,
            "Welcome to our Priya at Oakfield Manor, our new activities lead.",
        );
        assert!(Test::new("Aaj OPD mein 80 saal ki amma aayi, BP 200 tha.").fires(&RULE));
        assert_silent(&RULE, "5 saal ke baad clinic ka naya building ready hai.");
        assert!(Test::new("Memorable case this week: 52F, school bus driver, STEMI at the wheel.").fires(&RULE));
        assert!(
            Test::new("Placement reflection: I sat with an older man who had just been told his cancer had spread.")
                .fires(&RULE)
        );
    }

    #[test]
    fn readers_relatives_and_pets_are_not_patients() {
        assert_silent(
            &RULE,
            "Pharmacist tip: if your grandad's on blood thinners, keep him off the St John's wort.",
        );
        assert_silent(
            &RULE,
            "The cat's third escape attempt this week, she got as far as the shed before I caught her.",
        );
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

    #[test]
    fn new_stories_and_public_figures() {
        assert!(
            Test::new("Before and after for this lovely patient who hadn't walked unaided in a year 😍").fires(&RULE)
        );
        assert_silent(&RULE, "If a patient hasn't eaten in 12 hours, check their glucose.");
        assert!(
            Test::new("Another case of man flu in cubicle 2 tonight, on the phone to his mum the whole time")
                .fires(&RULE)
        );
        assert_silent(
            &RULE,
            "Another case of measles confirmed in the region this week, check your MMR status.",
        );
        assert!(
            Test::new(
                "Long night. 19yo rider, trapped for an hour under the car. Got him out and flown to Christchurch."
            )
            .fires(&RULE)
        );
        assert!(Test::new("Happy birthday to Elsie on our dementia unit, she had cake and a boogie!").fires(&RULE));
        assert_silent(
            &RULE,
            "Great to see Sir Steve Redgrave talking about his diabetes. If you're worried, get checked.",
        );
        assert_silent(
            &RULE,
            "The Prime Minister spoke about his father's dementia today. Carers need support.",
        );
    }

    #[test]
    fn residents_health_numbers_scans_and_new_patients() {
        assert!(
            Test::new("Happy 90th birthday to our resident Margaret Ellis at Birchwood Lodge, born 2 May 1936!")
                .fires(&RULE)
        );
        assert!(Test::new("Can the GP surgery call back about Ann Lee, NHS no 943 476 5919? Thanks").fires(&RULE));
        assert!(Test::new("bed 4 is our resident frequent flyer, in again with 'back pain' 🙄").fires(&RULE));
        assert!(Test::new("This X-ray from today's fracture clinic 😮 swipe to see the plates.").fires(&RULE));
        assert!(Test::new("New patient today whose last physio had never once examined his knee.").fires(&RULE));
        assert_silent(
            &RULE,
            "Good to see a public figure speak openly about his own prostate cancer diagnosis this week.",
        );
        assert_silent(&RULE, "This MRI scanner arrived today and it is enormous.");
        assert_silent(&RULE, "Room 4 is our teaching room today, bring a pen.");
        assert_silent(&RULE, "New patient registrations open today, sign up online.");
        assert_silent(
            &RULE,
            "Our resident baker Tom at Oakfield Manor made scones for the staff.",
        );
    }
}
