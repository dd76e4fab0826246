//! Reports as typed values: what each kind's report says, computed once from the corpus
//! (one file per kind), then handed to a formatter. JSON is the values serialised; tables,
//! markdown and CSV come from [`Row`]; the dashboard reads the same values.

pub mod adrs;
pub mod dashboard;
pub mod graph;
pub mod incidents;
pub mod risks;
pub mod roadmap;
pub mod slos;

use serde::Serialize;

use crate::check::Context;
use crate::model::Corpus;

/// A typed row that people read in a table: the column headers and its cells.
pub trait Row {
    const HEADER: &'static [&'static str];
    fn cells(&self) -> Vec<String>;
}

/// A table for people: a caption, a header and rows of cells.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TableView {
    pub caption: Option<String>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl TableView {
    pub fn new(header: &[&str], rows: Vec<Vec<String>>) -> Self {
        TableView {
            caption: None,
            header: header.iter().map(|h| h.to_string()).collect(),
            rows,
        }
    }

    /// The table of typed rows.
    pub fn of<'a, R: Row + 'a>(rows: impl IntoIterator<Item = &'a R>) -> Self {
        TableView::new(R::HEADER, rows.into_iter().map(Row::cells).collect())
    }

    pub fn caption(mut self, caption: &str) -> Self {
        self.caption = Some(caption.to_string());
        self
    }
}

/// One section of a report as people see it: its JSON key, a title, tables, notes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub key: &'static str,
    pub title: String,
    /// Shown side by side where the output allows (the two heat maps).
    pub tables: Vec<TableView>,
    /// Lines said when there is nothing to tabulate, or after the tables.
    pub notes: Vec<String>,
}

impl Section {
    /// A section with a single table, or a note when it has no rows.
    pub fn table(key: &'static str, title: &str, table: TableView, empty: &str) -> Self {
        let (tables, notes) = if table.rows.is_empty() {
            (Vec::new(), vec![empty.to_string()])
        } else {
            (vec![table], Vec::new())
        };
        Section {
            key,
            title: title.to_string(),
            tables,
            notes,
        }
    }
}

/// A kind's report: a typed value whose serialisation is its `--format json` (an object
/// whose keys are the sections), and how people see it.
pub trait Report: Serialize {
    fn title(&self) -> &'static str;
    /// The sections in order, as tables and notes.
    fn sections(&self) -> Vec<Section>;
    /// `--format csv`: one row per document.
    fn csv(&self) -> TableView;
}

/// Every kind's report, each built once.
#[derive(Debug, Clone, Serialize)]
pub struct Reports {
    pub adrs: adrs::AdrReport,
    pub risks: risks::RiskReport,
    pub slos: slos::SloReport,
    pub roadmaps: roadmap::RoadmapReport,
    pub incidents: incidents::IncidentReport,
}

impl Reports {
    pub fn build(corpus: &Corpus, ctx: &Context) -> Self {
        Reports {
            adrs: adrs::report(corpus),
            risks: risks::report(corpus, ctx),
            slos: slos::report(corpus, ctx),
            roadmaps: roadmap::report(corpus, ctx),
            incidents: incidents::report(corpus, ctx),
        }
    }

    /// Title and sections of each, in the order of the overall report.
    pub fn each(&self) -> [(&'static str, Vec<Section>); 5] {
        [
            (self.adrs.title(), self.adrs.sections()),
            (self.risks.title(), self.risks.sections()),
            (self.slos.title(), self.slos.sections()),
            (self.roadmaps.title(), self.roadmaps.sections()),
            (self.incidents.title(), self.incidents.sections()),
        ]
    }
}

/// A ratio rounded to three decimals (no binary-float noise in JSON).
pub fn ratio(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| ((num as f64 / den as f64) * 1000.0).round() / 1000.0)
}

pub(crate) use crate::model::kinds::read::cell;
