//! An SLO measured against live data: its SLI over the window, the budget spent and
//! left, and the burn rate over each alert window, as typed values any format can show.
//!
//! Prometheus answers in binary floats; each measured ratio is taken to twelve
//! significant digits ([`measured`]) and everything after that is exact (ADR 0013).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::slo::{
    AlertWindows, Budget, Rational, burn_rates_with, human_duration, measured, prometheus_duration,
};
use crate::model::{Document, Sli, SloFields};
use crate::prometheus::QueryError;

/// How a threshold SLI's measurement is taken: its own window placeholder (if any) is
/// this range, and the condition is sampled once a minute.
pub const THRESHOLD_RANGE: &str = "5m";
pub const THRESHOLD_STEP: &str = "1m";

/// Something that answers instant queries at a fixed time (Prometheus, or a test double).
pub trait Measure {
    fn value(&self, query: &str) -> Result<f64, QueryError>;
}

/// A number in the JSON output: exact decimal text, shown as a JSON number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exact(pub Rational);

impl Exact {
    /// The decimal text, at most 15 places (the measured ratios have 12 significant
    /// digits, so this is exact for any ratio above 10^-4).
    pub fn text(self) -> String {
        self.0.decimal(15)
    }
}

impl Serialize for Exact {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_integer()
            && let Ok(i) = i64::try_from(self.0.num)
        {
            return s.serialize_i64(i);
        }
        s.serialize_f64(self.text().parse().unwrap_or(0.0))
    }
}

/// The budget, measured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BudgetStatus {
    /// Share of the window's budget spent (1 = all of it; above 1: overspent).
    pub consumed: Exact,
    /// `1 - consumed` (negative when overspent).
    pub remaining: Exact,
    /// The remaining budget as time: `remaining × budget seconds`.
    pub remaining_seconds: Exact,
    pub remaining_human: String,
    /// The whole budget of the window, in seconds.
    pub total_seconds: Exact,
}

/// One alert condition, measured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BurnRateStatus {
    pub severity: &'static str,
    pub long: String,
    pub short: String,
    /// The burn rate over the long window; `None` when nothing was measured there.
    pub rate: Option<Exact>,
    /// The burn rate over the short window.
    pub short_rate: Option<Exact>,
    /// The burn rate above which the condition fires.
    pub threshold: Exact,
    /// Both windows burn faster than the threshold.
    pub firing: bool,
}

/// `ok`, `warning` (a page or ticket alert would fire) or `exhausted` (no budget left).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Health {
    Ok,
    Warning,
    Exhausted,
}

/// Which alerts would fire now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Firing {
    pub page: bool,
    pub ticket: bool,
}

/// One SLO against live data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveStatus {
    pub id: String,
    pub service: String,
    /// The objective, in percent.
    pub objective: Exact,
    pub window: String,
    /// The good ratio over the window.
    pub sli: Exact,
    /// `1 - sli`.
    pub error_ratio: Exact,
    pub budget: BudgetStatus,
    pub burn_rates: Vec<BurnRateStatus>,
    pub alerts: Firing,
    pub status: Health,
    /// Where the alert windows come from (`Google's 30d set`, `cto.yaml`, …).
    pub alert_windows: String,
}

/// Why an SLO could not be measured.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LiveError {
    #[error("needs a service, an objective below 100%, a window and an SLI (see `cto lint`)")]
    Incomplete,
    #[error("the SLI is neither a ratio nor a threshold")]
    UnknownSli,
    #[error(
        "the queries have no `{{{{.window}}}}` placeholder, so they cannot be measured over {0}"
    )]
    NoPlaceholder(String),
    #[error("a threshold SLI needs `op` (lt, le, gt, ge) and a numeric `value`")]
    BadThreshold,
    #[error("over {window}: {query} query: {error}")]
    Query {
        window: String,
        query: &'static str,
        error: QueryError,
    },
    #[error("over {0}: the total query counts no events (no traffic), so there is no ratio")]
    NoTraffic(String),
    #[error(
        "over {window}: the {what} is {value}, outside 0…1 (do the queries count the same events?)"
    )]
    OutOfRange {
        window: String,
        what: &'static str,
        value: String,
    },
    #[error("the numbers do not fit exact arithmetic")]
    Overflow,
}

/// `query` with every window placeholder filled; `None` when it has none.
pub fn fill_window(query: &str, range: &str) -> Option<String> {
    let mut out = query.to_string();
    for p in ["{{.window}}", "{{ .window }}", "$window", "${window}"] {
        out = out.replace(p, range);
    }
    (out != query).then_some(out)
}

/// The PromQL comparison of a threshold SLI's `op`, and its negation.
pub fn comparison(op: &str) -> Option<(&'static str, &'static str)> {
    match op.trim() {
        "lt" | "<" => Some(("<", ">=")),
        "le" | "lte" | "<=" => Some(("<=", ">")),
        "gt" | ">" => Some((">", "<=")),
        "ge" | "gte" | ">=" => Some((">=", "<")),
        _ => None,
    }
}

/// The good-ratio query of a threshold SLI over `range`: the share of one-minute samples
/// in which the measurement meets the threshold.
pub fn threshold_good_query(query: &str, op: &str, value: &str, range: &str) -> Option<String> {
    let (cmp, _) = comparison(op)?;
    crate::model::slo::Decimal::parse(value)?;
    let q = fill_window(query, THRESHOLD_RANGE).unwrap_or_else(|| query.to_string());
    Some(format!(
        "avg_over_time((({q}) {cmp} bool {value})[{range}:{THRESHOLD_STEP}])"
    ))
}

/// The error ratio over one range, measured.
fn error_ratio(sli: &Sli, range: &str, m: &dyn Measure) -> Result<Option<Rational>, LiveError> {
    let ask = |query: &'static str, q: &str| {
        m.value(q).map_err(|error| LiveError::Query {
            window: range.to_string(),
            query,
            error,
        })
    };
    let check = |what: &'static str, v: f64| -> Result<Rational, LiveError> {
        let r = measured(v).ok_or(LiveError::Overflow)?;
        if r.num < 0 || r.num > r.den {
            return Err(LiveError::OutOfRange {
                window: range.to_string(),
                what,
                value: r.decimal(12),
            });
        }
        Ok(r)
    };
    match sli {
        Sli::Ratio { good, bad, total } => {
            let total = total.as_deref().ok_or(LiveError::Incomplete)?;
            let fill = |q: &str| {
                fill_window(q, range).ok_or_else(|| LiveError::NoPlaceholder(range.to_string()))
            };
            let t = ask("total", &fill(total)?)?;
            if t == 0.0 {
                return Ok(None);
            }
            match (bad, good) {
                (Some(b), _) => {
                    let b = ask("bad", &fill(b)?)?;
                    check("error ratio", b / t).map(Some)
                }
                (None, Some(g)) => {
                    let g = ask("good", &fill(g)?)?;
                    // `(t - g) / t`, not `1 - g / t`: the error ratio keeps its own
                    // twelve digits.
                    check("error ratio", (t - g) / t).map(Some)
                }
                (None, None) => Err(LiveError::Incomplete),
            }
        }
        Sli::Threshold { query, op, value } => {
            let (Some(q), Some(op), Some(v)) = (query, op, value) else {
                return Err(LiveError::BadThreshold);
            };
            let good = threshold_good_query(q, op, v, range).ok_or(LiveError::BadThreshold)?;
            match m.value(&good) {
                Err(QueryError::NoData) => Ok(None),
                other => {
                    let g = other.map_err(|error| LiveError::Query {
                        window: range.to_string(),
                        query: "threshold",
                        error,
                    })?;
                    check("good ratio", g)?;
                    // Exact for a ratio between 0.5 and 1 (Sterbenz), as SLIs are.
                    check("error ratio", 1.0 - g).map(Some)
                }
            }
        }
        Sli::Other(_) => Err(LiveError::UnknownSli),
    }
}

/// Measures one SLO: the window first (no data there is an error), then every alert
/// window (no data there leaves that rate unknown and the condition quiet).
pub fn evaluate(
    doc: &Document,
    slo: &SloFields,
    windows: &AlertWindows,
    m: &dyn Measure,
) -> Result<LiveStatus, LiveError> {
    let (Some(objective), Some(window), Some(budget), Some(sli), Some(service)) = (
        slo.objective,
        slo.window.as_ref(),
        slo.budget(),
        slo.sli.as_ref(),
        slo.service.as_ref(),
    ) else {
        return Err(LiveError::Incomplete);
    };
    if budget.ratio.num <= 0 {
        return Err(LiveError::Incomplete);
    }
    let window_seconds = window.1.ok_or(LiveError::Incomplete)?;
    let range = prometheus_duration(window_seconds);
    let err = error_ratio(sli, &range, m)?.ok_or_else(|| match sli {
        Sli::Threshold { .. } => LiveError::Query {
            window: range.clone(),
            query: "threshold",
            error: QueryError::NoData,
        },
        _ => LiveError::NoTraffic(range.clone()),
    })?;
    let good = Rational::int(1)
        .checked_sub(err)
        .ok_or(LiveError::Overflow)?;
    let budget_status = budget_status(err, &budget)?;
    let mut by_range: BTreeMap<i64, Option<Rational>> = BTreeMap::new();
    let mut rate_over = |seconds: i64| -> Result<Option<Rational>, LiveError> {
        if let Some(r) = by_range.get(&seconds) {
            return Ok(*r);
        }
        let r = match error_ratio(sli, &prometheus_duration(seconds), m)? {
            Some(e) => Some(e.checked_div(budget.ratio).ok_or(LiveError::Overflow)?),
            None => None,
        };
        by_range.insert(seconds, r);
        Ok(r)
    };
    let mut burn = Vec::new();
    for r in burn_rates_with(&budget, windows) {
        let long = rate_over(r.long_window)?;
        let short = rate_over(r.short_window)?;
        let above = |x: Option<Rational>| {
            x.and_then(|x| x.checked_sub(r.factor))
                .is_some_and(|d| d.num > 0)
        };
        burn.push(BurnRateStatus {
            severity: r.severity,
            long: prometheus_duration(r.long_window),
            short: prometheus_duration(r.short_window),
            rate: long.map(Exact),
            short_rate: short.map(Exact),
            threshold: Exact(r.factor),
            firing: above(long) && above(short),
        });
    }
    let alerts = Firing {
        page: burn.iter().any(|b| b.severity == "page" && b.firing),
        ticket: burn.iter().any(|b| b.severity == "ticket" && b.firing),
    };
    let status = if budget_status.remaining.0.num <= 0 {
        Health::Exhausted
    } else if alerts.page || alerts.ticket {
        Health::Warning
    } else {
        Health::Ok
    };
    Ok(LiveStatus {
        id: doc.id.clone().unwrap_or_default(),
        service: service.clone(),
        objective: Exact(objective.0.rational()),
        window: window.0.clone(),
        sli: Exact(good),
        error_ratio: Exact(err),
        budget: budget_status,
        burn_rates: burn,
        alerts,
        status,
        alert_windows: windows.source.clone(),
    })
}

/// The budget spent by an error ratio: all exact.
pub fn budget_status(error_ratio: Rational, budget: &Budget) -> Result<BudgetStatus, LiveError> {
    let consumed = error_ratio
        .checked_div(budget.ratio)
        .ok_or(LiveError::Overflow)?;
    let remaining = Rational::int(1)
        .checked_sub(consumed)
        .ok_or(LiveError::Overflow)?;
    let remaining_seconds = remaining
        .checked_mul(budget.seconds)
        .ok_or(LiveError::Overflow)?;
    Ok(BudgetStatus {
        consumed: Exact(consumed),
        remaining: Exact(remaining),
        remaining_seconds: Exact(remaining_seconds),
        remaining_human: human_duration(remaining_seconds),
        total_seconds: Exact(budget.seconds),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::slo::{Decimal, budget};

    #[test]
    fn budget_spent_is_exact() {
        let b = budget(Decimal::parse("99.9").unwrap(), 30 * 86_400).unwrap();
        let s = budget_status(Rational::new(6625, 10_000_000), &b).unwrap();
        assert_eq!(s.consumed.text(), "0.6625");
        assert_eq!(s.remaining.text(), "0.3375");
        assert_eq!(s.remaining_seconds.text(), "874.8");
        assert_eq!(s.remaining_human, "14m 34.8s");
        let over = budget_status(Rational::new(2, 1000), &b).unwrap();
        assert_eq!(over.remaining.text(), "-1");
        assert_eq!(over.remaining_human, "-43m 12s");
    }

    /// Answers by the first key the query contains.
    struct Answers(Vec<(&'static str, Result<f64, QueryError>)>);

    impl Measure for Answers {
        fn value(&self, query: &str) -> Result<f64, QueryError> {
            self.0
                .iter()
                .find(|(k, _)| query.contains(k))
                .map_or(Err(QueryError::NoData), |(_, v)| v.clone())
        }
    }

    fn doc(sli: &str) -> crate::model::Document {
        let text = format!(
            "---\nservice: checkout\nowner: SRE\nstatus: active\nobjective: 99.9\nwindow: 30d\nsli:\n{sli}---\n\n# X\n"
        );
        crate::model::parse_document(
            crate::model::Kind::Slo,
            crate::source::Source::new("docs/slos/x.md", text),
            &crate::config::Config::default().documents,
        )
    }

    fn run(d: &crate::model::Document, m: &Answers) -> Result<LiveStatus, LiveError> {
        let s = d.slo().unwrap();
        let w = crate::model::slo::alert_windows_for(30 * 86_400, &[]);
        evaluate(d, s, &w, m)
    }

    #[test]
    fn nonsense_from_the_queries_is_an_error_never_a_number() {
        let d = doc(
            "  type: ratio\n  bad: sum(rate(errors[{{.window}}]))\n  total: sum(rate(all[{{.window}}]))\n",
        );
        let out_of_range = Answers(vec![("errors", Ok(5.0)), ("all", Ok(2.0))]);
        assert!(matches!(
            run(&d, &out_of_range),
            Err(LiveError::OutOfRange {
                what: "error ratio",
                ..
            })
        ));
        let no_traffic = Answers(vec![("errors", Ok(0.0)), ("all", Ok(0.0))]);
        assert_eq!(
            run(&d, &no_traffic),
            Err(LiveError::NoTraffic("30d".into()))
        );
        let negative = Answers(vec![("errors", Ok(-1.0)), ("all", Ok(2.0))]);
        assert!(matches!(
            run(&d, &negative),
            Err(LiveError::OutOfRange { .. })
        ));
        // Traffic over the window, none in the last five minutes: that rate is unknown
        // and its condition quiet.
        struct Quiet;
        impl Measure for Quiet {
            fn value(&self, q: &str) -> Result<f64, QueryError> {
                if q.contains("[5m]") {
                    Ok(0.0)
                } else if q.contains("errors") {
                    Ok(1.0)
                } else {
                    Ok(1000.0)
                }
            }
        }
        let s = evaluate(
            &d,
            d.slo().unwrap(),
            &crate::model::slo::alert_windows_for(30 * 86_400, &[]),
            &Quiet,
        )
        .unwrap();
        assert_eq!(s.burn_rates[0].short_rate, None);
        assert!(!s.burn_rates[0].firing);
        assert_eq!(s.burn_rates[0].rate.map(Exact::text).as_deref(), Some("1"));
        let no_placeholder = doc("  type: ratio\n  bad: sum(errors)\n  total: sum(all)\n");
        assert_eq!(
            run(&no_placeholder, &no_traffic),
            Err(LiveError::NoPlaceholder("30d".into()))
        );
    }

    #[test]
    fn threshold_queries_sample_the_condition() {
        assert_eq!(
            threshold_good_query(
                "histogram_quantile(0.99, sum by (le) (rate(x_bucket[{{.window}}])))",
                "lt",
                "0.3",
                "1h"
            )
            .as_deref(),
            Some(
                "avg_over_time(((histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))) < bool 0.3)[1h:1m])"
            )
        );
        assert_eq!(threshold_good_query("x", "eq", "1", "1h"), None);
        assert_eq!(
            threshold_good_query("x", "lt", "1) or vector(1", "1h"),
            None
        );
    }
}
