//! Reports as values: what each kind's report says, computed once from the corpus, then
//! handed to a formatter (table, markdown, JSON, CSV).

pub mod adrs;
pub mod dashboard;
pub mod graph;
pub mod risks;
pub mod roadmap;
pub mod slos;

use serde_json::Value as Json;

/// A table for people: a caption, a header and rows of cells.
#[derive(Debug, Clone, Default, PartialEq)]
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

    pub fn caption(mut self, caption: &str) -> Self {
        self.caption = Some(caption.to_string());
        self
    }
}

/// One section of a report: its JSON key and value, and how people see it.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionView {
    pub key: &'static str,
    pub title: String,
    /// Shown side by side where the output allows (the two heat maps).
    pub tables: Vec<TableView>,
    /// Lines said when there is nothing to tabulate, or after the tables.
    pub notes: Vec<String>,
    pub json: Json,
}

/// A whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportView {
    pub title: String,
    pub sections: Vec<SectionView>,
    /// The one table `--format csv` gives (one row per document).
    pub csv: TableView,
}

impl ReportView {
    /// The JSON object: section keys to their values.
    pub fn json(&self) -> Json {
        Json::Object(
            self.sections
                .iter()
                .map(|s| (s.key.to_string(), s.json.clone()))
                .collect(),
        )
    }
}

/// A section with a single table, or a note when it has no rows.
pub fn section(
    key: &'static str,
    title: &str,
    table: TableView,
    empty: &str,
    json: Json,
) -> SectionView {
    let notes = if table.rows.is_empty() {
        vec![empty.to_string()]
    } else {
        Vec::new()
    };
    SectionView {
        key,
        title: title.to_string(),
        tables: if table.rows.is_empty() {
            Vec::new()
        } else {
            vec![table]
        },
        notes,
        json,
    }
}

/// A ratio rounded to three decimals (no binary-float noise in JSON).
pub fn ratio(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| ((num as f64 / den as f64) * 1000.0).round() / 1000.0)
}
