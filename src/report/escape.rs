//! Text a document controls, made safe for each output: control characters shown, never
//! obeyed.
//!
//! One convention everywhere: a character a terminal, a CI log or a parser would act on
//! is written as its Rust escape — `\n`, `\r`, `\t`, else `\u{…}` in lowercase hex
//! (`\u{1b}`, `\u{202e}`). That covers the C0 controls, DEL, the C1 controls, the bidi
//! embeddings, overrides and isolates (and the marks LRM, RLM, ALM), the line and
//! paragraph separators, and U+FFFE/U+FFFF, which XML cannot hold. A backslash is left as
//! it is. Each format then adds its own quoting on top (markup, markdown, CSV, DOT).

use std::borrow::Cow;

/// Whether `c` is shown as an escape rather than written.
pub fn is_hostile(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{61c}'
        | '\u{200e}' | '\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{fffe}' | '\u{ffff}')
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c => {
            use std::fmt::Write as _;
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

fn escape_where(s: &str, escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(&escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if escape(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One line of text: every hostile character escaped, newlines and tabs included.
pub fn visible(s: &str) -> Cow<'_, str> {
    escape_where(s, is_hostile)
}

/// Text that may run over lines: as [`visible`], but newlines and tabs are kept.
pub fn visible_lines(s: &str) -> Cow<'_, str> {
    escape_where(s, |c| is_hostile(c) && !matches!(c, '\n' | '\t'))
}

/// Source lines to quote in a snippet, and where the byte offsets `start..end` of `text`
/// fall in them: as [`visible_lines`], with the CR of each CRLF dropped.
pub fn snippet(text: &str, start: usize, end: usize) -> (String, usize, usize) {
    let mut out = String::with_capacity(text.len());
    let (mut s, mut e) = (None, None);
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if at >= start && s.is_none() {
            s = Some(out.len());
        }
        if at >= end && e.is_none() {
            e = Some(out.len());
        }
        let crlf = c == '\r' && chars.peek().is_some_and(|(_, n)| *n == '\n');
        if crlf {
            continue;
        }
        if is_hostile(c) && !matches!(c, '\n' | '\t') {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    let s = s.unwrap_or(out.len());
    let e = e.unwrap_or(out.len()).max(s);
    (out, s, e)
}

/// A value for HTML, SVG and XML, on one line: markup characters escaped, and hostile
/// characters shown (which also keeps out every character XML 1.0 cannot hold).
pub fn markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if is_hostile(c) => push_escaped(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// Inline markdown (a table cell, a list item, link text): one line, with the characters
/// that would start a cell, a link, emphasis, code or raw HTML escaped.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in visible(s).chars() {
        match c {
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A field of a CSV file (RFC 4180): hostile characters shown, quoted when it holds a
/// comma or a quote, and a leading `=`, `+`, `-` or `@` (which a spreadsheet would run as
/// a formula) prefixed with `'`; a number such as `-1.5` is left as it is.
pub fn csv_field(s: &str) -> String {
    let v = visible(s);
    let formula = v.starts_with(['=', '+', '-', '@']) && v.parse::<f64>().is_err();
    let v = if formula {
        Cow::Owned(format!("'{v}"))
    } else {
        v
    };
    if v.contains([',', '"']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.into_owned()
    }
}

/// A workflow command's message for GitHub Actions (`%`, CR and LF as `%XX`).
pub fn workflow_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value (also `:` and `,`).
pub fn workflow_property(s: &str) -> String {
    workflow_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_shown() {
        assert_eq!(
            visible("a\nb\r\x1b[2J\x07\u{9b}\u{202e}\u{fffe}\t"),
            "a\\nb\\r\\u{1b}[2J\\u{7}\\u{9b}\\u{202e}\\u{fffe}\\t"
        );
        assert_eq!(visible_lines("a\nb\tc\rd"), "a\nb\tc\\rd");
        assert!(matches!(visible("plain é ✓"), Cow::Borrowed(_)));
    }

    #[test]
    fn snippet_spans_follow_the_escapes() {
        let text = "a: \x1b]0;x\x07 b\r\nnext\n";
        let (out, s, e) = snippet(text, 3, 9);
        assert_eq!(out, "a: \\u{1b}]0;x\\u{7} b\nnext\n");
        assert_eq!(&out[s..e], "\\u{1b}]0;x\\u{7}");
    }

    #[test]
    fn markup_and_markdown() {
        assert_eq!(
            markup("a<b & \"c\"\u{1}\u{ffff}\n"),
            "a&lt;b &amp; &quot;c&quot;\\u{1}\\u{ffff}\\n"
        );
        assert_eq!(markdown("a|b\n*c*"), "a\\|b\\\\n\\*c\\*");
    }

    #[test]
    fn csv_fields() {
        assert_eq!(csv_field("=1+2"), "'=1+2");
        assert_eq!(csv_field("-1.5"), "-1.5");
        assert_eq!(csv_field("@SUM(A1), x"), "\"'@SUM(A1), x\"");
        assert_eq!(csv_field("a\nb"), "a\\nb");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn workflow_commands() {
        assert_eq!(workflow_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(workflow_property("a,b:c"), "a%2Cb%3Ac");
    }
}
