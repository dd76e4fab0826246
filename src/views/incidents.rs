//! `cto incidents report`: incidents per quarter by severity, time to detect and to
//! resolve (median and p90) per quarter and per service, repeated-incident services and
//! their escalation, overdue postmortems, open action items by owner.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Report, Row, Section, TableView, cell};
use crate::check::Context;
use crate::check::incidents::{is_overdue, median_p90, postmortem_due, streaks};
use crate::model::kinds::incident::human;
use crate::model::{Corpus, Document, IncidentFields, Kind, Quarter};

/// A median and a 90th percentile of durations, in seconds and as people read them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stat {
    pub median: i64,
    pub p90: i64,
    pub median_human: String,
    pub p90_human: String,
}

impl Stat {
    fn of(values: &[i64]) -> Option<Stat> {
        let (median, p90) = median_p90(values)?;
        Some(Stat {
            median,
            p90,
            median_human: human(Some(median)),
            p90_human: human(Some(p90)),
        })
    }

    fn cells(s: &Option<Stat>) -> [String; 2] {
        match s {
            Some(s) => [s.median_human.clone(), s.p90_human.clone()],
            None => [String::new(), String::new()],
        }
    }
}

/// Incidents of one quarter (or one service): how many of each severity, and how fast
/// they were detected and resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// The quarter (`2026-Q3`) or the service's name.
    pub name: String,
    pub total: usize,
    /// Severity → how many.
    pub by_severity: BTreeMap<String, usize>,
    /// How many had the instants to be timed (a date alone is not).
    pub timed: usize,
    /// Time to detect (started → detected).
    pub mttd: Option<Stat>,
    /// Time to resolve (started → resolved).
    pub mttr: Option<Stat>,
    /// Action items: not done, of which overdue, and done.
    pub actions_open: usize,
    pub actions_overdue: usize,
    pub actions_done: usize,
}

/// A service with repeated incidents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Repeated {
    pub service: String,
    pub incidents: Vec<String>,
    pub first: String,
    pub last: String,
    /// Open reliability work linked to it.
    pub planned: Vec<String>,
    /// Why it is an escalation, when no work is planned.
    pub escalation: Option<String>,
}

impl Row for Repeated {
    const HEADER: &'static [&'static str] = &["service", "incidents", "from", "to", "planned work"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.service.clone(),
            // Thousands of ids say less than their count and the first and last few.
            match self.incidents.as_slice() {
                [first @ .., last] if first.len() > 8 => format!(
                    "{} … {last} ({} incidents)",
                    first[..5].join(" "),
                    self.incidents.len()
                ),
                all => all.join(" "),
            },
            self.first.clone(),
            self.last.clone(),
            if self.planned.is_empty() {
                "none: escalation".into()
            } else {
                self.planned.join(" ")
            },
        ]
    }
}

/// A postmortem past its due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverduePostmortem {
    pub id: Option<String>,
    pub title: String,
    pub severity: Option<String>,
    pub owner: Option<String>,
    pub due: String,
    pub days_overdue: i32,
}

impl Row for OverduePostmortem {
    const HEADER: &'static [&'static str] =
        &["id", "severity", "due", "days over", "owner", "title"];
    fn cells(&self) -> Vec<String> {
        vec![
            cell(self.id.as_ref()),
            cell(self.severity.as_ref()),
            self.due.clone(),
            self.days_overdue.to_string(),
            cell(self.owner.as_ref()),
            self.title.clone(),
        ]
    }
}

/// One open action item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenItem {
    pub incident: Option<String>,
    pub title: Option<String>,
    pub due: Option<String>,
    pub overdue: bool,
    pub link: Option<String>,
}

/// The open action items of one owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnerItems {
    pub owner: String,
    pub open: usize,
    pub overdue: usize,
    pub items: Vec<OpenItem>,
}

impl Row for OwnerItems {
    const HEADER: &'static [&'static str] = &["owner", "open", "overdue", "items"];
    fn cells(&self) -> Vec<String> {
        let items: Vec<String> = self
            .items
            .iter()
            .map(|i| {
                format!(
                    "{} {}{}",
                    i.incident.as_deref().unwrap_or(""),
                    i.title.as_deref().unwrap_or("(untitled)"),
                    match (&i.due, i.overdue) {
                        (Some(d), true) => format!(" (due {d}, overdue)"),
                        (Some(d), false) => format!(" (due {d})"),
                        (None, _) => " (no due date)".into(),
                    }
                )
            })
            .collect();
        vec![
            self.owner.clone(),
            self.open.to_string(),
            self.overdue.to_string(),
            items.join("; "),
        ]
    }
}

/// One incident (`--format csv`).
#[derive(Debug, Clone, Serialize)]
pub struct IncidentRow {
    pub id: String,
    pub status: String,
    pub severity: Option<String>,
    pub services: String,
    pub quarter: Option<Quarter>,
    pub started: Option<String>,
    pub time_to_detect: Option<i64>,
    pub time_to_mitigate: Option<i64>,
    pub time_to_resolve: Option<i64>,
    pub owner: Option<String>,
    pub title: String,
}

impl Row for IncidentRow {
    const HEADER: &'static [&'static str] = &[
        "id",
        "status",
        "severity",
        "services",
        "quarter",
        "started",
        "time_to_detect",
        "time_to_mitigate",
        "time_to_resolve",
        "owner",
        "title",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.status.clone(),
            cell(self.severity.as_ref()),
            self.services.clone(),
            cell(self.quarter),
            cell(self.started.as_ref()),
            cell(self.time_to_detect),
            cell(self.time_to_mitigate),
            cell(self.time_to_resolve),
            cell(self.owner.as_ref()),
            self.title.clone(),
        ]
    }
}

/// The incident report; serialised, its `--format json`.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentReport {
    /// The severities in force, most severe first (the columns of `by_quarter`).
    pub severities: Vec<String>,
    pub by_quarter: Vec<Group>,
    pub by_service: Vec<Group>,
    pub repeated: Vec<Repeated>,
    pub postmortems_overdue: Vec<OverduePostmortem>,
    pub action_items: Vec<OwnerItems>,
    #[serde(skip)]
    pub register: Vec<IncidentRow>,
}

impl IncidentReport {
    /// The repeated-incident services that are escalations.
    pub fn escalations(&self) -> impl Iterator<Item = &Repeated> {
        self.repeated.iter().filter(|r| r.escalation.is_some())
    }
}

fn group<'a>(
    name: String,
    incidents: impl Iterator<Item = &'a IncidentFields>,
    today: jiff::civil::Date,
) -> Group {
    let mut g = Group {
        name,
        total: 0,
        by_severity: BTreeMap::new(),
        timed: 0,
        mttd: None,
        mttr: None,
        actions_open: 0,
        actions_overdue: 0,
        actions_done: 0,
    };
    let (mut detect, mut resolve) = (Vec::new(), Vec::new());
    for i in incidents {
        g.total += 1;
        *g.by_severity
            .entry(i.severity.clone().unwrap_or_else(|| "(none)".into()))
            .or_default() += 1;
        let (d, r) = (i.time_to_detect(), i.time_to_resolve());
        if d.is_some() || r.is_some() {
            g.timed += 1;
        }
        detect.extend(d);
        resolve.extend(r);
        for a in &i.action_items {
            if a.done {
                g.actions_done += 1;
            } else {
                g.actions_open += 1;
                g.actions_overdue += usize::from(is_overdue(a, today));
            }
        }
    }
    g.mttd = Stat::of(&detect);
    g.mttr = Stat::of(&resolve);
    g
}

pub fn report(corpus: &Corpus, ctx: &Context) -> IncidentReport {
    let policy = &ctx.config.documents.incident;
    let today = ctx.today;
    let mut docs: Vec<(&Document, &IncidentFields)> = corpus
        .of_kind(Kind::Incident)
        .filter_map(|d| Some((d, d.incident()?)))
        .collect();
    docs.sort_by_key(|(d, _)| (d.number.unwrap_or(u32::MAX), d.path().to_string()));

    let mut quarters: BTreeMap<Quarter, Vec<&IncidentFields>> = BTreeMap::new();
    let mut services: BTreeMap<&str, Vec<&IncidentFields>> = BTreeMap::new();
    for (_, i) in &docs {
        if let Some(q) = i.quarter() {
            quarters.entry(q).or_default().push(i);
        }
        for (s, _) in &i.services {
            services.entry(s.as_str()).or_default().push(i);
        }
    }
    let by_quarter = quarters
        .into_iter()
        .map(|(q, is)| group(q.to_string(), is.into_iter(), today))
        .collect();
    let mut by_service: Vec<Group> = services
        .into_iter()
        .map(|(s, is)| group(s.to_string(), is.into_iter(), today))
        .collect();
    by_service.sort_by(|a, b| b.total.cmp(&a.total).then(a.name.cmp(&b.name)));

    let repeated = streaks(corpus, ctx)
        .into_iter()
        .map(|s| Repeated {
            service: s.service.clone(),
            incidents: s.ids(),
            first: s.first.to_string(),
            last: s.last.to_string(),
            escalation: s.escalation(policy),
            planned: s.planned,
        })
        .collect();

    let mut postmortems_overdue = Vec::new();
    let mut owners: BTreeMap<String, Vec<OpenItem>> = BTreeMap::new();
    for (d, i) in &docs {
        if let Some(due) = postmortem_due(i, policy)
            && due < today
        {
            postmortems_overdue.push(OverduePostmortem {
                id: d.id.clone(),
                title: d.title_text().to_string(),
                severity: i.severity.clone(),
                owner: i.owner.clone().or(i.commander.clone()),
                due: due.to_string(),
                days_overdue: (today - due).get_days(),
            });
        }
        for a in i.action_items.iter().filter(|a| !a.done) {
            owners
                .entry(a.owner.clone().unwrap_or_else(|| "(no owner)".into()))
                .or_default()
                .push(OpenItem {
                    incident: d.id.clone(),
                    title: a.title.clone(),
                    due: a.due.map(|(d, _)| d.to_string()),
                    overdue: is_overdue(a, today),
                    link: a.link.as_ref().map(|r| r.id.clone()),
                });
        }
    }
    let mut action_items: Vec<OwnerItems> = owners
        .into_iter()
        .map(|(owner, items)| OwnerItems {
            owner,
            open: items.len(),
            overdue: items.iter().filter(|i| i.overdue).count(),
            items,
        })
        .collect();
    action_items.sort_by(|a, b| {
        (b.overdue, b.open)
            .cmp(&(a.overdue, a.open))
            .then(a.owner.cmp(&b.owner))
    });

    let register = docs
        .iter()
        .map(|(d, i)| IncidentRow {
            id: d.id.clone().unwrap_or_default(),
            status: d.status_value().to_string(),
            severity: i.severity.clone(),
            services: i
                .services
                .iter()
                .map(|(s, _)| s.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            quarter: i.quarter(),
            started: i.started.map(|(m, _)| m.to_string()),
            time_to_detect: i.time_to_detect(),
            time_to_mitigate: i.time_to_mitigate(),
            time_to_resolve: i.time_to_resolve(),
            owner: i.owner.clone().or(i.commander.clone()),
            title: d.title_text().to_string(),
        })
        .collect();

    IncidentReport {
        severities: policy.severities.clone(),
        by_quarter,
        by_service,
        repeated,
        postmortems_overdue,
        action_items,
        register,
    }
}

impl IncidentReport {
    /// A table of groups: counts per severity, then the times, then the action items.
    fn groups(&self, first: &str, groups: &[Group]) -> TableView {
        let mut header: Vec<&str> = vec![first];
        header.extend(self.severities.iter().map(String::as_str));
        header.extend([
            "total",
            "MTTD median",
            "MTTD p90",
            "MTTR median",
            "MTTR p90",
            "actions open",
            "overdue",
            "done",
        ]);
        let rows = groups
            .iter()
            .map(|g| {
                let mut row = vec![g.name.clone()];
                row.extend(
                    self.severities
                        .iter()
                        .map(|s| g.by_severity.get(s).copied().unwrap_or(0).to_string()),
                );
                row.push(g.total.to_string());
                row.extend(Stat::cells(&g.mttd));
                row.extend(Stat::cells(&g.mttr));
                row.extend([
                    g.actions_open.to_string(),
                    g.actions_overdue.to_string(),
                    g.actions_done.to_string(),
                ]);
                row
            })
            .collect();
        TableView::new(&header, rows)
    }
}

impl Report for IncidentReport {
    fn title(&self) -> &'static str {
        "Incidents"
    }

    fn sections(&self) -> Vec<Section> {
        let mut trend = Section::table(
            "by_quarter",
            "Incidents per quarter",
            self.groups("quarter", &self.by_quarter),
            "No incidents.",
        );
        if !self.by_quarter.is_empty() {
            trend.notes.push(
                "MTTD: started to detected; MTTR: started to resolved. Incidents with dates alone are counted, not timed.".into(),
            );
        }
        // Notes are cto's own sentences: what documents say stays in the table's cells,
        // which every format escapes ("none: escalation" marks one).
        let repeated = Section::table(
            "repeated",
            "Repeated incidents",
            TableView::of(&self.repeated),
            "No service has repeated incidents.",
        );
        vec![
            trend,
            Section::table(
                "by_service",
                "Incidents per service",
                self.groups("service", &self.by_service),
                "No incidents.",
            ),
            repeated,
            Section::table(
                "postmortems_overdue",
                "Overdue postmortems",
                TableView::of(&self.postmortems_overdue),
                "No postmortem is overdue.",
            ),
            Section::table(
                "action_items",
                "Open action items by owner",
                TableView::of(&self.action_items),
                "No open action items.",
            ),
        ]
    }

    fn csv(&self) -> TableView {
        TableView::of(&self.register)
    }
}
