//! Incidents and their postmortems: severity, services, the timestamps from start to
//! resolution, action items, and the times to detect, mitigate and resolve.

use serde_json::{Map, Value as Json, json};

use super::read::{cell, dated, refs_with, text};
use super::{ReadContext, words};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::model::rules::{INVALID_VALUE, WRONG_TYPE};
use crate::model::spec::{FieldSpec, FieldType, KindSpec, SectionSet, field, required};
use crate::model::{Kind, Moment, Quarter, Ref, parse_ref};
use crate::parse::yaml::{Node, Value};
use crate::source::Span;

words! {
    pub enum IncidentStatus {
        Investigating = "investigating",
        Mitigated = "mitigated",
        Resolved = "resolved",
        PostmortemComplete = "postmortem-complete",
    }
}

/// The severities an incident may have unless cto.yaml names its own, most severe first.
pub const SEVERITIES: &[&str] = &["sev1", "sev2", "sev3", "sev4"];

/// The sections of a blameless postmortem (the template's), required by default of an
/// incident whose severity asks for a postmortem once it is `postmortem-complete`.
pub const POSTMORTEM_SECTIONS: &[&str] = &[
    "Summary",
    "Timeline",
    "Root cause",
    "What went well / what went wrong",
    "Action items",
];

const ACTION_ITEM: &[FieldSpec] = &[
    required("title", FieldType::Text),
    field("owner", FieldType::Text),
    field("due", FieldType::Date),
    field("link", FieldType::Refs),
    field("done", FieldType::Bool),
];

const FIELDS: &[FieldSpec] = &[
    field("title", FieldType::Text),
    // Checked against `incident.severities` of cto.yaml (default: SEVERITIES).
    required("severity", FieldType::Text),
    required("services", FieldType::List),
    required("status", FieldType::Status),
    required("started", FieldType::Timestamp),
    field("detected", FieldType::Timestamp),
    field("mitigated", FieldType::Timestamp),
    field("resolved", FieldType::Timestamp),
    field("commander", FieldType::Text),
    field("owner", FieldType::Text),
    field("customer_impact", FieldType::Text),
    // SLO names: whose error budget it burned.
    field("slos", FieldType::List),
    field("action_items", FieldType::Records(ACTION_ITEM)),
    field("tags", FieldType::List),
    field("links", FieldType::Refs),
];

pub static SPEC: KindSpec = KindSpec {
    kind: Kind::Incident,
    name: "incident",
    plural: "incidents",
    label: "incident",
    heading: "incidents",
    id_prefix: Some("INC"),
    default_dir: "docs/incidents",
    fields: FIELDS,
    statuses: IncidentStatus::WORDS,
    initial_status: "investigating",
    transitions: &[
        ("investigating", &["mitigated", "resolved"]),
        ("mitigated", &["investigating", "resolved"]),
        ("resolved", &["investigating", "postmortem-complete"]),
        ("postmortem-complete", &["resolved"]),
    ],
    dated_statuses: &[("mitigated", "mitigated"), ("resolved", "resolved")],
    // Every incident says what happened; the postmortem's sections are asked of the
    // severities cto.yaml names (CTO608).
    sections: &[SectionSet {
        name: "incident",
        sections: &["Summary"],
    }],
    columns: &[
        "id", "status", "severity", "services", "started", "resolve", "owner", "title",
    ],
    template: include_str!("../../../templates/incident.md"),
    lint_context: &[Kind::Incident, Kind::Slo, Kind::Roadmap],
};

/// What cto.yaml says about incidents (`incident:`): the severities, which of them need
/// a postmortem and by when, and what makes repeated incidents an escalation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentPolicy {
    /// Most severe first.
    pub severities: Vec<String>,
    /// Severities that need a postmortem.
    pub postmortem_severities: Vec<String>,
    /// Business days after `resolved` by which the postmortem is complete.
    pub postmortem_within: i64,
    /// Days that are not business days besides Saturdays and Sundays (`holidays:`).
    pub holidays: std::collections::BTreeSet<jiff::civil::Date>,
    /// Sections a postmortem needs.
    pub postmortem_sections: Vec<String>,
    /// This many incidents on one service ...
    pub repeated_count: usize,
    /// ... within this many days is an escalation, unless reliability work is planned.
    pub repeated_within: i64,
}

impl Default for IncidentPolicy {
    fn default() -> Self {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect();
        IncidentPolicy {
            severities: words(SEVERITIES),
            postmortem_severities: words(&SEVERITIES[..2]),
            postmortem_within: 5,
            holidays: Default::default(),
            postmortem_sections: words(POSTMORTEM_SECTIONS),
            repeated_count: 3,
            repeated_within: 90,
        }
    }
}

impl IncidentPolicy {
    /// Whether incidents of this severity need a postmortem.
    pub fn needs_postmortem(&self, severity: &str) -> bool {
        self.postmortem_severities.iter().any(|s| s == severity)
    }

    /// The rank of a severity: 0 for the most severe; unknown ones last.
    pub fn rank(&self, severity: &str) -> usize {
        self.severities
            .iter()
            .position(|s| s == severity)
            .unwrap_or(self.severities.len())
    }
}

/// The schema of `incident:` in cto.yaml.
pub const CONFIG_FIELDS: &[FieldSpec] = &[
    field("dir", FieldType::Text),
    field("severities", FieldType::List),
    field("holidays", FieldType::List),
    field(
        "postmortem",
        FieldType::Map(&[
            field("severities", FieldType::List),
            field("within", FieldType::Int { min: 0, max: 365 }),
            field("sections", FieldType::List),
        ]),
    ),
    field(
        "repeated",
        FieldType::Map(&[
            field("count", FieldType::Int { min: 2, max: 1000 }),
            field("within", FieldType::Text),
        ]),
    ),
];

/// Reads `incident:` of cto.yaml (its shape is validated against [`CONFIG_FIELDS`]).
pub fn read_policy(node: Option<&Node>, path: &str, diags: &mut Vec<Diagnostic>) -> IncidentPolicy {
    let mut p = IncidentPolicy::default();
    let Some(node) = node else { return p };
    let list = |n: Option<&Node>| -> Option<Vec<String>> {
        match &n?.value {
            Value::Seq(items) => Some(
                items
                    .iter()
                    .filter_map(Node::scalar_text)
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
            ),
            _ => None,
        }
    };
    if let Some(severities) = list(node.get("severities")) {
        if severities.is_empty() {
            diags.push(Diagnostic::new(
                &INVALID_VALUE,
                path,
                node.get("severities").map_or(node.span, |n| n.span),
                "`incident.severities` names no severity",
            ));
        } else {
            // A team's own names: the two most severe need a postmortem unless it says.
            p.postmortem_severities = severities.iter().take(2).cloned().collect();
            p.severities = severities;
        }
    }
    let postmortem = node.get("postmortem");
    if let Some(n) = postmortem.and_then(|m| m.get("severities"))
        && let Some(names) = list(Some(n))
    {
        for name in &names {
            if !p.severities.contains(name) {
                diags.push(Diagnostic::new(
                    &INVALID_VALUE,
                    path,
                    n.span,
                    format!(
                        "`incident.postmortem.severities` names `{name}`, which is not one of: {}",
                        p.severities.join(", ")
                    ),
                ));
            }
        }
        p.postmortem_severities = names;
    }
    if let Some(Value::Int(days)) = postmortem.and_then(|m| m.get("within")).map(|n| &n.value) {
        p.postmortem_within = *days;
    }
    if let Some(sections) = list(postmortem.and_then(|m| m.get("sections"))) {
        p.postmortem_sections = sections;
    }
    if let Some(n) = node.get("holidays")
        && let Value::Seq(items) = &n.value
    {
        for item in items {
            match item.scalar_text().as_deref().map(crate::model::parse_date) {
                Some(Ok(day)) => {
                    p.holidays.insert(day);
                }
                Some(Err(why)) => diags.push(Diagnostic::new(
                    &INVALID_VALUE,
                    path,
                    item.span,
                    format!("`incident.holidays`: {why}"),
                )),
                None => diags.push(Diagnostic::new(
                    &INVALID_VALUE,
                    path,
                    item.span,
                    "`incident.holidays` lists days (YYYY-MM-DD), e.g. `[2026-12-25, 2027-01-01]`",
                )),
            }
        }
    }
    let repeated = node.get("repeated");
    if let Some(Value::Int(n)) = repeated.and_then(|r| r.get("count")).map(|n| &n.value)
        && let Ok(n) = usize::try_from(*n)
    {
        p.repeated_count = n;
    }
    if let Some(n) = repeated.and_then(|r| r.get("within")) {
        match n
            .scalar_text()
            .as_deref()
            .and_then(crate::model::values::parse_days)
        {
            Some(days) if days <= 3660 => p.repeated_within = days,
            _ => diags.push(Diagnostic::new(
                &INVALID_VALUE,
                path,
                n.span,
                "`incident.repeated.within` must be days or weeks up to ten years, e.g. `90d` or `13w`",
            )),
        }
    }
    p
}

/// One follow-up of a postmortem.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionItem {
    pub title: Option<String>,
    pub owner: Option<String>,
    pub due: Option<(jiff::civil::Date, Span)>,
    /// The roadmap item, risk or ADR that carries it.
    pub link: Option<Ref>,
    pub done: bool,
    /// The item's mapping, where findings about it point.
    pub span: Span,
}

/// An incident's front matter, typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IncidentFields {
    /// The built-in status its status counts as.
    pub status: Option<IncidentStatus>,
    /// As written (checked against the configured severities when read).
    pub severity: Option<String>,
    /// Service names, each with where it stands.
    pub services: Vec<(String, Span)>,
    pub started: Option<(Moment, Span)>,
    pub detected: Option<(Moment, Span)>,
    pub mitigated: Option<(Moment, Span)>,
    pub resolved: Option<(Moment, Span)>,
    pub commander: Option<String>,
    pub owner: Option<String>,
    pub customer_impact: Option<String>,
    /// SLOs whose error budget it burned.
    pub slos: Vec<Ref>,
    pub action_items: Vec<ActionItem>,
}

impl IncidentFields {
    pub fn is(&self, status: IncidentStatus) -> bool {
        self.status == Some(status)
    }

    fn at(m: Option<(Moment, Span)>) -> Option<Moment> {
        m.map(|(m, _)| m)
    }

    /// Seconds from start to detection.
    pub fn time_to_detect(&self) -> Option<i64> {
        Self::at(self.started)?.seconds_until(Self::at(self.detected)?)
    }

    /// Seconds from start to mitigation (the impact stopped).
    pub fn time_to_mitigate(&self) -> Option<i64> {
        Self::at(self.started)?.seconds_until(Self::at(self.mitigated)?)
    }

    /// Seconds from start to resolution.
    pub fn time_to_resolve(&self) -> Option<i64> {
        Self::at(self.started)?.seconds_until(Self::at(self.resolved)?)
    }

    /// The quarter it started in (else was detected in).
    pub fn quarter(&self) -> Option<Quarter> {
        Self::at(self.started)
            .or(Self::at(self.detected))
            .map(|m| Quarter::of(m.date()))
    }

    pub fn has_service(&self, name: &str) -> bool {
        self.services.iter().any(|(s, _)| s == name)
    }

    /// Every document it refers to besides `links`: its SLOs and its action items' links.
    pub fn references(&self) -> impl Iterator<Item = (&Ref, &'static str)> {
        self.slos.iter().map(|r| (r, "slos")).chain(
            self.action_items
                .iter()
                .filter_map(|a| a.link.as_ref())
                .map(|r| (r, "action_items")),
        )
    }
}

/// A duration in seconds as people read it (`1h 25m`), or "" when unknown.
pub fn human(seconds: Option<i64>) -> String {
    seconds.map_or_else(String::new, |s| {
        crate::model::slo::human_duration(crate::model::slo::Rational::int(i128::from(s)))
    })
}

fn moment(node: Option<&Node>) -> Option<(Moment, Span)> {
    let n = node?;
    Some((Moment::parse(n.as_str()?).ok()?, n.span))
}

pub(super) fn read(
    meta: &Node,
    cx: &ReadContext<'_>,
    diags: &mut Vec<Diagnostic>,
) -> IncidentFields {
    let severities = &cx.settings.incident.severities;
    let severity = meta.get("severity");
    if let Some(node) = severity
        && let Some(s) = node.scalar_text()
        && !severities.iter().any(|a| *a == s.trim())
    {
        let mut d = Diagnostic::new(
            &INVALID_VALUE,
            cx.path,
            node.span,
            format!(
                "`severity` is `{s}`, which is not one of: {}",
                severities.join(", ")
            ),
        );
        if let Some(m) = did_you_mean(&s, severities.iter().map(String::as_str)) {
            d = d.with_help(format!("did you mean `{m}`?"));
        }
        diags.push(d);
    }
    let services = match meta.get("services").map(|n| &n.value) {
        Some(Value::Seq(items)) => items
            .iter()
            .filter_map(|n| Some((n.scalar_text()?.trim().to_string(), n.span)))
            .filter(|(s, _)| !s.is_empty())
            .collect(),
        _ => Vec::new(),
    };
    let slos = refs_with(meta.get("slos"), Kind::Slo, |t, _| {
        crate::model::refs::is_label(t.trim()).then(|| t.trim().to_string())
    });
    let action_items = match meta.get("action_items").map(|n| &n.value) {
        Some(Value::Seq(items)) => items
            .iter()
            .filter(|n| matches!(n.value, Value::Map(_)))
            .map(|n| action_item(n, cx, diags))
            .collect(),
        _ => Vec::new(),
    };
    IncidentFields {
        status: cx.status.and_then(|s| IncidentStatus::parse(&s.counts_as)),
        severity: text(severity),
        services,
        started: moment(meta.get("started")),
        detected: moment(meta.get("detected")),
        mitigated: moment(meta.get("mitigated")),
        resolved: moment(meta.get("resolved")),
        commander: text(meta.get("commander")),
        owner: text(meta.get("owner")),
        customer_impact: text(meta.get("customer_impact")),
        slos,
        action_items,
    }
}

fn action_item(n: &Node, cx: &ReadContext<'_>, diags: &mut Vec<Diagnostic>) -> ActionItem {
    let link = n.get("link");
    // One document carries an item: a list is refused here (the spec's `Refs` takes one).
    if let Some(l) = link
        && matches!(l.value, Value::Seq(_))
    {
        diags.push(
            Diagnostic::new(
                &WRONG_TYPE,
                cx.path,
                l.span,
                "an action item's `link` is one id (RM-, RISK- or ADR-), not a list",
            )
            .with_help("link the one roadmap item, risk or ADR that carries the work"),
        );
    }
    ActionItem {
        title: text(n.get("title")),
        owner: text(n.get("owner")),
        due: dated(n.get("due")),
        link: link
            .filter(|l| !matches!(l.value, Value::Seq(_)))
            .and_then(|l| {
                Some(Ref {
                    id: parse_ref(&l.scalar_text()?, Kind::Incident)?,
                    span: l.span,
                })
            }),
        done: matches!(n.get("done").map(|d| &d.value), Some(Value::Bool(true))),
        span: n.span,
    }
}

pub(super) fn cells(i: &IncidentFields) -> Vec<String> {
    vec![
        cell(i.severity.as_ref()),
        i.services
            .iter()
            .map(|(s, _)| s.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        cell(i.started.map(|(m, _)| m)),
        human(i.time_to_resolve()),
        cell(i.owner.as_ref().or(i.commander.as_ref())),
    ]
}

pub(super) fn row(i: &IncidentFields, m: &mut Map<String, Json>) {
    let at = |x: Option<(Moment, Span)>| json!(x.map(|(m, _)| m.to_string()));
    m.insert("severity".into(), json!(i.severity));
    m.insert(
        "services".into(),
        json!(i.services.iter().map(|(s, _)| s).collect::<Vec<_>>()),
    );
    m.insert("started".into(), at(i.started));
    m.insert("detected".into(), at(i.detected));
    m.insert("mitigated".into(), at(i.mitigated));
    m.insert("resolved".into(), at(i.resolved));
    m.insert("quarter".into(), json!(i.quarter()));
    m.insert("commander".into(), json!(i.commander));
    m.insert("owner".into(), json!(i.owner));
    m.insert("customer_impact".into(), json!(i.customer_impact));
    m.insert("slos".into(), super::read::ids_json(&i.slos));
    m.insert("time_to_detect".into(), json!(i.time_to_detect()));
    m.insert("time_to_mitigate".into(), json!(i.time_to_mitigate()));
    m.insert("time_to_resolve".into(), json!(i.time_to_resolve()));
    let done = i.action_items.iter().filter(|a| a.done).count();
    m.insert(
        "action_items".into(),
        json!({"open": i.action_items.len() - done, "done": done}),
    );
}

/// What `cto incident list` keeps besides status and owner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IncidentFilter {
    pub severity: Option<String>,
    pub service: Option<String>,
    pub quarter: Option<Quarter>,
}

impl IncidentFilter {
    pub fn keeps(&self, i: &IncidentFields) -> bool {
        self.severity
            .as_ref()
            .is_none_or(|s| i.severity.as_deref() == Some(s.as_str()))
            && self.service.as_ref().is_none_or(|s| i.has_service(s))
            && self.quarter.is_none_or(|q| i.quarter() == Some(q))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> (IncidentFields, Vec<Diagnostic>) {
        let doc = crate::model::parse_document(
            Kind::Incident,
            crate::source::Source::new("docs/incidents/0001-x.md", text.to_string()),
            &crate::model::Settings::default(),
        );
        let f = doc.incident().cloned().unwrap_or_default();
        (f, doc.diagnostics)
    }

    #[test]
    fn times_are_derived_from_instants_only() {
        let (i, diags) = fields(
            "---\nseverity: sev2\nservices: [checkout]\nstatus: resolved\nstarted: 2026-03-01T14:00:00+01:00\ndetected: 2026-03-01T13:12:00Z\nmitigated: 2026-03-01T14:40:00+01:00\nresolved: 2026-03-02\n---\n# X\n\n## Summary\n\nIt broke.\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(i.time_to_detect(), Some(12 * 60));
        assert_eq!(i.time_to_mitigate(), Some(40 * 60));
        assert_eq!(i.time_to_resolve(), None, "a date alone is not timed");
        assert_eq!(human(i.time_to_mitigate()), "40m");
        assert_eq!(
            i.quarter().map(|q| q.to_string()).as_deref(),
            Some("2026-Q1")
        );
        assert!(i.is(IncidentStatus::Resolved));
    }

    #[test]
    fn bad_values_are_findings_with_their_place() {
        let text = "---\nseverity: sev9\nservices: [checkout]\nstatus: investigating\nstarted: 2026-03-01T14:00:00\naction_items:\n  - { title: Fix, link: [RM-1, RM-2] }\n  - owner: ana\n---\n# X\n\n## Summary\n\nIt broke.\n";
        let (i, diags) = fields(text);
        let found: Vec<(&str, &str)> = diags
            .iter()
            .map(|d| (d.rule.code, &text[d.span.range()]))
            .collect();
        assert!(found.contains(&("CTO104", "sev9")), "{found:?}");
        assert!(
            found.contains(&("CTO108", "2026-03-01T14:00:00")),
            "{found:?}"
        );
        // A flow list's span is its opening bracket.
        let link = text.find("[RM-1").expect("the link");
        assert!(
            diags
                .iter()
                .any(|d| d.rule.code == "CTO106" && d.span.start == link),
            "{found:?}"
        );
        // The missing title is reported at the second item.
        let second = text.find("owner: ana").expect("the second item");
        assert!(
            diags.iter().any(|d| d.rule.code == "CTO105"
                && d.message.contains("action_items[2].title")
                && d.span.start == second),
            "{diags:?} {second}"
        );
        assert_eq!(i.started, None);
        assert_eq!(i.action_items.len(), 2);
    }

    #[test]
    fn filters() {
        let (i, _) = fields(
            "---\nseverity: sev1\nservices: [checkout, payments]\nstatus: resolved\nstarted: 2026-05-01\n---\n# X\n",
        );
        let keep = |f: IncidentFilter| f.keeps(&i);
        assert!(keep(IncidentFilter::default()));
        assert!(keep(IncidentFilter {
            service: Some("payments".into()),
            severity: Some("sev1".into()),
            quarter: Quarter::parse("2026-Q2"),
        }));
        assert!(!keep(IncidentFilter {
            service: Some("catalog".into()),
            ..Default::default()
        }));
        assert!(!keep(IncidentFilter {
            quarter: Quarter::parse("2026-Q1"),
            ..Default::default()
        }));
        assert!(!keep(IncidentFilter {
            severity: Some("sev2".into()),
            ..Default::default()
        }));
    }
}
