//! `cto lsp` driven over stdio as an editor drives it: initialize, didOpen, didChange,
//! completion, definition, references, hover, codeAction, shutdown; exact responses.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};
use support::{Repo, madr};

/// No answer within this long is a failure, never a hang.
const TIMEOUT: Duration = Duration::from_secs(20);

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: mpsc::Receiver<Value>,
    /// Notifications read while waiting for something else.
    backlog: Vec<Value>,
    next_id: i64,
}

impl Client {
    fn start(root: &Path) -> Client {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("cto"))
            .arg("lsp")
            .current_dir(root)
            .env("CTO_TODAY", support::TODAY)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start cto lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("Content-Length")];
                reader.read_exact(&mut body).expect("body");
                let value: Value = serde_json::from_slice(&body).expect("JSON body");
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            backlog: Vec::new(),
            next_id: 1,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next(&mut self) -> Value {
        self.messages
            .recv_timeout(TIMEOUT)
            .unwrap_or_else(|e| panic!("no message from cto lsp within {TIMEOUT:?}: {e}"))
    }

    /// Sends a request and returns its response (`result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self.next();
            if m["id"] == json!(id) && m.get("method").is_none() {
                return m;
            }
            self.backlog.push(m);
        }
    }

    fn result(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(response.get("error").is_none(), "{response}");
        response["result"].clone()
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Value {
        if let Some(i) = self.backlog.iter().position(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        }) {
            return self.backlog.remove(i)["params"].clone();
        }
        loop {
            let m = self.next();
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri {
                return m["params"].clone();
            }
            self.backlog.push(m);
        }
    }

    fn initialize(&mut self, root: &Path) -> Value {
        let result = self.result(
            "initialize",
            json!({"processId": null, "rootUri": uri(root, ""), "capabilities": {}}),
        );
        self.notify("initialized", json!({}));
        result
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// shutdown, exit, and the process ends with 0.
    fn shutdown(mut self) {
        assert_eq!(self.result("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let deadline = std::time::Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert!(status.success(), "cto lsp exited with {status}");
                return;
            }
            assert!(std::time::Instant::now() < deadline, "cto lsp did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(root: &Path, rel: &str) -> String {
    let root = root.canonicalize().expect("canonical root");
    let path = if rel.is_empty() { root } else { root.join(rel) };
    format!("file://{}", path.display())
}

fn pos(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": pos(line, character)})
}

const ADR1: &str = "docs/decisions/0001-use-postgres.md";
const ADR2: &str = "docs/decisions/0002-cache-reads.md";
const RISK1: &str = "docs/risks/0001-vendor-lock-in.md";
const RM1: &str = "docs/roadmap/0001-move-orders.md";
const RM2: &str = "docs/roadmap/0002-split-billing.md";

fn adr2(status: &str) -> String {
    format!(
        "---\nstatus: {status}\ndate: 2024-02-01\ndecision-makers: [Ana Lima]\nlinks: [ADR-0001]\n---\n\n# Cache reads\n\n## Context and Problem Statement\n\nReads are slow; see ADR-0001.\n\n## Considered Options\n\n* A\n\n## Decision Outcome\n\nChosen option: A.\n"
    )
}

fn repo() -> Repo {
    Repo::git()
        .file(ADR1, &madr("accepted", "Use Postgres"))
        .file(ADR2, &adr2("accepted"))
        .file(
            RISK1,
            "---\ntitle: Vendor lock-in\nowner: Bo Chen\nstatus: open\ncategory: vendor\nlikelihood: 2\nimpact: 3\ntreatment: accept\nidentified: 2024-01-10\nreview:\n  next: 2024-12-01\nacceptance:\n  by: Ana Lima\n  date: 2024-01-10\n  expires: 2025-01-10\n---\n\n## Description\n\nOne vendor.\n",
        )
        .file(
            RM1,
            "---\ntitle: Move orders\nowner: Bo Chen\nstatus: planned\nhorizon: next\nquarter: 2024-Q3\ntype: feature\neffort: 5\n---\n\n## Outcome\n\nOrders moved.\n",
        )
        .file(
            RM2,
            "---\ntitle: Split billing\nowner: Bo Chen\nstatus: planned\nhorizon: later\ntype: feature\ndepends_on: [RM-0001]\n---\n\n## Outcome\n\nBilling split.\n",
        )
}

#[test]
fn initialize_announces_what_the_server_does() {
    let r = repo();
    let mut c = Client::start(r.path());
    let result = c.initialize(r.path());
    assert_eq!(
        result,
        json!({
            "capabilities": {
                "positionEncoding": "utf-16",
                "textDocumentSync": {"openClose": true, "change": 1, "save": {"includeText": false}},
                "completionProvider": {"triggerCharacters": [":", " ", "[", ","]},
                "hoverProvider": true,
                "definitionProvider": true,
                "referencesProvider": true,
                "codeActionProvider": {"codeActionKinds": ["quickfix", "source.fixAll"]}
            },
            "serverInfo": {"name": "cto", "version": env!("CARGO_PKG_VERSION")}
        })
    );
    c.shutdown();
}

#[test]
fn diagnostics_follow_the_text_as_it_changes() {
    let r = repo();
    let mut c = Client::start(r.path());
    c.initialize(r.path());
    let u = uri(r.path(), ADR2);
    c.open(&u, &adr2("accepted"));
    assert_eq!(
        c.diagnostics(&u),
        json!({"uri": u, "diagnostics": [], "version": 1})
    );
    c.change(&u, 2, &adr2("acepted"));
    assert_eq!(
        c.diagnostics(&u),
        json!({"uri": u, "version": 2, "diagnostics": [{
            "range": {"start": pos(1, 8), "end": pos(1, 15)},
            "severity": 1,
            "code": "CTO104",
            "source": "cto",
            "message": "unknown ADR status `acepted`; expected one of: proposed, accepted, rejected, deprecated, superseded\nhelp: did you mean `accepted`?"
        }]})
    );
    c.shutdown();
}

#[test]
fn completion_offers_the_repositorys_own_values() {
    let r = repo();
    let mut c = Client::start(r.path());
    c.initialize(r.path());
    let labels = |result: &Value| -> Vec<String> {
        result["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["label"].as_str().expect("label").to_string())
            .collect()
    };
    // A status: the kind's vocabulary, and `superseded by` each other ADR.
    let u = uri(r.path(), ADR2);
    c.open(&u, &adr2(""));
    let result = c.result("textDocument/completion", at(&u, 1, 8));
    assert_eq!(
        labels(&result),
        [
            "proposed",
            "accepted",
            "rejected",
            "deprecated",
            "superseded",
            "superseded by ADR-0001"
        ]
    );
    assert_eq!(result["isIncomplete"], false);
    assert_eq!(
        result["items"][5],
        json!({
            "label": "superseded by ADR-0001",
            "kind": 18,
            "detail": "ADR · Use Postgres",
            "sortText": "0005",
            "filterText": "superseded by ADR-0001",
            "textEdit": {"range": {"start": pos(1, 8), "end": pos(1, 8)}, "newText": "superseded by ADR-0001"}
        })
    );
    // Ids in links (not the document's own), after what is typed.
    let text = adr2("accepted").replace("links: [ADR-0001]", "links: [ADR-0001, R");
    c.change(&u, 2, &text);
    let result = c.result("textDocument/completion", at(&u, 4, 19));
    assert_eq!(labels(&result), ["RISK-0001", "RM-0001", "RM-0002"]);
    assert_eq!(
        result["items"][0]["textEdit"],
        json!({"range": {"start": pos(4, 18), "end": pos(4, 19)}, "newText": "RISK-0001"})
    );
    // People already named, quoted when YAML needs it.
    let text = adr2("accepted").replace("decision-makers: [Ana Lima]", "decision-makers: [");
    c.change(&u, 3, &text);
    let result = c.result("textDocument/completion", at(&u, 3, 18));
    assert_eq!(labels(&result), ["Ana", "Ana Lima", "Bo Chen"]);
    // depends_on: roadmap items only; enum fields: their values.
    let rm = uri(r.path(), RM2);
    let text = r
        .read(RM2)
        .replace("depends_on: [RM-0001]", "depends_on:\n  - ");
    c.open(&rm, &text);
    let result = c.result("textDocument/completion", at(&rm, 7, 4));
    assert_eq!(labels(&result), ["RM-0001"]);
    let result = c.result("textDocument/completion", at(&rm, 4, 9));
    assert_eq!(labels(&result), ["now", "next", "later"]);
    let result = c.result("textDocument/completion", at(&rm, 5, 6));
    assert_eq!(
        labels(&result),
        ["feature", "migration", "platform", "debt", "experiment"]
    );
    // Outside the front matter: nothing.
    assert_eq!(
        c.result("textDocument/completion", at(&rm, 11, 0)),
        Value::Null
    );
    c.shutdown();
}

#[test]
fn definition_references_and_hover_follow_ids() {
    let r = repo();
    let mut c = Client::start(r.path());
    c.initialize(r.path());
    let u = uri(r.path(), ADR2);
    c.open(&u, &adr2("accepted"));
    // `ADR-0001` in the links and in the prose.
    let target =
        json!({"uri": uri(r.path(), ADR1), "range": {"start": pos(6, 0), "end": pos(6, 14)}});
    assert_eq!(c.result("textDocument/definition", at(&u, 4, 10)), target);
    assert_eq!(c.result("textDocument/definition", at(&u, 11, 22)), target);
    // Not an id: nothing.
    assert_eq!(
        c.result("textDocument/definition", at(&u, 11, 2)),
        Value::Null
    );
    let hover = c.result("textDocument/hover", at(&u, 4, 10));
    assert_eq!(
        hover,
        json!({
            "contents": {"kind": "markdown", "value": "**ADR-0001** Use Postgres\n\nADR · status: accepted · date: 2024-01-15\n\n`docs/decisions/0001-use-postgres.md`"},
            "range": {"start": pos(4, 8), "end": pos(4, 16)}
        })
    );
    let risk = uri(r.path(), RISK1);
    c.open(
        &risk,
        &r.read(RISK1)
            .replace("## Description", "Linked from RM-0002.\n\n## Description"),
    );
    let hover = c.result("textDocument/hover", at(&risk, 17, 14));
    assert_eq!(
        hover["contents"]["value"],
        "**RM-0002** Split billing\n\nroadmap item · status: planned · owner: Bo Chen\n\n`docs/roadmap/0002-split-billing.md`"
    );
    // Who refers to ADR-0001: ADR-0002's links (asked from ADR-0001 itself, no id under
    // the cursor), with the declaration.
    let first = uri(r.path(), ADR1);
    c.open(&first, &r.read(ADR1));
    let refs = c.result(
        "textDocument/references",
        json!({"textDocument": {"uri": first}, "position": pos(10, 0), "context": {"includeDeclaration": true}}),
    );
    assert_eq!(
        refs,
        json!([
            {"uri": first, "range": {"start": pos(6, 0), "end": pos(6, 14)}},
            {"uri": u, "range": {"start": pos(4, 8), "end": pos(4, 16)}}
        ])
    );
    // RM-0001, from RM-0002's depends_on, asked on the id.
    let rm2 = uri(r.path(), RM2);
    c.open(&rm2, &r.read(RM2));
    let refs = c.result(
        "textDocument/references",
        json!({"textDocument": {"uri": rm2}, "position": pos(6, 15), "context": {"includeDeclaration": false}}),
    );
    assert_eq!(
        refs,
        json!([{"uri": rm2, "range": {"start": pos(6, 13), "end": pos(6, 20)}}])
    );
    c.shutdown();
}

#[test]
fn code_actions_apply_the_safe_fixes() {
    // CTO111 is opt-in; this team turned it on.
    let r = repo().file("cto.yaml", "rules:\n  CTO111: warn\n");
    let mut c = Client::start(r.path());
    c.initialize(r.path());
    let u = uri(r.path(), ADR2);
    let text = adr2("Accepted.").replace("[Ana Lima]", "Ana Lima, Bo Chen");
    c.open(&u, &text);
    let published = c.diagnostics(&u);
    let codes: Vec<&str> = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["CTO110", "CTO111"], "{published}");
    let actions = c.result(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": {"start": pos(1, 9), "end": pos(1, 9)},
               "context": {"diagnostics": []}}),
    );
    assert_eq!(
        actions,
        json!([
            {
                "title": "CTO110: set `status` to `accepted`",
                "kind": "quickfix",
                "diagnostics": [published["diagnostics"][0]],
                "edit": {"changes": {u.clone(): [{"range": {"start": pos(1, 8), "end": pos(1, 17)}, "newText": "accepted"}]}},
                "isPreferred": true
            },
            {
                "title": "Apply every safe fix of cto lint --fix",
                "kind": "source.fixAll",
                "edit": {"changes": {u.clone(): [{"range": {"start": pos(1, 8), "end": pos(3, 34)},
                    "newText": "accepted\ndate: 2024-02-01\ndecision-makers: [Ana Lima, Bo Chen]"}]}}
            }
        ])
    );
    // Only what is asked for.
    let only = c.result(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": {"start": pos(0, 0), "end": pos(0, 0)},
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    assert_eq!(only.as_array().unwrap().len(), 1);
    assert_eq!(only[0]["kind"], "source.fixAll");
    // Once fixed, nothing is left to fix.
    let fixed = adr2("accepted").replace("[Ana Lima]", "[Ana Lima, Bo Chen]");
    c.change(&u, 2, &fixed);
    assert_eq!(c.diagnostics(&u)["diagnostics"], json!([]));
    let none = c.result(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": {"start": pos(1, 9), "end": pos(1, 9)}, "context": {"diagnostics": []}}),
    );
    assert_eq!(none, json!([]));
    c.shutdown();
}

#[test]
fn cross_document_rules_see_the_rest_of_the_repository() {
    let r = repo();
    let mut c = Client::start(r.path());
    c.initialize(r.path());
    // A dangling link, and a number another file has.
    let u = uri(r.path(), "docs/decisions/0001-other.md");
    c.open(
        &u,
        &madr("accepted", "Other").replace("decision-makers: [Ana]", "links: [ADR-0042]"),
    );
    let d = c.diagnostics(&u);
    let found: Vec<(&str, &str)> = d["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    assert!(found.iter().any(|(c, _)| *c == "CTO301"), "{d}");
    assert!(
        found
            .iter()
            .any(|(c, m)| *c == "CTO302" && m.contains("ADR-0042")),
        "{d}"
    );
    // A cycle through the file on disk: RM-0001 now depends on RM-0002.
    let rm1 = uri(r.path(), RM1);
    c.open(
        &rm1,
        &r.read(RM1)
            .replace("effort: 5", "effort: 5\ndepends_on: [RM-0002]"),
    );
    let d = c.diagnostics(&rm1);
    assert!(
        d["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "CTO304"),
        "{d}"
    );
    c.shutdown();
}

#[test]
fn a_burst_of_changes_is_diagnosed_once_at_the_end() {
    let r = repo();
    let mut c = Client::start(r.path());
    c.initialize(r.path());
    let u = uri(r.path(), ADR2);
    c.open(&u, &adr2("acepted"));
    for v in 2..=20 {
        c.change(
            &u,
            v,
            &adr2(if v % 2 == 0 { "accepted" } else { "acepted" }),
        );
    }
    c.change(&u, 21, &adr2("rejectd"));
    // The first diagnostics published are those of the last text.
    let d = c.diagnostics(&u);
    assert_eq!(d["version"], 21, "{d}");
    assert!(
        d["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("rejectd")
    );
    c.shutdown();
}

#[test]
fn hostile_text_and_files_outside_are_handled() {
    let r = repo();
    let mut c = Client::start(r.path());
    c.initialize(r.path());
    // Control characters in a value are shown escaped in the message.
    let u = uri(r.path(), ADR2);
    c.open(&u, &adr2("acc\u{202e}epted"));
    let d = c.diagnostics(&u);
    let message = d["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("acc\\u{202e}epted"), "{message}");
    assert!(!message.contains('\u{202e}'));
    c.change(&u, 2, &adr2("acc\u{1b}[31mepted"));
    let d = c.diagnostics(&u);
    let message = d["diagnostics"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("\\u{1b}") && !message.contains('\u{1b}'),
        "{message}"
    );
    // A file that is not a document gets no findings; a file outside the repository is
    // not the server's business (and nothing outside is read).
    let readme = uri(r.path(), "README.md");
    c.open(&readme, "# Not a record\n");
    let outside = tempfile::tempdir().unwrap();
    let elsewhere = format!(
        "file://{}/x.md",
        outside.path().canonicalize().unwrap().display()
    );
    c.open(&elsewhere, "---\nstatus: nonsense\n---\n");
    assert_eq!(c.diagnostics(&readme)["diagnostics"], json!([]));
    assert_eq!(
        c.result("textDocument/hover", at(&elsewhere, 1, 9)),
        Value::Null
    );
    // Broken input: no front matter close, binary-looking text, CRLF: diagnostics, no crash.
    c.change(&u, 3, "---\r\nstatus: accepted\r\n");
    let d = c.diagnostics(&u);
    assert!(!d["diagnostics"].as_array().unwrap().is_empty(), "{d}");
    c.change(&u, 4, "\u{0}\u{1}---\n");
    c.diagnostics(&u);
    // Unknown methods are an error, not a crash.
    let err = c.request("workspace/symbol", json!({"query": ""}));
    assert_eq!(err["error"]["code"], -32601);
    c.shutdown();
}

/// The README's Neovim configuration, as written there.
fn readme_neovim_config() -> String {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let from = readme
        .find("**Neovim**")
        .expect("the README's Neovim section");
    let block = &readme[from..];
    let start = block.find("```lua\n").expect("a lua block") + "```lua\n".len();
    let end = block[start..].find("```").expect("the block's end");
    block[start..start + end].to_string()
}

/// A real client: Debian's Neovim, headless, configured by the README's snippet, opens
/// a document and must receive cto's diagnostics. Neovim missing is a failure.
#[test]
fn neovim_receives_the_diagnostics() {
    let r = repo().file(ADR2, &adr2("acepted"));
    let home = tempfile::tempdir().unwrap();
    let init = home.path().join("init.lua");
    std::fs::write(&init, readme_neovim_config()).unwrap();
    let out = home.path().join("diagnostics.txt");
    let check = home.path().join("check.lua");
    std::fs::write(
        &check,
        r#"
local ok = vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50)
local lines = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ''
  table.insert(lines, string.format('%d:%d-%d:%d %s %s %s', d.lnum, d.col, d.end_lnum, d.end_col,
    d.severity, code, (d.message:gsub('\n', ' | '))))
end
if not ok then table.insert(lines, 'timed out') end
vim.fn.writefile(lines, os.getenv('CTO_NVIM_OUT'))
vim.cmd('qa!')
"#,
    )
    .unwrap();
    let bin = assert_cmd::cargo::cargo_bin("cto");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut nvim = Command::new("nvim")
        .args(["--headless", "-n", "-i", "NONE", "-u"])
        .arg(&init)
        .arg(ADR2)
        .arg("-c")
        .arg(format!("luafile {}", check.display()))
        .current_dir(r.path())
        .env("PATH", path)
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env("XDG_DATA_HOME", home.path())
        .env("XDG_STATE_HOME", home.path())
        .env("CTO_TODAY", support::TODAY)
        .env("CTO_NVIM_OUT", &out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nvim must be installed for this test (Debian: apt-get install neovim)");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = nvim.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = nvim.kill();
            panic!("nvim did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    if let Some(mut e) = nvim.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    assert!(status.success(), "nvim: {status}\n{stderr}");
    let got = std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("{e}\n{stderr}"));
    // Neovim's severity 1 is an error; lines and columns from 0.
    assert_eq!(
        got,
        "1:8-1:15 1 CTO104 unknown ADR status `acepted`; expected one of: proposed, accepted, rejected, deprecated, superseded | help: did you mean `accepted`?\n"
    );
}

#[test]
fn files_changed_outside_the_editor_are_read_again() {
    let r = repo();
    let mut c = Client::start(r.path());
    c.initialize(r.path());
    let u = uri(r.path(), ADR2);
    c.open(&u, &adr2("accepted").replace("[ADR-0001]", "[ADR-0099]"));
    let d = c.diagnostics(&u);
    assert_eq!(d["diagnostics"][0]["code"], "CTO302", "{d}");
    // The record appears on disk, and the client says so.
    r.write(
        "docs/decisions/0099-later.md",
        madr("proposed", "Later").as_bytes(),
    );
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(r.path(), "docs/decisions/0099-later.md"), "type": 1}]}),
    );
    assert_eq!(c.diagnostics(&u)["diagnostics"], json!([]));
    // Hover knows it too.
    let hover = c.result("textDocument/hover", at(&u, 4, 10));
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Later"),
        "{hover}"
    );
    // Gone again: dangling again.
    std::fs::remove_file(r.path().join("docs/decisions/0099-later.md")).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(r.path(), "docs/decisions/0099-later.md"), "type": 3}]}),
    );
    assert_eq!(c.diagnostics(&u)["diagnostics"][0]["code"], "CTO302");
    // Closed: its diagnostics are cleared.
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    assert_eq!(c.diagnostics(&u)["diagnostics"], json!([]));
    c.shutdown();
}
