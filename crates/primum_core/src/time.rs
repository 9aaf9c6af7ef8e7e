//! Calendar dates and UTC instants: just what the rules need (ages of
//! references, duty hours, pack review dates), without a clock and without
//! a time-zone database, so the core stays pure and small.

use std::fmt;

/// A calendar date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// An instant in UTC, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    pub date: Date,
    /// Seconds since midnight UTC.
    pub seconds: u32,
}

impl Date {
    /// A valid date, or `None`.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        (1..=12)
            .contains(&month)
            .then(|| days_in_month(year, month))
            .filter(|&n| day >= 1 && day <= n)
            .map(|_| Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        Date::new(s[0..4].parse().ok()?, s[5..7].parse().ok()?, s[8..10].parse().ok()?)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// 0 = Monday ... 6 = Sunday.
    pub fn weekday(self) -> u8 {
        (self.days_since_epoch() + 3).rem_euclid(7) as u8
    }

    /// Whole months from `self` to `later` (negative if `later` is before).
    pub fn months_until(self, later: Date) -> i64 {
        let mut m =
            (i64::from(later.year) - i64::from(self.year)) * 12 + i64::from(later.month) - i64::from(self.month);
        if later.day < self.day {
            m -= 1;
        }
        m
    }
}

impl DateTime {
    /// Parses RFC 3339 (`2026-11-02T08:15:00Z`, `2026-11-02T08:15:00.5+01:00`,
    /// or a bare date), converting to UTC.
    pub fn parse(s: &str) -> Option<DateTime> {
        let s = s.trim();
        if s.len() == 10 {
            return Some(DateTime {
                date: Date::parse(s)?,
                seconds: 0,
            });
        }
        let date = Date::parse(s.get(..10)?)?;
        let rest = s.get(10..)?;
        let rest = rest.strip_prefix(['T', 't', ' '])?;
        let h: u32 = rest.get(0..2)?.parse().ok()?;
        if rest.get(2..3)? != ":" {
            return None;
        }
        let m: u32 = rest.get(3..5)?.parse().ok()?;
        let mut tail = rest.get(5..)?;
        let mut sec = 0;
        if let Some(t) = tail.strip_prefix(':') {
            sec = t.get(0..2)?.parse().ok()?;
            tail = t.get(2..)?;
            if let Some(t) = tail.strip_prefix('.') {
                let n = t.bytes().take_while(u8::is_ascii_digit).count();
                tail = &t[n..];
            }
        }
        if h > 23 || m > 59 || sec > 60 {
            return None;
        }
        let offset: i64 = match tail {
            "" | "Z" | "z" => 0,
            t if (t.starts_with('+') || t.starts_with('-')) && t.len() == 6 && &t[3..4] == ":" => {
                let oh: i64 = t[1..3].parse().ok()?;
                let om: i64 = t[4..6].parse().ok()?;
                let v = oh * 3600 + om * 60;
                if t.starts_with('-') { -v } else { v }
            }
            _ => return None,
        };
        let total = date.days_since_epoch() * 86_400 + i64::from(h * 3600 + m * 60 + sec.min(59)) - offset;
        Some(DateTime::from_unix(total))
    }

    /// From seconds since the Unix epoch.
    pub fn from_unix(secs: i64) -> DateTime {
        DateTime {
            date: Date::from_days(secs.div_euclid(86_400)),
            seconds: secs.rem_euclid(86_400) as u32,
        }
    }

    /// Seconds since the Unix epoch.
    pub fn unix(self) -> i64 {
        self.date.days_since_epoch() * 86_400 + i64::from(self.seconds)
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.seconds;
        write!(f, "{}T{:02}:{:02}:{:02}Z", self.date, s / 3600, s / 60 % 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_round_trip() {
        for d in [-800_000i64, -1, 0, 1, 19_000, 20_418, 2_932_896] {
            assert_eq!(Date::from_days(d).days_since_epoch(), d);
        }
        assert_eq!(Date::new(2026, 11, 26).unwrap().weekday(), 3);
    }

    #[test]
    fn parses_rfc3339_to_utc() {
        let t = DateTime::parse("2026-11-02T08:15:00+01:00").unwrap();
        assert_eq!(t.to_string(), "2026-11-02T07:15:00Z");
        assert_eq!(
            DateTime::parse("2026-01-01T00:30:00.123-01:00").unwrap().to_string(),
            "2026-01-01T01:30:00Z"
        );
        assert!(DateTime::parse("2026-02-30T00:00:00Z").is_none());
        assert!(DateTime::parse("yesterday").is_none());
        assert!(DateTime::parse("2026-11-02T25:00:00Z").is_none());
    }

    #[test]
    fn months_between() {
        let a = Date::new(2025, 11, 26).unwrap();
        assert_eq!(a.months_until(Date::new(2026, 11, 26).unwrap()), 12);
        assert_eq!(a.months_until(Date::new(2026, 11, 25).unwrap()), 11);
    }
}
