//! `cto schema KIND|config`: JSON Schema (draft-07), generated from the field specs that
//! lint validates against, so an editor and `cto lint` agree.

use serde_json::{Map, Value as Json, json};

use super::{Ctx, Exit};
use crate::cli::SchemaTarget;
use crate::config;
use crate::model::kinds::risk::RISK_CATEGORIES;
use crate::model::spec::{FieldSpec, FieldType};
use crate::model::{Kind, StatusVocabulary};
use crate::report::json as json_out;
use crate::workspace::Workspace;

const DATE: &str = r"^\d{4}-\d{2}-\d{2}$";

/// A document id: a numbered kind's prefix and a number (every kind with a prefix), or
/// an SLO's name.
fn id_pattern() -> String {
    let prefixes: Vec<&str> = Kind::ALL
        .iter()
        .filter_map(|k| k.spec().id_prefix)
        .collect();
    format!(
        r"^(({})-\d+|[a-z0-9]([a-z0-9-]{{0,61}}[a-z0-9])?)$",
        prefixes.join("|")
    )
}

fn field_schema(
    spec: &FieldSpec,
    kind: Option<Kind>,
    vocab: Option<&StatusVocabulary>,
    strict: bool,
) -> Json {
    match spec.ty {
        FieldType::Text if spec.name == "category" && kind == Some(Kind::Risk) => {
            json!({"type": "string", "examples": RISK_CATEGORIES})
        }
        FieldType::Text => json!({"type": ["string", "number", "boolean"]}),
        FieldType::Date => json!({"type": "string", "pattern": DATE, "format": "date"}),
        FieldType::Timestamp => json!({"anyOf": [
            {"type": "string", "format": "date-time"},
            {"type": "string", "pattern": DATE, "format": "date"}
        ]}),
        FieldType::Bool => json!({"type": "boolean"}),
        FieldType::Enum(values) => json!({"type": "string", "enum": values}),
        FieldType::Status => {
            let names: Vec<String> = vocab.map_or_else(Vec::new, |v| {
                v.names().iter().map(|s| s.to_string()).collect()
            });
            if kind == Some(Kind::Adr) {
                json!({"anyOf": [
                    {"type": "string", "enum": names},
                    {"type": "string", "pattern": r"^superseded by ADR-\d+$"}
                ]})
            } else {
                json!({"type": "string", "enum": names})
            }
        }
        FieldType::Names => json!({"oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "string", "description": "comma-separated"}
        ]}),
        FieldType::List => json!({"type": "array", "items": {"type": "string"}}),
        FieldType::Refs => {
            let id = id_pattern();
            json!({"oneOf": [
                {"type": "array", "items": {"type": "string", "pattern": id}},
                {"type": "string", "pattern": id}
            ]})
        }
        FieldType::Int { min, max } => json!({"type": "integer", "minimum": min, "maximum": max}),
        FieldType::Number => json!({"type": "number"}),
        FieldType::Quarter => json!({"type": "string", "pattern": r"^\d{4}-Q[1-4]$"}),
        FieldType::Map(fields) => object(fields, kind, vocab, strict),
        FieldType::Records(fields) => {
            json!({"type": "array", "items": object(fields, kind, vocab, strict)})
        }
        FieldType::Any => json!({}),
    }
}

fn object(
    fields: &[FieldSpec],
    kind: Option<Kind>,
    vocab: Option<&StatusVocabulary>,
    strict: bool,
) -> Json {
    let properties: Map<String, Json> = fields
        .iter()
        .map(|f| (f.name.to_string(), field_schema(f, kind, vocab, strict)))
        .collect();
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    let mut o =
        json!({"type": "object", "properties": properties, "additionalProperties": !strict});
    if !required.is_empty() {
        o["required"] = json!(required);
    }
    o
}

pub fn run(ctx: &mut Ctx, target: SchemaTarget) -> anyhow::Result<Exit> {
    // The repository's own statuses, when there is one.
    let ws = Workspace::discover(&ctx.cwd).ok();
    let kind = match target {
        SchemaTarget::Kind(kind) => Some(kind),
        SchemaTarget::Config => None,
    };
    let mut schema = match kind {
        Some(kind) => {
            let vocab = ws.as_ref().map_or_else(
                || StatusVocabulary::builtin(kind),
                |w| w.config.vocabulary(kind),
            );
            let mut s = object(kind.spec().fields, Some(kind), Some(&vocab), false);
            s["title"] = json!(format!("cto {} front matter", kind.spec().label));
            s
        }
        None => {
            let mut s = object(config::FIELDS, None, None, true);
            s["title"] = json!("cto.yaml");
            s
        }
    };
    schema["$schema"] = json!("http://json-schema.org/draft-07/schema#");
    json_out::write_value(ctx.out, &schema)?;
    Ok(Exit::Success)
}
