//! A small YAML writer for exports: block style, keys in the order given, strings quoted
//! only where plain YAML would misread them.

/// A YAML value to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Y {
    Str(String),
    /// A number, written as its exact text.
    Num(String),
    Bool(bool),
    Seq(Vec<Y>),
    Map(Vec<(String, Y)>),
}

impl Y {
    pub fn s(s: impl Into<String>) -> Y {
        Y::Str(s.into())
    }

    pub fn map(entries: Vec<(&str, Y)>) -> Y {
        Y::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }
}

/// A string as a YAML scalar: plain when unambiguous, else double-quoted (JSON escapes
/// are valid YAML).
pub fn scalar(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let reserved = matches!(
        lower.as_str(),
        "" | "~" | "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    );
    let numeric = s.parse::<f64>().is_ok()
        || s.starts_with(['0', '+', '.'])
            && s.chars()
                .all(|c| c.is_ascii_digit() || "+-._xXoOeE".contains(c));
    let special_start = s.starts_with([
        '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@',
        '`', ' ',
    ]);
    let unsafe_inside = s.contains(": ")
        || s.contains(" #")
        || s.ends_with([' ', ':'])
        || s.chars()
            .any(|c| c.is_control() || matches!(c, '{' | '}' | '[' | ']' | ',' | '"' | '\''));
    if reserved || numeric || special_start || unsafe_inside {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
    } else {
        s.to_string()
    }
}

fn is_block(y: &Y) -> bool {
    matches!(y, Y::Map(m) if !m.is_empty()) || matches!(y, Y::Seq(s) if !s.is_empty())
}

fn inline(y: &Y) -> String {
    match y {
        Y::Str(s) => scalar(s),
        Y::Num(n) => n.clone(),
        Y::Bool(b) => b.to_string(),
        Y::Seq(_) => "[]".into(),
        Y::Map(_) => "{}".into(),
    }
}

fn write(out: &mut String, y: &Y, indent: usize) {
    let pad = " ".repeat(indent);
    match y {
        Y::Map(entries) => {
            for (k, v) in entries {
                if is_block(v) {
                    out.push_str(&format!("{pad}{}:\n", scalar(k)));
                    write(out, v, indent + 2);
                } else {
                    out.push_str(&format!("{pad}{}: {}\n", scalar(k), inline(v)));
                }
            }
        }
        Y::Seq(items) => {
            for item in items {
                if is_block(item) {
                    let mut inner = String::new();
                    write(&mut inner, item, indent + 2);
                    // The first line of the item goes after the dash.
                    let body = inner.trim_start_matches(' ');
                    out.push_str(&format!("{pad}- {body}"));
                } else {
                    out.push_str(&format!("{pad}- {}\n", inline(item)));
                }
            }
        }
        scalar_value => {
            out.push_str(&format!("{pad}{}\n", inline(scalar_value)));
        }
    }
}

/// One YAML document, without a `---` line.
pub fn to_string(y: &Y) -> String {
    let mut out = String::new();
    write(&mut out, y, 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_block_yaml_that_parses_back() {
        let doc = Y::map(vec![
            ("apiVersion", Y::s("openslo/v1")),
            (
                "metadata",
                Y::map(vec![
                    ("name", Y::s("checkout")),
                    ("displayName", Y::s("Checkout: availability")),
                ]),
            ),
            (
                "objectives",
                Y::Seq(vec![Y::map(vec![
                    ("target", Y::Num("0.999".into())),
                    ("op", Y::s("lt")),
                ])]),
            ),
            ("query", Y::s(r#"sum(rate(x{code=~"5.."}[{{.window}}]))"#)),
            ("empty", Y::Seq(vec![])),
            ("flag", Y::Bool(false)),
            ("version", Y::s("1.0")),
        ]);
        let text = to_string(&doc);
        assert_eq!(
            text,
            "apiVersion: openslo/v1\nmetadata:\n  name: checkout\n  displayName: \"Checkout: availability\"\nobjectives:\n  - target: 0.999\n    op: lt\nquery: \"sum(rate(x{code=~\\\"5..\\\"}[{{.window}}]))\"\nempty: []\nflag: false\nversion: \"1.0\"\n"
        );
        let back = crate::parse::yaml::parse(&text).unwrap().unwrap();
        assert_eq!(
            back.get("query").and_then(|n| n.as_str()),
            Some(r#"sum(rate(x{code=~"5.."}[{{.window}}]))"#)
        );
        assert_eq!(back.get("version").and_then(|n| n.as_str()), Some("1.0"));
    }

    #[test]
    fn quoting() {
        for s in ["yes", "", "- x", "a: b", "007", "#x", "a #b", "3.5", "x\ny"] {
            assert!(scalar(s).starts_with('"'), "{s}");
        }
        for s in ["checkout", "team-a", "Checkout availability", "http://x/y"] {
            assert_eq!(scalar(s), s);
        }
    }
}
