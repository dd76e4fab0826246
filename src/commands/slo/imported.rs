//! What an import reads into, shared by every format: the SLO document to write, what
//! was left out, and the small readers of YAML values the formats use.

use serde::Serialize;

use crate::model::slo::{Decimal, Rational, WindowError, parse_window_checked};
use crate::parse::yaml::{Node, Value};
use crate::report::yaml::Num;

/// An SLI as an SLO document writes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub(super) enum SliDoc {
    Ratio {
        #[serde(skip_serializing_if = "Option::is_none")]
        good: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        bad: Option<String>,
        total: String,
    },
    Threshold {
        query: String,
        op: String,
        value: Num,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(super) struct CalendarDoc {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(super) struct AlertingDoc {
    pub page: bool,
    pub ticket: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runbook: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(super) struct ReviewDoc {
    pub last: String,
}

/// The front matter of an imported SLO, in the order the template writes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(super) struct SloDoc {
    pub service: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    pub status: &'static str,
    pub objective: Num,
    pub window: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar: Option<CalendarDoc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budgeting: Option<&'static str>,
    pub sli: SliDoc,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alerting: Option<AlertingDoc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewDoc>,
}

impl SloDoc {
    pub fn new(service: String, objective: Num, window: String, sli: SliDoc) -> SloDoc {
        SloDoc {
            service,
            owner: None,
            status: "draft",
            objective,
            window,
            window_type: None,
            calendar: None,
            budgeting: None,
            sli,
            alerting: None,
            review: None,
        }
    }
}

/// One SLO read from a spec, ready to become a document, with what was left behind.
pub(super) struct Imported {
    pub name: String,
    pub title: String,
    pub fields: SloDoc,
    pub description: Option<String>,
    pub dropped: Vec<String>,
}

/// What one object of a spec file gives.
pub(super) enum Found {
    Slo(Box<Result<Imported, String>>),
    /// A Sloth AlertWindows spec: cto.yaml lines to add.
    AlertWindows(Result<String, String>),
}

/// A scalar's text, trimmed, if not empty.
pub(super) fn s(node: Option<&Node>) -> Option<String> {
    node.and_then(Node::scalar_text)
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// A scalar's own text (numbers as written), for exact arithmetic.
pub(super) fn raw<'a>(source: &'a str, node: &Node) -> &'a str {
    source
        .get(node.span.range())
        .unwrap_or("")
        .trim()
        .trim_matches(['"', '\''])
}

/// A label value of OpenSLO (a list in v1) or Sloth (a string).
pub(super) fn label(node: Option<&Node>) -> Option<String> {
    match node.map(|n| &n.value) {
        Some(Value::Seq(items)) => items.first().and_then(Node::scalar_text),
        _ => s(node),
    }
}

/// An RFC 1123 label for a name, saying so when it had to change.
pub(super) fn name_of(raw_name: &str, dropped: &mut Vec<String>) -> Option<String> {
    if crate::model::refs::is_label(raw_name) {
        return Some(raw_name.to_string());
    }
    let l = crate::slug::label(raw_name)?;
    dropped.push(format!(
        "name `{raw_name}` is not an RFC 1123 label; it is `{l}` here"
    ));
    Some(l)
}

/// `my-slo_name` as a title: `My slo name`.
pub(super) fn title_of(name: &str) -> String {
    let title = name.replace(['-', '_'], " ");
    let mut chars = title.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or(title)
}

/// A target written as a fraction (`0.999`) as a percent objective (`99.9`).
pub(super) fn percent_of_fraction(text: &str) -> Option<Num> {
    let r = Decimal::parse(text)?
        .checked_rational()?
        .checked_mul(Rational::int(100))?;
    (r.num > 0 && r.num < r.den.checked_mul(100)?).then(|| Num(r.decimal(18)))
}

/// A percent objective as written (`99.9`, `'99.9'`).
pub(super) fn percent(text: &str) -> Option<Num> {
    let r = Decimal::parse(text)?.checked_rational()?;
    (r.num > 0 && r.num < r.den.checked_mul(100)?).then(|| Num(r.decimal(18)))
}

/// A window cto can hold, or why not.
pub(super) fn window_of(duration: &str) -> Result<String, String> {
    match parse_window_checked(duration) {
        Ok(_) => Ok(duration.to_string()),
        Err(WindowError::TooLong) => Err(format!("window `{duration}` is longer than 100 years")),
        Err(WindowError::NotADuration) => Err(format!(
            "window `{duration}` is not in m, h, d or w (cto does not model months, quarters or years)"
        )),
    }
}
