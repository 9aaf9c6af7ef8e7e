//! Check-digit algorithms of national identifiers: a number that passes
//! its check is far more likely to be a real identifier than a chance
//! string of digits. Each takes the digits (or characters) only.

/// Digits of `s`, ignoring spaces and dashes; `None` if anything else.
pub fn digits(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '0'..='9' => out.push(c as u8 - b'0'),
            ' ' | '-' | '\u{a0}' => {}
            _ => return None,
        }
    }
    Some(out)
}

/// Luhn (payment cards, Canadian SIN, IMEI).
pub fn luhn(d: &[u8]) -> bool {
    if d.len() < 2 {
        return false;
    }
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            let x = u32::from(x);
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 { y - 9 } else { y }
            } else {
                x
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The NHS number's modulus 11 check (10 digits).
pub fn nhs_mod11(d: &[u8]) -> bool {
    if d.len() != 10 {
        return false;
    }
    let sum: u32 = d[..9]
        .iter()
        .enumerate()
        .map(|(i, &x)| u32::from(x) * (10 - i as u32))
        .sum();
    let check = 11 - sum % 11;
    let check = if check == 11 { 0 } else { check };
    check != 10 && check == u32::from(d[9])
}

const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/// Verhoeff (Aadhaar: 12 digits, the first not 0 or 1).
pub fn verhoeff(d: &[u8]) -> bool {
    let mut c = 0u8;
    for (i, &x) in d.iter().rev().enumerate() {
        if x > 9 {
            return false;
        }
        c = VERHOEFF_D[c as usize][VERHOEFF_P[i % 8][x as usize] as usize];
    }
    !d.is_empty() && c == 0
}

/// An Aadhaar number: 12 digits, not starting with 0 or 1, Verhoeff-valid.
pub fn aadhaar(d: &[u8]) -> bool {
    d.len() == 12 && d[0] >= 2 && verhoeff(d)
}

/// An Australian Medicare card number: 10 digits (an 11th, the issue
/// number, may follow), the first 2 to 6, the ninth a weighted check digit.
pub fn au_medicare(d: &[u8]) -> bool {
    if !(d.len() == 10 || d.len() == 11) || !(2..=6).contains(&d[0]) {
        return false;
    }
    const W: [u32; 8] = [1, 3, 7, 9, 1, 3, 7, 9];
    let sum: u32 = d[..8].iter().zip(W).map(|(&x, w)| u32::from(x) * w).sum();
    sum % 10 == u32::from(d[8])
}

/// An IBAN (ISO 13616, mod 97 = 1). Spaces are ignored.
pub fn iban(s: &str) -> bool {
    let s: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    if !(15..=34).contains(&s.len())
        || !s[..2].iter().all(char::is_ascii_uppercase)
        || !s[2..4].iter().all(char::is_ascii_digit)
        || !s.iter().all(char::is_ascii_alphanumeric)
    {
        return false;
    }
    let mut rem: u32 = 0;
    for c in s[4..].iter().chain(&s[..4]) {
        let v = if c.is_ascii_digit() {
            *c as u32 - '0' as u32
        } else {
            c.to_ascii_uppercase() as u32 - 'A' as u32 + 10
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

/// A US Social Security number's structure: `AAA-GG-SSSS`, area not 000,
/// 666 or 9xx, group not 00, serial not 0000.
pub fn ssn(d: &[u8]) -> bool {
    if d.len() != 9 {
        return false;
    }
    let n = |r: std::ops::Range<usize>| d[r].iter().fold(0u32, |a, &x| a * 10 + u32::from(x));
    let (area, group, serial) = (n(0..3), n(3..5), n(5..9));
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

/// A US Medicare Beneficiary Identifier: 11 characters, pattern
/// `C A AN N A AN N A A N N` (C = 1-9, A = letters but S L O I B Z).
pub fn us_mbi(s: &str) -> bool {
    let c: Vec<char> = s.chars().filter(|c| *c != '-').collect();
    if c.len() != 11 {
        return false;
    }
    let alpha = |x: char| x.is_ascii_uppercase() && !"SLOIBZ".contains(x);
    let num = |x: char| x.is_ascii_digit();
    matches!(c[0], '1'..='9')
        && alpha(c[1])
        && (alpha(c[2]) || num(c[2]))
        && num(c[3])
        && alpha(c[4])
        && (alpha(c[5]) || num(c[5]))
        && num(c[6])
        && alpha(c[7])
        && alpha(c[8])
        && num(c[9])
        && num(c[10])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Vec<u8> {
        digits(s).expect("digits")
    }

    #[test]
    fn luhn_cards() {
        assert!(luhn(&d("4111 1111 1111 1111")));
        assert!(luhn(&d("5555-5555-5555-4444")));
        assert!(!luhn(&d("4111 1111 1111 1112")));
        assert!(!luhn(&[]));
    }

    #[test]
    fn nhs_numbers() {
        assert!(nhs_mod11(&d("943 476 5919")));
        assert!(!nhs_mod11(&d("943 476 5918")));
        assert!(!nhs_mod11(&d("943 476 591")));
    }

    #[test]
    fn aadhaar_verhoeff() {
        // 12-digit number with a valid Verhoeff check digit.
        assert!(verhoeff(&d("2363")));
        assert!(aadhaar(&d("4991 1866 5246")));
        assert!(!aadhaar(&d("4991 1866 5247")));
        assert!(!aadhaar(&d("1991 1866 5246")));
    }

    #[test]
    fn medicare_au() {
        assert!(au_medicare(&d("2123 45670 1")));
        assert!(!au_medicare(&d("2123 45671 1")));
        assert!(!au_medicare(&d("9123 45670 1")));
    }

    #[test]
    fn ibans() {
        assert!(iban("GB82 WEST 1234 5698 7654 32"));
        assert!(iban("DE89370400440532013000"));
        assert!(!iban("GB82 WEST 1234 5698 7654 33"));
        assert!(!iban("GB82"));
    }

    #[test]
    fn ssn_and_mbi() {
        assert!(ssn(&d("123-45-6789")));
        assert!(!ssn(&d("666-45-6789")));
        assert!(!ssn(&d("923-45-6789")));
        assert!(us_mbi("1EG4-TE5-MK73"));
        assert!(!us_mbi("1EG4-TE5-MK7"));
        assert!(!us_mbi("1SG4-TE5-MK73"));
    }
}
