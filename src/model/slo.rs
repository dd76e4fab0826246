//! SLO arithmetic, exact: objectives are decimals read from the file's own text, budgets
//! and burn rates are rationals, so no binary-float noise ever reaches the output.

use std::fmt;

/// A decimal as written: `mantissa × 10^-scale` (`99.95` is 9995 × 10^-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    pub mantissa: i128,
    pub scale: u32,
}

impl Decimal {
    /// From text like `99.9`, `0.995`, `100`; no exponents, at most 18 decimals.
    pub fn parse(text: &str) -> Option<Decimal> {
        let t = text.trim();
        let (neg, t) = match t.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        if (whole.is_empty() && frac.is_empty())
            || frac.len() > 18
            || !whole
                .chars()
                .chain(frac.chars())
                .all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let digits = format!("{whole}{frac}");
        let m: i128 = digits.trim_start_matches('0').parse().unwrap_or(0);
        Some(Decimal {
            mantissa: if neg { -m } else { m },
            scale: frac.len() as u32,
        })
    }

    pub fn rational(self) -> Rational {
        Rational::new(self.mantissa, 10i128.pow(self.scale))
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rational().decimal(18))
    }
}

/// An exact fraction, always in lowest terms with a positive denominator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rational {
    pub num: i128,
    pub den: i128,
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

impl Rational {
    pub fn new(num: i128, den: i128) -> Rational {
        let sign = if den < 0 { -1 } else { 1 };
        let g = gcd(num, den);
        Rational {
            num: sign * num / g,
            den: sign * den / g,
        }
    }

    pub fn int(n: i128) -> Rational {
        Rational::new(n, 1)
    }

    pub fn is_integer(self) -> bool {
        self.den == 1
    }

    /// Decimal text, exact when it terminates within `places`, else rounded half up.
    pub fn decimal(self, places: u32) -> String {
        let neg = self.num < 0;
        let (num, den) = (self.num.abs(), self.den);
        let scale = 10i128.pow(places);
        let scaled = (num * scale * 2 + den) / (2 * den);
        let whole = scaled / scale;
        let frac = scaled % scale;
        let mut s = if places > 0 && frac != 0 {
            let f = format!("{frac:0width$}", width = places as usize);
            format!("{whole}.{}", f.trim_end_matches('0'))
        } else {
            whole.to_string()
        };
        if neg && scaled != 0 {
            s.insert(0, '-');
        }
        s
    }

    pub fn to_f64(self) -> f64 {
        // Via the decimal text, so that JSON shows the digits people expect.
        self.decimal(12).parse().unwrap_or(0.0)
    }
}

impl std::ops::Mul for Rational {
    type Output = Rational;
    fn mul(self, o: Rational) -> Rational {
        // Reduce across first so that products stay small.
        let g1 = gcd(self.num, o.den);
        let g2 = gcd(o.num, self.den);
        Rational::new(
            (self.num / g1) * (o.num / g2),
            (self.den / g2) * (o.den / g1),
        )
    }
}

impl std::ops::Div for Rational {
    type Output = Rational;
    // Dividing is multiplying by the reciprocal.
    #[allow(clippy::suspicious_arithmetic_impl)]
    fn div(self, o: Rational) -> Rational {
        self * Rational::new(o.den, o.num)
    }
}

impl std::ops::Sub for Rational {
    type Output = Rational;
    fn sub(self, o: Rational) -> Rational {
        let g = gcd(self.den, o.den);
        Rational::new(
            self.num * (o.den / g) - o.num * (self.den / g),
            self.den / g * o.den,
        )
    }
}

/// A window like `30d`, `4w`, `6h`, `90m`, in seconds.
pub fn parse_window(text: &str) -> Option<i64> {
    let t = text.trim();
    let unit = t.chars().last()?;
    let n: i64 = t[..t.len() - unit.len_utf8()]
        .parse()
        .ok()
        .filter(|n| *n > 0)?;
    let per = match unit {
        'm' => 60,
        'h' => 3_600,
        'd' => 86_400,
        'w' => 604_800,
        _ => return None,
    };
    n.checked_mul(per)
}

/// Seconds as people read a budget: `43m 12s`, `2h`, `1d 4h 30m`, `20m 9.6s`.
pub fn human_duration(seconds: Rational) -> String {
    let whole = seconds.num.div_euclid(seconds.den);
    let rest = Rational::new(seconds.num.rem_euclid(seconds.den), seconds.den);
    let (d, h, m, s) = (
        whole / 86_400,
        whole % 86_400 / 3_600,
        whole % 3_600 / 60,
        whole % 60,
    );
    let mut parts = Vec::new();
    if d > 0 {
        parts.push(format!("{d}d"));
    }
    if h > 0 {
        parts.push(format!("{h}h"));
    }
    if m > 0 {
        parts.push(format!("{m}m"));
    }
    if s > 0 || rest.num != 0 {
        let secs = Rational::int(s) - Rational::new(-rest.num, rest.den);
        parts.push(format!("{}s", secs.decimal(3)));
    }
    if parts.is_empty() {
        "0s".to_string()
    } else {
        parts.join(" ")
    }
}

/// A duration as a Prometheus range (`5m`, `1h`, `3d`).
pub fn prometheus_duration(seconds: i64) -> String {
    for (unit, per) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if seconds % per == 0 {
            return format!("{}{unit}", seconds / per);
        }
    }
    format!("{seconds}s")
}

/// The error budget of an objective (a percent) over a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// The share of events (or time) that may be bad: `(100 - objective) / 100`.
    pub ratio: Rational,
    /// The budget as time: `ratio × window`.
    pub seconds: Rational,
}

pub fn budget(objective: Decimal, window_seconds: i64) -> Budget {
    let ratio = (Rational::int(100) - objective.rational()) / Rational::int(100);
    Budget {
        ratio,
        seconds: ratio * Rational::int(i128::from(window_seconds)),
    }
}

/// One multi-window, multi-burn-rate alert condition (SRE workbook, chapter 5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BurnRate {
    /// `page` or `ticket`.
    pub severity: &'static str,
    pub long_window: i64,
    pub short_window: i64,
    /// The share of the whole budget this condition spends in its long window.
    pub budget_spent: Rational,
    /// How many times faster than sustainable the budget burns: 14.4 at 30d over 1h.
    pub factor: Rational,
    /// The error ratio that triggers it: `factor × budget ratio`.
    pub threshold: Rational,
}

/// The workbook's four conditions, scaled to the SLO's window: at 30 days they are 14.4×
/// over 1h/5m and 6× over 6h/30m (page), 3× over 1d/2h and 1× over 3d/6h (ticket).
pub fn burn_rates(budget: &Budget, window_seconds: i64) -> Vec<BurnRate> {
    let spec: [(&str, i64, i64, Rational); 4] = [
        ("page", 3_600, 300, Rational::new(2, 100)),
        ("page", 21_600, 1_800, Rational::new(5, 100)),
        ("ticket", 86_400, 7_200, Rational::new(10, 100)),
        ("ticket", 259_200, 21_600, Rational::new(10, 100)),
    ];
    spec.into_iter()
        .map(|(severity, long, short, spent)| {
            let factor = spent * Rational::new(i128::from(window_seconds), i128::from(long));
            BurnRate {
                severity,
                long_window: long,
                short_window: short,
                budget_spent: spent,
                factor,
                threshold: factor * budget.ratio,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn budget_of_three_nines_over_30_days() {
        let b = budget(d("99.9"), parse_window("30d").unwrap());
        assert_eq!(b.ratio.decimal(12), "0.001");
        assert_eq!(b.seconds, Rational::int(2592));
        assert_eq!(human_duration(b.seconds), "43m 12s");
    }

    #[test]
    fn budgets_are_exact() {
        let b = budget(d("99.95"), parse_window("28d").unwrap());
        assert_eq!(b.ratio.decimal(12), "0.0005");
        assert_eq!(b.seconds.decimal(3), "1209.6");
        assert_eq!(human_duration(b.seconds), "20m 9.6s");
        assert_eq!(
            budget(d("99"), parse_window("4w").unwrap()).seconds,
            Rational::int(24192)
        );
        assert_eq!(human_duration(Rational::int(24192)), "6h 43m 12s");
        assert_eq!(budget(d("100"), 60).seconds, Rational::int(0));
    }

    #[test]
    fn burn_rates_at_30_and_28_days() {
        let w = parse_window("30d").unwrap();
        let b = budget(d("99.9"), w);
        let r = burn_rates(&b, w);
        let factors: Vec<String> = r.iter().map(|x| x.factor.decimal(6)).collect();
        assert_eq!(factors, ["14.4", "6", "3", "1"]);
        assert_eq!(r[0].threshold.decimal(12), "0.0144");
        let w = parse_window("28d").unwrap();
        let r = burn_rates(&budget(d("99.9"), w), w);
        let factors: Vec<String> = r.iter().map(|x| x.factor.decimal(4)).collect();
        assert_eq!(factors, ["13.44", "5.6", "2.8", "0.9333"]);
    }

    #[test]
    fn decimals_and_windows() {
        assert_eq!(d("0.995").to_string(), "0.995");
        assert_eq!(d("99.90").rational(), Rational::new(999, 10));
        assert!(Decimal::parse("1e3").is_none());
        assert_eq!(parse_window("4w"), Some(2_419_200));
        assert_eq!(parse_window("30"), None);
        assert_eq!(parse_window("1M"), None);
        assert_eq!(prometheus_duration(1800), "30m");
        assert_eq!(prometheus_duration(259_200), "3d");
        assert_eq!(Rational::new(1, 3).decimal(4), "0.3333");
        assert_eq!(Rational::new(2, 3).decimal(4), "0.6667");
    }
}
