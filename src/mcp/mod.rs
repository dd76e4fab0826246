//! `cto mcp`: a Model Context Protocol server, so that an AI assistant can list, read,
//! search, lint, report on and create documents.
//!
//! Every tool but `get` runs the command line itself (`cto -C ROOT …`, in process, through
//! the [`Runner`] the command gives), so
//! that an assistant gets what a person gets: the same validation of its inputs, the
//! same create-new writes, the same JSON. Values never reach the command line as
//! options (they follow `--` or `--option=`), and paths are refused unless they name
//! something inside the repository. Documents are also resources (`cto://documents/ID`).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{
    CallToolResult, ContentBlock, Implementation, ListResourcesResult, PaginatedRequestParams,
    ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, Resource,
    ResourceContents, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{
    ErrorData as McpError, RoleServer, ServerHandler, schemars, tool, tool_handler, tool_router,
};
use serde::Deserialize;
use serde_json::{Value as Json, json};

use std::sync::Arc;

use crate::model::{Corpus, Kind, refs::parse_ref};
use crate::parse::yaml::{Node, Value};
use crate::workspace::Workspace;

/// The scheme and prefix of a document's resource URI.
pub const RESOURCE_PREFIX: &str = "cto://documents/";

/// A kind, as tools take it: the name of any kind of `Kind::ALL` (`adr`, `risk`, `slo`,
/// `roadmap`, `incident`, …), so a new kind needs nothing here.
#[derive(Debug, Clone, Copy, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "String")]
pub struct KindArg(#[schemars(with = "String")] Kind);

impl TryFrom<String> for KindArg {
    type Error = String;

    fn try_from(name: String) -> Result<Self, String> {
        Kind::from_name(&name).map(KindArg).ok_or_else(|| {
            let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
            format!(
                "unknown kind `{}`; one of: {}",
                crate::report::escape::visible(&name),
                names.join(", ")
            )
        })
    }
}

impl KindArg {
    fn kind(self) -> Kind {
        self.0
    }
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ListArgs {
    /// Only documents of this kind (default: every kind).
    pub kind: Option<KindArg>,
    /// Only documents with this status (the kind's own words, e.g. `accepted`).
    pub status: Option<String>,
    /// Only documents with this owner.
    pub owner: Option<String>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct GetArgs {
    /// The document's id: `ADR-0007`, `RISK-3`, `RM-0012`, or an SLO's name.
    pub id: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct SearchArgs {
    /// Words to find (all of them, case-insensitively); `"two words"` is one phrase.
    pub query: String,
    pub kind: Option<KindArg>,
    pub status: Option<String>,
    pub owner: Option<String>,
    /// At most this many hits (default 20; 0: all).
    pub limit: Option<u32>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct LintArgs {
    /// A document or directory, relative to the repository root (default: everything).
    pub path: Option<String>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ReportArgs {
    /// The kind whose report to give (default: the report over every kind).
    pub kind: Option<KindArg>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct NewArgs {
    pub kind: KindArg,
    /// The title; the file name is made from it.
    pub title: String,
    /// Front matter fields to set, e.g. `{"owner": "Ana", "review.next": "2027-01-15"}`.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

/// Runs cto's command line (`cto::run`): arguments, output, error output → exit code.
/// Given by the command, so that this module does not import the dispatcher above it.
/// The store it is given holds the repository's documents between calls.
pub type Runner = fn(
    Vec<OsString>,
    &mut dyn std::io::Write,
    &mut dyn std::io::Write,
    Option<&crate::store::Held>,
) -> i32;

/// The server: a repository root, the command line, and the tools.
#[derive(Clone)]
pub struct CtoServer {
    root: PathBuf,
    runner: Runner,
    /// The documents, read at the first call and refreshed by what changed since.
    store: std::sync::Arc<std::sync::OnceLock<crate::store::Held>>,
    tool_router: ToolRouter<Self>,
}

/// What one in-process run of the command line gave.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn text_error(message: impl Into<String>) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(message.into())])
}

/// A front matter value as JSON.
fn node_json(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Float(f) => json!(f),
        Value::Str(s) => json!(s),
        Value::Seq(items) => Json::Array(items.iter().map(node_json).collect()),
        Value::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|(k, v)| {
                    let key = match &k.value {
                        Value::Str(s) => s.clone(),
                        other => format!("{other:?}"),
                    };
                    (key, node_json(v))
                })
                .collect(),
        ),
    }
}

#[tool_router]
impl CtoServer {
    pub fn new(root: PathBuf, runner: Runner) -> Self {
        CtoServer {
            root,
            runner,
            store: Default::default(),
            tool_router: Self::tool_router(),
        }
    }

    /// Runs `cto -C ROOT --color never ARGS…` in process.
    fn cto(&self, args: &[String]) -> Run {
        let mut argv: Vec<OsString> = vec![
            "cto".into(),
            "-C".into(),
            self.root.clone().into_os_string(),
            "--color".into(),
            "never".into(),
        ];
        argv.extend(args.iter().map(OsString::from));
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let store = self.held();
        let code = (self.runner)(argv, &mut out, &mut err, store);
        Run {
            code,
            stdout: String::from_utf8_lossy(&out).into_owned(),
            stderr: String::from_utf8_lossy(&err).into_owned(),
        }
    }

    /// A run whose output is JSON: exit 0 (or 1, findings) gives it, 2 its error.
    fn json_run(&self, args: &[String]) -> CallToolResult {
        let run = self.cto(args);
        if run.code == 2 {
            return text_error(run.stderr.trim().to_string());
        }
        match serde_json::from_str::<Json>(&run.stdout) {
            Ok(Json::Array(items)) => CallToolResult::structured(json!({ "documents": items })),
            Ok(value) => CallToolResult::structured(value),
            Err(e) => text_error(format!("cto gave no JSON ({e}): {}", run.stderr.trim())),
        }
    }

    /// `path` if it names something inside the repository, as given (relative).
    fn inside(&self, path: &str) -> Result<String, String> {
        let p = Path::new(path);
        let plain = p
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if !plain || path.is_empty() {
            return Err(format!(
                "`{}`: give a path relative to the repository root, without `..`",
                crate::report::escape::visible(path)
            ));
        }
        let full = self.root.join(p);
        // A link inside may point out of the repository: follow it before deciding.
        if let Ok(real) = full.canonicalize()
            && !real.starts_with(&self.root)
        {
            return Err(format!(
                "`{}` leads out of the repository",
                crate::report::escape::visible(path)
            ));
        }
        Ok(path.to_string())
    }

    #[tool(
        description = "List documents (ADRs, risks, SLOs, roadmap items) with their id, title, status, path and the kind's fields; filter by kind, status and owner."
    )]
    fn list(&self, Parameters(args): Parameters<ListArgs>) -> CallToolResult {
        let kinds: Vec<Kind> = match args.kind {
            Some(k) => vec![k.kind()],
            None => Kind::ALL.to_vec(),
        };
        let mut all = Vec::new();
        let mut asked = 0;
        for kind in kinds {
            let mut argv = vec![
                kind.name().to_string(),
                "list".into(),
                "--format=json".into(),
            ];
            if let Some(s) = &args.status {
                // Over every kind, a status is looked for in the kinds that have it.
                if args.kind.is_none() && self.vocabulary_lacks(kind, s) {
                    continue;
                }
                argv.push(format!("--status={s}"));
            }
            if let Some(o) = &args.owner {
                argv.push(format!("--owner={o}"));
            }
            asked += 1;
            let run = self.cto(&argv);
            if run.code != 0 {
                return text_error(run.stderr.trim().to_string());
            }
            match serde_json::from_str::<Json>(&run.stdout) {
                Ok(Json::Array(items)) => all.extend(items),
                _ => return text_error("cto gave no JSON list"),
            }
        }
        if asked == 0 {
            let status = args.status.as_deref().unwrap_or("");
            return text_error(format!(
                "no kind has the status `{}`",
                crate::report::escape::visible(status)
            ));
        }
        CallToolResult::structured(json!({ "documents": all }))
    }

    #[tool(
        description = "One document by id (ADR-0007, RISK-3, RM-12, or an SLO's name): its kind, path, title, status, front matter as JSON and markdown body."
    )]
    fn get(&self, Parameters(args): Parameters<GetArgs>) -> CallToolResult {
        let Some(id) = parse_ref(&args.id, Kind::Adr) else {
            return text_error(format!(
                "`{}` is not an id (ADR-0007, RISK-3, RM-12, an SLO's name)",
                crate::report::escape::visible(&args.id)
            ));
        };
        let corpus = match self.corpus() {
            Ok(c) => c,
            Err(e) => return text_error(e),
        };
        let Some(doc) = corpus.get(&id).filter(|d| d.readable) else {
            return text_error(format!("no document {id}"));
        };
        // The body starts on the line after the front matter's closing fence.
        let rest = doc.source.text.get(doc.body_start()..).unwrap_or("");
        let body = rest
            .strip_prefix("\r\n")
            .or_else(|| rest.strip_prefix('\n'))
            .unwrap_or(rest);
        CallToolResult::structured(json!({
            "id": doc.id,
            "kind": doc.kind.name(),
            "path": doc.path(),
            "title": doc.title_text(),
            "status": doc.status_value(),
            "front_matter": doc.meta.as_ref().map_or(Json::Null, node_json),
            "body": body,
        }))
    }

    #[tool(
        description = "Full-text search over every document (ids, titles, front matter, bodies), best match first; each hit with id, title, status, path and the matching line."
    )]
    fn search(&self, Parameters(args): Parameters<SearchArgs>) -> CallToolResult {
        let mut argv = vec!["search".to_string(), "--format=json".into()];
        if let Some(k) = args.kind {
            argv.push(format!("--kind={}", k.kind().name()));
        }
        if let Some(s) = &args.status {
            argv.push(format!("--status={s}"));
        }
        if let Some(o) = &args.owner {
            argv.push(format!("--owner={o}"));
        }
        if let Some(l) = args.limit {
            argv.push(format!("--limit={l}"));
        }
        argv.push("--".into());
        argv.push(args.query);
        self.json_run(&argv)
    }

    #[tool(
        description = "Lint the repository, or one document or directory (relative path) with the rest as context: the findings of `cto lint --format json` (code, severity, message, path, line, column, help) and a summary."
    )]
    fn lint(&self, Parameters(args): Parameters<LintArgs>) -> CallToolResult {
        let mut argv = vec!["lint".to_string(), "--format=json".into()];
        if let Some(path) = &args.path {
            match self.inside(path) {
                Ok(p) => {
                    argv.push("--".into());
                    argv.push(p);
                }
                Err(e) => return text_error(e),
            }
        }
        self.json_run(&argv)
    }

    #[tool(
        description = "A kind's report as JSON (risks: heat map, top, overdue, escalations…; SLOs: budgets, burn rates…; roadmap: board, capacity…; ADRs: by status, chains), or without a kind the report over every kind."
    )]
    fn report(&self, Parameters(args): Parameters<ReportArgs>) -> CallToolResult {
        let argv = match args.kind {
            Some(k) => vec![
                k.kind().name().to_string(),
                "report".into(),
                "--format=json".into(),
            ],
            None => vec!["report".to_string(), "--format=json".into()],
        };
        self.json_run(&argv)
    }

    #[tool(
        name = "new",
        description = "Create a document: the next id, a file from the kind's template (never replacing a file), with the given front matter fields; returns its path. Fields are checked as `cto <kind> new --field` checks them."
    )]
    fn create(&self, Parameters(args): Parameters<NewArgs>) -> CallToolResult {
        if args.title.trim().is_empty() {
            return text_error("the title is empty");
        }
        let mut argv = vec![args.kind.kind().name().to_string(), "new".into()];
        for (key, value) in &args.fields {
            if key.is_empty() || key.starts_with('-') || key.contains('=') {
                return text_error(format!(
                    "`{}` is not a field name",
                    crate::report::escape::visible(key)
                ));
            }
            argv.push(format!("--field={key}={value}"));
        }
        argv.push("--".into());
        argv.push(args.title);
        let run = self.cto(&argv);
        if run.code != 0 {
            return text_error(run.stderr.trim().to_string());
        }
        let path = run.stdout.trim().to_string();
        CallToolResult::structured(json!({ "path": path, "notes": run.stderr.trim() }))
    }
}

/// Today, or `CTO_TODAY` (YYYY-MM-DD), as the commands take it.
fn today() -> jiff::civil::Date {
    std::env::var("CTO_TODAY")
        .ok()
        .and_then(|s| crate::model::parse_date(&s).ok())
        .unwrap_or_else(|| jiff::Zoned::now().date())
}

impl CtoServer {
    fn workspace(&self) -> Result<Workspace, String> {
        let ws = Workspace::discover(&self.root).map_err(|e| e.to_string())?;
        if !ws.config_diagnostics.is_empty() {
            return Err("cto.yaml is invalid; `cto lint` says why".into());
        }
        Ok(ws)
    }

    /// The store of the repository's documents, read at the first call (`None` when
    /// the repository cannot be read: each command then says why).
    fn held(&self) -> Option<&crate::store::Held> {
        if let Some(held) = self.store.get() {
            return Some(held);
        }
        // Not watched: each call compares every file's stamp, so a file saved an
        // instant before a call is always seen (a watcher's event may come later).
        let store = crate::store::Store::open(&self.root, today()).ok()?;
        Some(
            self.store
                .get_or_init(|| std::sync::Arc::new(std::sync::Mutex::new(store))),
        )
    }

    /// The documents, refreshed.
    fn corpus(&self) -> Result<Arc<Corpus>, String> {
        self.workspace()?;
        let held = self
            .held()
            .ok_or_else(|| "the repository cannot be read".to_string())?;
        let mut store = held.lock().unwrap_or_else(|e| e.into_inner());
        store.refresh(today()).map_err(|e| e.to_string())?;
        Ok(store.corpus())
    }

    /// Whether the repository's vocabulary for `kind` lacks the status `s`.
    fn vocabulary_lacks(&self, kind: Kind, s: &str) -> bool {
        self.workspace().is_ok_and(|ws| {
            ws.config
                .vocabulary(kind)
                .parse(s, Default::default())
                .is_err()
        })
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for CtoServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_resources()
                .build(),
        )
        .with_server_info(Implementation::new("cto", env!("CARGO_PKG_VERSION")))
        .with_instructions(
            "The repository's ADRs, risks, SLOs and roadmap items. Use `search` or `list` to \
             find documents, `get` to read one, `lint` to check them, `report` for a kind's \
             report, `new` to create one. Documents are also resources (cto://documents/ID).",
        )
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, McpError> {
        let corpus = self
            .corpus()
            .map_err(|e| McpError::internal_error(e, None))?;
        let resources = corpus
            .documents
            .iter()
            .filter(|d| d.readable)
            .filter_map(|d| {
                let id = d.id.as_ref()?;
                Some(
                    Resource::new(format!("{RESOURCE_PREFIX}{id}"), id.clone())
                        .with_title(d.title_text())
                        .with_description(format!(
                            "{} · {} · {}",
                            d.kind.spec().label,
                            d.status_value(),
                            d.path()
                        ))
                        .with_mime_type("text/markdown"),
                )
            })
            .collect();
        Ok(ListResourcesResult::with_all_items(resources))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, McpError> {
        let not_found = || {
            McpError::resource_not_found(
                format!(
                    "no document at {}",
                    crate::report::escape::visible(&request.uri)
                ),
                None,
            )
        };
        let id = request
            .uri
            .strip_prefix(RESOURCE_PREFIX)
            .ok_or_else(not_found)?;
        let corpus = self
            .corpus()
            .map_err(|e| McpError::internal_error(e, None))?;
        let doc = corpus
            .get(id)
            .filter(|d| d.readable)
            .ok_or_else(not_found)?;
        Ok(ReadResourceResult::new(vec![ResourceContents::text(
            doc.source.text.clone(),
            request.uri.clone(),
        )])
        .into())
    }
}
