//! YAML into a tree of nodes that each carry their byte span, through serde-saphyr.
//!
//! Documents are validated against a field spec by walking this tree (not by serde
//! derive), so that one file can report every problem it has, each at its own line.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, DuplicateKeyPolicy, Options, Spanned};

use crate::source::Span;

/// A YAML node and where it stands in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in source order; keys are nodes so that they keep their span too.
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// What the value is, in the words a diagnostic uses.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

impl Node {
    /// Moves every span of the tree by `by` bytes (YAML parsed from a slice of a file).
    pub fn shift(&mut self, by: usize) {
        self.span = self.span.shift(by);
        match &mut self.value {
            Value::Seq(items) => items.iter_mut().for_each(|n| n.shift(by)),
            Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
                k.shift(by);
                v.shift(by);
            }),
            _ => {}
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[(Node, Node)] {
        match &self.value {
            Value::Map(m) => m,
            _ => &[],
        }
    }

    /// The value of a mapping's key, if this is a mapping holding it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key node and value node of a mapping's key.
    pub fn entry(&self, key: &str) -> Option<&(Node, Node)> {
        self.entries().iter().find(|(k, _)| k.as_str() == Some(key))
    }

    /// A scalar as text, the way a person reads it (`true`, `12`, `0.5`, `text`).
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null | Value::Seq(_) | Value::Map(_) => None,
        }
    }
}

/// A YAML syntax error (or a budget breach) at a byte offset of the parsed text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    pub message: String,
    /// Offset into the YAML text given to [`parse`], when the parser said where.
    pub offset: Option<usize>,
}

fn spanned_node(s: Spanned<Value>) -> Node {
    let span = s.referenced.span();
    let start = span.byte_offset().unwrap_or(0) as usize;
    let len = span.byte_len().unwrap_or(0) as usize;
    Node {
        span: Span::new(start, start + len),
        value: s.value,
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Value>>()? {
            items.push(spanned_node(item));
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Value>>()? {
            let value = map.next_value::<Spanned<Value>>()?;
            entries.push((spanned_node(key), spanned_node(value)));
        }
        Ok(Value::Map(entries))
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, _data: A) -> Result<Value, A::Error> {
        Err(de::Error::custom("tagged values are not supported here"))
    }
}

/// Limits that keep hostile input (alias bombs, deep nesting) cheap to reject.
fn options() -> Options {
    stream_options(1)
}

fn stream_options(max_documents: usize) -> Options {
    let mut budget = Budget::default();
    budget.max_depth = 64;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_events = 200_000;
    budget.max_nodes = 100_000;
    budget.max_total_scalar_bytes = 8 * 1024 * 1024;
    budget.max_documents = max_documents;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.duplicate_keys = DuplicateKeyPolicy::Error;
    options
}

/// Parses one YAML document. An empty or comment-only document is `Ok(None)`.
/// Spans in the tree are relative to `text`.
pub fn parse(text: &str) -> Result<Option<Node>, YamlError> {
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(None);
    }
    if let Some(node) = simple::mapping(text) {
        return Ok(Some(node));
    }
    match serde_saphyr::from_str_with_options::<Spanned<Value>>(text, options()) {
        Ok(v) => Ok(Some(spanned_node(v))),
        Err(e) => Err(yaml_error(&e, text)),
    }
}

/// The front matter most documents have, read without the parser: a mapping of
/// `key: value` lines whose values are words, dates, small integers, or flow lists
/// of those. Anything else (quotes, comments, nesting, a value that could be a
/// number, a boolean or null, a repeated key) is left to the parser, which gives the
/// same tree for what is read here (a test holds the two to each other).
mod simple {
    use super::{Node, Value};
    use crate::source::Span;

    pub fn mapping(text: &str) -> Option<Node> {
        if text.len() > 16 * 1024 || text.contains(['\r', '\t']) {
            return None;
        }
        let mut entries: Vec<(Node, Node)> = Vec::new();
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            let start = at;
            at += line.len();
            let line = line.strip_suffix('\n').unwrap_or(line);
            if line.is_empty() {
                // A blank line inside the mapping, never before its first key.
                if entries.is_empty() {
                    return None;
                }
                continue;
            }
            let colon = line.find(": ")?;
            let key = &line[..colon];
            if !is_key(key) || entries.iter().any(|(k, _)| k.as_str() == Some(key)) {
                return None;
            }
            let rest = &line[colon + 2..];
            let value_at = start + colon + 2 + (rest.len() - rest.trim_start_matches(' ').len());
            let value = rest.trim_start_matches(' ');
            let node = if let Some(inner) = value.strip_prefix('[') {
                list(inner.strip_suffix(']')?, value_at)?
            } else {
                scalar(value, value_at, false)?
            };
            entries.push((
                Node {
                    span: Span::new(start, start + colon),
                    value: Value::Str(key.to_string()),
                },
                node,
            ));
        }
        (!entries.is_empty()).then(|| Node {
            span: Span::empty(0),
            value: Value::Map(entries),
        })
    }

    /// `decision-makers`, `depends_on`: letters first, then letters, digits, `-`, `_`.
    fn is_key(key: &str) -> bool {
        key.starts_with(|c: char| c.is_ascii_alphabetic())
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    }

    /// A flow list of scalars, `[` at `at`: `[]`, `[a, b c, 12]`.
    fn list(inner: &str, at: usize) -> Option<Node> {
        let mut items = Vec::new();
        if !inner.is_empty() {
            let mut offset = at + 1;
            for item in inner.split(", ") {
                items.push(scalar(item, offset, true)?);
                offset += item.len() + 2;
            }
        }
        Some(Node {
            span: Span::new(at, at + 1),
            value: Value::Seq(items),
        })
    }

    /// A plain value at `at` that can only be read one way: a string of words (letters
    /// or digits, `.`, `-`, `_`, `/`, `@`, `,` and single spaces between them) with a
    /// letter in it and no letter-only word a boolean or null could be; a date
    /// (`2024-03-01`); or a small integer without a leading zero. In a flow list
    /// (`in_list`) a comma ends the value.
    fn scalar(value: &str, at: usize, in_list: bool) -> Option<Node> {
        let span = Span::new(at, at + value.len());
        let bytes = value.as_bytes();
        let first = value.chars().next()?;
        if !first.is_alphanumeric()
            || value.ends_with(' ')
            || value.contains("  ")
            || (in_list && value.contains(','))
        {
            return None;
        }
        if bytes.iter().all(u8::is_ascii_digit) {
            if bytes.len() > 9 || (bytes.len() > 1 && bytes[0] == b'0') {
                return None;
            }
            let n: i64 = value.parse().ok()?;
            return Some(Node {
                span,
                value: Value::Int(n),
            });
        }
        let date = bytes.len() == 10
            && bytes.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            });
        let allowed = value
            .chars()
            .all(|c| c.is_alphanumeric() || " .-_/@,".contains(c));
        // A value that starts with a digit is a string only if it holds a letter that
        // no number, in any notation, has (`2027-Q1`, not `1e3` or `0x1f`).
        let numeric = first.is_ascii_digit()
            && !value
                .chars()
                .any(|c| c.is_alphabetic() && !"eEx_oObBaAcCdDfF".contains(c));
        let keyword = value.len() <= 5
            && matches!(
                value.to_ascii_lowercase().as_str(),
                "y" | "n" | "yes" | "no" | "true" | "false" | "on" | "off" | "null" | "nan" | "inf"
            );
        if !(date || (allowed && !numeric && !keyword && value.chars().any(char::is_alphabetic))) {
            return None;
        }
        Some(Node {
            span,
            value: Value::Str(value.to_string()),
        })
    }
}

/// Parses a `---`-separated stream of YAML documents (spans relative to `text`); empty
/// documents are left out.
pub fn parse_stream(text: &str) -> Result<Vec<Node>, YamlError> {
    match serde_saphyr::from_str_multiple_with_options::<Spanned<Value>, Vec<Spanned<Value>>>(
        text,
        stream_options(1024),
    ) {
        Ok(docs) => Ok(docs
            .into_iter()
            .map(spanned_node)
            .filter(|n| !matches!(n.value, Value::Null))
            .collect()),
        Err(e) => Err(yaml_error(&e, text)),
    }
}

/// The parser's error, with its offset into `text`.
fn yaml_error(e: &serde_saphyr::Error, text: &str) -> YamlError {
    YamlError {
        message: error_message(e),
        offset: e.location().and_then(|l| {
            l.span()
                .byte_offset()
                .map(|o| o as usize)
                .or_else(|| offset_of(text, l.line() as usize, l.column() as usize))
        }),
    }
}

/// Byte offset of a 1-based line and character column.
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let rest = text.get(start..)?;
    let col = rest
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(rest.len(), |(i, _)| i);
    Some((start + col).min(text.len()))
}

/// The parser's message without its own snippet or location suffix (we render those).
fn error_message(e: &serde_saphyr::Error) -> String {
    let text = e.without_snippet().to_string();
    let first = text.lines().next().unwrap_or("invalid YAML").trim();
    // serde-saphyr appends " at line N, column M"; we report the location ourselves.
    let first = match first.rfind(" at line ") {
        Some(i) => &first[..i],
        None => first,
    };
    let first = first.trim_end_matches(':');
    // Its advice is to the programmer (a parser option), not to the author of the file.
    let first = first
        .strip_suffix(", set DuplicateKeyPolicy in Options if acceptable")
        .unwrap_or(first);
    match first.strip_prefix("duplicate mapping key: ") {
        Some(key) => format!("duplicate key `{key}`: a key is given once per mapping"),
        None => first.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(text: &str) -> Node {
        parse(text).unwrap().unwrap()
    }

    #[test]
    fn values_keep_their_spans() {
        let text = "status: accepted\ndate: 2024-03-01\ntags: [db, storage]\n";
        let root = map(text);
        let status = root.get("status").unwrap();
        assert_eq!(&text[status.span.range()], "accepted");
        let (key, _) = root.entry("date").unwrap();
        assert_eq!(&text[key.span.range()], "date");
        let tags = root.get("tags").unwrap();
        let Value::Seq(items) = &tags.value else {
            panic!("tags is a list")
        };
        assert_eq!(&text[items[1].span.range()], "storage");
    }

    #[test]
    fn scalar_types() {
        let root = map("a: 7\nb: 99.9\nc: true\nd: ~\ne: '7'\n");
        assert_eq!(root.get("a").unwrap().value, Value::Int(7));
        assert_eq!(root.get("b").unwrap().value, Value::Float(99.9));
        assert_eq!(root.get("c").unwrap().value, Value::Bool(true));
        assert_eq!(root.get("d").unwrap().value, Value::Null);
        assert_eq!(root.get("e").unwrap().value, Value::Str("7".into()));
    }

    #[test]
    fn crlf_spans_are_bytes_of_the_original() {
        let text = "a: 1\r\nstatus: proposed\r\n";
        let root = map(text);
        assert_eq!(&text[root.get("status").unwrap().span.range()], "proposed");
    }

    #[test]
    fn syntax_error_has_an_offset() {
        let text = "a: 1\nb: [unclosed\n";
        let err = parse(text).unwrap_err();
        let at = err.offset.expect("an offset");
        assert!(at >= 5, "points into line 2: {err:?}");
        assert!(!err.message.is_empty());
    }

    #[test]
    fn duplicate_keys_are_an_error() {
        let err = parse("a: 1\na: 2\n").unwrap_err();
        assert!(err.message.to_lowercase().contains("duplicate"), "{err:?}");
        assert_eq!(
            err.message, "duplicate key `a`: a key is given once per mapping",
            "no advice on the parser's options: {err:?}"
        );
    }

    #[test]
    fn alias_bomb_is_refused_quickly() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            text.push_str(&format!(
                "l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        // Refused by the parser's node budget, not after expanding 9^12 nodes (how long
        // that takes is a benchmark's question, not a unit test's on a busy machine).
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("budget"), "{err:?}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("a: {}{}\n", "[".repeat(5000), "]".repeat(5000));
        assert!(parse(&text).is_err());
    }

    #[test]
    fn streams() {
        let docs = parse_stream("a: 1\n---\nb: 2\n---\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].get("b").unwrap().value, Value::Int(2));
        assert!(parse_stream("a: [\n").is_err());
    }

    #[test]
    fn empty_and_comment_only() {
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("# just a comment\n\n").unwrap(), None);
    }
    /// The reader of simple front matter gives the parser's tree, spans included, for
    /// whatever it reads; and leaves to the parser what it does not.
    #[test]
    fn simple_front_matter_reads_as_the_parser_reads_it() {
        let parser = |t: &str| {
            serde_saphyr::from_str_with_options::<Spanned<Value>>(t, options())
                .ok()
                .map(spanned_node)
        };
        let read = [
            "status: accepted\ndate: 2023-08-08\ndecision-makers: Ana Lima, Bo Chen\nlinks: [ADR-0004, ADR-0012]\n",
            "a: b\n\nc: d",
            "a:  b c\ntags: []\neffort: 3\nquarter: 2027-Q1\nowner: Team 4\n",
            "title: Use Postgres 16.2 for storage/queues\nid: ADR-0007\nx_y: José Núñez\n",
            "people: [Ana Lima, 12, b]\n",
        ];
        for text in read {
            let fast = simple::mapping(text);
            assert!(fast.is_some(), "{text:?}");
            assert_eq!(fast, parser(text), "{text:?}");
        }
        let left = [
            "",
            "a: yes\n",
            "a: No\n",
            "a: null\n",
            "a: ~\n",
            "a: 1e3\n",
            "a: 0x1f\n",
            "a: 012\n",
            "a: 1.5\n",
            "a: .inf\n",
            "a: 'b'\n",
            "a: \"b\"\n",
            "a: b # c\n",
            "a: b\na: c\n",
            "a:\n  b: c\n",
            "- a\n",
            "a: [b, [c]]\n",
            "a: {b: c}\n",
            "a: b\r\n",
            "a: b \n",
            "a: b  c\n",
            "a: &x b\n",
            "a: *x\n",
            "a: !t b\n",
            "\na: b\n",
            "a: b:c\n",
            "a: -b\n",
            "a: [b,c]\n",
            "a: [b, ]\n",
            "a: 1_000\n",
            "a: 2024-01-01T10:00\n",
            "a: 30d\n",
            "a: 1 2\n",
            "a:\n",
            "a: b\n # c\n",
            "a: b\n  c\n",
            "a: |\n  b\n",
            "a: >\n  b\n",
            "? a\n: b\n",
            "a: %b\n",
        ];
        for text in left {
            assert_eq!(simple::mapping(text), None, "{text:?}");
        }
        // Values generated from the characters the reader takes, each held to the parser.
        let pieces = [
            "a",
            "Yes",
            "no",
            "ON",
            "Null",
            "e",
            "1",
            "0",
            "12",
            "2024",
            "-",
            ".",
            "_",
            "/",
            "@",
            ",",
            " ",
            "x",
            "Q1",
            "ß",
            "é",
            "1e3",
            "0x1",
            "0o7",
            "0b1",
            "inf",
            "NaN",
            "2023-08-08",
            "true",
            "n",
            "Y",
        ];
        let mut checked = 0;
        for a in pieces {
            for b in pieces {
                for c in ["", "a", " ", "1", "-", "ON"] {
                    let value = format!("{a}{b}{c}");
                    for text in [format!("k: {value}\n"), format!("k: [{value}, x]\n")] {
                        if let Some(fast) = simple::mapping(&text) {
                            assert_eq!(Some(fast), parser(&text), "{text:?}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }
}
