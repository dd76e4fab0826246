//! YAML output of typed values, through serde-saphyr: block style, keys in the order of
//! the struct's fields, lists indented under their key, strings quoted only where plain
//! YAML would misread them (YAML 1.1 readers included, as Sloth and Prometheus are Go).

use serde::{Serialize, Serializer};

/// The options every YAML output of cto uses.
fn options(yaml_12: bool) -> serde_saphyr::SerializerOptions {
    let mut o = serde_saphyr::SerializerOptions::default();
    o.compact_list_indent = false;
    o.prefer_block_scalars = false;
    o.yaml_12 = yaml_12;
    o.no_lang_directive = true;
    o
}

/// The characters serde-saphyr writes as they are that a terminal or an editor would act
/// on (bidi overrides and isolates, marks): written as YAML's `\uXXXX`, an escape inside
/// the double-quoted scalars that hold control characters, and visible text elsewhere.
fn escape_hostile(text: String) -> String {
    use crate::report::escape::is_hostile;
    if !text
        .chars()
        .any(|c| is_hostile(c) && !matches!(c, '\n' | '\t'))
    {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_hostile(c) && !matches!(c, '\n' | '\t') {
            out.push_str(&format!("\\u{:04X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// One YAML document, without a `---` line, for tools written in any language (strings
/// that a YAML 1.1 reader would take for a boolean, a number or a date are quoted).
pub fn to_string<T: Serialize>(value: &T) -> Result<String, serde_saphyr::SerializeError> {
    serde_saphyr::to_string_with_options(value, options(false)).map(escape_hostile)
}

/// One YAML document for cto's own front matter, read by a YAML 1.2 parser: a date stays
/// a plain `2024-05-01`, as people write it.
pub fn front_matter<T: Serialize>(value: &T) -> Result<String, serde_saphyr::SerializeError> {
    let text = escape_hostile(serde_saphyr::to_string_with_options(value, options(true))?);
    // The directive is off, but a document marker may still lead: front matter has its own.
    let text = text
        .strip_prefix("---\n")
        .map_or(text.clone(), str::to_string);
    // Nothing to write is no line at all, not an empty `{}` map.
    Ok(if text.trim() == "{}" {
        String::new()
    } else {
        text
    })
}

/// A number as written (`99.9`, `0.3`, `99`), serialised as a YAML number without going
/// through a float that would change its digits. Text that is not a plain decimal, or
/// that a float cannot carry exactly, is written as a quoted string: a reader then
/// refuses it rather than reading another number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Num(pub String);

impl Num {
    pub fn of(text: impl Into<String>) -> Num {
        Num(text.into())
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.0.trim();
        let plain = !t.is_empty()
            && t.trim_start_matches('-')
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.')
            && t.matches('.').count() <= 1
            && !t.ends_with('.');
        if plain
            && !t.contains('.')
            && let Ok(i) = t.parse::<i64>()
        {
            return s.serialize_i64(i);
        }
        if plain
            && let Ok(f) = t.parse::<f64>()
            && f.is_finite()
            && crate::model::slo::Decimal::parse(&f.to_string())
                == crate::model::slo::Decimal::parse(t)
        {
            return s.serialize_f64(f);
        }
        s.serialize_str(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Doc {
        api_version: &'static str,
        metadata: Meta,
        objectives: Vec<Objective>,
        query: String,
        empty: Vec<String>,
        flag: bool,
        version: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        absent: Option<String>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Meta {
        name: &'static str,
        display_name: &'static str,
    }

    #[derive(Serialize)]
    struct Objective {
        target: Num,
        op: &'static str,
    }

    #[test]
    fn writes_block_yaml_that_parses_back() {
        let doc = Doc {
            api_version: "openslo/v1",
            metadata: Meta {
                name: "checkout",
                display_name: "Checkout: availability",
            },
            objectives: vec![Objective {
                target: Num::of("0.999"),
                op: "lt",
            }],
            query: r#"sum(rate(x{code=~"5.."}[{{.window}}]))"#.into(),
            empty: vec![],
            flag: false,
            version: "1.0",
            absent: None,
        };
        let text = to_string(&doc).unwrap();
        assert_eq!(
            text,
            "apiVersion: openslo/v1\nmetadata:\n  name: checkout\n  displayName: \"Checkout: availability\"\nobjectives:\n  - target: 0.999\n    op: lt\nquery: sum(rate(x{code=~\"5..\"}[{{.window}}]))\nempty: []\nflag: false\nversion: \"1.0\"\n"
        );
        let back = crate::parse::yaml::parse(&text).unwrap().unwrap();
        assert_eq!(
            back.get("query").and_then(|n| n.as_str()),
            Some(r#"sum(rate(x{code=~"5.."}[{{.window}}]))"#)
        );
        assert_eq!(back.get("version").and_then(|n| n.as_str()), Some("1.0"));
    }

    #[test]
    fn strings_that_would_be_misread_are_quoted_and_controls_escaped() {
        for s in [
            "yes", "", "- x", "a: b", "007", "#x", "a #b", "3.5", "x\ny", "null", "~",
        ] {
            let text = to_string(&s).unwrap();
            assert!(text.starts_with(['"', '\'']), "{s}: {text}");
            let back = crate::parse::yaml::parse(&text).unwrap().unwrap();
            assert_eq!(back.scalar_text().as_deref(), Some(s), "{text}");
        }
        let text = to_string(&"a\u{1b}[31mb\u{202e}").unwrap();
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202e}'),
            "{text}"
        );
    }

    #[test]
    fn numbers_keep_their_digits() {
        let yaml = |n: &str| to_string(&Num::of(n)).unwrap();
        assert_eq!(yaml("99.9"), "99.9\n");
        assert_eq!(yaml("99"), "99\n");
        assert_eq!(yaml("0.3"), "0.3\n");
        assert_eq!(yaml("0.999999"), "0.999999\n");
        // More digits than a float carries: a string, never another number.
        assert!(yaml("99.99999999999999999").starts_with(['"', '\'']));
        let text = yaml("1) or vector(1");
        let back = crate::parse::yaml::parse(&text).unwrap().unwrap();
        assert_eq!(back.as_str(), Some("1) or vector(1"), "a string: {text}");
    }

    #[test]
    fn front_matter_writes_dates_plain() {
        #[derive(Serialize)]
        struct F {
            status: &'static str,
            date: &'static str,
            #[serde(rename = "decision-makers")]
            decision_makers: Vec<&'static str>,
        }
        let text = front_matter(&F {
            status: "accepted",
            date: "2024-05-01",
            decision_makers: vec!["Ann", "Bob, Jr."],
        })
        .unwrap();
        assert_eq!(
            text,
            "status: accepted\ndate: 2024-05-01\ndecision-makers:\n  - Ann\n  - Bob, Jr.\n"
        );
    }
}
