//! `cto risks report`: heat maps, top risks, overdue reviews, expiring acceptances,
//! escalations, load per owner.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Report, Row, Section, TableView, cell};
use crate::check::Context;
use crate::check::policy::{escalation, review_due, risk_is_live};
use crate::model::{Corpus, Document, Kind, RiskFields};
use crate::model::{RiskLevel, RiskStatus, Treatment};

/// Days before expiry from which an acceptance is listed as expiring.
pub const EXPIRING_WITHIN_DAYS: i32 = 30;

/// Ids in a 5×5 grid, `[impact - 1][likelihood - 1]`.
pub type Grid = [[Vec<String>; 5]; 5];

#[derive(Debug, Clone, Serialize)]
pub struct Heatmap {
    /// What the grid's rows and columns are, for readers of the JSON.
    pub rows: &'static str,
    pub columns: &'static str,
    pub inherent: Grid,
    /// At the residual rating, else the inherent one.
    pub residual: Grid,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopRisk {
    pub id: Option<String>,
    pub title: String,
    pub score: Option<u8>,
    pub level: Option<RiskLevel>,
    pub residual_score: Option<u8>,
    pub residual_level: Option<RiskLevel>,
    pub owner: Option<String>,
    pub category: Option<String>,
    pub status: String,
}

impl Row for TopRisk {
    const HEADER: &'static [&'static str] = &["id", "score", "level", "residual", "owner", "title"];
    fn cells(&self) -> Vec<String> {
        vec![
            cell(self.id.as_ref()),
            cell(self.score),
            cell(self.level),
            self.residual_score.map_or("-".into(), |x| x.to_string()),
            cell(self.owner.as_ref()),
            self.title.clone(),
        ]
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct OverdueReview {
    pub id: Option<String>,
    pub title: String,
    pub owner: Option<String>,
    pub due: String,
    pub days_overdue: i32,
}

impl Row for OverdueReview {
    const HEADER: &'static [&'static str] = &["id", "due", "days over", "owner", "title"];
    fn cells(&self) -> Vec<String> {
        vec![
            cell(self.id.as_ref()),
            self.due.clone(),
            self.days_overdue.to_string(),
            cell(self.owner.as_ref()),
            self.title.clone(),
        ]
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ExpiringAcceptance {
    pub id: Option<String>,
    pub title: String,
    pub accepted_by: Option<String>,
    pub expires: String,
    /// Negative once expired.
    pub days_left: i32,
}

impl Row for ExpiringAcceptance {
    const HEADER: &'static [&'static str] = &["id", "expires", "days left", "accepted by", "title"];
    fn cells(&self) -> Vec<String> {
        vec![
            cell(self.id.as_ref()),
            self.expires.clone(),
            self.days_left.to_string(),
            cell(self.accepted_by.as_ref()),
            self.title.clone(),
        ]
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Escalation {
    pub id: Option<String>,
    pub title: String,
    pub owner: Option<String>,
    pub reason: String,
}

impl Row for Escalation {
    const HEADER: &'static [&'static str] = &["id", "why", "owner", "title"];
    fn cells(&self) -> Vec<String> {
        vec![
            cell(self.id.as_ref()),
            self.reason.clone(),
            cell(self.owner.as_ref()),
            self.title.clone(),
        ]
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct OwnerLoad {
    pub owner: String,
    pub risks: usize,
    pub total_score: u32,
    pub highest_level: RiskLevel,
    pub ids: Vec<String>,
}

impl Row for OwnerLoad {
    const HEADER: &'static [&'static str] = &["owner", "risks", "total score", "highest", "ids"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.owner.clone(),
            self.risks.to_string(),
            self.total_score.to_string(),
            self.highest_level.to_string(),
            self.ids.join(" "),
        ]
    }
}

/// One risk of the register (`--format csv`), live or not.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterRow {
    pub id: String,
    pub status: String,
    pub category: Option<String>,
    pub likelihood: Option<u8>,
    pub impact: Option<u8>,
    pub score: Option<u8>,
    pub level: Option<RiskLevel>,
    pub residual_score: Option<u8>,
    pub treatment: Option<Treatment>,
    pub owner: Option<String>,
    pub review_due: Option<String>,
    pub title: String,
}

impl Row for RegisterRow {
    const HEADER: &'static [&'static str] = &[
        "id",
        "status",
        "category",
        "likelihood",
        "impact",
        "score",
        "level",
        "residual_score",
        "treatment",
        "owner",
        "review_due",
        "title",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.status.clone(),
            cell(self.category.as_ref()),
            cell(self.likelihood),
            cell(self.impact),
            cell(self.score),
            cell(self.level),
            cell(self.residual_score),
            cell(self.treatment),
            cell(self.owner.as_ref()),
            cell(self.review_due.as_ref()),
            self.title.clone(),
        ]
    }
}

/// The risk register's report; serialised, its `--format json`.
#[derive(Debug, Clone, Serialize)]
pub struct RiskReport {
    pub heatmap: Heatmap,
    /// Every scored live risk, highest first (tables show ten).
    pub top: Vec<TopRisk>,
    pub overdue: Vec<OverdueReview>,
    pub expiring: Vec<ExpiringAcceptance>,
    pub escalations: Vec<Escalation>,
    pub by_owner: Vec<OwnerLoad>,
    #[serde(skip)]
    pub register: Vec<RegisterRow>,
}

fn id(d: &Document) -> String {
    d.id.clone().unwrap_or_default()
}

fn grid(risks: &[(&Document, &RiskFields)], residual: bool) -> Grid {
    let mut g: Grid = Default::default();
    for (d, r) in risks {
        let rating = if residual {
            r.residual.or(r.likelihood.zip(r.impact))
        } else {
            r.likelihood.zip(r.impact)
        };
        // Ratings outside 1–5 are lint's business; they are not drawn.
        if let Some((l, i)) = rating
            && let Some(row) = g.get_mut(usize::from(i).wrapping_sub(1))
            && let Some(cell) = row.get_mut(usize::from(l).wrapping_sub(1))
        {
            cell.push(id(d));
        }
    }
    g
}

fn grid_table(g: &Grid, caption: &str) -> TableView {
    let rows = g
        .iter()
        .enumerate()
        .rev()
        .map(|(i, cells)| {
            let mut row = vec![format!("impact {}", i + 1)];
            row.extend(cells.iter().map(|ids| ids.join(" ")));
            row
        })
        .collect();
    TableView::new(&["", "L1", "L2", "L3", "L4", "L5"], rows).caption(caption)
}

pub fn report(corpus: &Corpus, ctx: &Context) -> RiskReport {
    let bands = ctx.config.bands;
    let mut risks: Vec<(&Document, &RiskFields)> = corpus
        .of_kind(Kind::Risk)
        .filter(|d| risk_is_live(d))
        .filter_map(|d| Some((d, d.risk()?)))
        .collect();
    risks.sort_by(|a, b| a.0.id.cmp(&b.0.id));

    let heatmap = Heatmap {
        rows: "impact 1..5",
        columns: "likelihood 1..5",
        inherent: grid(&risks, false),
        residual: grid(&risks, true),
    };

    let mut ranked: Vec<&(&Document, &RiskFields)> =
        risks.iter().filter(|(_, r)| r.score().is_some()).collect();
    ranked.sort_by(|(a, ra), (b, rb)| rb.score().cmp(&ra.score()).then(a.id.cmp(&b.id)));
    let top = ranked
        .iter()
        .map(|(d, r)| TopRisk {
            id: d.id.clone(),
            title: d.title_text().to_string(),
            score: r.score(),
            level: r.score().map(|s| bands.level(s)),
            residual_score: r.residual_score(),
            residual_level: r.residual_score().map(|s| bands.level(s)),
            owner: r.owner.clone(),
            category: r.category.clone(),
            status: d.status_value().to_string(),
        })
        .collect();

    let mut overdue = Vec::new();
    let mut expiring = Vec::new();
    let mut escalations = Vec::new();
    let mut owners: BTreeMap<String, Vec<(&Document, &RiskFields)>> = BTreeMap::new();
    for &(d, r) in &risks {
        if let Some(due) = review_due(r, ctx)
            && due < ctx.today
        {
            overdue.push(OverdueReview {
                id: d.id.clone(),
                title: d.title_text().to_string(),
                owner: r.owner.clone(),
                due: due.to_string(),
                days_overdue: (ctx.today - due).get_days(),
            });
        }
        if r.is(RiskStatus::Accepted)
            && let Some(a) = &r.acceptance
            && let Some(expires) = a.expires
        {
            let left = (expires - ctx.today).get_days();
            if left <= EXPIRING_WITHIN_DAYS {
                expiring.push(ExpiringAcceptance {
                    id: d.id.clone(),
                    title: d.title_text().to_string(),
                    accepted_by: a.by.clone(),
                    expires: expires.to_string(),
                    days_left: left,
                });
            }
        }
        if let Some(reason) = escalation(d, r, ctx) {
            escalations.push(Escalation {
                id: d.id.clone(),
                title: d.title_text().to_string(),
                owner: r.owner.clone(),
                reason,
            });
        }
        owners
            .entry(r.owner.clone().unwrap_or_else(|| "(no owner)".into()))
            .or_default()
            .push((d, r));
    }

    let mut by_owner: Vec<OwnerLoad> = owners
        .into_iter()
        .map(|(owner, rs)| {
            let scores = || rs.iter().filter_map(|(_, r)| r.score());
            OwnerLoad {
                owner,
                risks: rs.len(),
                total_score: scores().map(u32::from).sum(),
                highest_level: bands.level(scores().max().unwrap_or(0)),
                ids: rs.iter().map(|(d, _)| id(d)).collect(),
            }
        })
        .collect();
    by_owner.sort_by(|a, b| {
        b.total_score
            .cmp(&a.total_score)
            .then(a.owner.cmp(&b.owner))
    });

    let register = corpus
        .of_kind(Kind::Risk)
        .filter_map(|d| {
            let r = d.risk()?;
            Some(RegisterRow {
                id: id(d),
                status: d.status_value().to_string(),
                category: r.category.clone(),
                likelihood: r.likelihood,
                impact: r.impact,
                score: r.score(),
                level: r.score().map(|x| bands.level(x)),
                residual_score: r.residual_score(),
                treatment: r.treatment,
                owner: r.owner.clone(),
                review_due: review_due(r, ctx).map(|x| x.to_string()),
                title: d.title_text().to_string(),
            })
        })
        .collect();

    RiskReport {
        heatmap,
        top,
        overdue,
        expiring,
        escalations,
        by_owner,
        register,
    }
}

impl Report for RiskReport {
    fn title(&self) -> &'static str {
        "Risk register"
    }

    fn sections(&self) -> Vec<Section> {
        vec![
            Section {
                key: "heatmap",
                title: "Heat map (likelihood × impact)".into(),
                tables: vec![
                    grid_table(&self.heatmap.inherent, "Inherent"),
                    grid_table(&self.heatmap.residual, "Residual"),
                ],
                notes: vec![
                    "Risks without a residual rating are shown at their inherent rating.".into(),
                ],
            },
            Section::table(
                "top",
                "Top risks by score",
                TableView::of(self.top.iter().take(10)),
                "No scored risks.",
            ),
            Section::table(
                "overdue",
                "Overdue reviews",
                TableView::of(&self.overdue),
                "No review is overdue.",
            ),
            Section::table(
                "expiring",
                &format!("Acceptances expiring within {EXPIRING_WITHIN_DAYS} days (or expired)"),
                TableView::of(&self.expiring),
                "No acceptance is expiring.",
            ),
            Section::table(
                "escalations",
                "Escalations",
                TableView::of(&self.escalations),
                "No escalation.",
            ),
            Section::table(
                "by_owner",
                "Load per owner",
                TableView::of(&self.by_owner),
                "No live risks.",
            ),
        ]
    }

    fn csv(&self) -> TableView {
        TableView::of(&self.register)
    }
}
