//! Splits a file into its YAML front matter block and its markdown body.
//!
//! Front matter is the block between a first line `---` and the next line `---` or
//! `...`, at the very start of the file (after an optional UTF-8 BOM). CRLF is accepted.

use crate::source::Span;

/// Where the parts of a file are, as byte spans into its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The front matter block, if the file opens with `---`.
    pub front_matter: Option<FrontMatter>,
    /// The markdown after the front matter (the whole file when there is none).
    pub body: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatter {
    /// The opening `---` line, without its line ending.
    pub open: Span,
    /// The YAML between the fences (empty when the block is empty).
    pub yaml: Span,
    /// The closing `---`/`...` line; `None` when the block is never closed.
    pub close: Option<Span>,
}

/// Iterates over lines as (start, end-without-line-ending, next-start).
fn lines(text: &str, from: usize) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let mut pos = from;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let start = pos;
        let (end, next) = match text[start..].find('\n') {
            Some(i) => (start + i, start + i + 1),
            None => (text.len(), text.len()),
        };
        pos = next;
        let end = if text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        Some((start, end, next))
    })
}

fn is_fence(line: &str, closing: bool) -> bool {
    let line = line.trim_end_matches([' ', '\t']);
    line == "---" || (closing && line == "...")
}

/// Splits `text`; never fails: an unclosed block is reported through `close: None`.
pub fn split(text: &str) -> Split {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut it = lines(text, start);
    let Some((open_start, open_end, yaml_start)) = it.next() else {
        return Split {
            front_matter: None,
            body: Span::new(start, text.len()),
        };
    };
    if !is_fence(&text[open_start..open_end], false) {
        return Split {
            front_matter: None,
            body: Span::new(start, text.len()),
        };
    }
    let open = Span::new(open_start, open_end);
    for (s, e, next) in it {
        if is_fence(&text[s..e], true) {
            return Split {
                front_matter: Some(FrontMatter {
                    open,
                    yaml: Span::new(yaml_start, s),
                    close: Some(Span::new(s, e)),
                }),
                body: Span::new(next, text.len()),
            };
        }
    }
    Split {
        front_matter: Some(FrontMatter {
            open,
            yaml: Span::new(yaml_start, text.len()),
            close: None,
        }),
        body: Span::new(start, text.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> (Option<(&str, bool)>, &str) {
        let s = split(text);
        let fm = s
            .front_matter
            .map(|f| (&text[f.yaml.range()], f.close.is_some()));
        (fm, &text[s.body.range()])
    }

    #[test]
    fn plain_front_matter() {
        assert_eq!(
            parts("---\nstatus: accepted\n---\n# T\n"),
            (Some(("status: accepted\n", true)), "# T\n")
        );
    }

    #[test]
    fn crlf_and_bom() {
        assert_eq!(
            parts("\u{feff}---\r\na: 1\r\n---\r\nbody\r\n"),
            (Some(("a: 1\r\n", true)), "body\r\n")
        );
    }

    #[test]
    fn dots_close_and_trailing_spaces_are_allowed() {
        assert_eq!(parts("---  \na: 1\n...\nx"), (Some(("a: 1\n", true)), "x"));
    }

    #[test]
    fn a_rule_later_in_the_file_is_body() {
        assert_eq!(
            parts("# T\n---\na: 1\n---\n"),
            (None, "# T\n---\na: 1\n---\n")
        );
    }

    #[test]
    fn unclosed_block_is_reported_and_the_file_stays_body() {
        let (fm, body) = parts("---\na: 1\n# T\n");
        assert_eq!(fm, Some(("a: 1\n# T\n", false)));
        assert_eq!(body, "---\na: 1\n# T\n");
    }

    #[test]
    fn empty_block_and_empty_file() {
        assert_eq!(parts("---\n---\n"), (Some(("", true)), ""));
        assert_eq!(parts(""), (None, ""));
        assert_eq!(parts("----\n"), (None, "----\n"));
    }
}
