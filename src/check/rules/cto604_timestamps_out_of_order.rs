//! CTO604 timestamps-out-of-order: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::{Corpus, Kind};

declare_rule! {
    /// ## What it checks
    /// That an incident's times are in order: `started`, then `detected`, then `mitigated`,
    /// then `resolved` (each that is given). Two instants are compared to the second; when
    /// either is a date alone, by day.
    ///
    /// ## Why
    /// Times out of order give negative times to detect or to resolve, and the averages of
    /// the incident report go wrong with them. It is usually a wrong offset or a typo in
    /// the date.
    ///
    /// ## Example
    /// ```yaml
    /// started: 2026-06-03T14:20:00+02:00
    /// detected: 2026-06-03T12:05:00+02:00
    /// ```
    ///
    /// ## How to fix
    /// Correct the time that is wrong; check its UTC offset (`Z` is UTC, `+02:00` is
    /// two hours ahead of it).
    pub static TIMESTAMPS_OUT_OF_ORDER = {
        code: "CTO604",
        name: "timestamps-out-of-order",
        layer: Incident,
        kinds: [Incident],
        severity: Error,
        summary: "An incident was detected before it started, or mitigated or resolved before an earlier step.",
    }
}

pub fn check(corpus: &Corpus, _: &Context, out: &mut Vec<Diagnostic>) {
    for doc in corpus.of_kind(Kind::Incident) {
        let Some(i) = doc.incident() else { continue };
        let steps = [
            ("started", i.started),
            ("detected", i.detected),
            ("mitigated", i.mitigated),
            ("resolved", i.resolved),
        ];
        // Each time against the latest one before it: one finding per time out of order.
        let mut latest: Option<(&str, crate::model::Moment)> = None;
        for (name, at) in steps {
            let Some((at, span)) = at else { continue };
            if let Some((before, was)) = latest
                && at.is_before(was)
            {
                out.push(
                    Diagnostic::new(
                        &TIMESTAMPS_OUT_OF_ORDER,
                        doc.path(),
                        span,
                        format!("`{name}` ({at}) is before `{before}` ({was})"),
                    )
                    .with_help("correct the time, or its UTC offset"),
                );
                continue;
            }
            latest = Some((name, at));
        }
    }
}
