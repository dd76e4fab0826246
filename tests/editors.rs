//! The README's editor snippets, as far as they can run here: each is taken from the
//! README, parsed as its editor parses it (TOML for Helix, JSON for VS Code's files, the
//! extension's JavaScript run by Node), and the command line it names is started and
//! must answer its protocol's handshake. Neovim's snippet runs in a real Neovim in
//! tests/lsp.rs; the MCP configuration of assistants in tests/mcp.rs.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use rmcp::ServiceExt;
use rmcp::transport::TokioChildProcess;
use serde_json::{Value, json};
use support::{Repo, madr};

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md")
}

/// The code blocks of `lang` that follow `marker` in the README, up to the next `## `.
fn blocks(marker: &str, lang: &str) -> Vec<String> {
    let text = readme();
    let from = text
        .find(marker)
        .unwrap_or_else(|| panic!("the README has `{marker}`"));
    let section = &text[from..];
    let section = match section[3..].find("\n## ") {
        Some(end) => &section[..end + 3],
        None => section,
    };
    let fence = format!("```{lang}\n");
    let mut out = Vec::new();
    let mut rest = section;
    while let Some(start) = rest.find(&fence) {
        let body = &rest[start + fence.len()..];
        let end = body.find("```").expect("a closed block");
        out.push(body[..end].to_string());
        rest = &body[end..];
    }
    out
}

fn repo() -> Repo {
    Repo::git().file(
        "docs/decisions/0001-use-postgres.md",
        &madr("accepted", "Use Postgres"),
    )
}

/// The program of a command line from a snippet: `cto` is the binary under test.
fn program(command: &str) -> std::path::PathBuf {
    assert_eq!(command, "cto", "the snippet starts cto");
    assert_cmd::cargo::cargo_bin("cto")
}

/// Starts `command args` in `dir` and does an LSP initialize handshake, then shuts it
/// down: the server's initialize result.
fn lsp_handshake(command: &str, args: &[String], dir: &Path) -> Value {
    let mut child = Command::new(program(command))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut send = |m: Value| {
        let body = m.to_string();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    };
    let mut read = || -> Value {
        let mut len = 0;
        loop {
            let mut line = String::new();
            assert!(
                stdout.read_line(&mut line).unwrap() > 0,
                "the server hung up"
            );
            let line = line.trim();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length:") {
                len = n.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; len];
        stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    };
    let root = url_of(dir);
    send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": null, "rootUri": root, "capabilities": {}}}));
    let init = loop {
        let m = read();
        if m["id"] == 1 {
            break m;
        }
    };
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null}));
    loop {
        if read()["id"] == 2 {
            break;
        }
    }
    send(json!({"jsonrpc": "2.0", "method": "exit", "params": null}));
    let status = child.wait().unwrap();
    assert!(
        status.success(),
        "the server exits 0 after shutdown and exit"
    );
    init["result"].clone()
}

fn url_of(dir: &Path) -> String {
    format!("file://{}", dir.display())
}

fn assert_is_cto_lsp(result: &Value) {
    assert_eq!(result["serverInfo"]["name"], "cto", "{result}");
    assert_eq!(
        result["capabilities"]["definitionProvider"], true,
        "{result}"
    );
    assert!(
        result["capabilities"]["completionProvider"].is_object(),
        "{result}"
    );
}

#[test]
fn the_helix_configuration_starts_the_language_server() {
    let toml_blocks = blocks("**Helix**", "toml");
    assert_eq!(toml_blocks.len(), 1, "one languages.toml block");
    let config: toml::Table = toml::from_str(&toml_blocks[0]).expect("valid TOML");
    let server = &config["language-server"]["cto"];
    let args: Vec<String> = server["args"]
        .as_array()
        .expect("args")
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    // Markdown files use it, beside Helix's default markdown server.
    let languages = config["language"].as_array().expect("[[language]]");
    let markdown = languages
        .iter()
        .find(|l| l["name"].as_str() == Some("markdown"))
        .expect("the markdown language");
    let servers: Vec<&str> = markdown["language-servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(servers.contains(&"cto"), "{servers:?}");
    let r = repo();
    let result = lsp_handshake(server["command"].as_str().unwrap(), &args, r.path());
    assert_is_cto_lsp(&result);
}

/// What the VS Code extension gives `LanguageClient`, from running `extension.js` with
/// Node and a stand-in for the library.
fn vscode_client_options(extension_js: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("extension.js"), extension_js).unwrap();
    let lib = dir.path().join("node_modules/vscode-languageclient");
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::write(
        lib.join("node.js"),
        "exports.LanguageClient = class {\n\
           constructor(id, name, server, client) {\n\
             process.stdout.write(JSON.stringify({ id, name, server, client }));\n\
           }\n\
           start() { return Promise.resolve(); }\n\
           stop() { return Promise.resolve(); }\n\
         };\n",
    )
    .unwrap();
    let out = Command::new("node")
        .args(["-e", "require('./extension.js').activate()"])
        .current_dir(dir.path())
        .output()
        .expect("node runs (Debian's nodejs; .ci/run installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the options as JSON")
}

#[test]
fn the_vs_code_extension_starts_the_language_server() {
    let section = "**VS Code** starts language servers";
    let json_blocks = blocks(section, "json");
    let manifest: Value = serde_json::from_str(&json_blocks[0]).expect("package.json is JSON");
    assert_eq!(manifest["main"], "extension.js");
    assert!(
        manifest["activationEvents"]
            .as_array()
            .unwrap()
            .contains(&json!("onLanguage:markdown"))
    );
    assert!(manifest["dependencies"]["vscode-languageclient"].is_string());
    let js = blocks(section, "js");
    assert_eq!(js.len(), 1, "one extension.js");
    let options = vscode_client_options(&js[0]);
    assert_eq!(options["id"], "cto");
    assert_eq!(
        options["client"]["documentSelector"][0]["language"],
        "markdown"
    );
    let args: Vec<String> = options["server"]["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    let r = repo();
    let result = lsp_handshake(
        options["server"]["command"].as_str().unwrap(),
        &args,
        r.path(),
    );
    assert_is_cto_lsp(&result);
}

#[tokio::test]
async fn the_vs_code_mcp_configuration_starts_the_mcp_server() {
    let json_blocks = blocks("## For AI assistants", "json");
    let vscode = json_blocks
        .iter()
        .find(|b| b.contains("\"servers\""))
        .expect("the .vscode/mcp.json block");
    let config: Value = serde_json::from_str(vscode).expect("valid JSON");
    let server = &config["servers"]["cto"];
    assert_eq!(server["type"], "stdio");
    let r = repo();
    let args: Vec<String> = server["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            a.as_str()
                .unwrap()
                .replace("${workspaceFolder}", &r.path().display().to_string())
        })
        .collect();
    // VS Code may start it anywhere: `-C` finds the repository.
    let elsewhere = tempfile::tempdir().unwrap();
    let mut command = tokio::process::Command::new(program(server["command"].as_str().unwrap()));
    command.args(&args).current_dir(elsewhere.path());
    let client = ().serve(TokioChildProcess::new(command).unwrap()).await.unwrap();
    let info = client.peer_info().expect("server info");
    assert_eq!(
        info.server_info.as_ref().map(|s| s.name.as_str()),
        Some("cto")
    );
    let tools = client.list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    assert!(names.contains(&"lint"), "{names:?}");
    let listed = client
        .call_tool(
            rmcp::model::CallToolRequestParams::new("list")
                .with_arguments(json!({"kind": "adr"}).as_object().unwrap().clone()),
        )
        .await
        .unwrap();
    let docs = listed.structured_content.expect("structured");
    assert_eq!(docs["documents"][0]["id"], "ADR-0001");
    client.cancel().await.unwrap();
}
