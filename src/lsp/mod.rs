//! `cto lsp`: a Language Server over stdio. Diagnostics from the same rules as `cto lint`
//! (the repository read once as context), completion, go to definition, references,
//! hover, and a code action for every safe fix.
//!
//! The repository is read once at start into an [`index::Index`]. An open document is
//! re-parsed from the editor's text on each change; diagnostics wait until the changes
//! pause ([`DEBOUNCE`]), then run the rules over the open documents with the rest of the
//! repository as context, as `cto lint FILE` does: documents they refer to, and every
//! document of their kind for roadmap items and SLOs, are parsed (once, then cached);
//! the others are known by their file names.

pub mod complete;
pub mod index;
pub mod position;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, GotoDefinition, HoverRequest, References, Request as _,
};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, CompletionList, CompletionOptions, CompletionParams,
    CompletionResponse, DiagnosticSeverity, GotoDefinitionParams, GotoDefinitionResponse, Hover,
    HoverContents, HoverParams, HoverProviderCapability, InitializeParams, Location, MarkupContent,
    MarkupKind, NumberOrString, OneOf, Position, PositionEncodingKind, PublishDiagnosticsParams,
    Range, ReferenceParams, SaveOptions, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, TextEdit, Url, WorkspaceEdit,
};

use crate::check::{self, Diagnostic, Severity};
use crate::model::{
    Corpus, Document, DocumentFile, Kind, load_document, load_documents, parse_document,
    refs::parse_ref, stub_document,
};
use crate::report::escape;
use crate::source::Source;
use crate::workspace::Workspace;
use index::{DocInfo, Index};
use position::{Encoding, LineIndex};

/// How long the changes must pause before diagnostics run again.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// Why the server stopped.
#[derive(Debug, thiserror::Error)]
pub enum LspError {
    #[error("language server protocol: {0}")]
    Protocol(#[from] lsp_server::ProtocolError),
    #[error("the client went away")]
    Disconnected,
    #[error(transparent)]
    Workspace(#[from] crate::workspace::WorkspaceError),
    #[error("initialize parameters: {0}")]
    Params(#[from] serde_json::Error),
}

/// A document the editor has open: its text is the editor's, not the file's.
struct Open {
    uri: Url,
    version: i32,
    text: String,
    /// `None` for a file that is not a document (outside the kinds' directories).
    kind: Option<Kind>,
    /// The text parsed, and its diagnostics as last published.
    doc: Option<Document>,
    diagnostics: Vec<Diagnostic>,
}

struct Server<'a> {
    conn: &'a Connection,
    ws: Workspace,
    enc: Encoding,
    /// Every document file of the repository, by path.
    files: BTreeMap<String, DocumentFile>,
    index: Index,
    /// Open documents by path.
    open: BTreeMap<String, Open>,
    /// The documents the rules run over, by path: open documents as the editor has
    /// them, documents parsed as context, and the others known by their file names
    /// (stubs). Kept from one run to the next; only what changed is replaced.
    docs: Vec<Document>,
    /// When diagnostics are due (the last change plus DEBOUNCE).
    due: Option<Instant>,
    /// The day reviews are measured against.
    today: jiff::civil::Date,
}

/// Serves one client on `conn` until it says `exit`. The root is the client's first
/// workspace folder (or root URI), else `cwd`; reviews fall due against `today`.
pub fn serve(conn: &Connection, cwd: &Path, today: jiff::civil::Date) -> Result<(), LspError> {
    let (id, params) = conn.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let enc = match params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
    {
        Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    };
    #[allow(deprecated)]
    let start = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| &f.uri)
        .or(params.root_uri.as_ref())
        .and_then(|u| u.to_file_path().ok())
        .unwrap_or_else(|| cwd.to_path_buf());
    let ws = Workspace::discover(&start)?;
    let result = serde_json::json!({
        "capabilities": capabilities(enc),
        "serverInfo": ServerInfo {
            name: "cto".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        },
    });
    conn.initialize_finish(id, result)?;

    let (files, _) = ws.document_files();
    // Each document is parsed, summed up and dropped: the whole repository is never
    // held parsed at once.
    let settings = &ws.config.documents;
    let infos: Vec<DocInfo> = files
        .par_iter()
        .map(|f| DocInfo::of(&load_document(f, settings), enc))
        .collect();
    let index = Index::build(infos);
    let mut docs: Vec<Document> = files.iter().map(stub_document).collect();
    docs.sort_by(|a, b| a.path().cmp(b.path()));
    let mut server = Server {
        conn,
        files: files.into_iter().map(|f| (f.rel.clone(), f)).collect(),
        ws,
        enc,
        index,
        open: BTreeMap::new(),
        docs,
        due: None,
        today,
    };
    server.run()
}

fn capabilities(enc: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match enc {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![":".into(), " ".into(), "[".into(), ",".into()]),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::SOURCE_FIX_ALL,
            ]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

impl Server<'_> {
    fn run(&mut self) -> Result<(), LspError> {
        loop {
            let message = match self.due {
                Some(due) => match self.conn.receiver.recv_deadline(due) {
                    Ok(m) => Some(m),
                    Err(e) if e.is_timeout() => None,
                    Err(_) => return Err(LspError::Disconnected),
                },
                None => Some(
                    self.conn
                        .receiver
                        .recv()
                        .map_err(|_| LspError::Disconnected)?,
                ),
            };
            match message {
                None => self.diagnose()?,
                Some(Message::Request(req)) => {
                    if self.conn.handle_shutdown(&req)? {
                        return Ok(());
                    }
                    let response = self.request(req);
                    self.send(Message::Response(response))?;
                }
                Some(Message::Notification(n)) => {
                    if n.method == "exit" {
                        return Ok(());
                    }
                    self.notification(n);
                }
                Some(Message::Response(_)) => {}
            }
        }
    }

    fn send(&self, message: Message) -> Result<(), LspError> {
        self.conn
            .sender
            .send(message)
            .map_err(|_| LspError::Disconnected)
    }

    /// The path of a `file:` URI relative to the root, if it is inside the repository.
    fn rel(&self, uri: &Url) -> Option<String> {
        let path = uri.to_file_path().ok()?;
        let path = canonical(&path)?;
        path.strip_prefix(&self.ws.root).ok()?;
        Some(self.ws.rel_path(&path))
    }

    fn uri(&self, rel: &str) -> Option<Url> {
        if let Some(open) = self.open.get(rel) {
            return Some(open.uri.clone());
        }
        Url::from_file_path(self.ws.root.join(rel)).ok()
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
                else {
                    return;
                };
                let doc = p.text_document;
                let Some(rel) = self.rel(&doc.uri) else {
                    return;
                };
                let kind = self.ws.document_kind(&rel);
                self.open.insert(
                    rel.clone(),
                    Open {
                        uri: doc.uri,
                        version: doc.version,
                        text: doc.text,
                        kind,
                        doc: None,
                        diagnostics: Vec::new(),
                    },
                );
                self.changed(&rel);
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
                else {
                    return;
                };
                let Some(rel) = self.rel(&p.text_document.uri) else {
                    return;
                };
                let enc = self.enc;
                let Some(open) = self.open.get_mut(&rel) else {
                    return;
                };
                for change in p.content_changes {
                    match change.range {
                        Some(range) => {
                            let lines = LineIndex::new(&open.text);
                            let start = lines.offset(&open.text, range.start, enc);
                            let end = lines.offset(&open.text, range.end, enc).max(start);
                            open.text.replace_range(start..end, &change.text);
                        }
                        None => open.text = change.text,
                    }
                }
                open.version = p.text_document.version;
                self.changed(&rel);
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
                else {
                    return;
                };
                let Some(rel) = self.rel(&p.text_document.uri) else {
                    return;
                };
                if let Some(open) = self.open.remove(&rel) {
                    // The file is what it is on disk again; its diagnostics go with it.
                    self.reread(&rel);
                    let _ = self.publish(open.uri, Vec::new(), None);
                }
            }
            DidSaveTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(n.params)
                else {
                    return;
                };
                // A new document saved: a file of the repository from now on.
                if let Some(rel) = self.rel(&p.text_document.uri)
                    && !self.files.contains_key(&rel)
                    && let Some(kind) = self.ws.document_kind(&rel)
                {
                    let path = self.ws.root.join(&rel);
                    self.files
                        .insert(rel.clone(), DocumentFile { path, rel, kind });
                }
            }
            DidChangeWatchedFiles::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeWatchedFilesParams>(n.params)
                else {
                    return;
                };
                for change in p.changes {
                    if let Some(rel) = self.rel(&change.uri).or_else(|| {
                        // A deleted file cannot be made canonical; its directory can.
                        let path = change.uri.to_file_path().ok()?;
                        let dir = canonical(path.parent()?)?;
                        let full = dir.join(path.file_name()?);
                        full.strip_prefix(&self.ws.root).ok()?;
                        Some(self.ws.rel_path(&full))
                    }) {
                        self.reread(&rel);
                    }
                }
                if !self.open.is_empty() {
                    self.due = Some(Instant::now() + DEBOUNCE);
                }
            }
            _ => {}
        }
    }

    /// An open document's text changed: parse it now (completion and navigation see it
    /// at once), diagnose when the changes pause.
    fn changed(&mut self, rel: &str) {
        let Some(open) = self.open.get_mut(rel) else {
            return;
        };
        if let Some(kind) = open.kind {
            let source = Source::new(rel, open.text.clone());
            let doc = parse_document(kind, source, &self.ws.config.documents);
            self.index.update(DocInfo::of(&doc, self.enc));
            open.doc = Some(doc);
        }
        self.due = Some(Instant::now() + DEBOUNCE);
    }

    /// Reads a document again from disk (closed, or changed outside the editor), or
    /// forgets it when it is gone.
    fn reread(&mut self, rel: &str) {
        if self.open.contains_key(rel) {
            return;
        }
        let path = self.ws.root.join(rel);
        let kind = self.ws.document_kind(rel);
        match (kind, path.is_file()) {
            (Some(kind), true) => {
                let file = DocumentFile {
                    path,
                    rel: rel.to_string(),
                    kind,
                };
                // Only a regular file inside the repository is read (never a link out).
                if crate::files::check_file(&file.path, Some(&self.ws.root)).is_ok() {
                    let doc = load_document(&file, &self.ws.config.documents);
                    self.index.update(DocInfo::of(&doc, self.enc));
                    self.files.insert(rel.to_string(), file);
                } else {
                    self.files.remove(rel);
                    self.index.remove(rel);
                }
            }
            _ => {
                self.files.remove(rel);
                self.index.remove(rel);
            }
        }
        // The rules read it again when they next need it.
        self.forget(rel);
    }

    /// Runs the rules over the open documents, with the repository as context, and
    /// publishes what each open document has.
    fn diagnose(&mut self) -> Result<(), LspError> {
        self.due = None;
        let scope: BTreeSet<String> = self
            .open
            .iter()
            .filter(|(_, o)| o.doc.is_some())
            .map(|(rel, _)| rel.clone())
            .collect();
        // What the open documents refer to, and the kinds whose every document counts.
        let mut wanted: BTreeSet<String> = BTreeSet::new();
        let mut whole_kinds: BTreeSet<Kind> = BTreeSet::new();
        for doc in self.open.values().filter_map(|o| o.doc.as_ref()) {
            wanted.extend(
                check::references_of(doc)
                    .into_iter()
                    .map(|(r, _)| r.id.clone()),
            );
            // The kinds this kind's rules read whole (cycles, capacity, coverage).
            whole_kinds.extend(doc.kind.spec().lint_context.iter().copied());
        }
        // Open documents as the editor has them; what they need parsed; stubs stay.
        let edited: Vec<Document> = self.open.values().filter_map(|o| o.doc.clone()).collect();
        for doc in edited {
            self.put(doc);
        }
        let settings = &self.ws.config.documents;
        let mut load = Vec::new();
        for (rel, file) in &self.files {
            if scope.contains(rel) {
                continue;
            }
            let Ok(at) = self.docs.binary_search_by(|d| d.path().cmp(rel)) else {
                continue;
            };
            let doc = &self.docs[at];
            let stub = !doc.readable && doc.diagnostics.is_empty();
            let needed = whole_kinds.contains(&file.kind)
                || doc.id.as_ref().is_some_and(|id| wanted.contains(id));
            if stub && needed {
                load.push(file.clone());
            }
        }
        for doc in load_documents(&load, settings) {
            self.put(doc);
        }
        let mut corpus = Corpus::new(std::mem::take(&mut self.docs));
        let ctx = check::Context {
            config: &self.ws.config,
            root: &self.ws.root,
            today: self.today,
        };
        let mut by_path: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
        for d in check::run(&corpus, &ctx) {
            if scope.contains(&d.path) {
                by_path.entry(d.path.clone()).or_default().push(d);
            }
        }
        self.docs = std::mem::take(&mut corpus.documents);
        if let Some(open) = self.open.get_mut("cto.yaml") {
            open.diagnostics = self.ws.config_diagnostics.clone();
        }
        for rel in &scope {
            if let Some(open) = self.open.get_mut(rel) {
                open.diagnostics = by_path.remove(rel).unwrap_or_default();
            }
        }
        for open in self.open.values() {
            let lines = LineIndex::new(&open.text);
            let list = open
                .diagnostics
                .iter()
                .map(|d| to_lsp(d, &open.text, &lines, self.enc))
                .collect();
            self.publish(open.uri.clone(), list, Some(open.version))?;
        }
        Ok(())
    }

    /// Puts a document in the rules' set, in place of the one at its path.
    fn put(&mut self, doc: Document) {
        match self.docs.binary_search_by(|d| d.path().cmp(doc.path())) {
            Ok(at) => self.docs[at] = doc,
            Err(at) => self.docs.insert(at, doc),
        }
    }

    /// Back to a stub (or gone, when the file is no document any more).
    fn forget(&mut self, rel: &str) {
        let at = self.docs.binary_search_by(|d| d.path().cmp(rel));
        match (self.files.get(rel), at) {
            (Some(file), Ok(at)) => self.docs[at] = stub_document(file),
            (Some(file), Err(at)) => self.docs.insert(at, stub_document(file)),
            (None, Ok(at)) => {
                self.docs.remove(at);
            }
            (None, Err(_)) => {}
        }
    }

    fn publish(
        &self,
        uri: Url,
        diagnostics: Vec<lsp_types::Diagnostic>,
        version: Option<i32>,
    ) -> Result<(), LspError> {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Message::Notification(Notification::new(
            PublishDiagnostics::METHOD.into(),
            params,
        )))
    }

    fn request(&mut self, req: Request) -> Response {
        fn parse<P: serde::de::DeserializeOwned>(req: &Request) -> Result<P, Response> {
            serde_json::from_value(req.params.clone()).map_err(|e| {
                Response::new_err(
                    req.id.clone(),
                    ErrorCode::InvalidParams as i32,
                    e.to_string(),
                )
            })
        }
        let id = req.id.clone();
        let result = match req.method.as_str() {
            Completion::METHOD => parse(&req).map(|p| json(self.completion(p))),
            HoverRequest::METHOD => parse(&req).map(|p| json(self.hover(p))),
            GotoDefinition::METHOD => parse(&req).map(|p| json(self.definition(p))),
            References::METHOD => parse(&req).map(|p| json(self.references(p))),
            CodeActionRequest::METHOD => parse(&req).map(|p| {
                // Actions come from the diagnostics of the text as it is now.
                if self.due.is_some() && self.diagnose().is_err() {
                    return serde_json::Value::Null;
                }
                json(self.code_actions(p))
            }),
            _ => Err(Response::new_err(
                id.clone(),
                ErrorCode::MethodNotFound as i32,
                format!("cto does not handle {}", req.method),
            )),
        };
        match result {
            Ok(value) => Response {
                id,
                result: Some(value),
                error: None,
            },
            Err(response) => response,
        }
    }

    /// The open document at a URI, with its path.
    fn open_at(&self, uri: &Url) -> Option<(String, &Open)> {
        let rel = self.rel(uri)?;
        let open = self.open.get(&rel)?;
        Some((rel, open))
    }

    fn completion(&self, p: CompletionParams) -> Option<CompletionResponse> {
        let pos = p.text_document_position;
        let (_, open) = self.open_at(&pos.text_document.uri)?;
        let kind = open.kind?;
        let lines = LineIndex::new(&open.text);
        let offset = lines.offset(&open.text, pos.position, self.enc);
        let slot = complete::slot(&open.text, offset)?;
        let range = lines.range(
            &open.text,
            crate::source::Span::new(slot.start, offset),
            self.enc,
        );
        let own = open.doc.as_ref().and_then(|d| d.id.as_deref());
        let (items, cut) = complete::items(&slot, kind, own, &self.index, &self.ws.config, range);
        Some(CompletionResponse::List(CompletionList {
            is_incomplete: cut,
            items,
        }))
    }

    /// The document named by the word under the cursor (`ADR-0007`, `RM-12`, an SLO
    /// name, `superseded by ADR-0003`), and the word's range.
    fn target(&self, uri: &Url, position: Position) -> Option<(&DocInfo, Range)> {
        let (_, open) = self.open_at(uri)?;
        let lines = LineIndex::new(&open.text);
        let offset = lines.offset(&open.text, position, self.enc);
        let (start, end) = word_at(&open.text, offset)?;
        let word = &open.text[start..end];
        let context = open.kind.unwrap_or(Kind::Adr);
        // A bare number is an id only in the document's own kind's fields; in prose it
        // is a number.
        if word.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let id = parse_ref(word, context)?;
        let info = self.index.get(&id)?;
        let range = lines.range(&open.text, crate::source::Span::new(start, end), self.enc);
        Some((info, range))
    }

    fn hover(&self, p: HoverParams) -> Option<Hover> {
        let pos = p.text_document_position_params;
        let (info, range) = self.target(&pos.text_document.uri, pos.position)?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: hover_text(info),
            }),
            range: Some(range),
        })
    }

    fn definition(&self, p: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
        let pos = p.text_document_position_params;
        let (info, _) = self.target(&pos.text_document.uri, pos.position)?;
        Some(GotoDefinitionResponse::Scalar(Location {
            uri: self.uri(&info.path)?,
            range: info.title_range,
        }))
    }

    /// Where the id under the cursor (or else the document's own id) is referred to.
    fn references(&self, p: ReferenceParams) -> Option<Vec<Location>> {
        let pos = p.text_document_position;
        let info = match self.target(&pos.text_document.uri, pos.position) {
            Some((info, _)) => info,
            None => {
                let (rel, _) = self.open_at(&pos.text_document.uri)?;
                self.index.at(&rel)?
            }
        };
        let id = info.id.as_deref()?;
        let mut out = Vec::new();
        if p.context.include_declaration {
            out.push(Location {
                uri: self.uri(&info.path)?,
                range: info.title_range,
            });
        }
        for (path, range) in self.index.references_to(id) {
            if let Some(uri) = self.uri(path) {
                out.push(Location { uri, range });
            }
        }
        Some(out)
    }

    /// A quick fix for each safe fix whose finding touches the range, and one action
    /// that applies every safe fix of the document (as `cto lint --fix` would).
    fn code_actions(&self, p: CodeActionParams) -> Vec<CodeActionOrCommand> {
        let Some((_, open)) = self.open_at(&p.text_document.uri) else {
            return Vec::new();
        };
        let lines = LineIndex::new(&open.text);
        let want = |k: &CodeActionKind| {
            p.context.only.as_ref().is_none_or(|only| {
                only.iter().any(|o| {
                    k.as_str() == o.as_str() || k.as_str().starts_with(&format!("{}.", o.as_str()))
                })
            })
        };
        let mut actions = Vec::new();
        let fixable: Vec<&Diagnostic> = open
            .diagnostics
            .iter()
            .filter(|d| d.fix.is_some())
            .collect();
        if want(&CodeActionKind::QUICKFIX) {
            for d in &fixable {
                let range = lines.range(&open.text, d.span, self.enc);
                if !overlaps(range, p.range) {
                    continue;
                }
                let Some(fix) = &d.fix else { continue };
                let Ok(new) = crate::edit::set_field(&open.text, &fix.field, &fix.value) else {
                    continue;
                };
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!(
                        "{}: set `{}` to `{}`",
                        d.rule.code,
                        escape::visible(&fix.field),
                        escape::visible(&fix.value)
                    ),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![to_lsp(d, &open.text, &lines, self.enc)]),
                    edit: Some(self.edit(&open.uri, &open.text, &new)),
                    is_preferred: Some(true),
                    ..CodeAction::default()
                }));
            }
        }
        if want(&CodeActionKind::SOURCE_FIX_ALL) && !fixable.is_empty() {
            let mut text = open.text.clone();
            let mut done = BTreeSet::new();
            for fix in fixable.iter().filter_map(|d| d.fix.as_ref()) {
                if done.insert(fix.field.as_str())
                    && let Ok(new) = crate::edit::set_field(&text, &fix.field, &fix.value)
                {
                    text = new;
                }
            }
            if text != open.text {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: "Apply every safe fix of cto lint --fix".into(),
                    kind: Some(CodeActionKind::SOURCE_FIX_ALL),
                    edit: Some(self.edit(&open.uri, &open.text, &text)),
                    ..CodeAction::default()
                }));
            }
        }
        actions
    }

    /// The smallest single edit that turns `old` into `new`.
    fn edit(&self, uri: &Url, old: &str, new: &str) -> WorkspaceEdit {
        let mut prefix = old
            .bytes()
            .zip(new.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
            prefix -= 1;
        }
        let max_suffix = old.len().min(new.len()) - prefix;
        let mut suffix = old
            .bytes()
            .rev()
            .zip(new.bytes().rev())
            .take(max_suffix)
            .take_while(|(a, b)| a == b)
            .count();
        while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix)
        {
            suffix -= 1;
        }
        let lines = LineIndex::new(old);
        let range = lines.range(
            old,
            crate::source::Span::new(prefix, old.len() - suffix),
            self.enc,
        );
        let edit = TextEdit {
            range,
            new_text: new[prefix..new.len() - suffix].to_string(),
        };
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
            ..WorkspaceEdit::default()
        }
    }
}

/// A path made canonical through its directory (the file itself may not exist yet).
fn canonical(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let dir = path.parent()?.canonicalize().ok()?;
    Some(dir.join(path.file_name()?))
}

fn json<T: serde::Serialize>(value: T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

fn overlaps(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// The id-like word around `offset`: letters, digits, `-` and `_`.
fn word_at(text: &str, offset: usize) -> Option<(usize, usize)> {
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    (start < end).then_some((start, end))
}

/// Title, status, owner and date of a document, as markdown (its values escaped).
fn hover_text(info: &DocInfo) -> String {
    let md = escape::markdown;
    let mut out = format!(
        "**{}** {}\n",
        md(info.id.as_deref().unwrap_or("")),
        md(&info.title)
    );
    let mut facts = vec![format!("{}", info.kind.spec().label)];
    if !info.status.is_empty() {
        facts.push(format!("status: {}", md(&info.status)));
    }
    if let Some(owner) = &info.owner {
        facts.push(format!("owner: {}", md(owner)));
    }
    if let Some((name, value)) = &info.when {
        facts.push(format!("{name}: {}", md(value)));
    }
    out.push_str(&format!(
        "\n{}\n\n`{}`",
        facts.join(" · "),
        info.path.replace('`', "'")
    ));
    out
}

/// A finding as the protocol carries it: the rule's code, its severity, the message
/// and its help.
fn to_lsp(d: &Diagnostic, text: &str, lines: &LineIndex, enc: Encoding) -> lsp_types::Diagnostic {
    // What a document says is shown, never obeyed: control characters escaped.
    let mut message = escape::visible(&d.message).into_owned();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(&escape::visible(help));
    }
    lsp_types::Diagnostic {
        range: lines.range(text, d.span, enc),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.rule.code.to_string())),
        source: Some("cto".into()),
        message,
        ..lsp_types::Diagnostic::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_under_the_cursor() {
        let text = "see ADR-0007, and superseded by RM-12.";
        let at = |i: usize| word_at(text, i).map(|(s, e)| &text[s..e]);
        assert_eq!(at(4), Some("ADR-0007"));
        assert_eq!(at(8), Some("ADR-0007"));
        assert_eq!(at(12), Some("ADR-0007"));
        assert_eq!(at(35), Some("RM-12"));
        assert_eq!(at(37), Some("RM-12"));
        assert_eq!(at(text.len()), None);
    }
}
