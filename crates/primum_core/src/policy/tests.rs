use super::*;

#[test]
fn every_pack_resolves() {
    for id in region_ids() {
        let p = Policy::region(id).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.pack.id, id);
    }
}

#[test]
fn testimonials_are_errors_in_australia() {
    let au = Policy::region("au").unwrap();
    assert_eq!(au.settings("promotion/testimonial").unwrap().severity, Severity::Error);
    let core = Policy::core();
    assert_eq!(
        core.settings("promotion/testimonial").unwrap().severity,
        Severity::Warning
    );
}

#[test]
fn unknown_region_is_rejected() {
    let e = Policy::region("mars").unwrap_err();
    assert!(e.message.contains("unknown region `mars`"), "{e}");
}

#[test]
fn org_file_overrides_and_validates() {
    let p = Policy::resolve(
        None,
        Some((
            "org.toml",
            r#"
region = "uk"
[account]
kind = "professional"
name = "Dr Jane Smith"
timezone = "Europe/London"
duty_hours = ["mon-fri 08:00-18:00", "sat 22:00-06:00"]
[rules."integrity/readability"]
enabled = false
[rules."spam/hashtag-stuffing"]
severity = "error"
options = { max = 3 }
[[terms]]
phrase = "Project Falcon"
message = "internal project name"
[allow]
phones = ["01632 960418"]
names = ["Amara Bello"]
domains = ["nhs.uk"]
"#,
        )),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.pack.id, "uk");
    assert!(!p.settings("integrity/readability").unwrap().enabled);
    let h = p.settings("spam/hashtag-stuffing").unwrap();
    assert_eq!(h.severity, Severity::Error);
    assert_eq!(h.options, vec![("max".to_string(), OptValue::Int(3))]);
    assert_eq!(p.account.duty_hours.len(), 2);
    assert_eq!(p.account.duty_hours[1].start, 22 * 60);
    assert!(p.allow.phone("+44 1632 960418"));
    assert!(p.allow.name("Amara Bello"));
    assert!(p.allow.domain("www.nhs.uk"));
    assert!(p.allow.domain("111.nhs.uk"));
    assert!(!p.allow.domain("nhs-uk-health.info"));
    assert_eq!(p.terms.terms.len(), 1);
}

fn err(toml: &str) -> String {
    Policy::resolve(None, Some(("org.toml", toml))).unwrap_err().to_string()
}

#[test]
fn bad_policy_files_name_the_file_key_and_allowed_values() {
    assert!(
        err("colour = 1").starts_with("org.toml: line 1: unknown field `colour`"),
        "{}",
        err("colour = 1")
    );
    let e = err("[rules.\"spam/hashtag-stuffing\"]\nseverity = \"fatal\"");
    assert!(
        e.contains(
            "`rules.\"spam/hashtag-stuffing\".severity`: `fatal` is not a severity (allowed: error, warning, info)"
        ),
        "{e}"
    );
    let e = err("[rules.\"spam/nope\"]\nenabled = false");
    assert!(e.contains("no such rule"), "{e}");
    let e = err("[rules.\"spam/hashtag-stuffing\"]\noptions = { maximum = 3 }");
    assert!(e.contains("unknown option (allowed: max"), "{e}");
    let e = err("[rules.\"spam/hashtag-stuffing\"]\noptions = { max = \"three\" }");
    assert!(e.contains("is not allowed"), "{e}");
    let e = err("[account]\nkind = \"robot\"");
    assert!(e.contains("`account.kind`: `robot`"), "{e}");
    let e = err("[account]\nduty_hours = [\"weekdays 9-5\"]");
    assert!(e.contains("`account.duty_hours[0]`"), "{e}");
    let e = err("[[terms]]\nregex = \"(\"\nmessage = \"x\"");
    assert!(e.contains("`terms[0].regex`: not a valid pattern"), "{e}");
    let e = err("[[terms]]\nphrase = \"a\"\nregex = \"b\"\nmessage = \"x\"");
    assert!(e.contains("exactly one of"), "{e}");
    let e = err("region = \"mars\"");
    assert!(e.contains("org.toml: `region`: unknown region `mars`"), "{e}");
    let e = err("this is not toml");
    assert!(e.starts_with("org.toml: line 1:"), "{e}");
}

#[test]
fn duty_windows_parse() {
    let d = raw::parse_duty("sat-mon 22:00-06:00").unwrap();
    assert_eq!(d.days, [true, false, false, false, false, true, true]);
    assert!(raw::parse_duty("mon 25:00-26:00").is_none());
    assert!(raw::parse_duty("funday 08:00-09:00").is_none());
}

#[test]
fn reference_keys_of_the_packs_are_borrowed_and_the_files_own_are_owned() {
    // Every key a pack cites is written in some pack's text.
    for id in region_ids() {
        let p = Policy::region(id).unwrap();
        for s in &p.rules {
            for key in &s.references {
                assert!(matches!(key, Text::Borrowed(_)), "{key} in pack {id}");
            }
        }
    }
    let file = r#"
[references.clinic-handbook-4]
title = "Clinic handbook, section 4"

[rules."privacy/patient-case"]
references = ["clinic-handbook-4", "core-confidentiality"]
"#;
    let p = Policy::resolve(None, Some(("org.toml", file))).unwrap();
    let refs = &p.settings("privacy/patient-case").unwrap().references;
    assert_eq!(refs, &["clinic-handbook-4", "core-confidentiality"]);
    assert!(matches!(refs[0], Text::Owned(_)));
    assert!(matches!(refs[1], Text::Borrowed(_)));
}
