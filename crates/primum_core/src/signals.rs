//! Signals that several rules share, computed once per post on first use.
//!
//! Whether the post talks about a patient (and which words say so) is read
//! by the privacy, professionalism and promotion rules alike; identifiers
//! found in the text are read by `privacy/patient-identifier`,
//! `privacy/reidentification-risk` and `privacy/self-disclosure`.

use std::cell::OnceCell;
use std::sync::LazyLock;

use primum_text::{Analysis, Lexicon, Span};

use crate::phi::{self, Identifier};
use crate::policy::Policy;

/// Lazily computed signals of one post.
pub struct Signals<'a> {
    pub text: &'a Analysis<'a>,
    pub reply: Option<&'a Analysis<'a>>,
    pub policy: &'a Policy,
    patient: OnceCell<PatientContext>,
    identifiers: OnceCell<Vec<Identifier>>,
}

/// Where the post refers to a patient or to someone in care.
#[derive(Debug, Clone, Default)]
pub struct PatientContext {
    /// Spans of words that refer to a patient (`my patient`, `pt`, `the
    /// lady in bay 3`, `a 45-year-old`).
    pub mentions: Vec<Span>,
}

impl PatientContext {
    pub fn any(&self) -> bool {
        !self.mentions.is_empty()
    }
}

/// Words and phrases that refer to a patient or a person in care.
static PATIENT_WORDS: LazyLock<Lexicon<()>> = LazyLock::new(|| {
    Lexicon::new(
        [
            "patient",
            "patients",
            "pt",
            "pts",
            "my patient",
            "our patient",
            "this patient",
            "a patient",
            "the patient",
            "customer",
            "client",
            "resident",
            "service user",
            "the lady in",
            "the man in",
            "the gentleman in",
            "this gentleman",
            "this lady",
            "this guy",
            "man came in",
            "woman came in",
            "lady came in",
            "guy came in",
            "came in with",
            "came into",
            "brought in",
            "admitted",
            "presented with",
            "frequent flyer",
            "in bay",
            "in bed",
            "in room",
            "in cubicle",
            "in resus",
        ]
        .map(|p| (p, ())),
    )
});

impl<'a> Signals<'a> {
    pub fn new(text: &'a Analysis<'a>, reply: Option<&'a Analysis<'a>>, policy: &'a Policy) -> Signals<'a> {
        Signals {
            text,
            reply,
            policy,
            patient: OnceCell::new(),
            identifiers: OnceCell::new(),
        }
    }

    /// Where the post refers to a patient.
    pub fn patient(&self) -> &PatientContext {
        self.patient.get_or_init(|| PatientContext {
            mentions: PATIENT_WORDS.find_all(self.text).into_iter().map(|m| m.span).collect(),
        })
    }

    /// Identifiers found in the post's text, before any exemption.
    pub fn identifiers(&self) -> &[Identifier] {
        self.identifiers.get_or_init(|| phi::detect(self.text))
    }
}
