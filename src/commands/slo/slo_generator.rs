//! Google slo-generator configs with the Prometheus backend: the `sre.google.com/v2`
//! form (`spec:`) and the older flat form (`service_name`, `slo_target`, `backend:`).
//! slo-generator measures `sum(increase(FILTER[window]))`; so does the imported SLO.

use super::imported::{Imported, SliDoc, SloDoc, name_of, percent_of_fraction, raw, s, title_of};
use crate::parse::yaml::Node;

/// slo-generator sets windows in its error budget policy, not per SLO.
const WINDOW: &str = "28d";

/// A filter as a cto query: `sum(increase(FILTER[{{.window}}]))` (a `[window]` it
/// carries, as the older form writes, becomes the placeholder).
fn query(filter: &str) -> String {
    let f = filter.trim();
    let f = f.strip_suffix("[window]").unwrap_or(f).trim();
    format!("sum(increase({f}[{{{{.window}}}}]))")
}

struct Parts<'a> {
    name: String,
    title: String,
    service: String,
    description: Option<String>,
    backend: String,
    method: String,
    sli: Option<&'a Node>,
    goal: Option<&'a Node>,
    dropped: Vec<String>,
}

fn common(p: Parts<'_>, text: &str) -> Result<Imported, String> {
    let mut dropped = p.dropped;
    if !p.backend.to_ascii_lowercase().starts_with("prometheus") {
        return Err(format!(
            "the `{}` backend is not carried over; cto reads Prometheus queries",
            p.backend
        ));
    }
    let name =
        name_of(&p.name, &mut dropped).ok_or("an SLO whose name has no letters or digits")?;
    let objective = p
        .goal
        .and_then(|g| percent_of_fraction(raw(text, g)))
        .ok_or("an SLO without a numeric goal between 0 and 1")?;
    let sli = p.sli.ok_or("an SLO without its filters")?;
    let sli = match p.method.as_str() {
        "good_bad_ratio" => {
            let good = s(sli.get("filter_good"));
            let bad = s(sli.get("filter_bad"));
            let valid = s(sli.get("filter_valid"));
            match (good, bad, valid) {
                (Some(g), _, Some(v)) => SliDoc::Ratio {
                    good: Some(query(&g)),
                    bad: None,
                    total: query(&v),
                },
                (Some(g), Some(b), None) => SliDoc::Ratio {
                    good: None,
                    bad: Some(query(&b)),
                    total: format!("{} + {}", query(&g), query(&b)),
                },
                (None, Some(b), Some(v)) => SliDoc::Ratio {
                    good: None,
                    bad: Some(query(&b)),
                    total: query(&v),
                },
                _ => {
                    return Err(
                        "good_bad_ratio needs `filter_good` and `filter_valid` (or `filter_bad`)"
                            .into(),
                    );
                }
            }
        }
        "query_sli" => {
            return Err("query_sli computes the SLI in one query; cto needs event queries (good or bad, and total)".into());
        }
        "distribution_cut" => {
            return Err("distribution_cut is not carried over; write the SLI as good (`_bucket{le=…}`) over total events".into());
        }
        other => return Err(format!("method `{other}` is not carried over")),
    };
    dropped.push(format!(
        "window: slo-generator sets it in the error budget policy; {WINDOW} here"
    ));
    Ok(Imported {
        name,
        title: p.title,
        fields: SloDoc::new(p.service, objective, WINDOW.into(), sli),
        description: p.description,
        dropped,
    })
}

/// `apiVersion: sre.google.com/v2`, `kind: ServiceLevelObjective`.
pub fn import_v2(doc: &Node, text: &str) -> Result<Imported, String> {
    let meta = doc.get("metadata");
    let spec = doc
        .get("spec")
        .ok_or("a ServiceLevelObjective without `spec`")?;
    let raw_name = s(meta.and_then(|m| m.get("name"))).ok_or("an SLO without `metadata.name`")?;
    let labels = meta.and_then(|m| m.get("labels"));
    let service = s(labels.and_then(|l| l.get("service")))
        .or_else(|| s(labels.and_then(|l| l.get("service_name"))))
        .ok_or("an SLO without a `service` label")?;
    let mut dropped = Vec::new();
    if spec.get("exporters").is_some() {
        dropped.push("exporters".into());
    }
    if spec.get("error_budget_policy_ref").is_some() {
        dropped.push("error_budget_policy_ref".into());
    }
    common(
        Parts {
            title: title_of(&raw_name),
            name: raw_name,
            service,
            description: s(spec.get("description")),
            backend: s(spec.get("backend")).unwrap_or_default(),
            method: s(spec.get("method")).unwrap_or_default(),
            sli: spec.get("service_level_indicator"),
            goal: spec.get("goal"),
            dropped,
        },
        text,
    )
}

/// The older flat form: `service_name`, `feature_name`, `slo_name`, `slo_target`,
/// `backend: {class, method, measurement}`.
pub fn import_legacy(doc: &Node, text: &str) -> Result<Imported, String> {
    let service = s(doc.get("service_name")).ok_or("an SLO without `service_name`")?;
    let slo_name = s(doc.get("slo_name")).ok_or("an SLO without `slo_name`")?;
    let feature = s(doc.get("feature_name"));
    let name = match &feature {
        Some(f) => format!("{service}-{f}-{slo_name}"),
        None => format!("{service}-{slo_name}"),
    };
    let backend = doc.get("backend");
    let mut dropped = Vec::new();
    if doc.get("exporters").is_some() {
        dropped.push("exporters".into());
    }
    if backend.and_then(|b| b.get("url")).is_some() {
        dropped.push("backend.url (cto takes Prometheus from --prometheus or cto.yaml)".into());
    }
    common(
        Parts {
            title: title_of(&format!(
                "{} {slo_name}",
                feature.as_deref().unwrap_or(&service)
            )),
            name,
            service,
            description: s(doc.get("slo_description")),
            backend: s(backend.and_then(|b| b.get("class"))).unwrap_or_default(),
            method: s(backend.and_then(|b| b.get("method"))).unwrap_or_default(),
            sli: backend.and_then(|b| b.get("measurement")),
            goal: doc.get("slo_target"),
            dropped,
        },
        text,
    )
}
