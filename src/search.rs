//! Full-text search over every kind: ids, titles, front matter and bodies, ranked.
//!
//! A query is words (and `"quoted phrases"`), each matched case-insensitively as a
//! substring; a document matches when it holds every one. Files are read in parallel and
//! only the ones whose text holds every term are parsed, so a search costs about one read
//! of the repository. Ranking is BM25-like: each term weighs by how rare it is in the
//! repository (idf), and by where it is found (id, then title, then front matter, then
//! body), with repeated occurrences counting less and less.

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::files::read_file;
use crate::model::{
    Corpus, Document, DocumentFile, Kind, MAX_FILE_BYTES, Settings, document_from_bytes,
    status::normalize, stub_document,
};
use crate::parse::frontmatter;

/// Why a query cannot be run.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QueryError {
    #[error("the query is empty: give at least one word to search for")]
    Empty,
    #[error("unclosed quote in the query: {0}")]
    UnclosedQuote(String),
}

/// Words and phrases to find, lowercased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub terms: Vec<String>,
}

impl Query {
    /// Splits on whitespace; `"two words"` is one term.
    pub fn parse(text: &str) -> Result<Query, QueryError> {
        let mut terms = Vec::new();
        let mut rest = text.trim();
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('"') {
                let Some(end) = after.find('"') else {
                    return Err(QueryError::UnclosedQuote(text.to_string()));
                };
                let phrase = after[..end]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                if !phrase.is_empty() {
                    terms.push(phrase.to_lowercase());
                }
                rest = after[end + 1..].trim_start();
            } else {
                let end = rest
                    .find(|c: char| c.is_whitespace() || c == '"')
                    .unwrap_or(rest.len());
                terms.push(rest[..end].to_lowercase());
                rest = rest[end..].trim_start();
            }
        }
        terms.dedup();
        if terms.is_empty() {
            return Err(QueryError::Empty);
        }
        Ok(Query { terms })
    }
}

/// Which documents may match.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub kind: Option<Kind>,
    /// A status word: the document's own (`living`), or the built-in one it counts as.
    pub status: Option<String>,
    /// An owner, compared without regard to ASCII case.
    pub owner: Option<String>,
}

impl Filter {
    fn kind_ok(&self, kind: Kind) -> bool {
        self.kind.is_none_or(|k| k == kind)
    }

    fn accepts(&self, doc: &Document) -> bool {
        let status_ok = match &self.status {
            None => true,
            Some(s) => {
                let want = normalize(s);
                doc.status
                    .as_ref()
                    .is_some_and(|st| st.value == want || st.counts_as == want)
            }
        };
        let owner_ok = match &self.owner {
            None => true,
            Some(o) => doc
                .owner()
                .is_some_and(|own| own.trim().eq_ignore_ascii_case(o.trim())),
        };
        self.kind_ok(doc.kind) && status_ok && owner_ok
    }
}

/// Where a match was found, from the weightiest place to the lightest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Field {
    Id,
    Title,
    FrontMatter,
    Body,
}

impl Field {
    fn weight(self) -> f64 {
        match self {
            Field::Id => 8.0,
            Field::Title => 4.0,
            Field::FrontMatter => 2.0,
            Field::Body => 1.0,
        }
    }
}

/// The line around the first match, cut to a readable length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Excerpt {
    /// Where the match is: `title`, `front-matter`, `body` (or `id`: then `text` is the id).
    pub field: Field,
    /// The text, whitespace runs collapsed; `…` where it was cut.
    pub text: String,
    /// The match in `text`, as character offsets (start inclusive, end exclusive).
    pub match_start: usize,
    pub match_end: usize,
    /// The match in the file: 1-based line and column (characters).
    pub line: usize,
    pub column: usize,
}

/// One matching document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub id: Option<String>,
    pub kind: &'static str,
    pub title: String,
    pub status: String,
    pub owner: Option<String>,
    pub path: String,
    /// Higher is better; only the order means anything.
    pub score: f64,
    pub excerpt: Excerpt,
}

/// The hits, best first, and how many there were before the limit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Results {
    pub hits: Vec<Hit>,
    /// Every matching document (`hits` holds at most the limit of them).
    pub total: usize,
    /// Documents searched (after the kind filter).
    pub searched: usize,
}

/// How often each term occurs in each field of a document: `[term][field]`, fields in
/// [`Field`] order. `None` when some term is missing.
type Counts = Vec<[usize; 4]>;

/// A matching document before ranking: which one, and its counts.
struct Candidate {
    index: usize,
    kind: Kind,
    number: Option<u32>,
    counts: Counts,
}

/// Searches the files: read in parallel; only the few hits shown are parsed (and, with a
/// status or owner filter, the files that hold every term). Files that cannot be read as
/// text are passed over (`cto lint` reports them).
pub fn search_files(
    files: &[DocumentFile],
    settings: &Settings,
    query: &Query,
    filter: &Filter,
    limit: Option<usize>,
) -> Results {
    let df: Vec<AtomicUsize> = query.terms.iter().map(|_| AtomicUsize::new(0)).collect();
    let files: Vec<&DocumentFile> = files.iter().filter(|f| filter.kind_ok(f.kind)).collect();
    let parse_all = filter.status.is_some() || filter.owner.is_some();
    let read = |f: &DocumentFile| -> Option<Vec<u8>> {
        let bytes = read_file(&f.path, None, MAX_FILE_BYTES).ok()?;
        std::str::from_utf8(&bytes).ok()?;
        Some(bytes)
    };
    let candidates: Vec<Candidate> = files
        .par_iter()
        .enumerate()
        .filter_map(|(index, f)| {
            let bytes = read(f)?;
            let text = std::str::from_utf8(&bytes).ok()?;
            let stub = stub_document(f);
            let counts = count(text, stub.id.as_deref(), query, &df)?;
            if parse_all {
                let doc = document_from_bytes(f.kind, &f.rel, bytes, settings);
                if !doc.readable || !filter.accepts(&doc) {
                    return None;
                }
            }
            Some(Candidate {
                index,
                kind: f.kind,
                number: stub.number,
                counts,
            })
        })
        .collect();
    let df: Vec<usize> = df.into_iter().map(AtomicUsize::into_inner).collect();
    rank(candidates, query, &df, files.len(), limit, |i| {
        let f = files[i];
        let doc = document_from_bytes(f.kind, &f.rel, read(f)?, settings);
        doc.readable.then_some(doc)
    })
}

/// Searches documents already read (the language server's and the MCP server's corpus).
pub fn search_corpus(
    corpus: &Corpus,
    query: &Query,
    filter: &Filter,
    limit: Option<usize>,
) -> Results {
    let docs: Vec<&Document> = corpus
        .documents
        .iter()
        .filter(|d| d.readable && filter.kind_ok(d.kind))
        .collect();
    let df: Vec<AtomicUsize> = query.terms.iter().map(|_| AtomicUsize::new(0)).collect();
    let candidates = docs
        .iter()
        .enumerate()
        .filter_map(|(index, d)| {
            let counts = count(&d.source.text, d.id.as_deref(), query, &df)?;
            filter.accepts(d).then_some(Candidate {
                index,
                kind: d.kind,
                number: d.number,
                counts,
            })
        })
        .collect();
    let df: Vec<usize> = df.into_iter().map(AtomicUsize::into_inner).collect();
    rank(candidates, query, &df, docs.len(), limit, |i| {
        Some(docs[i].clone())
    })
}

/// The text of each field of a parsed document: (field, byte offset in the file, text).
fn fields(doc: &Document) -> Vec<(Field, usize, &str)> {
    let mut out = Vec::with_capacity(3);
    if let Some(t) = &doc.title {
        out.push((Field::Title, t.span.start, t.value.as_str()));
    }
    if let Some(fm) = &doc.front_matter {
        out.push((Field::FrontMatter, fm.yaml.start, doc.source.slice(fm.yaml)));
    }
    let start = doc.body_start().min(doc.source.text.len());
    out.push((
        Field::Body,
        start,
        doc.source.text.get(start..).unwrap_or(""),
    ));
    out
}

/// Counts each term in each field of a file's text, without parsing it: the front matter
/// is split off, and the title is its `title:` line or else the body's first `# ` line.
/// Adds one to `df[t]` for each term the text (or the id) holds; `None` unless it holds
/// every term.
fn count(text: &str, id: Option<&str>, query: &Query, df: &[AtomicUsize]) -> Option<Counts> {
    let split = frontmatter::split(text);
    let yaml = split
        .front_matter
        .as_ref()
        .map_or("", |fm| text.get(fm.yaml.range()).unwrap_or(""));
    let body = text.get(split.body.range()).unwrap_or("");
    let title = yaml
        .lines()
        .find_map(|l| l.strip_prefix("title:"))
        .or_else(|| body.lines().find_map(|l| l.strip_prefix("# ")))
        .unwrap_or("")
        .trim()
        .trim_matches(['"', '\'']);
    let id = id.unwrap_or("").to_lowercase();
    let (title, yaml, body) = (
        title.to_lowercase(),
        yaml.to_lowercase(),
        body.to_lowercase(),
    );
    let mut counts = Vec::with_capacity(query.terms.len());
    let mut all = true;
    for (term, n) in query.terms.iter().zip(df) {
        let t = term.as_str();
        let mut row = [0usize; 4];
        if id.contains(t) {
            // An id that is the term exactly counts as much as a few partial hits.
            row[Field::Id as usize] = if id == *term { 3 } else { 1 };
        }
        row[Field::Title as usize] = title.matches(t).count();
        row[Field::FrontMatter as usize] = yaml.matches(t).count();
        row[Field::Body as usize] = body.matches(t).count();
        if row.iter().any(|c| *c > 0) {
            n.fetch_add(1, Ordering::Relaxed);
        } else {
            all = false;
        }
        counts.push(row);
    }
    all.then_some(counts)
}

/// Scores the candidates, sorts them, and turns the best `limit` into hits (`load`
/// gives the document of a candidate's index).
fn rank(
    candidates: Vec<Candidate>,
    query: &Query,
    df: &[usize],
    searched: usize,
    limit: Option<usize>,
    load: impl Fn(usize) -> Option<Document> + Sync,
) -> Results {
    let n = searched as f64;
    let idf: Vec<f64> = df
        .iter()
        .map(|&d| (1.0 + (n - d as f64 + 0.5) / (d as f64 + 0.5)).ln())
        .collect();
    let mut scored: Vec<(f64, Candidate)> = candidates
        .into_iter()
        .map(|c| {
            let mut score = 0.0;
            for (row, idf) in c.counts.iter().zip(&idf) {
                for field in [Field::Id, Field::Title, Field::FrontMatter, Field::Body] {
                    let tf = row[field as usize] as f64;
                    // Saturating term frequency (BM25's k1 = 1.2, no length norm).
                    score += idf * field.weight() * tf * 2.2 / (tf + 1.2);
                }
            }
            ((score * 1000.0).round() / 1000.0, c)
        })
        .collect();
    scored.sort_by(|(a, ca), (b, cb)| {
        b.total_cmp(a)
            .then_with(|| ca.kind.cmp(&cb.kind))
            .then_with(|| ca.number.cmp(&cb.number))
            .then_with(|| ca.index.cmp(&cb.index))
    });
    let total = scored.len();
    scored.truncate(limit.unwrap_or(usize::MAX));
    let hits = scored
        .par_iter()
        .filter_map(|(score, c)| Some(hit(&load(c.index)?, query, *score)))
        .collect();
    Results {
        hits,
        total,
        searched,
    }
}

fn hit(doc: &Document, query: &Query, score: f64) -> Hit {
    Hit {
        id: doc.id.clone(),
        kind: doc.kind.name(),
        title: doc.title_text().to_string(),
        status: doc.status_value().to_string(),
        owner: doc.owner().map(str::to_string),
        path: doc.path().to_string(),
        score,
        excerpt: excerpt(doc, query),
    }
}

/// Characters of context kept on each side of a match.
const CONTEXT: usize = 60;

/// The first match in the body, else the front matter, else the title; the id when the
/// term is found nowhere else. The title's own line (a `# Title` heading, a `title:`
/// key) is passed over in the body and the front matter: the hit shows the title anyway.
fn excerpt(doc: &Document, query: &Query) -> Excerpt {
    let mut by_field = fields(doc);
    by_field.sort_by_key(|(f, _, _)| std::cmp::Reverse(*f));
    let title_line = doc
        .title
        .as_ref()
        .map(|t| doc.source.line_col(t.span.start).line);
    for (field, offset, text) in by_field {
        for term in &query.terms {
            let mut from = 0;
            while let Some((start, end)) = text
                .get(from..)
                .and_then(|rest| find_ignore_case(rest, term))
                .map(|(s, e)| (from + s, from + e))
            {
                let at = doc.source.line_col(offset + start);
                if field == Field::Title || Some(at.line) != title_line {
                    return cut(field, text, start, end, at.line, at.column);
                }
                from = end;
            }
        }
    }
    let id = doc.id.clone().unwrap_or_default();
    let len = id.chars().count();
    Excerpt {
        field: Field::Id,
        text: id,
        match_start: 0,
        match_end: len,
        line: 1,
        column: 1,
    }
}

/// The line of `text` holding `start..end`, at most CONTEXT characters each side.
fn cut(field: Field, text: &str, start: usize, end: usize, line: usize, column: usize) -> Excerpt {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let before: Vec<char> = text[line_start..start].chars().collect();
    let matched = &text[start..end.min(line_end)];
    let after: Vec<char> = text[end.min(line_end)..line_end].chars().collect();
    let mut out = String::new();
    let skip = before.len().saturating_sub(CONTEXT);
    if skip > 0 {
        out.push('…');
    }
    let lead: String = before[skip..].iter().collect();
    push_collapsed(&mut out, lead.trim_start());
    let match_start = out.chars().count();
    push_collapsed(&mut out, matched);
    let match_end = out.chars().count();
    let tail: String = after.iter().take(CONTEXT).collect();
    push_collapsed(&mut out, tail.trim_end());
    if after.len() > CONTEXT {
        out.push('…');
    }
    Excerpt {
        field,
        text: out,
        match_start,
        match_end,
        line,
        column,
    }
}

/// Appends `s` with each run of whitespace as one space.
fn push_collapsed(out: &mut String, s: &str) {
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
}

/// The byte range of the first case-insensitive occurrence of `term` (lowercase) in
/// `text`, on `text`'s own character boundaries.
pub fn find_ignore_case(text: &str, term: &str) -> Option<(usize, usize)> {
    if term.is_empty() {
        return None;
    }
    let first = term.chars().next()?;
    for (i, c) in text.char_indices() {
        if c.to_lowercase().next() != Some(first) {
            continue;
        }
        // Walk both, lowering the text's characters one by one.
        let mut want = term.chars().peekable();
        let mut end = i;
        for (j, c) in text[i..].char_indices() {
            if want.peek().is_none() {
                break;
            }
            let mut ok = true;
            for l in c.to_lowercase() {
                if want.next() != Some(l) {
                    ok = false;
                    break;
                }
            }
            if !ok {
                end = usize::MAX;
                break;
            }
            end = i + j + c.len_utf8();
        }
        if end != usize::MAX && want.peek().is_none() {
            return Some((i, end));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Settings, parse_document};
    use crate::source::Source;

    fn doc(kind: Kind, path: &str, text: &str) -> Document {
        parse_document(
            kind,
            Source::new(path, text.to_string()),
            &Settings::default(),
        )
    }

    fn corpus() -> Corpus {
        Corpus::new(vec![
            doc(
                Kind::Adr,
                "docs/decisions/0001-use-postgres.md",
                "---\nstatus: accepted\ndate: 2026-01-02\n---\n# Use Postgres\n\n## Context and Problem Statement\n\nWe need a database for orders.\n",
            ),
            doc(
                Kind::Adr,
                "docs/decisions/0002-cache-orders.md",
                "---\nstatus: proposed\ndate: 2026-01-03\n---\n# Cache orders\n\nPostgres is slow for reads; Postgres replicas help. Postgres.\n",
            ),
            doc(
                Kind::Risk,
                "docs/risks/0001-vendor.md",
                "---\ntitle: Vendor lock-in\nowner: Ana\nstatus: open\n---\n## Description\n\nThe vendor holds our data.\n",
            ),
        ])
    }

    #[test]
    fn queries_split_on_spaces_and_keep_phrases() {
        let q = Query::parse("  Postgres  \"read  replicas\" ").unwrap();
        assert_eq!(q.terms, ["postgres", "read replicas"]);
        assert_eq!(Query::parse("  "), Err(QueryError::Empty));
        assert!(matches!(
            Query::parse("\"open"),
            Err(QueryError::UnclosedQuote(_))
        ));
    }

    #[test]
    fn a_title_match_outranks_body_matches() {
        let q = Query::parse("postgres").unwrap();
        let r = search_corpus(&corpus(), &q, &Filter::default(), None);
        let ids: Vec<_> = r.hits.iter().map(|h| h.id.as_deref().unwrap()).collect();
        assert_eq!(ids, ["ADR-0001", "ADR-0002"]);
        assert_eq!(r.total, 2);
        assert_eq!(r.searched, 3);
        assert!(r.hits[0].score > r.hits[1].score);
        let e = &r.hits[1].excerpt;
        assert_eq!(e.field, Field::Body);
        assert_eq!(
            e.text,
            "Postgres is slow for reads; Postgres replicas help. Postgres."
        );
        assert_eq!((e.match_start, e.match_end), (0, 8));
        assert_eq!((e.line, e.column), (7, 1));
    }

    #[test]
    fn every_term_must_match() {
        let q = Query::parse("postgres vendor").unwrap();
        assert_eq!(
            search_corpus(&corpus(), &q, &Filter::default(), None).total,
            0
        );
    }

    #[test]
    fn filters_by_kind_status_and_owner() {
        let q = Query::parse("the").unwrap();
        let f = Filter {
            owner: Some("ana".into()),
            ..Filter::default()
        };
        let r = search_corpus(&corpus(), &q, &f, None);
        assert_eq!(r.hits.len(), 1);
        assert_eq!(r.hits[0].owner.as_deref(), Some("Ana"));
        let q = Query::parse("postgres").unwrap();
        let f = Filter {
            status: Some("Proposed".into()),
            ..Filter::default()
        };
        let r = search_corpus(&corpus(), &q, &f, None);
        assert_eq!(r.hits.len(), 1);
        assert_eq!(r.hits[0].id.as_deref(), Some("ADR-0002"));
        let f = Filter {
            kind: Some(Kind::Risk),
            ..Filter::default()
        };
        assert_eq!(search_corpus(&corpus(), &q, &f, None).total, 0);
    }

    #[test]
    fn an_id_is_found_though_the_text_never_says_it() {
        let q = Query::parse("adr-0002").unwrap();
        let r = search_corpus(&corpus(), &q, &Filter::default(), None);
        assert_eq!(r.hits.len(), 1);
        assert_eq!(r.hits[0].excerpt.field, Field::Id);
        assert_eq!(r.hits[0].excerpt.text, "ADR-0002");
    }

    #[test]
    fn the_limit_keeps_the_best() {
        let q = Query::parse("postgres").unwrap();
        let r = search_corpus(&corpus(), &q, &Filter::default(), Some(1));
        assert_eq!(r.hits.len(), 1);
        assert_eq!(r.total, 2);
    }

    #[test]
    fn case_insensitive_matching_keeps_the_texts_boundaries() {
        assert_eq!(find_ignore_case("Ärger und ÄRGER", "ärger"), Some((0, 6)));
        assert_eq!(find_ignore_case("xx ÄRGER", "ärger"), Some((3, 9)));
        assert_eq!(find_ignore_case("abc", "abd"), None);
        assert_eq!(find_ignore_case("ab", "abc"), None);
    }

    #[test]
    fn excerpts_are_cut_around_the_match() {
        let long = format!("{} needle {}", "a ".repeat(100), "b ".repeat(100));
        let at = long.find("needle").unwrap();
        let e = cut(Field::Body, &long, at, at + 6, 1, at + 1);
        assert!(e.text.starts_with('…') && e.text.ends_with('…'));
        let chars: Vec<char> = e.text.chars().collect();
        let shown: String = chars[e.match_start..e.match_end].iter().collect();
        assert_eq!(shown, "needle");
    }
}
