//! `cto slo import`: every SLO of a spec file becomes a draft document; each import says
//! what it did not carry over. The formats live one per file beside this one.

use anyhow::Context as _;
use serde::Serialize;

use super::super::{Ctx, Exit, UsageError};
use crate::cli::ImportArgs;
use crate::edit;
use crate::model::slo::{Decimal, Rational, WindowError, parse_window_checked};
use crate::model::{Kind, parse_document};
use crate::parse::yaml::{self, Node, Value};
use crate::report::escape::visible;
use crate::report::yaml::{Num, front_matter};
use crate::source::Source;

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

/// Every SLO (or alert window set) in one YAML object of a spec file.
fn specs_in(doc: &Node, text: &str, args: &ImportArgs) -> Vec<Found> {
    let api = s(doc.get("apiVersion"));
    let kind = s(doc.get("kind"));
    let version = s(doc.get("version"));
    let slo = |r: Result<Imported, String>| vec![Found::Slo(Box::new(r))];
    match (api.as_deref(), kind.as_deref(), version.as_deref()) {
        (Some(v), Some("SLO"), _) if v.starts_with("openslo") => slo(openslo_import(v, doc, text)),
        (Some(v), Some(k), _) if super::openslo::known(v) => slo(Err(format!(
            "an OpenSLO {k} is not an SLO; cto keeps services in cto.yaml and alert policies in each SLO"
        ))),
        (Some(v), _, _) if v.starts_with("openslo") => slo(Err(format!(
            "`apiVersion: {v}` is not supported; only openslo/v1, openslo/v1alpha and openslo.com/v2alpha"
        ))),
        (Some("sloth.slok.dev/v1"), Some("AlertWindows"), _) | (_, _, Some("alertWindows/v1")) => {
            vec![Found::AlertWindows(super::sloth::alert_windows(doc, text))]
        }
        (Some("sloth.slok.dev/v1"), Some("PrometheusServiceLevel"), _) => match doc.get("spec") {
            Some(spec) => super::sloth::import(spec, text)
                .into_iter()
                .map(|r| Found::Slo(Box::new(r)))
                .collect(),
            None => slo(Err("a PrometheusServiceLevel without `spec`".into())),
        },
        (Some(v), Some("ServiceLevelObjective"), _) if v.starts_with("pyrra.dev/") => {
            slo(super::pyrra::import(doc, text, args.service.as_deref()))
        }
        (Some(v), Some("ServiceLevelObjective"), _) if v.starts_with("sre.google.com/") => {
            slo(super::slo_generator::import_v2(doc, text))
        }
        (_, _, Some("prometheus/v1")) => super::sloth::import(doc, text)
            .into_iter()
            .map(|r| Found::Slo(Box::new(r)))
            .collect(),
        (_, _, Some(v)) => slo(Err(format!(
            "Sloth `version: {v}` is not supported; only prometheus/v1"
        ))),
        _ if doc.get("slo_target").is_some() && doc.get("backend").is_some() => {
            slo(super::slo_generator::import_legacy(doc, text))
        }
        _ => slo(Err(
            "not an SLO spec cto reads (OpenSLO, Sloth, Pyrra, slo-generator)".into(),
        )),
    }
}

fn openslo_import(api: &str, doc: &Node, text: &str) -> Result<Imported, String> {
    match api {
        "openslo/v1" => super::openslo::import_v1(doc, text),
        "openslo/v1alpha" => super::openslo::import_v1alpha(doc, text),
        "openslo.com/v2alpha" | "openslo/v2alpha" => super::openslo::import_v2alpha(doc, text),
        v => Err(format!(
            "`apiVersion: {v}` is not supported; only openslo/v1, openslo/v1alpha and openslo.com/v2alpha"
        )),
    }
}

fn document_text(imp: &Imported, owner: &str, date: &str) -> anyhow::Result<String> {
    let mut fields = imp.fields.clone();
    if fields.owner.is_none() {
        fields.owner = Some(owner.to_string());
    }
    fields.review = Some(ReviewDoc {
        last: date.to_string(),
    });
    let yaml = front_matter(&fields).context("writing the front matter")?;
    let mut body = format!("---\n{yaml}---\n\n# {}\n", imp.title);
    if let Some(d) = &imp.description {
        body.push_str(&format!("\n## Description\n\n{d}\n"));
    }
    Ok(body)
}

pub fn import(ctx: &mut Ctx, args: &ImportArgs) -> anyhow::Result<Exit> {
    let ws = match ctx.workspace()? {
        Ok(ws) => ws,
        Err(exit) => return Ok(exit),
    };
    let dir = ws.abs_dir(Kind::Slo);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let default_owner = args
        .owner
        .clone()
        .or_else(|| crate::git::user_name(&ws.root));
    let date = super::super::today().to_string();
    let mut failed = false;
    // A file that cannot be read is an I/O error: exit 2, not 1.
    let mut unreadable = false;
    for file in &args.files {
        let path = ctx.cwd.join(file);
        let shown = visible(&file.display().to_string()).into_owned();
        // A regular file of at most MAX_FILE_BYTES: `/dev/zero` or a FIFO is refused
        // before it is opened, not read until memory runs out.
        let text = match crate::workspace::read_file(&path, None, crate::model::MAX_FILE_BYTES) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(_) => {
                    writeln!(ctx.err, "{shown}: not UTF-8 text; nothing imported")?;
                    failed = true;
                    continue;
                }
            },
            Err(e) => {
                writeln!(ctx.err, "{shown}: {e}; nothing imported")?;
                unreadable = true;
                continue;
            }
        };
        let docs = match yaml::parse_stream(&text) {
            Ok(docs) => docs,
            Err(e) => {
                let at = e
                    .offset
                    .map(|o| Source::new(shown.clone(), text.clone()).line_col(o));
                let loc = at.map_or(String::new(), |l| format!(":{}:{}", l.line, l.column));
                writeln!(
                    ctx.err,
                    "{shown}{loc}: invalid YAML: {}; nothing imported",
                    visible(&e.message)
                )?;
                failed = true;
                continue;
            }
        };
        // A file may hold a list of objects (as `oslo` writes them).
        let objects: Vec<&Node> = docs
            .iter()
            .flat_map(|d| match &d.value {
                Value::Seq(items) => items.iter().collect::<Vec<_>>(),
                _ => vec![d],
            })
            .collect();
        if objects.is_empty() {
            writeln!(
                ctx.err,
                "{shown}: the file holds no YAML documents; nothing imported"
            )?;
            failed = true;
        }
        for object in objects {
            let at = text[..object.span.start.min(text.len())]
                .matches('\n')
                .count()
                + 1;
            for found in specs_in(object, &text, args) {
                let imp = match found {
                    Found::AlertWindows(Ok(lines)) => {
                        write!(ctx.out, "{lines}")?;
                        writeln!(
                            ctx.err,
                            "{shown}:{at}: alert windows: add the lines above under `slo:` in cto.yaml (`slo.alert_windows`); SLOs of that period then alert on them"
                        )?;
                        continue;
                    }
                    Found::AlertWindows(Err(why)) => {
                        writeln!(ctx.err, "{shown}:{at}: not imported: {}", visible(&why))?;
                        failed = true;
                        continue;
                    }
                    Found::Slo(r) => match *r {
                        Ok(imp) => imp,
                        Err(why) => {
                            writeln!(ctx.err, "{shown}:{at}: not imported: {}", visible(&why))?;
                            failed = true;
                            continue;
                        }
                    },
                };
                let owner = match (&default_owner, imp.fields.owner.is_some()) {
                    (_, true) => String::new(),
                    (Some(o), false) => o.clone(),
                    (None, false) => {
                        return Err(UsageError(format!(
                            "{shown}: `{}` names no owner; pass --owner NAME",
                            imp.name
                        ))
                        .into());
                    }
                };
                let doc_text = document_text(&imp, &owner, &date)?;
                let target = dir.join(format!("{}.md", imp.name));
                let rel = ws.rel_path(&target);
                let parsed = parse_document(
                    Kind::Slo,
                    Source::new(rel.clone(), doc_text.clone()),
                    &ws.config.documents,
                );
                let errors: Vec<String> = parsed
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == crate::check::Severity::Error)
                    .map(|d| d.message.clone())
                    .collect();
                if !errors.is_empty() {
                    writeln!(
                        ctx.err,
                        "{shown}:{at}: `{}` not imported: {}",
                        imp.name,
                        visible(&errors.join("; "))
                    )?;
                    failed = true;
                    continue;
                }
                match edit::create_new(&target, &doc_text) {
                    Ok(()) => {
                        writeln!(ctx.out, "{}", ctx.display_path(&target))?;
                        let mut notes = imp.dropped.clone();
                        notes.push("status: draft (add a runbook to `alerting`, then `cto slo status NAME active`)".into());
                        for n in notes {
                            writeln!(ctx.err, "  {}: {}", imp.name, visible(&n))?;
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        writeln!(
                            ctx.err,
                            "{shown}:{at}: `{}` not imported: {rel} exists; cto never overwrites a document",
                            imp.name
                        )?;
                        failed = true;
                    }
                    Err(e) => {
                        return Err(
                            anyhow::anyhow!(e).context(format!("writing {}", target.display()))
                        );
                    }
                }
            }
        }
    }
    Ok(if unreadable {
        Exit::Usage
    } else if failed {
        Exit::Failure
    } else {
        Exit::Success
    })
}
