//! SLO arithmetic, exact: objectives are decimals read from the file's own text, budgets
//! and burn rates are rationals, so no binary-float noise ever reaches the output.
//!
//! Every operation is checked (ADR 0013): numbers are `i128` fractions kept in lowest
//! terms, an operation whose exact result does not fit returns `None`, and the inputs are
//! bounded where they are read (at most [`MAX_DIGITS`] significant digits and
//! [`MAX_DECIMALS`] decimals in an objective, windows of at most [`MAX_WINDOW_SECONDS`]),
//! so that every budget and burn rate of a valid SLO fits with room to spare.

use std::fmt;

/// Most decimals an objective may have (`99.999999999999999999`).
pub const MAX_DECIMALS: usize = 18;
/// Most significant digits of a decimal (leading zeros aside).
pub const MAX_DIGITS: usize = 30;
/// The longest window: 100 years of 365.25 days.
pub const MAX_WINDOW_SECONDS: i64 = 36_525 * 86_400;

/// Why a decimal is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecimalError {
    #[error("is not a decimal number")]
    NotANumber,
    #[error("has more than {MAX_DECIMALS} decimals")]
    TooManyDecimals,
    #[error("has too many digits (at most {MAX_DIGITS} significant digits)")]
    TooManyDigits,
}

/// A decimal as written: `mantissa × 10^-scale` (`99.95` is 9995 × 10^-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    pub mantissa: i128,
    pub scale: u32,
}

impl Decimal {
    /// From text like `99.9`, `0.995`, `100`; no exponents, at most 18 decimals.
    pub fn parse(text: &str) -> Option<Decimal> {
        Decimal::parse_checked(text).ok()
    }

    /// Like [`Decimal::parse`], saying why the text is refused.
    pub fn parse_checked(text: &str) -> Result<Decimal, DecimalError> {
        let t = text.trim();
        let (neg, t) = match t.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        if (whole.is_empty() && frac.is_empty())
            || !whole
                .chars()
                .chain(frac.chars())
                .all(|c| c.is_ascii_digit())
        {
            return Err(DecimalError::NotANumber);
        }
        if frac.len() > MAX_DECIMALS {
            return Err(DecimalError::TooManyDecimals);
        }
        let digits = format!("{whole}{frac}");
        let significant = digits.trim_start_matches('0');
        if significant.len() > MAX_DIGITS {
            return Err(DecimalError::TooManyDigits);
        }
        let m: i128 = if significant.is_empty() {
            0
        } else {
            // At most 30 digits: always fits.
            significant
                .parse()
                .map_err(|_| DecimalError::TooManyDigits)?
        };
        Ok(Decimal {
            mantissa: if neg { -m } else { m },
            scale: frac.len() as u32,
        })
    }

    /// The exact value, or `None` for a decimal built by hand beyond the parse bounds.
    pub fn checked_rational(self) -> Option<Rational> {
        Rational::checked_new(self.mantissa, 10i128.checked_pow(self.scale)?)
    }

    /// The exact value; a decimal from [`Decimal::parse`] always has one (a hand-built
    /// one beyond `10^38` reads as zero).
    pub fn rational(self) -> Rational {
        self.checked_rational().unwrap_or(Rational::ZERO)
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.checked_rational() {
            Some(r) => f.write_str(&r.decimal(18)),
            None => write!(f, "{}e-{}", self.mantissa, self.scale),
        }
    }
}

/// An exact fraction, always in lowest terms with a positive denominator.
///
/// Arithmetic is checked: `checked_add`, `checked_sub`, `checked_mul` and `checked_div`
/// return `None` when the exact result does not fit in `i128`, never a wrong number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rational {
    pub num: i128,
    pub den: i128,
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    // At most max(|a|, |b|); only `gcd(MIN, MIN)` or `gcd(MIN, 0)` reach 2^127.
    i128::try_from(a.max(1)).unwrap_or(i128::MAX)
}

impl Rational {
    pub const ZERO: Rational = Rational { num: 0, den: 1 };

    /// `num / den` in lowest terms; `None` when `den` is 0 or the sign cannot be moved
    /// (`i128::MIN`).
    pub fn checked_new(num: i128, den: i128) -> Option<Rational> {
        if den == 0 {
            return None;
        }
        let g = gcd(num, den);
        let (num, den) = (num / g, den / g);
        if den < 0 {
            Some(Rational {
                num: num.checked_neg()?,
                den: den.checked_neg()?,
            })
        } else {
            Some(Rational { num, den })
        }
    }

    /// `num / den` for constants of the code: a zero denominator reads as zero.
    pub fn new(num: i128, den: i128) -> Rational {
        Rational::checked_new(num, den).unwrap_or(Rational::ZERO)
    }

    pub fn int(n: i128) -> Rational {
        Rational { num: n, den: 1 }
    }

    pub fn is_integer(self) -> bool {
        self.den == 1
    }

    pub fn checked_mul(self, o: Rational) -> Option<Rational> {
        // Reduce across first so that products stay small.
        let g1 = gcd(self.num, o.den);
        let g2 = gcd(o.num, self.den);
        Rational::checked_new(
            (self.num / g1).checked_mul(o.num / g2)?,
            (self.den / g2).checked_mul(o.den / g1)?,
        )
    }

    pub fn checked_div(self, o: Rational) -> Option<Rational> {
        self.checked_mul(Rational::checked_new(o.den, o.num)?)
    }

    pub fn checked_add(self, o: Rational) -> Option<Rational> {
        let g = gcd(self.den, o.den);
        Rational::checked_new(
            self.num
                .checked_mul(o.den / g)?
                .checked_add(o.num.checked_mul(self.den / g)?)?,
            (self.den / g).checked_mul(o.den)?,
        )
    }

    pub fn checked_sub(self, o: Rational) -> Option<Rational> {
        self.checked_add(Rational {
            num: o.num.checked_neg()?,
            den: o.den,
        })
    }

    /// Decimal text, exact when it terminates within `places`, else rounded half up.
    /// Long division, digit by digit: no intermediate product, so it cannot overflow.
    pub fn decimal(self, places: u32) -> String {
        let neg = self.num < 0;
        let num = self.num.unsigned_abs();
        let den = self.den.unsigned_abs().max(1);
        let mut whole = num / den;
        let mut rem = num % den;
        // `10 × rem / den` by ten additions: each stays below `2 × den ≤ 2^128`.
        let digit = |rem: &mut u128| -> u8 {
            let (mut acc, mut d) = (0u128, 0u8);
            for _ in 0..10 {
                acc += *rem;
                if acc >= den {
                    acc -= den;
                    d += 1;
                }
            }
            *rem = acc;
            d
        };
        let mut digits: Vec<u8> = (0..places).map(|_| digit(&mut rem)).collect();
        // Half up: the next digit decides.
        if digit(&mut rem) >= 5 {
            let mut carry = true;
            for d in digits.iter_mut().rev() {
                if *d == 9 {
                    *d = 0;
                } else {
                    *d += 1;
                    carry = false;
                    break;
                }
            }
            if carry {
                whole = whole.saturating_add(1);
            }
        }
        while digits.last() == Some(&0) {
            digits.pop();
        }
        let mut s = whole.to_string();
        if !digits.is_empty() {
            s.push('.');
            s.extend(digits.iter().map(|d| char::from(b'0' + d)));
        }
        if neg && s.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
            s.insert(0, '-');
        }
        s
    }

    pub fn to_f64(self) -> f64 {
        // Via the decimal text, so that JSON shows the digits people expect.
        self.decimal(12).parse().unwrap_or(0.0)
    }
}

/// Why a window is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowError {
    /// Not a whole number and a unit (`m`, `h`, `d`, `w`).
    NotADuration,
    /// Longer than [`MAX_WINDOW_SECONDS`].
    TooLong,
}

/// A window like `30d`, `4w`, `6h`, `90m`, in seconds (at most 100 years).
pub fn parse_window(text: &str) -> Option<i64> {
    parse_window_checked(text).ok()
}

/// Like [`parse_window`], saying why the text is refused.
pub fn parse_window_checked(text: &str) -> Result<i64, WindowError> {
    let t = text.trim();
    let unit = t.chars().last().ok_or(WindowError::NotADuration)?;
    let digits = &t[..t.len() - unit.len_utf8()];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(WindowError::NotADuration);
    }
    let per: i64 = match unit {
        'm' => 60,
        'h' => 3_600,
        'd' => 86_400,
        'w' => 604_800,
        _ => return Err(WindowError::NotADuration),
    };
    // Digits only: a parse failure is a number beyond i64, so too long.
    let n: i64 = digits.parse().map_err(|_| WindowError::TooLong)?;
    if n == 0 {
        return Err(WindowError::NotADuration);
    }
    match n.checked_mul(per) {
        Some(s) if s <= MAX_WINDOW_SECONDS => Ok(s),
        _ => Err(WindowError::TooLong),
    }
}

/// Seconds as people read a budget: `43m 12s`, `2h`, `1d 4h 30m`, `20m 9.6s`; rounded to
/// the millisecond first, so that 59.9999 s reads `1m`, never `60s`.
pub fn human_duration(seconds: Rational) -> String {
    let rounded = |r: Rational| r.decimal(0).parse::<i128>().ok();
    let ms = match seconds.checked_mul(Rational::int(1000)) {
        Some(ms) => rounded(ms),
        None => rounded(seconds).and_then(|s| s.checked_mul(1000)),
    }
    .unwrap_or(0);
    let (sign, ms) = if ms < 0 { ("-", -ms) } else { ("", ms) };
    let whole = ms / 1000;
    let millis = ms % 1000;
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
    if s > 0 || millis > 0 {
        let frac = format!("{millis:03}");
        let frac = frac.trim_end_matches('0');
        parts.push(if frac.is_empty() {
            format!("{s}s")
        } else {
            format!("{s}.{frac}s")
        });
    }
    if parts.is_empty() {
        "0s".to_string()
    } else {
        format!("{sign}{}", parts.join(" "))
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

/// The budget, or `None` when it does not fit (an objective or a window beyond the bounds
/// of `parse`; checked, never a wrong number).
pub fn budget(objective: Decimal, window_seconds: i64) -> Option<Budget> {
    let hundred = Rational::int(100);
    let ratio = hundred
        .checked_sub(objective.checked_rational()?)?
        .checked_div(hundred)?;
    Some(Budget {
        ratio,
        seconds: ratio.checked_mul(Rational::int(i128::from(window_seconds)))?,
    })
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

/// One condition of an alert window set, in Sloth's `AlertWindows` terms: alert when
/// `budget_percent` of the period's budget is spent within `long` (and still within
/// `short`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertWindow {
    /// `page` or `ticket`.
    pub severity: &'static str,
    /// `quick` or `slow`.
    pub speed: &'static str,
    pub long: i64,
    pub short: i64,
    /// Share of the period's budget, in percent (`2`, `12.5`), exact.
    pub budget_percent: Rational,
}

/// The four alert conditions for one SLO period (Sloth's `AlertWindows` spec).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertWindows {
    /// The SLO period the set is for, in seconds.
    pub period: i64,
    /// Page quick, page slow, ticket quick, ticket slow.
    pub windows: Vec<AlertWindow>,
    /// Where the set comes from, as people read it (`Sloth's 7d set`, `cto.yaml`).
    pub source: String,
}

/// A set from its twelve numbers: `(percent, short, long)` for page quick, page slow,
/// ticket quick, ticket slow.
fn window_set(period: i64, source: &str, spec: [(Rational, i64, i64); 4]) -> AlertWindows {
    let names = [
        ("page", "quick"),
        ("page", "slow"),
        ("ticket", "quick"),
        ("ticket", "slow"),
    ];
    AlertWindows {
        period,
        windows: names
            .iter()
            .zip(spec)
            .map(|((severity, speed), (pct, short, long))| AlertWindow {
                severity,
                speed,
                long,
                short,
                budget_percent: pct,
            })
            .collect(),
        source: source.to_string(),
    }
}

const DAY: i64 = 86_400;

/// The SRE workbook's set (Google's, as Sloth ships it for 28 and 30 days): 2% of the
/// budget in 1h/5m and 5% in 6h/30m page, 10% in 1d/2h and 10% in 3d/6h ticket.
fn workbook(period: i64, source: &str) -> AlertWindows {
    window_set(
        period,
        source,
        [
            (Rational::int(2), 300, 3_600),
            (Rational::int(5), 1_800, 21_600),
            (Rational::int(10), 7_200, DAY),
            (Rational::int(10), 21_600, 3 * DAY),
        ],
    )
}

/// The sets Sloth publishes: Google's for 28 and 30 days (built in), and its 7-day
/// example set (page 8% in 1h / 12.5% in 6h, ticket 20% in 1d / 42% in 3d).
pub fn published_alert_windows(period: i64) -> Option<AlertWindows> {
    match period {
        p if p == 30 * DAY => Some(workbook(p, "Google's 30d set")),
        p if p == 28 * DAY => Some(workbook(p, "Google's 28d set")),
        p if p == 7 * DAY => Some(window_set(
            p,
            "Sloth's 7d set",
            [
                (Rational::int(8), 300, 3_600),
                (Rational::new(25, 2), 1_800, 21_600),
                (Rational::int(20), 7_200, DAY),
                (Rational::int(42), 21_600, 3 * DAY),
            ],
        )),
        _ => None,
    }
}

/// The alert windows for an SLO period: a custom set for that period (cto.yaml) first,
/// then a published one, else the workbook's percentages scaled to the period (said so
/// in `source`).
pub fn alert_windows_for(period: i64, custom: &[AlertWindows]) -> AlertWindows {
    custom
        .iter()
        .find(|w| w.period == period)
        .cloned()
        .or_else(|| published_alert_windows(period))
        .unwrap_or_else(|| {
            workbook(
                period,
                "the SRE workbook's percentages (no published set for this period)",
            )
        })
}

/// The conditions of a set for one SLO, with the published sets for its window: at
/// 30 days they are 14.4× over 1h/5m and 6× over 6h/30m (page), 3× over 1d/2h and 1×
/// over 3d/6h (ticket).
pub fn burn_rates(budget: &Budget, window_seconds: i64) -> Vec<BurnRate> {
    burn_rates_with(budget, &alert_windows_for(window_seconds, &[]))
}

/// The conditions of `windows` for a budget: each condition's factor is `budget percent
/// / 100 × period / long window`, its threshold `factor × budget ratio`.
pub fn burn_rates_with(budget: &Budget, windows: &AlertWindows) -> Vec<BurnRate> {
    // A condition whose numbers do not fit is left out (none does within the bounds of
    // `parse_window` and `Decimal::parse`).
    windows
        .windows
        .iter()
        .filter_map(|w| {
            let spent = w.budget_percent.checked_div(Rational::int(100))?;
            let factor = spent.checked_mul(Rational::checked_new(
                i128::from(windows.period),
                i128::from(w.long),
            )?)?;
            Some(BurnRate {
                severity: w.severity,
                long_window: w.long,
                short_window: w.short,
                budget_spent: spent,
                factor,
                threshold: factor.checked_mul(budget.ratio)?,
            })
        })
        .collect()
}

/// A Sloth `AlertWindows` spec, from its YAML: the Kubernetes form (`kind: AlertWindows`
/// with a `spec`), the plain form (`version: alertWindows/v1`), or the spec's body as
/// cto.yaml writes it (`sloPeriod`, `page`, `ticket`). `text` is the file's text, so that
/// percentages are read as written, exactly.
pub fn parse_alert_windows(
    node: &crate::parse::yaml::Node,
    text: &str,
    source: &str,
) -> Result<AlertWindows, String> {
    let spec = node.get("spec").unwrap_or(node);
    let duration = |n: Option<&crate::parse::yaml::Node>, what: &str| -> Result<i64, String> {
        let t = n
            .and_then(crate::parse::yaml::Node::scalar_text)
            .ok_or(format!("`{what}` is missing"))?;
        // Raw: whoever shows the message escapes it (a diagnostic's formatter, or the
        // importer's `not imported:` line).
        parse_window(&t).ok_or(format!("`{what}: {t}` is not a duration in m, h, d or w"))
    };
    let period = duration(spec.get("sloPeriod"), "sloPeriod")?;
    let mut spec_rows = Vec::new();
    for severity in ["page", "ticket"] {
        for speed in ["quick", "slow"] {
            let at = format!("{severity}.{speed}");
            let w = spec
                .get(severity)
                .and_then(|s| s.get(speed))
                .ok_or(format!("`{at}` is missing"))?;
            let pct_node = w
                .get("errorBudgetPercent")
                .ok_or(format!("`{at}.errorBudgetPercent` is missing"))?;
            let raw = text
                .get(pct_node.span.range())
                .unwrap_or("")
                .trim()
                .trim_matches(['"', '\'']);
            let pct = Decimal::parse(raw)
                .and_then(Decimal::checked_rational)
                .filter(|p| p.num > 0 && p.num <= p.den.saturating_mul(100))
                .ok_or(format!(
                    "`{at}.errorBudgetPercent` must be a number above 0 and at most 100"
                ))?;
            let short = duration(w.get("shortWindow"), &format!("{at}.shortWindow"))?;
            let long = duration(w.get("longWindow"), &format!("{at}.longWindow"))?;
            if short >= long {
                return Err(format!(
                    "`{at}`: the short window must be shorter than the long one"
                ));
            }
            if long > period {
                return Err(format!(
                    "`{at}`: the long window is longer than the SLO period"
                ));
            }
            spec_rows.push((pct, short, long));
        }
    }
    let rows: [(Rational, i64, i64); 4] = spec_rows
        .try_into()
        .map_err(|_| "four windows are needed".to_string())?;
    Ok(window_set(period, source, rows))
}

/// Most significant digits kept of a measured ratio (see [`measured`]).
pub const MEASURED_DIGITS: usize = 12;

/// A ratio measured by Prometheus (a binary float), as an exact decimal of
/// [`MEASURED_DIGITS`] significant digits: Prometheus' own arithmetic (rate
/// extrapolation, sums) leaves noise in the last bits, and twelve digits are far more
/// than any budget needs. From there on the arithmetic is exact. `None` for NaN and the
/// infinities; a magnitude below 10^-24 reads as zero.
pub fn measured(value: f64) -> Option<Rational> {
    if !value.is_finite() {
        return None;
    }
    if value.abs() < 1e-24 {
        return Some(Rational::ZERO);
    }
    let text = format!("{:.*e}", MEASURED_DIGITS - 1, value);
    let (mantissa, exp) = text.split_once('e')?;
    let exp: i32 = exp.parse().ok()?;
    let digits: i128 = mantissa.replace('.', "").parse().ok()?;
    let shift = exp - (MEASURED_DIGITS as i32 - 1);
    if shift >= 0 {
        Rational::checked_new(digits.checked_mul(10i128.checked_pow(shift as u32)?)?, 1)
    } else {
        Rational::checked_new(digits, 10i128.checked_pow(shift.unsigned_abs())?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn budget_of_three_nines_over_30_days() {
        let b = budget(d("99.9"), parse_window("30d").unwrap()).unwrap();
        assert_eq!(b.ratio.decimal(12), "0.001");
        assert_eq!(b.seconds, Rational::int(2592));
        assert_eq!(human_duration(b.seconds), "43m 12s");
    }

    #[test]
    fn budgets_are_exact() {
        let b = budget(d("99.95"), parse_window("28d").unwrap()).unwrap();
        assert_eq!(b.ratio.decimal(12), "0.0005");
        assert_eq!(b.seconds.decimal(3), "1209.6");
        assert_eq!(human_duration(b.seconds), "20m 9.6s");
        assert_eq!(
            budget(d("99"), parse_window("4w").unwrap())
                .unwrap()
                .seconds,
            Rational::int(24192)
        );
        assert_eq!(human_duration(Rational::int(24192)), "6h 43m 12s");
        assert_eq!(human_duration(Rational::new(599_999_999, 10_000_000)), "1m");
        assert_eq!(human_duration(Rational::new(1, 10_000)), "0s");
        assert_eq!(human_duration(Rational::new(864_015, 10)), "1d 1.5s");
        assert_eq!(budget(d("100"), 60).unwrap().seconds, Rational::int(0));
    }

    #[test]
    fn burn_rates_at_30_and_28_days() {
        let w = parse_window("30d").unwrap();
        let b = budget(d("99.9"), w).unwrap();
        let r = burn_rates(&b, w);
        let factors: Vec<String> = r.iter().map(|x| x.factor.decimal(6)).collect();
        assert_eq!(factors, ["14.4", "6", "3", "1"]);
        assert_eq!(r[0].threshold.decimal(12), "0.0144");
        let w = parse_window("28d").unwrap();
        let r = burn_rates(&budget(d("99.9"), w).unwrap(), w);
        let factors: Vec<String> = r.iter().map(|x| x.factor.decimal(4)).collect();
        assert_eq!(factors, ["13.44", "5.6", "2.8", "0.9333"]);
    }

    #[test]
    fn sloth_7d_set_and_custom_sets() {
        let w = parse_window("7d").unwrap();
        let r = burn_rates(&budget(d("99"), w).unwrap(), w);
        let factors: Vec<String> = r.iter().map(|x| x.factor.decimal(4)).collect();
        assert_eq!(factors, ["13.44", "3.5", "1.4", "0.98"]);
        assert_eq!(r[3].threshold.decimal(12), "0.0098");
        let custom = window_set(
            w,
            "cto.yaml",
            [
                (Rational::int(10), 300, 3_600),
                (Rational::int(10), 1_800, 21_600),
                (Rational::int(10), 7_200, DAY),
                (Rational::int(10), 21_600, 3 * DAY),
            ],
        );
        let chosen = alert_windows_for(w, std::slice::from_ref(&custom));
        assert_eq!(chosen.source, "cto.yaml");
        let r = burn_rates_with(&budget(d("99"), w).unwrap(), &chosen);
        assert_eq!(r[0].factor, Rational::new(84, 5));
        assert!(
            alert_windows_for(90 * DAY, &[])
                .source
                .contains("no published set")
        );
    }

    #[test]
    fn measured_ratios_keep_twelve_digits() {
        assert_eq!(
            measured(0.0005000000000000001),
            Some(Rational::new(1, 2000))
        );
        assert_eq!(measured(0.02), Some(Rational::new(1, 50)));
        assert_eq!(measured(1.0), Some(Rational::int(1)));
        assert_eq!(measured(0.0), Some(Rational::ZERO));
        assert_eq!(measured(f64::NAN), None);
        assert_eq!(measured(f64::INFINITY), None);
        assert_eq!(measured(-f64::INFINITY), None);
        assert_eq!(measured(1e-30), Some(Rational::ZERO));
        assert_eq!(
            measured(2.0 / 3.0).map(|r| r.decimal(15)),
            Some("0.666666666667".to_string())
        );
        assert_eq!(measured(1e300), None, "does not fit: refused, not wrong");
        assert_eq!(measured(1e30).map(|r| r.is_integer()), Some(true));
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

    #[test]
    fn extremes_are_refused_or_exact_never_wrong() {
        assert_eq!(
            Decimal::parse_checked("99999999999999999999.5").map(|d| d.to_string()),
            Ok("99999999999999999999.5".to_string())
        );
        assert_eq!(
            Decimal::parse_checked(&"9".repeat(40)),
            Err(DecimalError::TooManyDigits)
        );
        assert_eq!(
            Decimal::parse_checked("99.9999999999999999999"),
            Err(DecimalError::TooManyDecimals)
        );
        assert_eq!(parse_window_checked("7305000d"), Err(WindowError::TooLong));
        assert_eq!(
            parse_window_checked("99999999999999999999999w"),
            Err(WindowError::TooLong)
        );
        assert_eq!(parse_window_checked("-3d"), Err(WindowError::NotADuration));
        assert_eq!(parse_window_checked("36525d"), Ok(MAX_WINDOW_SECONDS));
        let max = Rational::int(i128::MAX);
        assert_eq!(max.checked_add(Rational::int(1)), None);
        assert_eq!(max.checked_mul(Rational::int(2)), None);
        assert_eq!(Rational::int(1).checked_div(Rational::ZERO), None);
        assert_eq!(Rational::checked_new(i128::MIN, -1), None);
        assert_eq!(max.decimal(18), i128::MAX.to_string());
        assert_eq!(Rational::new(i128::MAX - 1, i128::MAX).decimal(3), "1");
        assert_eq!(Rational::new(-1, 3).decimal(2), "-0.33");
        assert_eq!(Rational::new(-1, 300).decimal(2), "0");
        assert_eq!(Rational::new(995, 1000).decimal(2), "1");
        assert_eq!(Rational::new(1, 8).decimal(2), "0.13");
        // The smallest objective over the longest window still fits.
        let tiny = d("0.000000000000000001");
        let b = budget(tiny, MAX_WINDOW_SECONDS).unwrap();
        assert!(b.seconds.num < b.seconds.den * i128::from(MAX_WINDOW_SECONDS));
        assert_eq!(burn_rates(&b, MAX_WINDOW_SECONDS).len(), 4);
    }
}
