//! `cto rules` and `cto explain CODE`: the catalogue, from the registry.

use serde::Serialize;

use super::{Ctx, Exit, UsageError};
use crate::check::{Layer, RULES, Rule, did_you_mean, rule};
use crate::cli::ListFormat;
use crate::model::Kind;
use crate::report::{csv, json, table};

#[derive(Serialize)]
struct RuleRow {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    /// Off unless cto.yaml turns it on.
    opt_in: bool,
    layer: Layer,
    kinds: &'static [Kind],
    summary: &'static str,
}

fn kinds(rule: &Rule) -> String {
    if rule.kinds.len() == Kind::ALL.len() {
        "all".to_string()
    } else {
        rule.kinds
            .iter()
            .map(|k| k.name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub fn list(ctx: &mut Ctx, format: ListFormat) -> anyhow::Result<Exit> {
    match format {
        ListFormat::Json => {
            let rows: Vec<RuleRow> = RULES
                .iter()
                .map(|r| RuleRow {
                    code: r.code,
                    name: r.name,
                    severity: r.severity.as_str(),
                    opt_in: r.opt_in,
                    layer: r.layer,
                    kinds: r.kinds,
                    summary: r.summary,
                })
                .collect();
            json::write_value(ctx.out, &rows)?;
        }
        ListFormat::Table | ListFormat::Csv => {
            let rows: Vec<Vec<String>> = RULES
                .iter()
                .map(|r| {
                    vec![
                        r.code.to_string(),
                        r.name.to_string(),
                        r.default_text(),
                        kinds(r),
                        r.summary.to_string(),
                    ]
                })
                .collect();
            let header = ["code", "name", "severity", "kinds", "summary"];
            if format == ListFormat::Csv {
                csv::render(ctx.out, &header, &rows)?;
            } else {
                table::render(ctx.out, &header, &rows)?;
            }
        }
    }
    Ok(Exit::Success)
}

pub fn explain(ctx: &mut Ctx, code: &str) -> anyhow::Result<Exit> {
    let Some(r) = rule(code) else {
        let hint = did_you_mean(code, RULES.iter().map(|r| r.code))
            .map_or(String::new(), |s| format!("; did you mean {s}?"));
        return Err(UsageError(format!("no rule {code}{hint} (`cto rules` lists them)")).into());
    };
    write!(ctx.out, "{}", crate::check::registry::page(r))?;
    Ok(Exit::Success)
}
