//! CTO402 review-overdue: the rule, its page and its check.

use crate::check::Context;
use crate::check::policy::{review_due, risk_is_live};
use crate::diagnostic::{Diagnostic, declare_rule};
use crate::model::{Corpus, Document};
use crate::model::{SloStatus};

declare_rule! {
    /// ## What it checks
    /// That a risk that is not closed or avoided, and an SLO that is not retired, is reviewed on
    /// time: `review.next` is not in the past. Without `review.next`, the due date is
    /// `review.last` (for risks, else `identified`) plus the cadence of `risk.review_every` in
    /// `cto.yaml` (90 days by default).
    ///
    /// ## Why
    /// A register is only worth what its last review was: risks change, owners leave.
    ///
    /// ## Example
    /// ```yaml
    /// review: { last: 2024-01-10, next: 2024-04-10 }
    /// ```
    /// on 2024-06-01.
    ///
    /// ## How to fix
    /// Review the risk, then update `review.last` and `review.next`.
    pub static REVIEW_OVERDUE = {
        code: "CTO402",
        name: "review-overdue",
        layer: Policy,
        kinds: [Risk, Slo],
        severity: Warning,
        summary: "A risk's or an SLO's review is overdue.",
    }
}

pub fn check(corpus: &Corpus, ctx: &Context, out: &mut Vec<Diagnostic>) {
    for doc in corpus.documents.iter().filter(|d| d.readable) {
        risk(doc, ctx, out);
        slo(doc, ctx, out);
    }
}

fn risk(doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(risk) = doc.risk() else { return };
    if risk_is_live(doc)
        && let Some(due) = review_due(risk, ctx)
        && due < ctx.today
    {
        let days = (ctx.today - due).get_days();
        // Point at what the due date was computed from.
        let span = match (risk.review_next, doc.field("review")) {
            (Some((_, s)), _) => s,
            (None, Some(review)) => review.span,
            (None, None) => doc.meta_span(&["identified"]),
        };
        out.push(
            Diagnostic::new(
                &REVIEW_OVERDUE,
                doc.path(),
                span,
                format!("review was due on {due} ({days} days ago)"),
            )
            .with_help("review the risk, then update `review.last` and `review.next`"),
        );
    }
}

fn slo(doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(slo) = doc.slo() else { return };
    if slo.is(SloStatus::Retired) {
        return;
    }
    let due = slo.review_next.map(|(d, _)| d).or_else(|| {
        let every = jiff::Span::new()
            .try_days(ctx.config.review_every_days)
            .ok()?;
        slo.review_last?.checked_add(every).ok()
    });
    if let Some(due) = due
        && due < ctx.today
    {
        let days = (ctx.today - due).get_days();
        out.push(
            Diagnostic::new(
                &REVIEW_OVERDUE,
                doc.path(),
                slo.review_next
                    .map_or_else(|| doc.meta_span(&["review"]), |(_, s)| s),
                format!("review was due on {due} ({days} days ago)"),
            )
            .with_help(
                "review the SLO against its incidents, then update `review.last` and `review.next`",
            ),
        );
    }
}
