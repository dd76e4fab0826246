//! Reading files into Documents: bytes → text → front matter → YAML → body → fields.

use std::path::PathBuf;

use rayon::prelude::*;

use super::adr::{body_metadata, may_have_body_metadata, strip_number};
use super::kinds::read::refs_with;
use super::kinds::{self, ReadContext};
use super::refs::{format_id, is_label, number_of_file_name};
use super::rules::{
    FRONT_MATTER, INVALID_FILENAME, INVALID_VALUE, NON_CANONICAL_STATUS, UNREADABLE_FILE,
    WRONG_TYPE, YAML_SYNTAX,
};
use super::spec::{FieldSpec, FieldType};
use super::status::{normalize, status_word};
use super::validate::Validator;
use super::{AdrStatus, Document, Fields, Format, Kind, Settings, Text};
use crate::diagnostic::{Diagnostic, Severity};
use crate::files::{ReadRefusal, read_checked, read_file};
use crate::parse::scalar::requote;
use crate::parse::yaml::{self, Node, Value};
use crate::parse::{frontmatter, markdown};
use crate::source::{Source, Span};

/// Largest document read; anything bigger is reported, not parsed.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// A file to read as a document of a kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentFile {
    pub path: PathBuf,
    /// Relative to the repository root, `/`-separated.
    pub rel: String,
    pub kind: Kind,
}

/// Reads and parses files in parallel; the result keeps the input order.
pub fn load_documents(files: &[DocumentFile], settings: &Settings) -> Vec<Document> {
    files
        .par_iter()
        .map(|f| load_document(f, settings))
        .collect()
}

pub fn load_document(file: &DocumentFile, settings: &Settings) -> Document {
    let text = read_bytes(file).and_then(|bytes| decode(&file.rel, bytes));
    from_text(file.kind, &file.rel, text, settings, Depth::Full)
}

/// How much of a document is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Everything the checks read: the whole body, every finding.
    Full,
    /// What a list's row shows (id, title, status, the kind's fields, format): the front
    /// matter, and of the body only its title and, for an ADR, the metadata it may hold.
    /// The body is parsed whole only where that cannot be ruled out by a scan of its
    /// lines; the findings that only the checks read are not made. [`load_row`] then
    /// lets go of the text, the metadata's tree and the findings.
    Row,
}

/// A document at [`Depth::Row`], for `list`, of a file that `Workspace::document_files`
/// found (checked there, so not looked up again before it is opened: see
/// [`read_checked`]). What no row shows is let go here, on the reading thread: the text
/// (a row holds its own copies of the values), the metadata's tree and the findings.
pub fn load_row(file: &DocumentFile, settings: &Settings) -> Document {
    let bytes = read_checked(&file.path, MAX_FILE_BYTES).map_err(|e| refusal(file, e));
    let text = bytes.and_then(|bytes| decode(&file.rel, bytes));
    let mut doc = from_text(file.kind, &file.rel, text, settings, Depth::Row);
    doc.source.text = String::new();
    doc.meta = None;
    doc.diagnostics = Vec::new();
    doc.body = markdown::Body::default();
    doc
}

/// The text of a file as [`load_document`] holds it (for a file it cannot read, the
/// part it could), read again: `cto lint` keeps the text only of the documents it must
/// and reads the others again to show a finding.
pub fn read_source(file: &DocumentFile) -> Source {
    match read_bytes(file).and_then(|bytes| decode(&file.rel, bytes)) {
        Ok(text) => Source::new(file.rel.clone(), text),
        Err((source, _, _)) => source,
    }
}

/// A document known only by its file name: its id and kind, for the cross-document rules
/// of a lint that does not need its content (`cto lint FILE` in a large repository).
pub fn stub_document(file: &DocumentFile) -> Document {
    let mut doc = empty_document(file.kind, Source::new(file.rel.clone(), String::new()));
    // Its content was not read: the checks of one document pass it by.
    doc.readable = false;
    doc.id = id_from_file_name(file.kind, &file.rel);
    doc.number = file
        .kind
        .spec()
        .id_prefix
        .and(number_of_file_name(file_name(&file.rel)));
    doc
}

/// A document from bytes read elsewhere (the index, a revision), with the same checks.
pub fn document_from_bytes(kind: Kind, rel: &str, bytes: Vec<u8>, settings: &Settings) -> Document {
    let text = if bytes.len() as u64 > MAX_FILE_BYTES {
        Err(too_large(rel))
    } else {
        decode(rel, bytes)
    };
    from_text(kind, rel, text, settings, Depth::Full)
}

/// A document over MAX_FILE_BYTES known by its size alone (a git object's header): the
/// same CTO101 as for a file that large, and nothing read.
pub fn too_large_document(kind: Kind, rel: &str, settings: &Settings) -> Document {
    from_text(kind, rel, Err(too_large(rel)), settings, Depth::Full)
}

fn from_text(
    kind: Kind,
    rel: &str,
    text: Result<String, ReadError>,
    settings: &Settings,
    depth: Depth,
) -> Document {
    match text {
        Ok(text) => parse_at(kind, Source::new(rel, text), settings, depth),
        Err((source, span, message)) => {
            let mut doc = empty_document(kind, source);
            doc.readable = false;
            doc.id = id_from_file_name(kind, rel);
            doc.diagnostics
                .push(Diagnostic::new(&UNREADABLE_FILE, rel, span, message));
            doc
        }
    }
}

type ReadError = (Source, Span, String);

fn too_large(rel: &str) -> ReadError {
    (
        Source::new(rel, String::new()),
        Span::default(),
        format!(
            "file is larger than {} MiB; not read",
            MAX_FILE_BYTES / 1024 / 1024
        ),
    )
}

/// The file's bytes, at most MAX_FILE_BYTES of them (more is an error, not a long read).
/// Only a regular file is opened (a FIFO or a device would block or never end), and the
/// open handle's length refuses a huge file before any of it is read. Links out of the
/// repository were refused when the file was found (`Workspace::document_files`).
fn read_bytes(file: &DocumentFile) -> Result<Vec<u8>, ReadError> {
    read_file(&file.path, None, MAX_FILE_BYTES).map_err(|e| refusal(file, e))
}

fn refusal(file: &DocumentFile, e: ReadRefusal) -> ReadError {
    match e {
        ReadRefusal::TooLarge(_) => too_large(&file.rel),
        e => (
            Source::new(file.rel.clone(), String::new()),
            Span::default(),
            e.to_string(),
        ),
    }
}

/// Text from bytes: no NUL byte, valid UTF-8; otherwise where the first bad byte is.
fn decode(rel: &str, bytes: Vec<u8>) -> Result<String, ReadError> {
    // `contains` on bytes is a vectorised memchr; find the position only when needed.
    if bytes.contains(&0)
        && let Some(nul) = bytes.iter().position(|&b| b == 0)
    {
        let prefix = String::from_utf8_lossy(&bytes[..nul]).into_owned();
        let at = prefix.len();
        return Err((
            Source::new(rel, prefix),
            Span::empty(at),
            "file is binary (it contains a NUL byte), not markdown".into(),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let byte = e.as_bytes()[valid];
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        (
            Source::new(rel, prefix),
            Span::empty(valid),
            format!("file is not valid UTF-8 (byte 0x{byte:02X}); re-save it as UTF-8"),
        )
    })
}

fn empty_document(kind: Kind, source: Source) -> Document {
    Document {
        kind,
        source,
        id: None,
        number: None,
        format: Format::None,
        front_matter: None,
        front_matter_broken: false,
        meta: None,
        title: None,
        status: None,
        status_written: None,
        ignore: Vec::new(),
        links: Vec::new(),
        fields: Fields::None,
        body: Default::default(),
        readable: true,
        diagnostics: Vec::new(),
    }
}

fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

fn id_from_file_name(kind: Kind, rel: &str) -> Option<String> {
    let name = file_name(rel);
    match kind.spec().id_prefix {
        Some(_) => number_of_file_name(name).map(|n| format_id(kind, n)),
        None => name
            .strip_suffix(".md")
            .filter(|s| is_label(s))
            .map(str::to_string),
    }
}

/// Parses a document from its text (the work tree's, or the index's for `--staged`).
pub fn parse_document(kind: Kind, source: Source, settings: &Settings) -> Document {
    parse_at(kind, source, settings, Depth::Full)
}

/// Parses a document to `depth`: at [`Depth::Row`] the fields, title, status and format
/// are those [`parse_document`] gives (a test holds them to it), the rest may be left out.
pub fn parse_at(kind: Kind, source: Source, settings: &Settings, depth: Depth) -> Document {
    let mut doc = empty_document(kind, source);
    let path = doc.source.path.clone();
    let mut diags = Vec::new();

    // Id from the file name.
    let name = file_name(&path);
    doc.number = kind.spec().id_prefix.and(number_of_file_name(name));
    doc.id = id_from_file_name(kind, &path);
    if doc.id.is_none() {
        let (msg, help) = match kind.spec().id_prefix {
            Some(_) => (
                format!("file name `{name}` does not start with a number (`NNNN-title.md`)"),
                format!(
                    "`cto {} new` names new documents with the next number",
                    kind.name()
                ),
            ),
            None => (
                format!("file name `{name}` is not an RFC 1123 name (`[a-z0-9-]`, at most 63)"),
                "name the file after the SLO, e.g. `checkout-availability.md`".to_string(),
            ),
        };
        diags.push(Diagnostic::new(&INVALID_FILENAME, &path, Span::empty(0), msg).with_help(help));
    }

    // Front matter and body.
    let split = frontmatter::split(&doc.source.text);
    let mut meta: Option<Node> = None;
    let mut unclosed = false;
    if let Some(fm) = &split.front_matter {
        if fm.close.is_none() {
            unclosed = true;
            diags.push(
                Diagnostic::new(
                    &FRONT_MATTER,
                    &path,
                    fm.open,
                    "front matter is never closed",
                )
                .with_help("end the block with a line holding only `---`"),
            );
        } else {
            let yaml_text = &doc.source.text[fm.yaml.range()];
            match yaml::parse(yaml_text) {
                Ok(Some(mut node)) => {
                    node.shift(fm.yaml.start);
                    if matches!(node.value, Value::Map(_)) {
                        meta = Some(node);
                    } else {
                        let msg = format!(
                            "front matter must be a mapping of fields, found {}",
                            node.value.type_name()
                        );
                        diags.push(Diagnostic::new(&YAML_SYNTAX, &path, node.span, msg));
                    }
                }
                Ok(None) => {
                    meta = Some(Node {
                        span: fm.yaml,
                        value: Value::Map(Vec::new()),
                    })
                }
                Err(e) => {
                    let at = fm.yaml.start + e.offset.unwrap_or(0).min(fm.yaml.end - fm.yaml.start);
                    diags.push(Diagnostic::new(
                        &YAML_SYNTAX,
                        &path,
                        Span::empty(at),
                        format!("invalid YAML: {}", e.message),
                    ));
                }
            }
        }
        doc.front_matter = Some(fm.clone());
    }
    let yaml_failed = split.front_matter.is_some() && meta.is_none();
    doc.front_matter_broken = yaml_failed && !unclosed;
    // Broken front matter still says plainly what its `title:`, `status:` and `date:`
    // lines say (`title: ADR010: Use Luxon`, tab-indented keys): read them, line by
    // line, for lists and reports; its error stays the finding, and no edit writes to it.
    if doc.front_matter_broken
        && let Some(fm) = &split.front_matter
    {
        meta = plain_lines(&doc.source, fm.yaml);
    }
    if let Some(m) = meta.as_mut() {
        unwrap_placeholders(m, kind.spec().fields, &doc.source.text);
        if kind == Kind::Adr {
            crate::model::adr::read_localized_keys(m);
        }
    }

    // The body: whole, or at `Depth::Row` what the title and an ADR's metadata need.
    let body_whole = match depth {
        Depth::Full => true,
        Depth::Row => {
            let titled = meta
                .as_ref()
                .and_then(|m| m.get("title"))
                .is_some_and(|n| n.scalar_text().is_some());
            let text = &doc.source.text;
            let lean = if kind == Kind::Adr && may_have_body_metadata(text, split.body) {
                None
            } else if titled {
                Some(Vec::new())
            } else {
                markdown::leading_title(text, split.body).map(|h| vec![h])
            };
            match lean {
                Some(headings) => {
                    doc.body = markdown::Body {
                        headings,
                        links: Vec::new(),
                        start: split.body.start,
                        end: split.body.end,
                    };
                    false
                }
                None => true,
            }
        }
    };
    if body_whole {
        doc.body = markdown::parse(&doc.source.text, split.body);
    }

    // ADRs may keep their metadata in the body (adr-tools, MADR 2). A body not read whole
    // was found to hold none.
    doc.format = if meta.is_some() {
        Format::FrontMatter
    } else {
        Format::None
    };
    // When the front matter is broken the body's status is still read (the front matter's
    // error is the finding), but not checked for what it lacks.
    if kind == Kind::Adr
        && body_whole
        && let Some((body_meta, format)) = body_metadata(&doc.source, &doc.body)
    {
        match meta.as_mut() {
            Some(fm) => {
                if fm.get("status").is_none() {
                    doc.format = format;
                }
                merge_missing(fm, body_meta);
            }
            None => {
                meta = Some(body_meta);
                doc.format = format;
            }
        }
    }

    let missing_at = split
        .front_matter
        .as_ref()
        .map_or(Span::empty(0), |f| f.open);
    match &meta {
        Some(_) if yaml_failed => {}
        // Its findings are the checks' (the fields are read below all the same).
        Some(_) if depth == Depth::Row => {}
        Some(m) => {
            Validator {
                path: &path,
                kind,
                unknown: UNKNOWN_SEVERITY,
                extra: settings.extra_fields(kind),
                optional: settings.optional_fields(kind),
                out: &mut diags,
            }
            .mapping(m, kind.spec().fields, missing_at, "");
        }
        None if !unclosed && !yaml_failed => {
            let msg = match kind {
                Kind::Adr => {
                    "no metadata: neither YAML front matter nor a `## Status` section or `- Status:` line"
                }
                _ => "missing YAML front matter",
            };
            diags.push(
                Diagnostic::new(&FRONT_MATTER, &path, Span::empty(0), msg).with_help(format!(
                    "start the file with a `---` block holding at least: {}",
                    required_fields(kind)
                )),
            );
        }
        None => {}
    }

    // Typed fields.
    if let Some(m) = &meta {
        read_fields(&mut doc, m, settings, depth, &mut diags);
    }

    // Title: `title`, else the first `#` heading.
    doc.title = meta
        .as_ref()
        .and_then(|m| m.get("title"))
        .and_then(|n| {
            n.scalar_text().map(|value| Text {
                value,
                span: n.span,
            })
        })
        .or_else(|| {
            doc.body.title().map(|h| Text {
                value: if kind == Kind::Adr {
                    strip_number(&h.text).to_string()
                } else {
                    h.text.clone()
                },
                span: h.span,
            })
        });
    doc.meta = meta;
    if depth == Depth::Full {
        doc.ignore = ignored_codes(&doc.source.text);
    }
    doc.diagnostics = diags;
    doc
}

/// The codes of `<!-- cto-ignore CODE… -->` comments: a record that breaks a rule on
/// purpose says so where a reviewer sees it.
fn ignored_codes(text: &str) -> Vec<String> {
    const MARK: &str = "<!-- cto-ignore";
    let mut codes = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(MARK) {
        let after = &rest[at + MARK.len()..];
        let end = after.find("-->").unwrap_or(after.len());
        codes.extend(
            after[..end]
                .split([' ', ',', '\t', '\n', '\r'])
                .filter(|w| {
                    w.len() == 6
                        && w.starts_with("CTO")
                        && w[3..].bytes().all(|b| b.is_ascii_digit())
                })
                .map(str::to_string),
        );
        rest = &after[end..];
    }
    codes
}

/// MADR's template writes `status: {proposed | rejected | accepted | …}` and
/// `date: {YYYY-MM-DD when the decision was last updated}`; teams fill the braces in and
/// keep them. `status: { accepted }` is, to YAML, a mapping of one key without a value:
/// where the field holds one value, the key is read as that value. The node keeps the
/// span of the braces, so a fix or an edit replaces them too.
fn unwrap_placeholders(meta: &mut Node, fields: &[FieldSpec], text: &str) {
    let Value::Map(entries) = &mut meta.value else {
        return;
    };
    for (key, value) in entries {
        let Some(name) = key.scalar_text() else {
            continue;
        };
        let one_value = fields.iter().find(|f| f.name == name).is_some_and(|f| {
            matches!(
                f.ty,
                FieldType::Text
                    | FieldType::Date
                    | FieldType::Status
                    | FieldType::Enum(_)
                    | FieldType::Quarter
            )
        });
        if !one_value {
            continue;
        }
        if let Value::Map(inner) = &value.value
            && let [(k, v)] = inner.as_slice()
            && matches!(v.value, Value::Null)
            && matches!(k.value, Value::Str(_) | Value::Int(_) | Value::Float(_))
            // A placeholder not filled in (`{proposed | rejected | accepted}`) is no value.
            && !k.scalar_text().is_some_and(|t| t.contains('|'))
            && text.get(value.span.start..).is_some_and(|t| t.starts_with('{'))
            // The braces close on the same line, after the key.
            && let Some(close) = text[k.span.end..]
                .find(['}', '\n'])
                .filter(|&at| text[k.span.end + at..].starts_with('}'))
        {
            value.span = Span::new(value.span.start, k.span.end + close + 1);
            value.value = k.value.clone();
        }
    }
}

/// At most `max` characters of `text`, with `…` when cut.
fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// Unknown keys in documents are warnings: other tools keep their keys there too.
const UNKNOWN_SEVERITY: Severity = Severity::Warning;

fn required_fields(kind: Kind) -> String {
    kind.spec()
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `title:`, `status:` and `date:` lines of a block YAML could not read, each as the
/// text after its colon (quotes removed), wherever it is indented.
fn plain_lines(source: &Source, span: Span) -> Option<Node> {
    const KEYS: &[&str] = &["title", "status", "date"];
    let mut entries: Vec<(Node, Node)> = Vec::new();
    let mut offset = span.start;
    for line in source.slice(span).split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let lead = line.len() - line.trim_start().len();
        let text = line.trim();
        let Some((key, value)) = text.split_once(':') else {
            continue;
        };
        let key = key.trim();
        let raw = value.trim();
        let value = raw
            .strip_prefix(['"', '\''])
            .and_then(|v| v.strip_suffix(['"', '\'']))
            .unwrap_or(raw);
        if !KEYS.contains(&key)
            || value.is_empty()
            || value.starts_with(['[', '{', '|', '>', '&', '*', '#'])
            || entries.iter().any(|(k, _)| k.as_str() == Some(key))
        {
            continue;
        }
        let at = start + lead;
        let value_at = at + text.find(value).unwrap_or(key.len() + 1);
        entries.push((
            Node {
                span: Span::new(at, at + key.len()),
                value: Value::Str(key.to_string()),
            },
            Node {
                span: Span::new(value_at, value_at + value.len()),
                value: Value::Str(value.to_string()),
            },
        ));
    }
    if entries.is_empty() {
        return None;
    }
    Some(Node {
        span,
        value: Value::Map(entries),
    })
}

/// Adds the body's entries for keys the front matter does not have.
fn merge_missing(fm: &mut Node, body: Node) {
    let Value::Map(body_entries) = body.value else {
        return;
    };
    let have: Vec<String> = fm
        .entries()
        .iter()
        .filter_map(|(k, _)| k.scalar_text())
        .collect();
    if let Value::Map(entries) = &mut fm.value {
        for (k, v) in body_entries {
            if !k.scalar_text().is_some_and(|n| have.contains(&n)) {
                entries.push((k, v));
            }
        }
    }
}

fn read_fields(
    doc: &mut Document,
    meta: &Node,
    settings: &Settings,
    depth: Depth,
    diags: &mut Vec<Diagnostic>,
) {
    let path = doc.source.path.clone();
    let kind = doc.kind;
    if let Some(node) = meta.get("status") {
        match node.scalar_text() {
            Some(raw) => {
                // `accepted; supersedes ADR-0045`: the status is the first part.
                let (word, _) = raw.split_once(';').unwrap_or((&raw, ""));
                match settings.vocabulary(kind).parse(word, node.span) {
                    Ok(status) => {
                        // Case alone is the team's style (`Accepted`, `Living`), not
                        // a problem worth a finding on every record.
                        let case_only = raw.trim() == raw && raw.to_lowercase() == status.canonical;
                        // A built-in status in the team's language (`accepté`) is theirs.
                        let translated =
                            kind == Kind::Adr && AdrStatus::translated(&normalize(word)).is_some();
                        let written = doc.source.slice(node.span);
                        let braces = written.starts_with('{');
                        if doc.format == Format::FrontMatter
                            && (!translated || braces)
                            && (braces
                                || (!status.is_canonical() && !case_only && !raw.contains(';')))
                        {
                            let d = Diagnostic::new(
                                &NON_CANONICAL_STATUS,
                                &path,
                                node.span,
                                format!(
                                    "status `{}` is written `{}`",
                                    if braces { written } else { raw.trim() },
                                    status.canonical
                                ),
                            )
                            .with_help(format!("write `status: {}`", status.canonical));
                            // A remark (`Accepted (for the pilot only)`) is the author's:
                            // no automatic fix would keep it.
                            let norm = normalize(word);
                            diags.push(if status_word(&norm) == norm {
                                d.with_fix(
                                    "status",
                                    requote(doc.source.slice(node.span), &status.canonical),
                                )
                            } else {
                                d
                            });
                        }
                        doc.status = Some(status);
                    }
                    Err(unknown) => {
                        let vocab = settings.vocabulary(kind);
                        let mut d = Diagnostic::new(
                            &INVALID_VALUE,
                            &path,
                            node.span,
                            format!(
                                "unknown {} status `{}`; expected one of: {}",
                                kind.spec().label,
                                shorten(raw.trim(), 60),
                                vocab.names().join(", ")
                            ),
                        );
                        // A word a team could declare: short, a status rather than prose.
                        let declarable = !unknown.word.is_empty()
                            && unknown.word.chars().count() <= 30
                            && unknown.word.split_whitespace().count() <= 3;
                        d = match unknown.suggestion {
                            Some(s) => d.with_help(format!("did you mean `{s}`?")),
                            None if kind == Kind::Adr && declarable => {
                                let class = AdrStatus::class_of(&unknown.word)
                                    .map_or("<the status it counts as>", AdrStatus::as_str);
                                d.with_help(format!(
                                    "a team status can be declared in cto.yaml: `adr: {{ statuses: {{ {}: {class} }} }}`",
                                    crate::parse::scalar::yaml_scalar(&unknown.word)
                                ))
                            }
                            None => d,
                        };
                        diags.push(d);
                        if declarable {
                            doc.status_written = Some(unknown.word);
                        }
                    }
                }
            }
            None if !matches!(node.value, Value::Null) => diags.push(Diagnostic::new(
                &WRONG_TYPE,
                &path,
                node.span,
                format!(
                    "`status` must be a string, found {}",
                    node.value.type_name()
                ),
            )),
            None => {}
        }
    }
    doc.links = refs_with(meta.get("links"), kind, crate::model::refs::parse_link);
    let cx = ReadContext {
        path: &path,
        source: &doc.source,
        format: doc.format,
        status: doc.status.as_ref(),
        settings,
        findings: depth == Depth::Full,
    };
    doc.fields = kinds::read(kind, meta, &cx, diags);
}
