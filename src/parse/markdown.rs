//! The markdown body: headings, sections and links, with byte spans.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::source::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    /// The heading's text, inline markup removed.
    pub text: String,
    /// `text` as [`normalize_heading`] gives it: made once, compared by every rule
    /// that looks for a section.
    pub normalized: String,
    /// The whole heading line(s).
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub dest: String,
    /// The link's text as written.
    pub text: String,
    pub span: Span,
}

/// What the checks need from a body, parsed once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    /// Start of the body (after the front matter).
    pub start: usize,
    /// End of the body, for the extent of the last section.
    pub end: usize,
}

/// A `##`-style section: a heading and the span of its content up to the next heading
/// of the same or a higher level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section<'a> {
    pub heading: &'a Heading,
    pub content: Span,
}

impl Body {
    /// The first level-1 heading.
    pub fn title(&self) -> Option<&Heading> {
        self.headings.iter().find(|h| h.level == 1)
    }

    pub fn sections(&self) -> impl Iterator<Item = Section<'_>> {
        self.headings.iter().enumerate().map(|(i, h)| {
            let end = self.headings[i + 1..]
                .iter()
                .find(|n| n.level <= h.level)
                .map_or(self.end, |n| n.span.start);
            Section {
                heading: h,
                content: Span::new(h.span.end, end),
            }
        })
    }

    /// The section whose heading matches `name` (case, surrounding space, trailing `:`
    /// and numbering like `1.` ignored).
    pub fn section(&self, name: &str) -> Option<Section<'_>> {
        let want = normalize_heading(name);
        self.sections()
            .find(|s| s.heading.level >= 2 && s.heading.normalized == want)
    }
}

/// Lowercase, without a leading number (`1.`), emoji, or trailing colon.
pub fn normalize_heading(text: &str) -> String {
    let t = text.trim();
    let t = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ');
    let t = t.trim_start_matches(|c: char| !c.is_alphanumeric());
    let t = t.trim_end_matches([':', ' ']);
    if t.is_ascii() {
        t.to_ascii_lowercase()
    } else {
        t.to_lowercase()
    }
}

/// Parses `text[span]` (the body) and reports spans relative to `text`.
pub fn parse(text: &str, span: Span) -> Body {
    let body = &text[span.range()];
    let mut out = Body {
        start: span.start,
        end: span.end,
        ..Body::default()
    };
    let mut heading: Option<(u8, usize, String)> = None;
    let mut link: Option<(String, usize, String)> = None;
    let parser = Parser::new_ext(body, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level_number(level), range.start, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, start, text)) = heading.take() {
                    let end = trim_line_end(body, range.end);
                    let text = text.trim().to_string();
                    out.headings.push(Heading {
                        level,
                        normalized: normalize_heading(&text),
                        text,
                        span: Span::new(start, end).shift(span.start),
                    });
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                link = Some((dest_url.into_string(), range.start, String::new()));
            }
            Event::End(TagEnd::Link) => {
                if let Some((dest, start, text)) = link.take() {
                    out.links.push(Link {
                        dest,
                        text,
                        span: Span::new(start, range.end).shift(span.start),
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, s)) = heading.as_mut() {
                    s.push_str(&t);
                }
                if let Some((_, _, s)) = link.as_mut() {
                    s.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, _, s)) = heading.as_mut() {
                    s.push(' ');
                }
            }
            _ => {}
        }
    }
    out
}

/// The title [`parse`] finds (the first level-1 heading), when the body opens with it as
/// a plain `# Title` line: only blank lines before it, and none of the characters that
/// inline markup is made of (code, emphasis, links, HTML, entities, escapes) nor a
/// control character in it. `None` says nothing about the body: parse it.
pub fn leading_title(text: &str, span: Span) -> Option<Heading> {
    let body = &text[span.range()];
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        let content = line.strip_suffix('\n').unwrap_or(line);
        if content.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
            at += line.len();
            continue;
        }
        let content = content.strip_suffix('\r').unwrap_or(content);
        let title = content.strip_prefix("# ")?;
        let plain = !title.is_empty()
            && title.trim() == title
            && !title.chars().any(|c| {
                c.is_control()
                    || matches!(
                        c,
                        '\\' | '`'
                            | '*'
                            | '_'
                            | '['
                            | ']'
                            | '<'
                            | '>'
                            | '&'
                            | '!'
                            | '~'
                            | '|'
                            | '#'
                    )
            });
        if !plain {
            return None;
        }
        let start = span.start + at;
        return Some(Heading {
            level: 1,
            text: title.to_string(),
            normalized: normalize_heading(title),
            span: Span::new(start, start + content.len()),
        });
    }
    None
}

/// The parts of `text[span]` (a body) that are written for people to read verbatim, not
/// references: code blocks (fenced or indented), inline code and HTML comments. Spans
/// are relative to `text`, in order, not overlapping.
pub fn verbatim_spans(text: &str, span: Span) -> Vec<Span> {
    let body = &text[span.range()];
    let mut out: Vec<Span> = Vec::new();
    let mut push = |start: usize, end: usize| {
        let s = Span::new(start + span.start, end + span.start);
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    };
    let parser = Parser::new_ext(body, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    let (mut code_block, mut html_block): (Option<usize>, Option<usize>) = (None, None);
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => code_block = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = code_block.take() {
                    push(start, range.end);
                }
            }
            Event::Code(_) => push(range.start, range.end),
            // An HTML block comes line by line: its comments are looked for in all of it.
            Event::Start(Tag::HtmlBlock) => html_block = Some(range.start),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(start) = html_block.take() {
                    comments(&body[start..range.end], start, &mut push);
                }
            }
            Event::InlineHtml(h) => comments(&h, range.start, &mut push),
            _ => {}
        }
    }
    out
}

/// Each `<!-- … -->` of `html` (which starts at `at`), unclosed ones to its end.
fn comments(html: &str, at: usize, push: &mut impl FnMut(usize, usize)) {
    let mut from = 0;
    while let Some(open) = html[from..].find("<!--") {
        let open = from + open;
        let close = html[open + 4..]
            .find("-->")
            .map_or(html.len(), |c| open + 4 + c + 3);
        push(at + open, at + close);
        from = close;
    }
}

fn trim_line_end(text: &str, end: usize) -> usize {
    let slice = &text[..end];
    slice.trim_end_matches(['\n', '\r']).len()
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_sections_and_links() {
        let text = "---\na: 1\n---\n# Use `Postgres`\n\n## Context and Problem Statement\n\nSee [ADR 2](0002-x.md).\n\n## Decision Outcome\n\nChosen.\n";
        let start = text.find("# Use").unwrap();
        let body = parse(text, Span::new(start, text.len()));
        assert_eq!(body.title().unwrap().text, "Use Postgres");
        assert_eq!(
            &text[body.title().unwrap().span.range()],
            "# Use `Postgres`"
        );
        let ctx = body.section("context and problem statement").unwrap();
        assert!(text[ctx.content.range()].contains("See [ADR 2]"));
        assert!(!text[ctx.content.range()].contains("Chosen"));
        assert_eq!(body.links.len(), 1);
        assert_eq!(body.links[0].dest, "0002-x.md");
        assert_eq!(&text[body.links[0].span.range()], "[ADR 2](0002-x.md)");
    }

    #[test]
    fn verbatim_parts_are_code_and_comments() {
        let text = "# T\n\nSee ADR-1 and `ADR-2`.\n\n```\nADR-3\n```\n\n    ADR-4\n\n<!-- ADR-5\nstill ADR-8 -->\n\nx <!-- ADR-6 --> y <b>ADR-7</b>\n";
        let spans = verbatim_spans(text, Span::new(0, text.len()));
        let verbatim: Vec<&str> = spans.iter().map(|s| &text[s.range()]).collect();
        for hidden in ["ADR-2", "ADR-3", "ADR-4", "ADR-5", "ADR-6", "ADR-8"] {
            assert!(
                verbatim.iter().any(|v| v.contains(hidden)),
                "{hidden}: {verbatim:?}"
            );
        }
        for seen in ["ADR-1", "ADR-7", "still -->\n\nx"] {
            assert!(
                !verbatim.iter().any(|v| v.contains(seen)),
                "{seen}: {verbatim:?}"
            );
        }
    }

    #[test]
    fn heading_names_are_normalized() {
        assert_eq!(normalize_heading("1. Context:"), "context");
        assert_eq!(normalize_heading("✅ Decision Outcome"), "decision outcome");
    }
}
