//! Small value types of the front matter: quarters, story points, cadences.

use std::fmt;

use serde::{Serialize, Serializer};

/// A calendar quarter, `2027-Q1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i16,
    pub q: u8,
}

impl Quarter {
    pub fn parse(text: &str) -> Option<Quarter> {
        let (y, q) = text.trim().split_once("-Q")?;
        let year: i16 = (y.len() == 4).then(|| y.parse().ok())??;
        let q: u8 = (q.len() == 1).then(|| q.parse().ok())??;
        (1..=4).contains(&q).then_some(Quarter { year, q })
    }

    pub fn of(date: jiff::civil::Date) -> Quarter {
        Quarter {
            year: date.year(),
            q: (date.month() as u8 - 1) / 3 + 1,
        }
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.q)
    }
}

impl Serialize for Quarter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Effort in points, kept exactly (hundredths) so that sums show no float noise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Points(pub i64);

impl Points {
    /// From a YAML number's text (`5`, `2.5`); at most two decimals.
    pub fn parse(text: &str) -> Option<Points> {
        let t = text.trim();
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        if whole.is_empty() && frac.is_empty() || frac.len() > 2 || whole.starts_with('-') {
            return None;
        }
        let w: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let f: i64 = if frac.is_empty() {
            0
        } else {
            format!("{frac:0<2}").parse().ok()?
        };
        Some(Points(w.checked_mul(100)?.checked_add(f)?))
    }
}

impl std::ops::Add for Points {
    type Output = Points;
    fn add(self, o: Points) -> Points {
        Points(self.0.saturating_add(o.0))
    }
}

impl std::iter::Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        iter.fold(Points(0), |a, b| a + b)
    }
}

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (w, r) = (self.0 / 100, self.0 % 100);
        match r {
            0 => write!(f, "{w}"),
            r if r % 10 == 0 => write!(f, "{w}.{}", r / 10),
            r => write!(f, "{w}.{r:02}"),
        }
    }
}

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0 % 100 == 0 {
            s.serialize_i64(self.0 / 100)
        } else {
            // Two decimals at most: an f64 prints them exactly.
            s.serialize_f64(self.0 as f64 / 100.0)
        }
    }
}

/// A cadence like `90d` or `12w`, in days.
pub fn parse_days(text: &str) -> Option<i64> {
    let t = text.trim();
    // By the last character, not the last byte: `90é` is no cadence, not a panic.
    let unit = t.chars().last()?;
    let num = &t[..t.len() - unit.len_utf8()];
    let n: i64 = num.parse().ok().filter(|n| *n > 0)?;
    match unit {
        'd' => Some(n),
        'w' => n.checked_mul(7),
        _ => None,
    }
}

/// A point in time as a front matter field gives it: an instant (RFC 3339 with a UTC
/// offset), or a day alone where the time is not known (old incidents).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// An instant, with the offset it was written in (shown in it again).
    At(jiff::Timestamp, jiff::tz::Offset),
    /// An instant written in UTC with `Z` (shown with `Z` again, not `+00:00`).
    Zulu(jiff::Timestamp),
    Day(jiff::civil::Date),
}

impl Moment {
    /// Reads `2026-03-01T14:05:00+01:00`, `2026-03-01T13:05:00Z` or `2026-03-01`; the
    /// error says what is wrong in words a diagnostic can use.
    pub fn parse(text: &str) -> Result<Moment, String> {
        use jiff::fmt::temporal::{Pieces, PiecesOffset};
        let t = text.trim();
        if t.len() == 10 {
            return crate::model::parse_date(t).map(Moment::Day);
        }
        match t.get(..10).map(crate::model::parse_date) {
            Some(Ok(_)) => {}
            // `2024-02-30T…`: say what is wrong with the day.
            Some(Err(why)) if matches!(t.as_bytes().get(10), Some(b'T' | b't' | b' ')) => {
                return Err(why);
            }
            _ => return Err(format!("`{t}` does not start with a date (YYYY-MM-DD)")),
        }
        let at = t.parse::<jiff::Timestamp>();
        let offset = Pieces::parse(t).ok().and_then(|p| match p.offset()? {
            PiecesOffset::Zulu => Some(None),
            PiecesOffset::Numeric(n) => Some(Some(n.offset())),
            _ => None,
        });
        match (at, offset) {
            (Ok(at), Some(Some(offset))) => Ok(Moment::At(at, offset)),
            (Ok(at), Some(None)) => Ok(Moment::Zulu(at)),
            (Ok(at), None) => Ok(Moment::At(at, jiff::tz::Offset::UTC)),
            // A civil time without an offset names no instant: say so.
            (Err(_), _) if t.parse::<jiff::civil::DateTime>().is_ok() => {
                Err(format!("`{t}` has no UTC offset (add `Z` or `+01:00`)"))
            }
            (Err(_), _) => Err(format!("`{t}` is not an RFC 3339 timestamp")),
        }
    }

    /// The calendar day, in the offset written.
    pub fn date(self) -> jiff::civil::Date {
        match self {
            Moment::At(t, offset) => offset.to_datetime(t).date(),
            Moment::Zulu(t) => jiff::tz::Offset::UTC.to_datetime(t).date(),
            Moment::Day(d) => d,
        }
    }

    pub fn instant(self) -> Option<jiff::Timestamp> {
        match self {
            Moment::At(t, _) | Moment::Zulu(t) => Some(t),
            Moment::Day(_) => None,
        }
    }

    /// Seconds from `self` to `later`, when both are instants.
    pub fn seconds_until(self, later: Moment) -> Option<i64> {
        Some(later.instant()?.as_second() - self.instant()?.as_second())
    }

    /// Whether `self` is before `other`: by instant when both have one, else by day.
    pub fn is_before(self, other: Moment) -> bool {
        match (self.instant(), other.instant()) {
            (Some(a), Some(b)) => a < b,
            _ => self.date() < other.date(),
        }
    }
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Moment::At(t, offset) => write!(f, "{}", t.display_with_offset(*offset)),
            Moment::Zulu(t) => write!(f, "{t}"),
            Moment::Day(d) => write!(f, "{d}"),
        }
    }
}

impl Serialize for Moment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters() {
        assert_eq!(
            Quarter::parse("2027-Q1"),
            Some(Quarter { year: 2027, q: 1 })
        );
        assert_eq!(Quarter::parse("2027-Q5"), None);
        assert_eq!(Quarter::parse("Q1 2027"), None);
        assert_eq!(Quarter::parse("27-Q1"), None);
        let d = jiff::civil::date(2026, 11, 21);
        assert_eq!(Quarter::of(d).to_string(), "2026-Q4");
    }

    #[test]
    fn points_are_exact() {
        let sum: Points = ["0.1", "0.2", "5", "2.5"]
            .iter()
            .filter_map(|t| Points::parse(t))
            .sum();
        assert_eq!(sum.to_string(), "7.8");
        assert_eq!(
            Points::parse("13").map(|p| p.to_string()).as_deref(),
            Some("13")
        );
        assert_eq!(
            Points::parse("1.25").map(|p| p.to_string()).as_deref(),
            Some("1.25")
        );
        assert_eq!(Points::parse("1.255"), None);
        assert_eq!(Points::parse("-3"), None);
    }

    #[test]
    fn cadences() {
        assert_eq!(parse_days("90d"), Some(90));
        assert_eq!(parse_days("12w"), Some(84));
        assert_eq!(parse_days("3m"), None);
        assert_eq!(parse_days(""), None);
        assert_eq!(parse_days("90é"), None);
        assert_eq!(parse_days("é"), None);
        assert_eq!(parse_days("99999999999999999999w"), None);
    }

    #[test]
    fn moments() {
        let at = Moment::parse("2026-03-01T14:05:00+01:00").expect("an instant");
        assert_eq!(at.instant().map(|t| t.as_second()), Some(1_772_370_300));
        assert_eq!(at.date(), jiff::civil::date(2026, 3, 1));
        let z = Moment::parse("2026-03-01T13:35:00Z").expect("UTC");
        assert_eq!(at.seconds_until(z), Some(30 * 60));
        assert!(at.is_before(z));
        assert_eq!(
            at.to_string(),
            "2026-03-01T14:05:00+01:00",
            "shown as written"
        );
        assert_eq!(z.to_string(), "2026-03-01T13:35:00Z", "`Z` stays `Z`");
        let plus = Moment::parse("2026-03-01T13:35:00+00:00").expect("UTC, numeric");
        assert_eq!(plus.to_string(), "2026-03-01T13:35:00+00:00");
        assert_eq!(plus.instant(), z.instant());
        assert_eq!(z.date(), jiff::civil::date(2026, 3, 1));
        let late = Moment::parse("2026-03-01T23:30:00-05:00").expect("late");
        assert_eq!(
            late.date(),
            jiff::civil::date(2026, 3, 1),
            "the day as written"
        );
        let day = Moment::parse("2026-03-01").expect("a day");
        assert_eq!(day, Moment::Day(jiff::civil::date(2026, 3, 1)));
        assert_eq!(day.seconds_until(z), None);
        assert!(!day.is_before(z), "the same day is not before");
        let err = Moment::parse("2026-03-01T14:05:00").unwrap_err();
        assert!(err.contains("no UTC offset"), "{err}");
        let err = Moment::parse("2026-02-30T10:00:00Z").unwrap_err();
        assert!(err.contains("not a day of the calendar"), "{err}");
        assert!(Moment::parse("yesterday").is_err());
        assert!(Moment::parse("2026-03-01Tnonsense").is_err());
        assert!(Moment::parse("").is_err());
        assert!(Moment::parse("é").is_err());
    }
}
