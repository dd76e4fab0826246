//! Checks a metadata mapping against a kind's field specs, one diagnostic per problem.

use crate::diagnostic::{Diagnostic, Severity, did_you_mean};
use crate::model::Kind;
use crate::model::refs::parse_ref;
use crate::model::rules::{INVALID_DATE, INVALID_VALUE, MISSING_FIELD, UNKNOWN_FIELD, WRONG_TYPE};
use crate::model::spec::{FieldSpec, FieldType};
use crate::parse::yaml::{Node, Value};
use crate::source::Span;

/// Where findings go, and how this file treats unknown keys.
pub struct Validator<'a> {
    pub path: &'a str,
    pub kind: Kind,
    pub unknown: Severity,
    /// Top-level keys the team uses that are not the kind's (`<kind>.fields`).
    pub extra: &'a [String],
    /// Required fields the team's template leaves out (`<kind>.optional`).
    pub optional: &'a [String],
    pub out: &'a mut Vec<Diagnostic>,
}

impl Validator<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.out.push(d);
    }

    /// Validates `map` (a mapping node) against `fields`. `missing_at` is where a missing
    /// field is reported (the front matter's opening line, or the parent key).
    pub fn mapping(&mut self, map: &Node, fields: &[FieldSpec], missing_at: Span, prefix: &str) {
        let Value::Map(entries) = &map.value else {
            let msg = format!(
                "`{}` must be a mapping, found {}",
                prefix.trim_end_matches('.'),
                map.value.type_name()
            );
            self.push(Diagnostic::new(&WRONG_TYPE, self.path, map.span, msg));
            return;
        };
        for (key, value) in entries {
            let Some(name) = key.scalar_text() else {
                let msg = format!(
                    "a key must be a plain name, found {}",
                    key.value.type_name()
                );
                self.push(Diagnostic::new(&WRONG_TYPE, self.path, key.span, msg));
                continue;
            };
            match fields.iter().find(|f| f.name == name) {
                Some(spec) => self.value(spec, &format!("{prefix}{name}"), key, value),
                None if prefix.is_empty() && self.extra.contains(&name) => {}
                None => {
                    let mut d = Diagnostic::new(
                        &UNKNOWN_FIELD,
                        self.path,
                        key.span,
                        format!("unknown field `{prefix}{name}`"),
                    )
                    .with_severity(self.unknown);
                    if let Some(s) = did_you_mean(&name, fields.iter().map(|f| f.name)) {
                        d = d.with_help(format!("did you mean `{prefix}{s}`?"));
                    } else {
                        let known: Vec<_> = fields.iter().map(|f| f.name).collect();
                        d = d.with_help(format!("known fields: {}", known.join(", ")));
                    }
                    self.push(d);
                }
            }
        }
        let optional = |name: &str| prefix.is_empty() && self.optional.iter().any(|o| o == name);
        for spec in fields.iter().filter(|f| f.required && !optional(f.name)) {
            let present = map
                .get(spec.name)
                .is_some_and(|v| !matches!(v.value, Value::Null));
            if !present {
                let msg = format!("missing required field `{prefix}{}`", spec.name);
                self.push(Diagnostic::new(&MISSING_FIELD, self.path, missing_at, msg));
            }
        }
    }

    fn wrong_type(&mut self, name: &str, expected: &str, value: &Node) {
        let msg = format!(
            "`{name}` must be {expected}, found {}",
            value.value.type_name()
        );
        self.push(Diagnostic::new(&WRONG_TYPE, self.path, value.span, msg));
    }

    fn value(&mut self, spec: &FieldSpec, name: &str, key: &Node, value: &Node) {
        if matches!(value.value, Value::Null) {
            // An empty optional field (`consulted:`) is as good as an absent one;
            // a required one is reported as missing by `mapping`.
            return;
        }
        match spec.ty {
            FieldType::Any | FieldType::Status => {}
            FieldType::Text => {
                if matches!(value.value, Value::Seq(_) | Value::Map(_)) {
                    self.wrong_type(name, "a string", value);
                }
            }
            FieldType::Bool => {
                if !matches!(value.value, Value::Bool(_)) {
                    self.wrong_type(name, "`true` or `false`", value);
                }
            }
            FieldType::Date => self.date(name, value),
            FieldType::Timestamp => match value.as_str() {
                Some(s) => {
                    if let Err(why) = crate::model::Moment::parse(s) {
                        let msg = format!("`{name}` is not a valid timestamp: {why}");
                        self.push(
                            Diagnostic::new(&INVALID_DATE, self.path, value.span, msg).with_help(
                                "write RFC 3339 with an offset, e.g. 2026-03-01T14:05:00+01:00, or a date alone",
                            ),
                        );
                    }
                }
                None => self.wrong_type(name, "a timestamp (RFC 3339) or a date", value),
            },
            FieldType::Enum(allowed) => match value.as_str() {
                Some(s) if allowed.contains(&s) => {}
                Some(s) => {
                    let mut d = Diagnostic::new(
                        &INVALID_VALUE,
                        self.path,
                        value.span,
                        format!(
                            "`{name}` is `{s}`, which is not one of: {}",
                            allowed.join(", ")
                        ),
                    );
                    if let Some(m) = did_you_mean(s, allowed.iter().copied()) {
                        d = d.with_help(format!("did you mean `{m}`?"));
                    }
                    self.push(d);
                }
                None => self.wrong_type(name, &format!("one of: {}", allowed.join(", ")), value),
            },
            FieldType::Names => match &value.value {
                Value::Str(_) => {}
                Value::Seq(items) => {
                    for item in items {
                        if item.scalar_text().is_none() {
                            self.wrong_type(&format!("{name}[]"), "a string", item);
                        }
                    }
                }
                _ => self.wrong_type(name, "a list (or a comma-separated string)", value),
            },
            FieldType::List => match &value.value {
                Value::Seq(items) => {
                    for item in items {
                        if item.scalar_text().is_none() {
                            self.wrong_type(&format!("{name}[]"), "a string", item);
                        }
                    }
                }
                _ => self.wrong_type(name, "a list", value),
            },
            FieldType::Refs => {
                let items: Vec<&Node> = match &value.value {
                    Value::Seq(items) => items.iter().collect(),
                    Value::Str(_) | Value::Int(_) => vec![value],
                    _ => {
                        self.wrong_type(name, "a list of document ids", value);
                        return;
                    }
                };
                for item in items {
                    let text = item.scalar_text().unwrap_or_default();
                    let read = if name == "links" {
                        crate::model::refs::parse_link(&text, self.kind)
                    } else {
                        parse_ref(&text, self.kind)
                    };
                    if read.is_none() {
                        let msg = format!("`{text}` in `{name}` is not a document id");
                        self.push(
                            Diagnostic::new(&INVALID_VALUE, self.path, item.span, msg).with_help(
                                "write ids as ADR-0007, RISK-0003, RM-0012 or an SLO name",
                            ),
                        );
                    }
                }
            }
            FieldType::Int { min, max } => match value.value {
                Value::Int(i) if (min..=max).contains(&i) => {}
                Value::Int(i) => {
                    let msg = format!("`{name}` must be between {min} and {max}, found {i}");
                    self.push(Diagnostic::new(&INVALID_VALUE, self.path, value.span, msg));
                }
                _ => self.wrong_type(name, &format!("a whole number from {min} to {max}"), value),
            },
            FieldType::Number => {
                if !matches!(value.value, Value::Int(_) | Value::Float(_)) {
                    self.wrong_type(name, "a number", value);
                }
            }
            FieldType::Quarter => match value.scalar_text() {
                Some(q) if crate::model::Quarter::parse(&q).is_some() => {}
                Some(q) => {
                    let msg = format!("`{name}` is `{q}`, which is not a quarter");
                    self.push(
                        Diagnostic::new(&INVALID_VALUE, self.path, value.span, msg)
                            .with_help("write quarters as YYYY-Qn, e.g. 2027-Q1"),
                    );
                }
                None => self.wrong_type(name, "a quarter (YYYY-Qn)", value),
            },
            FieldType::Map(fields) => self.mapping(value, fields, key.span, &format!("{name}.")),
            FieldType::Records(fields) => match &value.value {
                Value::Seq(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.mapping(item, fields, item.span, &format!("{name}[{}].", i + 1));
                    }
                }
                _ => self.wrong_type(name, "a list of mappings", value),
            },
        }
    }

    fn date(&mut self, name: &str, value: &Node) {
        match value.as_str() {
            Some(s) => {
                if let Err(why) = parse_date(s) {
                    let msg = format!("`{name}` is not a valid date: {why}");
                    self.push(
                        Diagnostic::new(&INVALID_DATE, self.path, value.span, msg)
                            .with_help("write dates as YYYY-MM-DD, e.g. 2024-03-01"),
                    );
                }
            }
            None => self.wrong_type(name, "a date (YYYY-MM-DD)", value),
        }
    }
}

/// A strict `YYYY-MM-DD` calendar date.
pub fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    let t = text.trim();
    let b = t.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(format!("`{t}` is not in YYYY-MM-DD form"));
    }
    let y: i16 = t[0..4].parse().map_err(|_| format!("bad year in `{t}`"))?;
    let m: i8 = t[5..7].parse().map_err(|_| format!("bad month in `{t}`"))?;
    let d: i8 = t[8..10].parse().map_err(|_| format!("bad day in `{t}`"))?;
    jiff::civil::Date::new(y, m, d).map_err(|_| format!("`{t}` is not a day of the calendar"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict() {
        assert!(parse_date("2024-02-29").is_ok());
        assert!(parse_date("2023-02-29").is_err());
        assert!(parse_date("2024-2-1").is_err());
        assert!(parse_date("03/04/2024").is_err());
    }
}
