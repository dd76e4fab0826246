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
}
