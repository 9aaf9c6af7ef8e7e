#!/usr/bin/env python3
"""Writes phi_clinical_notes.jsonl: short ICU and ward nursing notes written
by the primum team (CC0-1.0), full of the abbreviations that general
de-identification tools take for names and numbers ("O2", "x3", "foley",
"A&Ox3", "BP 120/80"), with every identifier marked, in the format of the
shared identifier corpora (../shared/data/phi/README.md).

All people, numbers, places and dates are invented. What counts as an
identifier follows primum's definition (rules.toml, CONTRACT.md): names of
patients, relatives and staff; dates tied to a day; ages over 89; phone
numbers; record numbers; beds, wards and named facilities; towns.
Times of day, years alone, doses, vital signs, scores and lab values are not
identifiers.

Markup: {KIND|text}. Usage: python3 corpus/phi_clinical_notes.py
"""

import json
import os
import re

NOTES = [
    "Pt {NAME|John Hadley} in {LOCATION|bed 12}, A&Ox3, c/o pain 6/10, given morphine 2mg IV x1 with relief. O2 sat 94% on 2L NC. foley draining clear yellow urine, 40-60cc/hr.",
    "NSG: pt resting comfortably overnight. VSS, HR 88 SR, BP 124/70, RR 18, T 37.2. Daughter {NAME|Maureen} called at 2200, updated by RN. Will continue to monitor.",
    "{AGE|92} y/o female adm {DATE|3/14} from {ORGANIZATION|St Aidan's Nursing Home} with UTI. Cipro started. Lungs CTA bilat, BS x4 quads, abd soft NT/ND.",
    "Resp: LS coarse in bases, sx x2 for mod thick tan secretions. ABG 7.38/42/88. Weaned to 40% FiO2 per {NAME|Dr. Okonkwo}. Plan CXR in am.",
    "Neuro: PERRLA, MAE x4, follows commands. GCS 15. Pt asking for wife {NAME|Ellen}; she will visit {DATE|Tues} per family.",
    "MRN {ID|40117283}. Seen by {NAME|Dr Varga} (cardiology) re: new AF. Dilt gtt @ 10mg/hr, HR now 90s. K+ 3.2, replaced w/ 40 mEq KCl PO.",
    "GI: TF @ goal 60cc/hr, residuals <50. BM x1 loose, guaiac neg. Pt NPO after MN for PEG in am. Consent signed by son {NAME|David Reyes} ({PHONE|617-555-0182}).",
    "Skin: stage II on coccyx, duoderm applied. Turned q2h. Heels floated. Wound RN {NAME|Priya} to see {DATE|tomorrow}.",
    "Transferred to {LOCATION|Ward 7B} at 1400 accompanied by RN. Report given to {NAME|Sinead O'Brien}. Belongings with pt.",
    "ID: afebrile, WBC 11.2 down from 14. Vanc trough 15. Cultures from {DATE|2/3} NGTD. Cont abx per ID.",
    "Renal: UO 30cc/hr via foley, BUN/Cr 32/1.6. Lasix 40mg IV given at 1600 with good response. I/O +1.2L.",
    "Social: pt lives alone in {LOCATION|Dorchester}, dtr {NAME|Karen Walsh} is HCP. CM following for rehab placement, {ORGANIZATION|Hebrew Rehab} has a bed {DATE|Friday}.",
    "{AGE|94}yo M, DNR/DNI, comfort measures only as of {DATE|12/22}. Family at bedside. Morphine gtt titrated for RR >30. Chaplain in to see.",
    "Pain: 8/10 at start of shift, PCA increased per {NAME|Dr. Lindqvist}. Now 3/10. Pt OOB to chair x2 hrs with PT, tolerated well.",
    "CV: SR 70s-80s, no ectopy. SBP 100-120 on neo 0.5mcg/kg/min, weaning as tol. Pulses palp x4. A-line R radial, site c/d/i.",
    "Pt's husband {NAME|Tomasz} (ph {PHONE|07700 900 417}) asked to be called if any change. Pt confused overnight, reoriented x3, haldol 0.5mg given once.",
    "Endo: FS BS 180-220, RISS per protocol, lantus 10u at HS. A1c 9.1. Diabetes educator consult placed.",
    "{NAME|Mrs Adebayo} in {LOCATION|bay 4} pulled out her IV at 0300. New 20g L forearm. Mittens applied per order, MD aware.",
    "Heme: Hct 24.1 -> transfused 1u PRBC, post Hct 27. INR 2.8, coumadin held. No s/s bleeding.",
    "Admitted from {ORGANIZATION|Royal Brisbane Hospital} ED on {DATE|5 June} after fall at home in {LOCATION|Toowong}. CT head neg. Hip XR: #NOF, for theatre in am.",
    "Chest tube to -20 sx, no air leak, 50cc serosang out this shift. CXR shows lung re-expanded. Dsg changed, site clean.",
    "Vent: AC 500x14, PEEP 5, FiO2 40%. Sats 96-98%. Sedated on propofol 20mcg/kg/min, RASS -2. SAT/SBT planned 0800.",
    "Pt states she was born {DATE|14 March 1931} and that her GP is {NAME|Dr. Sato} at {ORGANIZATION|Kirkby Lane Surgery}. Allergies: PCN (rash).",
    "Night: slept 4-5 hrs, woke x2 to void. BSC used. Steady on feet with walker. Fall risk score 45, bed alarm on.",
    "Family mtg held w/ {NAME|Dr. Fitzgerald}, SW {NAME|Ana}, pt's sons {NAME|Luis} and {NAME|Marco}. Goals of care discussed, will revisit {DATE|Monday}.",
    "Labs: Na 131, K 4.1, Cl 98, CO2 24, BUN 18, Cr 0.9, Glu 142, Mg 1.7 (repleted 2g IV), Phos 3.0. Trop neg x2.",
    "Pt {NAME|R. Castellanos}, MRN {ID|M0098231}, returned from IR at 1530 s/p PICC placement R basilic, tip at cavoatrial junction per CXR.",
    "Post-op day 1 s/p lap chole. Incisions x4 c/d/i with steri-strips. Tolerating clears. Ambulated in hall x3 with min assist.",
    "Called {NAME|Dr Mahlangu} re: SBP 85, 500cc NS bolus ordered, SBP now 102. Will recheck lactate at 2200.",
    "Psych: pt tearful, states 'I just want to go home to {LOCATION|Galway}'. Emotional support given. Sitter at bedside for safety.",
    "DC planning: home {DATE|Thursday} with VNA. Daughter {NAME|Grace Liu} to pick up, contact {PHONE|(415) 555-0139}. Rx sent to pharmacy.",
    "Received pt from PACU at 1710. Alert, nausea x1 relieved with zofran 4mg IV. NPO except ice chips. Voided 300cc.",
]

# Written after the detector was tuned on NOTES, and not tuned on: the
# held-out check of how the rules generalise to notes they have not seen.
HOLDOUT = [
    "0700 report from night RN. Pt {NAME|Mr Okafor} slept well, no PRN needed. BP 132/84, HR 76, SpO2 97% RA. Plan to mobilise with physio after breakfast.",
    "Wife {NAME|Bernadette} visiting, asked about DC date. Explained team will review on ward round. Pt remains on IV abx, CRP 88 down from 140.",
    "{AGE|91} yo lady from {LOCATION|Ballymena}, lives with son. Fall at home {DATE|12th Jan}, long lie ~6 hrs. CK 2300. IVF 125ml/hr. Skin intact.",
    "Neuro obs hourly: GCS 14 (E3V5M6), pupils 3mm equal reactive. CT brain {DATE|14/01/2027} no acute bleed per {NAME|Dr Nakamura}.",
    "Pt transferred from {ORGANIZATION|Westmead Hospital} ICU to {LOCATION|Ward 4 North}, {LOCATION|bed 22}. Handover from {NAME|Jessica} RN. Tele in situ.",
    "Stoma RN {NAME|Hamish McLeod} reviewed, bag changed, stoma pink and moist. Output 400ml. Pt anxious re: going home to {LOCATION|Dunedin}.",
    "Hypo at 0340, BGL 2.9, treated w/ 150ml juice, recheck 5.6. Dr paged, insulin dose reduced. Daughter {NAME|Priyanka} ({PHONE|0412 555 019}) informed.",
    "MRN {ID|00457721}. NBM from MN for OT. Consent done. Pre-op checklist complete. Pt's HCP is brother {NAME|Gerald Hughes}.",
    "Pt agitated overnight, pulled NGT x2. Reinserted, position confirmed on CXR. Sitter requested. Family ({NAME|Mrs Lindgren}) aware.",
    "Fluid balance -800 for shift. Frusemide 40mg IV BD. Wt 82.4kg (yesterday 83.1). Chest crackles bibasal. Na 134 K 3.9.",
    "Seen by {NAME|Dr. Ferreira} (renal) on {DATE|Monday}, plan HD via R IJ vascath {DATE|Wed}. Access site c/d/i. Pt from {LOCATION|Riverside} nursing home.",
    "Discharged home {DATE|Saturday} with community nurse follow up. Scripts faxed to {ORGANIZATION|Greenway Pharmacy}. Pt's GP {NAME|Dr Abiodun} notified.",
]

MARK = re.compile(r"\{([A-Z]+)\|([^}]*)\}")


def parse(marked):
    text, spans, at = "", [], 0
    for m in MARK.finditer(marked):
        text += marked[at:m.start()]
        start = len(text)
        text += m.group(2)
        spans.append({"start": start, "end": len(text), "label": m.group(1)})
        at = m.end()
    text += marked[at:]
    return text, spans


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    write(os.path.join(here, "phi_clinical_notes.jsonl"), NOTES, "note")
    write(os.path.join(here, "phi_clinical_notes_holdout.jsonl"), HOLDOUT, "held")


def write(path, notes, prefix):
    with open(path, "w", encoding="utf-8") as out:
        for i, marked in enumerate(notes):
            text, spans = parse(marked)
            for s in spans:
                assert s["label"] in {"NAME", "DATE", "AGE", "PHONE", "ID", "LOCATION", "ORGANIZATION"}, s
            out.write(json.dumps({"id": f"{prefix}{i + 1}", "text": text, "spans": spans}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
