//! CTO4xx: the CTO's own standards, one document at a time.

use super::body::section_has_text;
use super::rules::{
    ACCEPTANCE_EXPIRED, ACCEPTANCE_INCOMPLETE, ACCEPTED_ADR_CHANGED, CLOSED_WITHOUT_DATE,
    EXPERIMENT_HYPOTHESIS, MIGRATION_SAFETY, MITIGATION_MISSING, OWNER_MISSING,
    RESIDUAL_ABOVE_INHERENT, REVIEW_OVERDUE, RISK_ESCALATION, SCORE_MISMATCH,
};
use super::{Context, Diagnostic};
use crate::model::{Document, RiskFields};
use crate::source::Span;

pub fn check(doc: &Document, ctx: &Context, out: &mut Vec<Diagnostic>) {
    if !doc.readable {
        return;
    }
    if let Some(risk) = doc.risk() {
        check_risk(doc, risk, ctx, out);
    }
    if doc.roadmap().is_some() {
        check_roadmap(doc, out);
    }
    if let Some(slo) = doc.slo()
        && doc.status_value() != "retired"
    {
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
                    slo.review_next.map_or_else(|| doc.meta_span(&["review"]), |(_, s)| s),
                    format!("review was due on {due} ({days} days ago)"),
                )
                    .with_help("review the SLO against its incidents, then update `review.last` and `review.next`"),
            );
        }
    }
}

/// "needs a `## X` section" or "has an empty `## X` section".
fn section_problem(doc: &Document, section: &str, who: &str) -> String {
    if doc.body.section(section).is_some() {
        format!("the `## {section}` section of {who} is empty")
    } else {
        format!("{who} needs a `## {section}` section")
    }
}

/// Statuses in which a risk is still live (reviewed, reported).
pub fn risk_is_live(doc: &Document) -> bool {
    !matches!(doc.status_value(), "closed" | "avoided")
}

/// When the next review of a live risk is due.
pub fn review_due(risk: &RiskFields, ctx: &Context) -> Option<jiff::civil::Date> {
    if let Some((next, _)) = risk.review_next {
        return Some(next);
    }
    let from = risk.review_last.or(risk.identified)?;
    // Checked twice: a cadence beyond jiff's spans or a date beyond its calendar is no
    // due date, never a panic (cto.yaml refuses cadences over 100 years anyway).
    let every = jiff::Span::new()
        .try_days(ctx.config.review_every_days)
        .ok()?;
    from.checked_add(every).ok()
}

/// Why a risk is an escalation, if it is one.
pub fn escalation(doc: &Document, risk: &RiskFields, ctx: &Context) -> Option<String> {
    let score = risk.score()?;
    let level = ctx.config.bands.level(score);
    let serious = matches!(level, "high" | "critical")
        && matches!(
            risk.category.as_deref(),
            Some("security" | "reliability" | "compliance")
        )
        && matches!(doc.status_value(), "open" | "mitigating");
    if !serious {
        return None;
    }
    let plan = match risk.treatment.as_deref() {
        None => false,
        Some("mitigate") => section_has_text(doc, "Mitigation"),
        Some(_) => true,
    };
    let funded = doc.links.iter().any(|r| r.id.starts_with("RM-"));
    let missing = match (plan, funded) {
        (true, true) => return None,
        (false, true) => "no treatment plan",
        (true, false) => "no linked roadmap item",
        (false, false) => "no treatment plan and no linked roadmap item",
    };
    Some(format!(
        "{level} {} risk (score {score}) has {missing}",
        risk.category.as_deref().unwrap_or("")
    ))
}

fn check_risk(doc: &Document, risk: &RiskFields, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let path = doc.path();
    if let (Some((typed, span)), Some(score)) = (risk.typed_score, risk.score())
        && typed != i64::from(score)
    {
        out.push(
            Diagnostic::new(
                &SCORE_MISMATCH,
                path,
                span,
                format!("score is {typed}, but likelihood × impact is {score}"),
            )
            .with_help(format!(
                "remove `score` (it is computed) or write `score: {score}`"
            ))
            .with_fix("score", score.to_string()),
        );
    }
    if let (Some((rl, ri)), Some(l), Some(i)) = (risk.residual, risk.likelihood, risk.impact) {
        if rl > l {
            let msg = format!("residual likelihood {rl} is above the inherent likelihood {l}");
            out.push(Diagnostic::new(
                &RESIDUAL_ABOVE_INHERENT,
                path,
                doc.meta_span(&["residual", "likelihood"]),
                msg,
            ));
        }
        if ri > i {
            let msg = format!("residual impact {ri} is above the inherent impact {i}");
            out.push(Diagnostic::new(
                &RESIDUAL_ABOVE_INHERENT,
                path,
                doc.meta_span(&["residual", "impact"]),
                msg,
            ));
        }
    }
    let status = doc.status_value();
    if status == "accepted" {
        let a = risk.acceptance.clone().unwrap_or_default();
        let missing: Vec<&str> = [
            ("by", a.by.is_none()),
            ("date", a.date.is_none()),
            ("expires", a.expires.is_none()),
        ]
        .into_iter()
        .filter_map(|(k, m)| m.then_some(k))
        .collect();
        if !missing.is_empty() {
            let span = if risk.acceptance.is_some() {
                a.span
            } else {
                doc.meta_span(&["status"])
            };
            out.push(
                Diagnostic::new(
                    &ACCEPTANCE_INCOMPLETE,
                    path,
                    span,
                    format!(
                        "accepted risk lacks acceptance.{}",
                        missing.join(", acceptance.")
                    ),
                )
                .with_help(
                    "write `acceptance: { by: NAME, date: YYYY-MM-DD, expires: YYYY-MM-DD }`",
                ),
            );
        }
        if let Some(expires) = a.expires
            && expires < ctx.today
        {
            out.push(Diagnostic::new(
                &ACCEPTANCE_EXPIRED,
                path,
                doc.meta_span(&["acceptance", "expires"]),
                format!("the acceptance expired on {expires}"),
            ));
        }
    }
    if status == "closed" && risk.closed.is_none() {
        out.push(
            Diagnostic::new(
                &CLOSED_WITHOUT_DATE,
                path,
                doc.meta_span(&["status"]),
                "closed risk has no `closed` date",
            )
            .with_help("add `closed: YYYY-MM-DD`"),
        );
    }
    if risk.treatment.as_deref() == Some("mitigate") && !section_has_text(doc, "Mitigation") {
        out.push(
            Diagnostic::new(
                &MITIGATION_MISSING,
                path,
                doc.meta_span(&["treatment"]),
                if doc.body.section("Mitigation").is_some() {
                    "treatment is `mitigate`, but its `## Mitigation` section is empty"
                } else {
                    "treatment is `mitigate`, but there is no `## Mitigation` section"
                },
            )
            .with_help("add `## Mitigation` with the actions, their owners and dates"),
        );
    }
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
                path,
                span,
                format!("review was due on {due} ({days} days ago)"),
            )
            .with_help("review the risk, then update `review.last` and `review.next`"),
        );
    }
    if let Some(why) = escalation(doc, risk, ctx) {
        out.push(
            Diagnostic::new(&RISK_ESCALATION, path, doc.meta_span(&["category"]), why).with_help(
                "write the mitigation and link the roadmap item that funds it (`links: [RM-…]`)",
            ),
        );
    }
}

fn check_roadmap(doc: &Document, out: &mut Vec<Diagnostic>) {
    let Some(item) = doc.roadmap() else { return };
    let path = doc.path();
    let live = !matches!(doc.status_value(), "shipped" | "dropped");
    if live && matches!(item.horizon.as_deref(), Some("now" | "next")) && item.owner.is_none() {
        out.push(
            Diagnostic::new(
                &OWNER_MISSING,
                path,
                doc.meta_span(&["horizon"]),
                format!(
                    "a `{}` item needs an owner",
                    item.horizon.as_deref().unwrap_or("")
                ),
            )
            .with_help("add `owner: <name or team>`"),
        );
    }
    match item.item_type.as_deref() {
        Some("migration") => {
            for section in ["Rollback plan", "Observability"] {
                if !section_has_text(doc, section) {
                    out.push(
                        Diagnostic::new(
                            &MIGRATION_SAFETY,
                            path,
                            doc.meta_span(&["type"]),
                            section_problem(doc, section, "a migration"),
                        )
                        .with_help(format!("add `## {section}` with text")),
                    );
                }
            }
        }
        Some("experiment") => {
            if !section_has_text(doc, "Hypothesis") {
                out.push(
                    Diagnostic::new(
                        &EXPERIMENT_HYPOTHESIS,
                        path,
                        doc.meta_span(&["type"]),
                        section_problem(doc, "Hypothesis", "an experiment"),
                    )
                    .with_help("state what you expect to happen and how you will know"),
                );
            }
            if doc.status_value() == "shipped" && item.outcome.is_none() {
                out.push(
                    Diagnostic::new(
                        &EXPERIMENT_HYPOTHESIS,
                        path,
                        doc.meta_span(&["status"]),
                        "a shipped experiment records its `outcome`",
                    )
                    .with_help("add `outcome: validated`, `invalidated` or `inconclusive`"),
                );
            }
        }
        _ => {}
    }
}

/// The lines of a record's decision: its body without the parts that may change (the
/// adr-tools `## Status` section, a MADR 2 `Status:` line), with their spans.
fn decision_lines(doc: &Document) -> Vec<(String, Span)> {
    let mut excluded: Vec<Span> = Vec::new();
    match doc.format {
        crate::model::Format::AdrTools => {
            if let Some(s) = doc.body.section("status") {
                excluded.push(Span::new(s.heading.span.start, s.content.end));
            }
        }
        crate::model::Format::Bullets => {
            if let Some(n) = doc.field("status") {
                excluded.push(n.span);
            }
        }
        _ => {}
    }
    let text = &doc.source.text;
    let mut out = Vec::new();
    let mut offset = doc.body_start();
    for line in text[offset..].split_inclusive('\n') {
        let span = Span::new(offset, offset + line.trim_end_matches(['\n', '\r']).len());
        offset += line.len();
        if excluded
            .iter()
            .any(|x| span.start < x.end.max(x.start + 1) && x.start < span.end.max(span.start + 1))
        {
            continue;
        }
        out.push((line.trim_end().to_string(), span));
    }
    while out.last().is_some_and(|(l, _)| l.is_empty()) {
        out.pop();
    }
    out
}

/// With `--base`: an ADR accepted at the base that is gone since (deleted or renamed).
pub fn accepted_adr_deleted(old: &Document, rev: &str) -> Option<Diagnostic> {
    if old.status.as_ref().map(|s| s.counts_as.as_str()) != Some("accepted") {
        return None;
    }
    let id = old.id.as_deref().unwrap_or("this ADR");
    Some(
        Diagnostic::new(
            &ACCEPTED_ADR_CHANGED,
            old.path(),
            Span::default(),
            format!("{id} was accepted at `{rev}`; it is deleted here (an accepted decision is superseded, not removed)"),
        )
        .with_help("restore it and supersede it: `cto adr new \"…\" --supersedes N`"),
    )
}

/// With `--base`: an ADR accepted at the base whose decision text changed since.
pub fn accepted_adr_changed(old: &Document, new: &Document, rev: &str) -> Option<Diagnostic> {
    if old.status.as_ref().map(|s| s.counts_as.as_str()) != Some("accepted") {
        return None;
    }
    let (a, b) = (decision_lines(old), decision_lines(new));
    let first = a
        .iter()
        .zip(&b)
        .position(|((x, _), (y, _))| x != y)
        .or_else(|| (a.len() != b.len()).then(|| a.len().min(b.len())))?;
    let span = b
        .get(first)
        .or(b.last())
        .map_or(Span::empty(new.body_start()), |(_, s)| *s);
    let id = new.id.as_deref().unwrap_or("this ADR");
    Some(
        Diagnostic::new(
            &ACCEPTED_ADR_CHANGED,
            new.path(),
            span,
            format!("{id} was accepted at `{rev}`; its decision changed here (only its status and links may change)"),
        )
        .with_help(format!(
            "revert the edit and supersede it: `cto adr new \"…\" --supersedes {}`",
            new.number.map_or(String::new(), |n| n.to_string())
        )),
    )
}
