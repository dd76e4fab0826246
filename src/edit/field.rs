//! Setting one front-matter field by a minimal edit that checks its own result.
//!
//! The edit replaces the whole source extent of the old value (a block scalar with its
//! indicator line, a flow collection with its brackets, a `~`) or adds one line where the
//! key is missing. Then the new text is parsed again: every other field must read the
//! same, the edited one must read as the value written, the body and every byte outside
//! the replaced extent must be unchanged. Anything else is refused and nothing is written.

use crate::parse::frontmatter::{self, FrontMatter};
use crate::parse::yaml::{self, Node, Value};
use crate::source::Span;

use super::{line_ending, replace};

/// Why a field could not be set by a minimal edit.
#[derive(Debug, thiserror::Error)]
pub enum FieldEditError {
    #[error("the file has no closed front matter block to edit")]
    NoFrontMatter,
    #[error("the front matter does not parse ({0}); fix it first")]
    Unparsable(String),
    #[error("the front matter is not a mapping of keys to values")]
    NotAMapping,
    #[error("`{0}` is written as a block or a nested value; edit it by hand")]
    NotScalar(String),
    #[error("{0} is written as a flow mapping (`{{ … }}`); edit it by hand")]
    FlowMapping(String),
    #[error("only `key` or `parent.child` can be set, not `{0}`")]
    TooDeep(String),
    #[error("`{value}` is not one YAML value for `{key}`")]
    BadValue { key: String, value: String },
    #[error("`{0}` holds a comment inside its value; edit it by hand so the comment is kept")]
    Comment(String),
    #[error("editing `{key}` would also change {what}; the file is left as it was")]
    Unverified { key: String, what: String },
}

/// A text's front matter block and its parsed mapping (spans are file offsets).
pub struct Parsed {
    pub front: FrontMatter,
    pub meta: Node,
}

/// Splits and parses the front matter of `text`.
pub fn parse(text: &str) -> Result<Parsed, FieldEditError> {
    let front = frontmatter::split(text)
        .front_matter
        .filter(|f| f.close.is_some())
        .ok_or(FieldEditError::NoFrontMatter)?;
    let meta = match yaml::parse(&text[front.yaml.range()]) {
        Ok(Some(mut node)) => {
            node.shift(front.yaml.start);
            node
        }
        Ok(None) => Node {
            span: Span::empty(front.yaml.end),
            value: Value::Map(Vec::new()),
        },
        Err(e) => return Err(FieldEditError::Unparsable(e.message)),
    };
    if !matches!(meta.value, Value::Map(_)) {
        return Err(FieldEditError::NotAMapping);
    }
    Ok(Parsed { front, meta })
}

/// Sets `key` (or `parent.child`) to `value`, a YAML scalar or flow collection as text,
/// and returns the new text; verified as the module says.
pub fn set_field(text: &str, key: &str, value: &str) -> Result<String, FieldEditError> {
    let parsed = parse(text)?;
    set_parsed(text, &parsed, key, value)
}

/// [`set_field`] on a text already parsed.
pub fn set_parsed(
    text: &str,
    parsed: &Parsed,
    key: &str,
    value: &str,
) -> Result<String, FieldEditError> {
    let expected = parse_value(key, value)?;
    let (span, replacement) = plan(text, parsed, key, value)?;
    let new = replace(text, span, &replacement);
    verify(text, parsed, &new, span, &replacement, key, &expected)?;
    Ok(new)
}

/// Adds `item` (one YAML scalar, as text) to the list at top-level `key`, keeping the
/// list's style: a block list gets one more `- item` line under its last item; a flow
/// list, a single value or a missing key is written as a flow list. Verified as the
/// module says: only the list changes, and it reads as before plus `item`.
pub fn add_to_list(text: &str, key: &str, item: &str) -> Result<String, FieldEditError> {
    let parsed = parse(text)?;
    let existing = parsed.meta.entry(key);
    let mut items: Vec<String> = Vec::new();
    let mut block = None;
    match existing.map(|(_, v)| v) {
        None => {}
        Some(Node {
            value: Value::Null, ..
        }) => {}
        Some(
            v @ Node {
                value: Value::Seq(list),
                ..
            },
        ) => {
            for n in list {
                items.push(
                    scalar_source(text, n)
                        .ok_or_else(|| FieldEditError::NotScalar(key.to_string()))?,
                );
            }
            if !is_flow(text, v)
                && let Some(first) = list.first()
            {
                block = Some((first, v));
            }
        }
        Some(v) => items.push(
            scalar_source(text, v).ok_or_else(|| FieldEditError::NotScalar(key.to_string()))?,
        ),
    }
    items.push(item.to_string());
    let flow = format!("[{}]", items.join(", "));
    let expected = parse_value(key, &flow)?;
    let Some((first, list)) = block else {
        return set_parsed(text, &parsed, key, &flow);
    };
    // A block list: `indent- ` as its first item is written, after its last line.
    let line_start = text[..first.span.start].rfind('\n').map_or(0, |i| i + 1);
    let lead = &text[line_start..first.span.start];
    let dash = lead.trim_end();
    if !(dash.ends_with('-') && dash[..dash.len() - 1].chars().all(|c| c == ' ')) {
        return Err(FieldEditError::NotScalar(key.to_string()));
    }
    let last = deep_end(text, list).ok_or_else(|| FieldEditError::NotScalar(key.to_string()))?;
    let eol = line_ending(text);
    let at = text[last..].find('\n').map_or(text.len(), |i| last + i + 1);
    let head = if at == text.len() && !text.ends_with('\n') {
        eol
    } else {
        ""
    };
    let replacement = format!("{head}{dash} {item}{eol}");
    let span = Span::empty(at);
    let new = replace(text, span, &replacement);
    verify(text, &parsed, &new, span, &replacement, key, &expected)?;
    Ok(new)
}

/// A scalar's own source text (quotes kept), when it is one scalar on one line.
fn scalar_source(text: &str, node: &Node) -> Option<String> {
    if matches!(node.value, Value::Map(_) | Value::Seq(_) | Value::Null) {
        return None;
    }
    let source = text.get(node.span.range())?;
    (!source.contains(['\n', '\r', '#']) && !source.starts_with(['&', '*', '!', '|', '>']))
        .then(|| source.to_string())
}

/// The value `value` reads as, alone.
fn parse_value(key: &str, value: &str) -> Result<Node, FieldEditError> {
    let bad = || FieldEditError::BadValue {
        key: key.to_string(),
        value: value.to_string(),
    };
    if value.contains(['\n', '\r']) || value.trim() != value || value.is_empty() {
        return Err(bad());
    }
    match yaml::parse(&format!("v: {value}\n")) {
        Ok(Some(node)) => node.get("v").cloned().ok_or_else(bad),
        _ => Err(bad()),
    }
}

/// Where the edit goes and what it writes there.
fn plan(
    text: &str,
    parsed: &Parsed,
    key: &str,
    value: &str,
) -> Result<(Span, String), FieldEditError> {
    let eol = line_ending(text);
    let close = parsed.front.close.ok_or(FieldEditError::NoFrontMatter)?;
    if is_flow(text, &parsed.meta) {
        return Err(FieldEditError::FlowMapping("the front matter".into()));
    }
    let before_close = Span::empty(close.start);
    let parts: Vec<&str> = key.split('.').collect();
    match parts.as_slice() {
        [name] => match parsed.meta.entry(name) {
            Some((k, v)) => replace_value(text, key, k, v, value),
            None => Ok((before_close, format!("{name}: {value}{eol}"))),
        },
        [parent, child] => match parsed.meta.entry(parent) {
            None => Ok((
                before_close,
                format!("{parent}:{eol}  {child}: {value}{eol}"),
            )),
            Some((pk, pv)) => match &pv.value {
                Value::Map(entries) => match pv.entry(child) {
                    Some((k, v)) => replace_value(text, key, k, v, value),
                    None if is_flow(text, pv) => {
                        Err(FieldEditError::FlowMapping(format!("`{parent}`")))
                    }
                    None => {
                        let (first_key, _) = &entries[0];
                        let line_start = text[..first_key.span.start]
                            .rfind('\n')
                            .map_or(0, |i| i + 1);
                        let indent = &text[line_start..first_key.span.start];
                        if !indent.chars().all(|c| c == ' ') {
                            return Err(FieldEditError::NotScalar(parent.to_string()));
                        }
                        let last = deep_end(text, pv)
                            .ok_or_else(|| FieldEditError::NotScalar(parent.to_string()))?;
                        let at = text[last..].find('\n').map_or(text.len(), |i| last + i + 1);
                        let lead = if at == text.len() && !text.ends_with('\n') {
                            eol
                        } else {
                            ""
                        };
                        Ok((
                            Span::empty(at),
                            format!("{lead}{indent}{child}: {value}{eol}"),
                        ))
                    }
                },
                Value::Null => {
                    let (extent, _) = value_extent(text, pk, pv)
                        .ok_or_else(|| FieldEditError::NotScalar(parent.to_string()))?;
                    Ok((extent, format!("{eol}  {child}: {value}")))
                }
                _ => Err(FieldEditError::NotScalar(parent.to_string())),
            },
        },
        _ => Err(FieldEditError::TooDeep(key.to_string())),
    }
}

/// The replacement of an existing value: its whole extent, whatever its shape.
fn replace_value(
    text: &str,
    key: &str,
    k: &Node,
    v: &Node,
    value: &str,
) -> Result<(Span, String), FieldEditError> {
    let (extent, after_colon) =
        value_extent(text, k, v).ok_or_else(|| FieldEditError::NotScalar(key.to_string()))?;
    if holds_comment(&text[extent.range()]) {
        return Err(FieldEditError::Comment(key.to_string()));
    }
    let replacement = if after_colon {
        format!(" {value}")
    } else {
        value.to_string()
    };
    Ok((extent, replacement))
}

/// Whether a value's source holds a YAML comment that replacing it would drop: a `#`
/// after a blank on a line of a plain, flow or block-collection value, or on a block
/// scalar's indicator line (its content lines are text, `#` and all). Quotes are
/// followed so that `"a # b"` is no comment.
fn holds_comment(source: &str) -> bool {
    let block_scalar = source
        .trim_start_matches(|c: char| c == '!' || c == '&' || c.is_alphanumeric())
        .trim_start()
        .starts_with(['|', '>']);
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in source.char_indices() {
        if block_scalar && c == '\n' {
            return false;
        }
        match (quote, c) {
            (Some('"'), '\\') => {}
            (Some(q), c) if c == q && !(q == '"' && prev == '\\') => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'')
                if matches!(prev, ' ' | '\t' | '\n' | '[' | '{' | ',' | ':') || i == 0 =>
            {
                quote = Some(c)
            }
            (None, '#') if matches!(prev, ' ' | '\t' | '\n') || i == 0 => return true,
            _ => {}
        }
        prev = c;
    }
    false
}

/// Whether a collection node is written in flow style (`{…}`, `[…]`).
fn is_flow(text: &str, node: &Node) -> bool {
    matches!(node.value, Value::Map(_) | Value::Seq(_))
        && matches!(text.as_bytes().get(node.span.start), Some(b'{' | b'['))
}

/// The bytes a value occupies, from its first byte after `key:` (tag, anchor and block
/// indicator included) to its last, with no trailing comment or blank. The flag says
/// the extent starts right after the colon (the value begins on a later line, or there
/// is none), so a replacement needs a space before it.
pub fn value_extent(text: &str, key: &Node, value: &Node) -> Option<(Span, bool)> {
    let rest = text.get(key.span.end..)?;
    let colon_at = rest.find(':')?;
    if !rest[..colon_at]
        .chars()
        .all(|c| matches!(c, ' ' | '\t' | '"' | '\''))
    {
        return None;
    }
    let after = key.span.end + colon_at + 1;
    let line_end = text[after..].find('\n').map_or(text.len(), |i| after + i);
    let first = text[after..line_end]
        .find(|c: char| !matches!(c, ' ' | '\t' | '\r'))
        .map(|i| after + i)
        .filter(|&i| text.as_bytes()[i] != b'#');
    let end = deep_end(text, value)?;
    Some(match first {
        Some(start) => (Span::new(start, end.max(start)), false),
        None => (Span::new(after, end.max(after)), true),
    })
}

/// The end of a node's text: the last byte of its deepest last child, past the closing
/// bracket of a flow collection, without trailing blanks.
fn deep_end(text: &str, node: &Node) -> Option<usize> {
    let end = match &node.value {
        Value::Map(_) | Value::Seq(_) if is_flow(text, node) => flow_end(text, node.span.start)?,
        Value::Map(entries) => {
            let mut end = node.span.end;
            for (k, v) in entries {
                end = end.max(deep_end(text, k)?).max(deep_end(text, v)?);
                if matches!(v.value, Value::Null) && v.span.start == v.span.end {
                    // `key:` with nothing after it: the value's span sits at the key.
                    let (extent, _) = value_extent(text, k, v)?;
                    end = end.max(extent.end);
                }
            }
            end
        }
        Value::Seq(items) => {
            let mut end = node.span.end;
            for item in items {
                end = end.max(deep_end(text, item)?);
            }
            end
        }
        _ => node.span.end,
    };
    let end = end.min(text.len());
    let trimmed = text[..end].trim_end_matches([' ', '\t', '\n', '\r']).len();
    Some(trimmed.max(node.span.start.min(end)))
}

/// The end (exclusive) of the flow collection opening at `start`. A quote opens a quoted
/// scalar only where a scalar can start; comments run to the end of the line.
fn flow_end(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = start;
    let mut prev = b'[';
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'"' | b'\'' if matches!(prev, b'[' | b'{' | b',' | b':' | b' ' | b'\t' | b'\n') => {
                i = quoted_end(bytes, i)?;
                prev = c;
                continue;
            }
            b'#' if matches!(prev, b' ' | b'\t' | b'\n') => {
                i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                continue;
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        if !matches!(c, b' ' | b'\t' | b'\r') || prev == b'\n' {
            prev = if c == b'\r' { prev } else { c };
        }
        i += 1;
    }
    None
}

/// The index after the quoted scalar opening at `start`.
fn quoted_end(bytes: &[u8], start: usize) -> Option<usize> {
    let q = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if q == b'"' => i += 2,
            b'\'' if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            c if c == q => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// Whether two nodes hold the same value, whatever their spans.
pub fn same_value(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_value(a, b))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| same_value(ka, kb) && same_value(va, vb))
        }
        (x, y) => x == y,
    }
}

/// What the mapping should read as after the edit: `meta` with `key` set to `expected`
/// (appended where it was missing, as [`plan`] writes it).
fn expected_tree(meta: &Node, key: &str, expected: &Node) -> Node {
    let mut tree = meta.clone();
    let mut parts = key.splitn(2, '.');
    let head = parts.next().unwrap_or(key);
    let child = parts.next();
    let Value::Map(entries) = &mut tree.value else {
        return tree;
    };
    let key_node = |name: &str| Node {
        span: Span::default(),
        value: Value::Str(name.to_string()),
    };
    let slot = entries.iter().position(|(k, _)| k.as_str() == Some(head));
    match (slot, child) {
        (Some(i), None) => entries[i].1 = expected.clone(),
        (None, None) => entries.push((key_node(head), expected.clone())),
        (Some(i), Some(child)) => {
            let parent = &mut entries[i].1;
            if matches!(parent.value, Value::Null) {
                parent.value = Value::Map(Vec::new());
            }
            if let Value::Map(children) = &mut parent.value {
                match children.iter().position(|(k, _)| k.as_str() == Some(child)) {
                    Some(j) => children[j].1 = expected.clone(),
                    None => children.push((key_node(child), expected.clone())),
                }
            }
        }
        (None, Some(child)) => entries.push((
            key_node(head),
            Node {
                span: Span::default(),
                value: Value::Map(vec![(key_node(child), expected.clone())]),
            },
        )),
    }
    tree
}

/// Refuses the edit unless it changed exactly what it meant to.
fn verify(
    old: &str,
    parsed: &Parsed,
    new: &str,
    span: Span,
    replacement: &str,
    key: &str,
    expected: &Node,
) -> Result<(), FieldEditError> {
    let refuse = |what: &str| FieldEditError::Unverified {
        key: key.to_string(),
        what: what.to_string(),
    };
    let kept = new.len() + span.end - span.start == old.len() + replacement.len()
        && new.as_bytes()[..span.start] == old.as_bytes()[..span.start]
        && new.as_bytes()[span.start + replacement.len()..] == old.as_bytes()[span.end..];
    if !kept {
        return Err(refuse("bytes outside the value"));
    }
    let after = parse(new).map_err(|_| refuse("whether the front matter parses"))?;
    let old_body = &old[frontmatter::split(old).body.range()];
    let new_body = &new[frontmatter::split(new).body.range()];
    if old_body != new_body {
        return Err(refuse("the body"));
    }
    if !same_value(&after.meta, &expected_tree(&parsed.meta, key, expected)) {
        return Err(refuse(
            "how another field reads (or the value reads otherwise)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str, key: &str, value: &str) -> Result<String, FieldEditError> {
        set_field(text, key, value)
    }

    const DOC: &str = "---\nowner: Ana # lead\nlikelihood: 3\nreview:\n  last: 2024-01-01\n  next: 2024-04-01\nlinks: []\nempty:\n---\n# T\n";

    #[test]
    fn replaces_only_the_value() {
        assert_eq!(
            set(DOC, "likelihood", "4").unwrap(),
            DOC.replace("likelihood: 3", "likelihood: 4")
        );
        assert_eq!(
            set(DOC, "review.next", "2024-05-01").unwrap(),
            DOC.replace("next: 2024-04-01", "next: 2024-05-01")
        );
        assert_eq!(
            set(DOC, "links", "[RM-0001]").unwrap(),
            DOC.replace("links: []", "links: [RM-0001]")
        );
        let two = DOC.replace("links: []", "links: [RM-0001, \"a]b\", it's]");
        assert_eq!(set(&two, "links", "[]").unwrap(), DOC);
        assert_eq!(
            set(DOC, "empty", "x").unwrap(),
            DOC.replace("empty:\n", "empty: x\n")
        );
        assert_eq!(
            set(DOC, "owner", "Bo").unwrap(),
            DOC.replace("owner: Ana # lead", "owner: Bo # lead")
        );
    }

    #[test]
    fn adds_missing_keys_in_place() {
        assert_eq!(
            set(DOC, "impact", "5").unwrap(),
            DOC.replace("empty:\n---", "empty:\nimpact: 5\n---")
        );
        assert_eq!(
            set(DOC, "review.owner", "Bo").unwrap(),
            DOC.replace("  next: 2024-04-01\n", "  next: 2024-04-01\n  owner: Bo\n")
        );
        assert_eq!(
            set(DOC, "residual.impact", "2").unwrap(),
            DOC.replace("empty:\n---", "empty:\nresidual:\n  impact: 2\n---")
        );
        let crlf = DOC.replace('\n', "\r\n");
        assert_eq!(
            set(&crlf, "impact", "5").unwrap(),
            crlf.replace("empty:\r\n---", "empty:\r\nimpact: 5\r\n---")
        );
    }

    #[test]
    fn rewrites_every_value_shape_whole() {
        let cases = [
            (
                "status: { accepted }\ndate: 1\n",
                "status: accepted\ndate: 1\n",
            ),
            (
                "status: {proposed}\ndate: 1\n",
                "status: accepted\ndate: 1\n",
            ),
            (
                "status: [accepted]\ndate: 1\n",
                "status: accepted\ndate: 1\n",
            ),
            (
                "status: |\n  Accepted\ndate: 1\n",
                "status: accepted\ndate: 1\n",
            ),
            (
                "status: >-\n  Accepted\n  more\n\n# c\ndate: 1\n",
                "status: accepted\n\n# c\ndate: 1\n",
            ),
            ("status: ~\ndate: 1\n", "status: accepted\ndate: 1\n"),
            ("status:\ndate: 1\n", "status: accepted\ndate: 1\n"),
            (
                "status: # none yet\ndate: 1\n",
                "status: accepted # none yet\ndate: 1\n",
            ),
            (
                "status:\n  - a\n  - b\ndate: 1\n",
                "status: accepted\ndate: 1\n",
            ),
            (
                "status: Accepted\n  still\ndate: 1\n",
                "status: accepted\ndate: 1\n",
            ),
            (
                "status: \"a # b\" # c\ndate: 1\n",
                "status: accepted # c\ndate: 1\n",
            ),
            ("status: !!str 12\ndate: 1\n", "status: accepted\ndate: 1\n"),
            (
                "status: 'it''s'\r\ndate: 1\r\n",
                "status: accepted\r\ndate: 1\r\n",
            ),
        ];
        for (yaml, want) in cases {
            let text = format!("---\n{yaml}---\nbody\n");
            let got = set(&text, "status", "accepted").unwrap_or_else(|e| panic!("{yaml:?}: {e}"));
            assert_eq!(got, format!("---\n{want}---\nbody\n"), "{yaml:?}");
        }
    }

    #[test]
    fn refuses_what_it_cannot_edit_safely() {
        let flow = "---\nreview: { next: 2024-01-01 }\n---\n";
        assert!(matches!(
            set(flow, "review.last", "x"),
            Err(FieldEditError::FlowMapping(_))
        ));
        // A flow map's existing child is one scalar: that edit is safe.
        assert_eq!(
            set(flow, "review.next", "2024-02-02").unwrap(),
            flow.replace("2024-01-01", "2024-02-02")
        );
        let whole = "---\n{title: x, status: open}\n---\n";
        assert!(matches!(
            set(whole, "status", "closed"),
            Err(FieldEditError::FlowMapping(_))
        ));
        assert!(matches!(
            set(DOC, "a.b.c", "x"),
            Err(FieldEditError::TooDeep(_))
        ));
        // An anchored value that another field aliases: changing it changes both.
        let anchored = "---\nowner: &o Ana\nreviewer: *o\n---\n";
        assert!(matches!(
            set(anchored, "owner", "Bo"),
            Err(FieldEditError::Unverified { .. })
        ));
        assert!(matches!(
            set(DOC, "owner", "a\nb"),
            Err(FieldEditError::BadValue { .. })
        ));
        assert!(matches!(
            set("---\n- a\n---\n", "owner", "x"),
            Err(FieldEditError::NotAMapping)
        ));
    }

    #[test]
    fn comments_inside_a_value_are_never_dropped() {
        for yaml in [
            "status:\n  # waiting on CAB sign-off\n  proposed\n",
            "status: >- # keep: legal wording\n  proposed\n",
            "status: [ # one of\n  proposed, # not yet\n  ]\n",
            "status:\n  - a # first\n  - b\n",
        ] {
            let text = format!("---\n{yaml}date: 1\n---\n");
            assert!(
                matches!(
                    set(&text, "status", "accepted"),
                    Err(FieldEditError::Comment(_))
                ),
                "{yaml:?}"
            );
        }
        // `#` inside quotes or inside a block scalar's text is no comment.
        let text = "---\nstatus: |\n  # heading\n  Accepted\nx: \"a # b\"\n---\n";
        assert!(set(text, "status", "accepted").is_ok());
        assert!(set(text, "x", "c").is_ok());
    }

    #[test]
    fn a_value_cannot_close_the_block() {
        // `---` as a value would end the front matter if written plain on its own line.
        assert!(set(DOC, "owner", "'x'").is_ok());
        assert!(set(DOC, "owner", "x: y").is_err());
    }
}
