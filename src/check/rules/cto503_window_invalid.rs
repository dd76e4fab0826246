//! CTO503 window-invalid: the rule, its page and its check.

use crate::check::Context;
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::Corpus;
use crate::model::slo::{WindowError, parse_window_checked};

declare_rule! {
    /// ## What it checks
    /// That `window` is a whole number followed by `m`, `h`, `d` or `w`, of at most 100
    /// years, and that a calendar
    /// window (`window_type: calendar`) says when it starts and in which time zone
    /// (`calendar: { start: 2027-01-01, timezone: Europe/Berlin }`).
    ///
    /// ## Why
    /// The window sets the budget and the burn-rate thresholds; a calendar window without a
    /// start or a zone is a different window for every reader.
    ///
    /// ## Example
    /// ```yaml
    /// window: 1 month
    /// ```
    ///
    /// ## How to fix
    /// `window: 30d` (rolling), or a calendar window with its start and time zone.
    pub static WINDOW_INVALID = {
        code: "CTO503",
        name: "window-invalid",
        layer: Slo,
        kinds: [Slo],
        severity: Error,
        summary: "An SLO's window is not a duration (`28d`, `30d`, `4w`), or a calendar window lacks its start or time zone.",
    }
}

pub fn check(corpus: &Corpus, _: &Context, out: &mut Vec<Diagnostic>) {
    for doc in &corpus.documents {
        let Some(slo) = doc.slo() else { continue };
        let path = doc.path();
        if let Some((text, seconds, span)) = &slo.window
            && seconds.is_none()
        {
            let d = match parse_window_checked(text) {
                Err(WindowError::TooLong) => Diagnostic::new(
                    &WINDOW_INVALID,
                    path,
                    *span,
                    format!("window `{text}` is longer than 100 years"),
                )
                .with_help("SLO windows are days or weeks: `28d`, `30d`, `4w`"),
                _ => Diagnostic::new(
                    &WINDOW_INVALID,
                    path,
                    *span,
                    format!("window `{text}` is not a duration"),
                )
                .with_help("write a whole number and a unit: m, h, d or w (`28d`, `30d`, `4w`)"),
            };
            out.push(d);
        }
        if slo.window_type.as_deref() == Some("calendar") {
            let missing: Vec<&str> = [
                ("start", slo.calendar_start.is_none()),
                ("timezone", slo.calendar_timezone.is_none()),
            ]
            .into_iter()
            .filter_map(|(k, m)| m.then_some(k))
            .collect();
            if !missing.is_empty() {
                out.push(
                    Diagnostic::new(
                        &WINDOW_INVALID,
                        path,
                        doc.meta_span(&["window_type"]),
                        format!(
                            "a calendar window needs calendar.{}",
                            missing.join(" and calendar.")
                        ),
                    )
                    .with_help("add `calendar: { start: 2027-01-01, timezone: Europe/Berlin }`"),
                );
            }
        }
    }
}
