//! ADR metadata that lives in the body: adr-tools (`Date:` line, `## Status` section)
//! and MADR 2/3 (`- Status:` bullets). Read into the same mapping front matter gives,
//! with each value's span in the file, so one validator serves every format.

use super::Format;
use crate::parse::markdown::Body;
use crate::parse::yaml::{Node, Value};
use crate::source::{Source, Span};

fn str_node(source: &Source, span: Span) -> Node {
    Node {
        span,
        value: Value::Str(source.slice(span).to_string()),
    }
}

/// Lines of `span` as (span of the trimmed line).
fn lines_in(source: &Source, span: Span) -> Vec<Span> {
    let text = source.slice(span);
    let mut out = Vec::new();
    let mut offset = span.start;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let lead = content.len() - content.trim_start().len();
        let trimmed = content.trim();
        if !trimmed.is_empty() {
            let start = offset + lead;
            out.push(Span::new(start, start + trimmed.len()));
        }
        offset += line.len();
    }
    out
}

/// `Key: value` with the key matched case-insensitively, in bold or not (`**Status**:
/// accepted`, `**Status:** accepted`); returns the key's index and the value's span.
fn key_value(source: &Source, line: Span, keys: &[(&str, &str)]) -> Option<(usize, Span)> {
    let text = source.slice(line);
    // `Date:`, or with the full-width colon of CJK text (`日期：`).
    let colon = text.find([':', '：'])?;
    let width = text[colon..].chars().next().map_or(1, char::len_utf8);
    let key = text[..colon]
        .trim()
        .trim_matches(['*', '_'])
        .trim()
        .to_lowercase();
    let idx = keys.iter().position(|(k, _)| *k == key)?;
    let value = &text[colon + width..];
    let lead = value.len() - value.trim_start_matches(['*', '_', ' ', '\t']).len();
    let mut start = line.start + colon + width + lead;
    let mut value = value[lead..].trim_end();
    // `date: "2025-06-26"`: the quotes are not the value.
    for q in ['"', '\'', '`'] {
        if value.len() >= 2 && value.starts_with(q) && value.ends_with(q) {
            value = &value[1..value.len() - 1];
            start += 1;
            break;
        }
    }
    Some((idx, Span::new(start, start + value.len())))
}

/// The keys of metadata written in the body, as teams write them in the languages ADRs
/// are written in, and the field each is read as.
const BODY_KEYS: &[(&str, &str)] = &[
    ("status", "status"),
    ("statut", "status"),
    ("estado", "status"),
    ("stato", "status"),
    ("状态", "status"),
    ("狀態", "status"),
    ("ステータス", "status"),
    ("상태", "status"),
    ("статус", "status"),
    ("date", "date"),
    ("datum", "date"),
    ("fecha", "date"),
    ("data", "date"),
    ("日期", "date"),
    ("日付", "date"),
    ("날짜", "date"),
    ("дата", "date"),
    ("deciders", "decision-makers"),
    ("decision-makers", "decision-makers"),
    ("décideurs", "decision-makers"),
    ("décisionnaires", "decision-makers"),
    ("decisores", "decision-makers"),
    ("entscheider", "decision-makers"),
    ("决策者", "decision-makers"),
    ("consulted", "consulted"),
    ("consultés", "consulted"),
    ("informed", "informed"),
    ("informés", "informed"),
    ("tags", "tags"),
];

/// Whether `name` is a key teams write their status under (`status`, `statut`, `状态`).
pub fn is_status_key(name: &str) -> bool {
    let name = name.to_lowercase();
    BODY_KEYS.iter().any(|(k, f)| *k == name && *f == "status")
}

/// Front matter in the team's language (`statut: accepté`, `décideurs: …`): each key read
/// as the field it names, where the record does not also use the field's own key. The key
/// keeps its span, so an edit writes where the team wrote.
pub fn read_localized_keys(meta: &mut Node) {
    let Value::Map(entries) = &mut meta.value else {
        return;
    };
    // An alias in another spelling than its field's own: most records have none, and
    // their keys are compared without a copy.
    let aliased = |k: &Node| match k.as_str() {
        // Lowercased once, on the stack: the aliases are at most 16 bytes.
        Some(w) if w.is_ascii() && w.len() <= 16 => {
            let mut lower = [0u8; 16];
            lower[..w.len()].copy_from_slice(w.as_bytes());
            lower.make_ascii_lowercase();
            let lower = &lower[..w.len()];
            BODY_KEYS
                .iter()
                .any(|(alias, field)| alias.as_bytes() == lower && w != *field)
        }
        Some(w) => BODY_KEYS
            .iter()
            .any(|(alias, field)| same_key(w, alias) && w != *field),
        None => k.scalar_text().is_some(),
    };
    if !entries.iter().any(|(k, _)| aliased(k)) {
        return;
    }
    let present: Vec<String> = entries
        .iter()
        .filter_map(|(k, _)| k.scalar_text())
        .collect();
    let mut taken: Vec<&str> = Vec::new();
    for (k, _) in entries.iter_mut() {
        let Some(written) = k.scalar_text() else {
            continue;
        };
        let lower = written.to_lowercase();
        if let Some((_, field)) = BODY_KEYS.iter().find(|(alias, _)| *alias == lower)
            && written != *field
            && !present.iter().any(|p| p == field)
            && !taken.contains(field)
        {
            taken.push(field);
            k.value = Value::Str((*field).to_string());
        }
    }
}

/// Whether a written key is `alias` in some case (`alias` is lowercase).
fn same_key(written: &str, alias: &str) -> bool {
    if written.is_ascii() {
        written.eq_ignore_ascii_case(alias)
    } else {
        written.to_lowercase() == alias
    }
}

/// The keys a line outside a list may carry (`Date: 2020-01-02`, `Status: Accepted`):
/// prose rarely opens with them.
fn line_key(name: &str) -> bool {
    matches!(name, "status" | "date")
}

/// Metadata found in the body, as a mapping, and the format it was written in.
pub fn body_metadata(source: &Source, body: &Body) -> Option<(Node, Format)> {
    // The preamble: between the title and the first section.
    let first_section = body
        .headings
        .iter()
        .find(|h| h.level >= 2)
        .map_or(body.end, |h| h.span.start);
    let preamble_start = body
        .title()
        .map_or(body.start, |t| t.span.end)
        .min(first_section);
    let preamble = Span::new(preamble_start, first_section);

    let mut entries: Vec<(Node, Node)> = Vec::new();
    let mut format = Format::None;
    let (mut in_comment, mut in_fence) = (false, false);
    for line in lines_in(source, preamble) {
        let text = source.slice(line);
        // Metadata inside an HTML comment or a code block is not the record's.
        let hidden = in_comment || in_fence;
        if in_comment {
            in_comment = !text.contains("-->");
        } else if text.starts_with("```") || text.starts_with("~~~") {
            in_fence = !in_fence;
        } else if !in_fence && let Some(at) = text.find("<!--") {
            in_comment = !text[at..].contains("-->");
        }
        if hidden || text.starts_with("```") || text.starts_with("~~~") {
            continue;
        }
        let has = |entries: &[(Node, Node)], name: &str| {
            entries.iter().any(|(k, _)| k.as_str() == Some(name))
        };
        if let Some(rest) = text.strip_prefix(['-', '*']) {
            let lead = text.len() - rest.trim_start().len();
            let item = Span::new(line.start + lead, line.end);
            if let Some((idx, mut value)) = key_value(source, item, BODY_KEYS) {
                // `* Status: proposed <!-- owner: ana -->`: the comment is not the value.
                if let Some(at) = source.slice(value).find("<!--") {
                    let kept = source.slice(value)[..at].trim_end().len();
                    value = Span::new(value.start, value.start + kept);
                }
                let (written, name) = BODY_KEYS[idx];
                if !has(&entries, name) {
                    let key_at = item.start
                        + source
                            .slice(item)
                            .find(|c: char| c.is_alphabetic())
                            .unwrap_or(0);
                    let key_span = Span::new(key_at, key_at + written.len());
                    entries.push((key(name, key_span), str_node(source, value)));
                    format = Format::Bullets;
                }
            }
        } else if let Some((idx, value)) = key_value(source, line, BODY_KEYS)
            && line_key(BODY_KEYS[idx].1)
            && !has(&entries, BODY_KEYS[idx].1)
        {
            let (written, name) = BODY_KEYS[idx];
            let key_at = line.start + text.find(|c: char| c.is_alphabetic()).unwrap_or(0);
            let key_span = Span::new(key_at, key_at + written.len());
            entries.push((key(name, key_span), str_node(source, value)));
            if format == Format::None {
                format = Format::AdrTools;
            }
        }
    }

    if let Some(section) = status_heading(body) {
        format = Format::AdrTools;
        let mut status: Option<Node> = None;
        let mut supersedes = Vec::new();
        let mut links = Vec::new();
        let (mut amends, mut amended_by) = (Vec::new(), Vec::new());
        for (para, part) in status_section(source, section.content) {
            let text = source.slice(para);
            match part {
                StatusPart::Supersedes => {
                    let target = link_span(text).map_or(para, |s| s.shift(para.start));
                    supersedes.push(str_node(source, target));
                }
                StatusPart::Status => status = Some(paragraph_node(source, para)),
                StatusPart::Link => {
                    if let Some(link) = link_span(text) {
                        links.push(str_node(source, link.shift(para.start)));
                    }
                }
                StatusPart::Amends | StatusPart::AmendedBy => {
                    if let Some(link) = link_span(text) {
                        let list = if part == StatusPart::Amends {
                            &mut amends
                        } else {
                            &mut amended_by
                        };
                        list.push(str_node(source, link.shift(para.start)));
                        // Read as a link too, as before: lists and graphs show it.
                        links.push(str_node(source, link.shift(para.start)));
                    }
                }
                StatusPart::Other => {}
            }
        }
        if let Some(status) = status {
            entries.push((key("status", section.heading.span), status));
        }
        if !supersedes.is_empty() {
            entries.push((key("supersedes", section.heading.span), seq(supersedes)));
        }
        if !amends.is_empty() {
            entries.push((key("amends", section.heading.span), seq(amends)));
        }
        if !amended_by.is_empty() {
            entries.push((key("amended-by", section.heading.span), seq(amended_by)));
        }
        if !links.is_empty() {
            entries.push((key("links", section.heading.span), seq(links)));
        }
    }
    // A metadata table above the first section (`| Created | Status |`), for what
    // nothing else said.
    let top = Span::new(body.start, first_section);
    for (name, value) in metadata_table(source, top) {
        if !entries.iter().any(|(k, _)| k.as_str() == Some(name)) {
            entries.push((key(name, value), str_node(source, value)));
            if format == Format::None {
                format = Format::AdrTools;
            }
        }
    }
    if entries.is_empty() {
        return None;
    }
    let span = Span::new(
        entries[0].0.span.start,
        entries.last().map_or(0, |(_, v)| v.span.end),
    );
    Some((
        Node {
            span,
            value: Value::Map(entries),
        },
        format,
    ))
}

/// The fields of a table of metadata (`| Created | Status |` over `| 2021-01-16 | Open |`):
/// each known column with the span of its first row's cell.
fn metadata_table(source: &Source, span: Span) -> Vec<(&'static str, Span)> {
    let rows: Vec<Span> = lines_in(source, span)
        .into_iter()
        .skip_while(|l| !source.slice(*l).starts_with('|'))
        .take_while(|l| source.slice(*l).starts_with('|'))
        .collect();
    let [header, rule, first, ..] = rows.as_slice() else {
        return Vec::new();
    };
    if !source.slice(*rule).chars().all(|c| "|-: ".contains(c)) {
        return Vec::new();
    }
    let cells = |row: Span| -> Vec<Span> {
        let text = source.slice(row);
        let mut out = Vec::new();
        let mut at = 0;
        // A bar after a backslash is part of its cell (`proposed \| draft`).
        let mut escaped = false;
        let bars = text.char_indices().filter(|&(_, c)| {
            let bar = c == '|' && !escaped;
            escaped = c == '\\' && !escaped;
            bar
        });
        let ends: Vec<usize> = bars.map(|(i, _)| i).chain([text.len()]).collect();
        for end in ends {
            let cell = &text[at..end];
            let lead = cell.len() - cell.trim_start().len();
            let start = row.start + at + lead;
            out.push(Span::new(start, start + cell.trim().len()));
            at = (end + 1).min(text.len());
        }
        // The empty cells outside the first and last bars.
        out.into_iter().skip(1).collect::<Vec<_>>()
    };
    let values = cells(*first);
    cells(*header)
        .into_iter()
        .zip(values)
        .filter_map(|(h, v)| {
            let name = source.slice(h).trim_matches(['*', '_']).to_lowercase();
            let field = match name.as_str() {
                "created" | "created at" | "erstellt" | "créé" | "créée" => "date",
                other => BODY_KEYS.iter().find(|(k, _)| *k == other)?.1,
            };
            (matches!(field, "status" | "date") && !source.slice(v).is_empty())
                .then_some((field, v))
        })
        .collect()
}

/// How a status section is headed, in the languages ADRs are written in.
const STATUS_HEADINGS: &[&str] = &[
    "status",
    "decision status",
    "statut",
    "estado",
    "stato",
    "zustand",
    "状态",
    "狀態",
    "ステータス",
    "상태",
    "статус",
];

/// Whether [`body_metadata`] could find anything in the body `text[span]`, from a scan of
/// its lines that parses nothing: false only when no line could give it a key (a `key:`
/// line or bullet, a table's header cell) or a status section. Conservative: a line that
/// markup could make a status heading counts. A list reads the body whole only when true.
pub fn may_have_body_metadata(text: &str, span: Span) -> bool {
    let body = &text[span.range()];
    let bytes = body.as_bytes();
    // One pass; most bytes are none of these.
    const MARKS: [bool; 256] = {
        let mut marks = [false; 256];
        let mut i = 0;
        while i < 5 {
            marks[[b'\n', b'\r', b':', b'#', b'|'][i] as usize] = true;
            i += 1;
        }
        marks[0xEF] = true; // the first byte of `：`
        marks
    };
    let (mut line_start, mut run_start) = (0, 0);
    let (mut heading, mut table) = (false, false);
    let mut next = 0;
    while next <= bytes.len() {
        let i = next
            + bytes[next..]
                .iter()
                .position(|&b| MARKS[usize::from(b)])
                .unwrap_or(bytes.len() - next);
        next = i + 1;
        // The end of the body ends its last line.
        match bytes.get(i).copied().unwrap_or(b'\n') {
            // A line break CommonMark sees and a split at `\n` does not.
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => return true,
            // Keys of lines and bullets: the text before a colon ends with a key
            // (`key_value` reads the text before the first one, trimmed of space, `*`, `_`).
            b':' if ends_with_key(&body[line_start..i]) => return true,
            0xEF if body[i..].starts_with('：') && ends_with_key(&body[line_start..i]) => {
                return true;
            }
            b'#' => heading = true,
            // A table's row (`lines_in` trims lines as `trim` does).
            b'|' if !table && body[line_start..i].trim().is_empty() => table = true,
            b'\n' => {
                let line = &body[line_start..i];
                // A table's header cell naming a key.
                if table {
                    let lower = line.to_lowercase();
                    let named = |k: &str| lower.contains(k);
                    if BODY_KEYS.iter().any(|(k, _)| named(k))
                        || ["created", "erstellt", "créé"].into_iter().any(named)
                    {
                        return true;
                    }
                }
                // An ATX heading's line.
                if heading && could_name_status(line) {
                    return true;
                }
                match line.bytes().find(|b| !matches!(b, b' ' | b'\t' | b'\r')) {
                    None => run_start = i + 1,
                    // A setext underline (`---`, `===`, in a quote or a list item or not)
                    // under a paragraph that could name a status.
                    Some(b'=' | b'-' | b'>' | b'*' | b'+' | b'0'..=b'9') => {
                        let mut marks = line
                            .chars()
                            .filter(|c| !matches!(c, ' ' | '\t' | '>' | '\r'));
                        let underline = marks.clone().all(|c| "=-*+.)0123456789".contains(c))
                            && marks.any(|c| c == '=' || c == '-');
                        if underline && body[run_start..line_start].lines().any(could_name_status) {
                            return true;
                        }
                    }
                    Some(_) => {}
                }
                line_start = i + 1;
                (heading, table) = (false, false);
            }
            _ => {}
        }
    }
    false
}

/// Whether `before` (a line up to a colon), trimmed as `key_value` trims a key, ends with
/// one of the body's keys, in any case.
fn ends_with_key(before: &str) -> bool {
    let before = before.trim_end_matches(|c: char| c.is_whitespace() || c == '*' || c == '_');
    if before.is_ascii() {
        let b = before.as_bytes();
        return BODY_KEYS.iter().any(|(k, _)| {
            k.len() <= b.len() && b[b.len() - k.len()..].eq_ignore_ascii_case(k.as_bytes())
        });
    }
    // The longest key is 15 characters, and lowercasing never shortens one.
    let tail_at = before.char_indices().rev().nth(15).map_or(0, |(i, _)| i);
    let tail = before[tail_at..].to_lowercase();
    BODY_KEYS.iter().any(|(k, _)| tail.ends_with(k))
}

/// Whether a heading's line could read as a status heading: it names one, or holds
/// markup (code, emphasis, links, HTML, entities, escapes) that could join its letters.
fn could_name_status(line: &str) -> bool {
    let bytes = line.as_bytes();
    let (mut ascii, mut st) = (true, false);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'&' | b'\\' | b'`' | b'*' | b'_' | b'<' | b'[' | b']' | b'!' | b'~' => return true,
            b't' | b'T' if i > 0 && bytes[i - 1] | 0x20 == b's' => st = true,
            0x80.. => ascii = false,
            _ => {}
        }
    }
    if ascii && !st {
        return false;
    }
    if ascii {
        // Each heading in Latin letters, by where its `st` stands in it (`decision
        // status` holds `status`).
        const LATIN: [(&str, usize); 5] = [
            ("status", 0),
            ("statut", 0),
            ("stato", 0),
            ("estado", 1),
            ("zustand", 2),
        ];
        debug_assert!(LATIN.iter().all(|(h, at)| h[*at..].starts_with("st")));
        return (1..bytes.len()).any(|i| {
            bytes[i - 1].eq_ignore_ascii_case(&b's')
                && bytes[i].eq_ignore_ascii_case(&b't')
                && LATIN.iter().any(|(h, at)| {
                    (i - 1)
                        .checked_sub(*at)
                        .and_then(|from| bytes.get(from..from + h.len()))
                        .is_some_and(|w| w.eq_ignore_ascii_case(h.as_bytes()))
                })
        });
    }
    let lower = line.to_lowercase();
    STATUS_HEADINGS.iter().any(|h| lower.contains(h))
}

/// The record's status section: `## Status`, or its name in another language.
pub fn status_heading(body: &Body) -> Option<crate::parse::markdown::Section<'_>> {
    STATUS_HEADINGS.iter().find_map(|name| body.section(name))
}

/// What a paragraph of an adr-tools `## Status` section says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusPart {
    /// The status itself: the first paragraph, as adr-tools writes it.
    Status,
    /// `Supersedes [1. Old](0001-old.md)`.
    Supersedes,
    /// `Amends [5. Help comments](0005-help-comments.md)`, as `adr new -l` writes it.
    Amends,
    /// `Amended by [9. Help scripts](0009-help-scripts.md)`.
    AmendedBy,
    /// A short relation line to another record: `Clarified by [9. Help](0009-help.md)`.
    Link,
    /// Anything else: comments, dated notes, prose, links to the web.
    Other,
}

/// The paragraphs of a `## Status` section, each with what it says.
pub fn status_section(source: &Source, content: Span) -> Vec<(Span, StatusPart)> {
    let mut seen_status = false;
    let mut in_comment = false;
    let mut in_fence = false;
    paragraphs(source, content)
        .into_iter()
        .map(|para| {
            let text = source.slice(para);
            // Markup that is not prose: HTML comments and fenced code (which may span
            // blank lines), headings, quotes, lists and indented code are never a status.
            let structural = in_comment || in_fence || is_markup(source, para);
            for line in text.lines() {
                let t = line.trim_start();
                if in_comment {
                    in_comment = !line.contains("-->");
                } else if t.starts_with("```") || t.starts_with("~~~") {
                    in_fence = !in_fence;
                } else if !in_fence && line.contains("<!--") {
                    in_comment = !line[line.find("<!--").unwrap_or(0)..].contains("-->");
                }
            }
            let lower = text.to_lowercase();
            let lower = lower.trim_start_matches(['*', '_']);
            let ids = supersede_targets(text);
            let part = if structural {
                StatusPart::Other
            } else if lower.starts_with("supersedes") || lower.starts_with("supercedes") {
                // Moved into front matter only when it names exactly one record by a
                // link to its file; anything else stays in the body as written.
                if ids == 1 && is_relation_line(text) {
                    StatusPart::Supersedes
                } else {
                    StatusPart::Other
                }
            } else if (lower.starts_with("amends ") || lower.starts_with("amended by "))
                && ids == 1
                && is_relation_line(text)
            {
                if lower.starts_with("amends") {
                    StatusPart::Amends
                } else {
                    StatusPart::AmendedBy
                }
            } else if !seen_status {
                seen_status = true;
                StatusPart::Status
            } else if ids == 1 && is_relation_line(text) {
                StatusPart::Link
            } else {
                StatusPart::Other
            };
            (para, part)
        })
        .collect()
}

/// Whether a paragraph opens with markdown structure rather than text.
fn is_markup(source: &Source, para: Span) -> bool {
    let text = source.slice(para);
    let line_start = source.text[..para.start].rfind('\n').map_or(0, |i| i + 1);
    let indent = source.text[line_start..para.start]
        .chars()
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum::<usize>();
    indent >= 4
        || text.starts_with(['#', '>', '<', '|', '-', '+', '`', '~'])
        || text.starts_with("* ")
        || {
            // A numbered list item: `1. …` or `1) …` (a date such as `2017-11-22 …` is not).
            let digits = text.chars().take_while(char::is_ascii_digit).count();
            digits > 0 && (text[digits..].starts_with(". ") || text[digits..].starts_with(") "))
        }
}

/// How many links of a paragraph point at a markdown file of the repository.
fn supersede_targets(text: &str) -> usize {
    let mut count = 0;
    let mut rest = text;
    while let Some(l) = link_span(rest) {
        let link = &rest[l.range()];
        let target = link
            .rsplit_once("](")
            .map_or("", |(_, t)| t.trim_end_matches(')'));
        let target = target.strip_prefix("./").unwrap_or(target);
        // A record of the same log: a numbered markdown file beside this one.
        let sibling = !target.contains('/')
            && target.to_ascii_lowercase().ends_with(".md")
            && super::refs::number_of_file_name(target).is_some();
        if is_local_link(link) && sibling {
            count += 1;
        } else {
            return usize::MAX;
        }
        rest = &rest[l.end..];
    }
    count
}

/// Whether a `[label](target)` points at a file of the repository (not a web address).
pub fn is_local_link(link: &str) -> bool {
    let target = link
        .rsplit_once("](")
        .map_or("", |(_, t)| t.trim_end_matches(')'));
    !target.is_empty() && !target.contains("://") && !target.starts_with("mailto:")
}

/// One line of a few words around one link: `Amended by [9. Help](0009-help.md)`.
fn is_relation_line(text: &str) -> bool {
    !text.contains('\n') && link_span(text).is_some_and(|l| words_outside(text, l) <= 4)
}

fn words_outside(text: &str, link: Span) -> usize {
    let outside = format!("{} {}", &text[..link.start], &text[link.end..]);
    outside
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// Whether a status paragraph is a status alone (`Accepted`, `Superseded by [3. X](…)`,
/// `2017-11-22 proposed`) rather than prose that mentions one: one line, a few words
/// besides at most one link, no second sentence.
pub fn is_bare_status(text: &str) -> bool {
    let text = text.trim();
    if text.is_empty() || text.contains('\n') {
        return false;
    }
    let (words, rest) = match link_span(text) {
        Some(l) => (
            words_outside(text, l),
            format!("{} {}", &text[..l.start], &text[l.end..]),
        ),
        None => (words_outside(text, Span::empty(0)), text.to_string()),
    };
    let rest = rest.trim().trim_end_matches(['.', '*', '_']);
    words <= 4 && !rest.contains(". ")
}

/// Paragraphs of `span` (runs of non-blank lines), each as the span from its first
/// line's text to its last line's.
fn paragraphs(source: &Source, span: Span) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    let mut last_end = None;
    for line in lines_in(source, span) {
        let joined = last_end.is_some_and(|end: usize| {
            !source.slice(Span::new(end, line.start)).contains("\n\n")
                && !source.slice(Span::new(end, line.start)).contains("\n\r\n")
        });
        match out.last_mut() {
            Some(p) if joined => p.end = line.end,
            _ => out.push(line),
        }
        last_end = Some(line.end);
    }
    out
}

/// A paragraph as one string value (its lines joined by spaces), spanning all of it.
fn paragraph_node(source: &Source, span: Span) -> Node {
    let text = source
        .slice(span)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    Node {
        span,
        value: Value::Str(text),
    }
}

fn key(name: &str, span: Span) -> Node {
    Node {
        span,
        value: Value::Str(name.to_string()),
    }
}

fn seq(items: Vec<Node>) -> Node {
    let span = Span::new(
        items.first().map_or(0, |n| n.span.start),
        items.last().map_or(0, |n| n.span.end),
    );
    Node {
        span,
        value: Value::Seq(items),
    }
}

/// Span (relative to `text`) of the first `[label](target)` in it.
fn link_span(text: &str) -> Option<Span> {
    let start = text.find('[')?;
    let mid = start + text[start..].find("](")?;
    let end = mid + text[mid..].find(')')? + 1;
    Some(Span::new(start, end))
}

/// adr-tools titles are `1. Record architecture decisions`: the number is not the title.
pub fn strip_number(title: &str) -> &str {
    let digits = title.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0
        && let Some(rest) = title[digits..].strip_prefix(". ")
    {
        return rest.trim_start();
    }
    title
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown;

    fn meta(text: &str) -> (Node, Format, Source) {
        let source = Source::new("x.md", text.to_string());
        let body = markdown::parse(&source.text, Span::new(0, text.len()));
        let (node, format) = body_metadata(&source, &body).unwrap();
        (node, format, source)
    }

    #[test]
    fn adr_tools_file() {
        let text = "# 2. Use X\n\nDate: 2016-02-12\n\n## Status\n\nAccepted\n\nSupersedes [1. Old](0001-old.md)\n\nAmended by [9. Help](0009-help.md)\n\n## Context\n\nWhy.\n";
        let (node, format, source) = meta(text);
        assert_eq!(format, Format::AdrTools);
        assert_eq!(node.get("status").unwrap().as_str(), Some("Accepted"));
        assert_eq!(source.slice(node.get("date").unwrap().span), "2016-02-12");
        let Value::Seq(sup) = &node.get("supersedes").unwrap().value else {
            panic!()
        };
        assert_eq!(sup[0].as_str(), Some("[1. Old](0001-old.md)"));
        let Value::Seq(by) = &node.get("amended-by").unwrap().value else {
            panic!()
        };
        assert_eq!(by[0].as_str(), Some("[9. Help](0009-help.md)"));
        assert!(node.get("amends").is_none());
        assert!(node.get("links").is_some(), "still read as a link");
    }

    #[test]
    fn superseded_adr_tools_file() {
        let text = "# 1. Old\n\nDate: 2016-02-12\n\n## Status\n\nSuperceded by [2. New](0002-new.md)\n\n## Context\n";
        let (node, _, _) = meta(text);
        assert_eq!(
            node.get("status").unwrap().as_str(),
            Some("Superceded by [2. New](0002-new.md)")
        );
    }

    #[test]
    fn a_status_paragraph_may_wrap() {
        let text = "# 7. X\n\n## Status\n\nPartially superseded by [ADR\n10](0010-y.md)\n\nMore.\n\n## Context\n";
        let (node, _, source) = meta(text);
        let status = node.get("status").unwrap();
        assert_eq!(
            status.as_str(),
            Some("Partially superseded by [ADR 10](0010-y.md)")
        );
        assert!(source.slice(status.span).ends_with("(0010-y.md)"));
    }

    #[test]
    fn madr2_bullets() {
        let text = "# Use MADR\n\n- Status: accepted\n* Deciders: Ana, Bo\n- Date: 2020-09-24\n\n## Context and Problem Statement\n";
        let (node, format, source) = meta(text);
        assert_eq!(format, Format::Bullets);
        assert_eq!(node.get("status").unwrap().as_str(), Some("accepted"));
        assert_eq!(
            node.get("decision-makers").unwrap().as_str(),
            Some("Ana, Bo")
        );
        assert_eq!(source.slice(node.get("date").unwrap().span), "2020-09-24");
    }

    #[test]
    fn numbers_leave_titles() {
        assert_eq!(
            strip_number("1. Record architecture decisions"),
            "Record architecture decisions"
        );
        assert_eq!(strip_number("2024 plans"), "2024 plans");
    }
}
