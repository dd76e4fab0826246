//! `cto slo import`: every SLO of a spec file becomes a draft document; each import says
//! what it did not carry over. The formats live one per file beside this one.

use anyhow::Context as _;

use super::super::{Ctx, Exit, UsageError};
use super::imported::{Found, Imported, ReviewDoc, s};
use crate::cli::ImportArgs;
use crate::edit;
use crate::model::{Kind, parse_document};
use crate::parse::yaml::{self, Node, Value};
use crate::report::escape::visible;
use crate::report::yaml::front_matter;
use crate::source::Source;

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
