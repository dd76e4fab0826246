//! `cto mcp` driven by a real MCP client (rmcp's own, over the binary's stdio): the
//! tools, the resources, validation of inputs, nothing read or written outside.

mod support;

use rmcp::ServiceExt;
use rmcp::model::{
    CallToolRequestParams, CallToolResult, ReadResourceRequestParams, ResourceContents,
};
use rmcp::service::RunningService;
use rmcp::transport::TokioChildProcess;
use serde_json::{Value, json};
use support::{Repo, madr};

type Client = RunningService<rmcp::RoleClient, ()>;

async fn connect(repo: &Repo) -> Client {
    let mut command = tokio::process::Command::new(assert_cmd::cargo::cargo_bin("cto"));
    command
        .arg("mcp")
        .current_dir(repo.path())
        .env("CTO_TODAY", support::TODAY)
        .env("GIT_CONFIG_NOSYSTEM", "1");
    let transport = TokioChildProcess::new(command).expect("start cto mcp");
    tokio::time::timeout(std::time::Duration::from_secs(20), ().serve(transport))
        .await
        .expect("cto mcp answers within 20 s")
        .expect("initialize")
}

async fn call(client: &Client, tool: &str, args: Value) -> CallToolResult {
    let Value::Object(args) = args else {
        panic!("arguments are an object")
    };
    client
        .call_tool(CallToolRequestParams::new(tool.to_string()).with_arguments(args))
        .await
        .unwrap_or_else(|e| panic!("{tool}: {e}"))
}

/// The structured result of a tool that succeeded.
async fn ok(client: &Client, tool: &str, args: Value) -> Value {
    let result = call(client, tool, args).await;
    assert_eq!(result.is_error, Some(false), "{tool}: {result:?}");
    result.structured_content.expect("structured content")
}

/// The text of a tool's error.
async fn err(client: &Client, tool: &str, args: Value) -> String {
    let result = call(client, tool, args).await;
    assert_eq!(
        result.is_error,
        Some(true),
        "{tool} should fail: {result:?}"
    );
    serde_json::to_value(&result.content).unwrap()[0]["text"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

fn repo() -> Repo {
    Repo::git()
        .file("docs/decisions/0001-use-postgres.md", &madr("accepted", "Use Postgres"))
        .file(
            "docs/decisions/0002-cache-reads.md",
            &madr("proposed", "Cache reads").replace("Why.", "Postgres replicas lag."),
        )
        .file(
            "docs/risks/0001-vendor-lock-in.md",
            "---\ntitle: Vendor lock-in\nowner: Bo Chen\nstatus: open\ncategory: security\nlikelihood: 4\nimpact: 4\ntreatment: accept\nreview:\n  next: 2024-12-01\n---\n\n## Description\n\nOne vendor.\n",
        )
}

#[tokio::test]
async fn the_tools_and_resources_are_announced() {
    let r = repo();
    let client = connect(&r).await;
    let info = client.peer_info().expect("server info");
    assert_eq!(
        info.server_info.as_ref().map(|s| s.name.as_str()),
        Some("cto")
    );
    let mut tools: Vec<String> = client
        .list_all_tools()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name.to_string())
        .collect();
    tools.sort();
    assert_eq!(tools, ["get", "lint", "list", "new", "report", "search"]);
    let resources = client.list_all_resources().await.unwrap();
    let uris: Vec<&str> = resources.iter().map(|r| r.uri.as_str()).collect();
    assert_eq!(
        uris,
        [
            "cto://documents/ADR-0001",
            "cto://documents/ADR-0002",
            "cto://documents/RISK-0001"
        ]
    );
    assert_eq!(resources[2].title.as_deref(), Some("Vendor lock-in"));
    let read = client
        .read_resource(ReadResourceRequestParams::new("cto://documents/ADR-0002"))
        .await
        .unwrap();
    match &read.contents[0] {
        ResourceContents::TextResourceContents { text, .. } => {
            assert_eq!(text, &r.read("docs/decisions/0002-cache-reads.md"));
        }
        other => panic!("text expected: {other:?}"),
    }
    // Only documents are resources: no path, nothing outside.
    for uri in [
        "cto://documents/../../etc/passwd",
        "file:///etc/passwd",
        "cto://documents/ADR-0099",
    ] {
        assert!(
            client
                .read_resource(ReadResourceRequestParams::new(uri))
                .await
                .is_err(),
            "{uri}"
        );
    }
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn list_get_search_lint_and_report() {
    let r = repo();
    let client = connect(&r).await;
    let listed = ok(
        &client,
        "list",
        json!({"kind": "adr", "status": "accepted"}),
    )
    .await;
    let ids: Vec<&str> = listed["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["ADR-0001"]);
    // Over every kind, a status only one kind has.
    let open = ok(&client, "list", json!({"status": "open"})).await;
    assert_eq!(open["documents"][0]["id"], "RISK-0001");
    assert_eq!(open["documents"].as_array().unwrap().len(), 1);

    let doc = ok(&client, "get", json!({"id": "risk-1"})).await;
    assert_eq!(doc["id"], "RISK-0001");
    assert_eq!(doc["path"], "docs/risks/0001-vendor-lock-in.md");
    assert_eq!(doc["front_matter"]["owner"], "Bo Chen");
    assert_eq!(doc["front_matter"]["review"], json!({"next": "2024-12-01"}));
    assert_eq!(doc["body"], "\n## Description\n\nOne vendor.\n");

    let hits = ok(
        &client,
        "search",
        json!({"query": "postgres", "status": "proposed"}),
    )
    .await;
    assert_eq!(hits["total"], 1);
    assert_eq!(hits["hits"][0]["id"], "ADR-0002");
    assert_eq!(hits["hits"][0]["excerpt"]["text"], "Postgres replicas lag.");
    // A query that looks like an option is a query.
    let none = ok(&client, "search", json!({"query": "--help"})).await;
    assert_eq!(none["total"], 0);

    // The risk is high with no roadmap item: lint finds it, as `cto lint` does.
    let lint = ok(&client, "lint", json!({})).await;
    let codes: Vec<&str> = lint["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    let cli = r.cto(&["lint", "--format", "json"]).json();
    let cli_codes: Vec<&str> = cli["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, cli_codes);
    assert!(!codes.is_empty());
    let one = ok(
        &client,
        "lint",
        json!({"path": "docs/decisions/0001-use-postgres.md"}),
    )
    .await;
    assert_eq!(one["summary"]["documents"], 1);

    let report = ok(&client, "report", json!({"kind": "risk"})).await;
    assert_eq!(report["top"][0]["id"], "RISK-0001");
    let all = ok(&client, "report", json!({})).await;
    assert!(all.get("risks").is_some(), "{all}");
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn new_creates_through_the_command_lines_checks() {
    let r = repo();
    let client = connect(&r).await;
    let made = ok(
        &client,
        "new",
        json!({"kind": "risk", "title": "Key person", "fields": {"owner": "Ana", "likelihood": "2", "impact": "3"}}),
    )
    .await;
    assert_eq!(made["path"], "docs/risks/0002-key-person.md");
    let text = r.read("docs/risks/0002-key-person.md");
    assert!(
        text.contains("owner: Ana\n") && text.contains("likelihood: 2 "),
        "{text}"
    );
    // A title that looks like an option is a title.
    let made = ok(&client, "new", json!({"kind": "adr", "title": "--force"})).await;
    assert_eq!(made["path"], "docs/decisions/0003-force.md");
    // Bad input: the CLI's errors, nothing written.
    let before = r.snapshot();
    let e = err(
        &client,
        "new",
        json!({"kind": "risk", "title": "X", "fields": {"likelihood": "9"}}),
    )
    .await;
    assert!(e.contains("likelihood"), "{e}");
    let e = err(&client, "new", json!({"kind": "risk", "title": "  "})).await;
    assert!(e.contains("title"), "{e}");
    let e = err(
        &client,
        "new",
        json!({"kind": "risk", "title": "X", "fields": {"--edit": "x"}}),
    )
    .await;
    assert!(e.contains("not a field name"), "{e}");
    assert_eq!(r.snapshot(), before);
    // An unknown kind is refused by the schema.
    assert!(
        client
            .call_tool(
                CallToolRequestParams::new("new").with_arguments(
                    json!({"kind": "memo", "title": "X"})
                        .as_object()
                        .unwrap()
                        .clone()
                )
            )
            .await
            .map(|r| r.is_error == Some(true))
            .unwrap_or(true)
    );
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn nothing_outside_the_repository_is_read() {
    let r = repo();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.md"), "---\nstatus: nonsense\n---\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), r.path().join("docs/out")).unwrap();
    let client = connect(&r).await;
    for path in ["../x.md", "/etc/passwd", "docs/../../x.md", ""] {
        let e = err(&client, "lint", json!({"path": path})).await;
        assert!(e.contains("relative to the repository root"), "{path}: {e}");
    }
    #[cfg(unix)]
    {
        let e = err(&client, "lint", json!({"path": "docs/out/x.md"})).await;
        assert!(e.contains("out of the repository"), "{e}");
    }
    let e = err(&client, "get", json!({"id": "../../etc/passwd"})).await;
    assert!(e.contains("not an id"), "{e}");
    let e = err(&client, "get", json!({"id": "ADR-0042"})).await;
    assert_eq!(e, "no document ADR-0042");
    client.cancel().await.unwrap();
}

/// The README's MCP configuration starts a server that answers (the command `cto` is
/// this build's, and the path the test repository).
#[tokio::test]
async fn the_readme_configuration_starts_the_server() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let from = readme
        .find("## For AI assistants")
        .expect("the README's MCP section");
    let block = &readme[from..];
    let start = block.find("```json\n").expect("a json block") + "```json\n".len();
    let end = block[start..].find("```").unwrap();
    let config: Value = serde_json::from_str(&block[start..start + end]).expect("valid JSON");
    let server = &config["mcpServers"]["cto"];
    assert_eq!(server["command"], "cto");
    let r = repo();
    let args: Vec<String> = server["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let a = a.as_str().unwrap();
            if a == "/path/to/your/cto/repo" {
                r.path().display().to_string()
            } else {
                a.to_string()
            }
        })
        .collect();
    // Started from elsewhere: `-C` is what finds the repository.
    let elsewhere = tempfile::tempdir().unwrap();
    let mut command = tokio::process::Command::new(assert_cmd::cargo::cargo_bin("cto"));
    command.args(&args).current_dir(elsewhere.path());
    let client = ().serve(TokioChildProcess::new(command).unwrap()).await.unwrap();
    let hits = ok(&client, "search", json!({"query": "vendor"})).await;
    assert_eq!(hits["hits"][0]["id"], "RISK-0001");
    client.cancel().await.unwrap();
}

/// The codes and paths of a lint result.
fn findings(lint: &Value) -> Vec<(String, String)> {
    lint["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_documents_kept_between_calls_follow_the_files() {
    let r = repo();
    let client = connect(&r).await;
    let ids = |listed: &Value| -> Vec<String> {
        listed["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        ids(&ok(&client, "list", json!({"kind": "adr"})).await),
        ["ADR-0001", "ADR-0002"]
    );
    // Changed on disk between calls, not through the server: a file edited, one
    // added, one deleted. Each call sees the files as they are now.
    let adr = r.path().join("docs/decisions/0002-cache-reads.md");
    let text = std::fs::read_to_string(&adr).unwrap();
    std::fs::write(&adr, text.replace("status: proposed", "status: [proposed")).unwrap();
    std::fs::write(
        r.path().join("docs/decisions/0003-queue-writes.md"),
        madr("accepted", "Queue writes"),
    )
    .unwrap();
    std::fs::remove_file(r.path().join("docs/risks/0001-vendor-lock-in.md")).unwrap();
    assert_eq!(
        ids(&ok(&client, "list", json!({"kind": "adr"})).await),
        ["ADR-0001", "ADR-0002", "ADR-0003"]
    );
    assert_eq!(
        ok(&client, "list", json!({"kind": "risk"})).await["documents"],
        json!([])
    );
    let lint = ok(&client, "lint", json!({})).await;
    let cli = r.cto(&["lint", "--format", "json"]).json();
    assert_eq!(lint, cli, "the kept documents lint as the files do");
    assert!(
        findings(&lint)
            .iter()
            .any(|(p, _)| p == "docs/decisions/0002-cache-reads.md"),
        "{lint}"
    );
    let hits = ok(&client, "search", json!({"query": "queue writes"})).await;
    assert_eq!(hits["hits"][0]["id"], "ADR-0003");
    // Through the server's own `new`: the next call has it.
    ok(
        &client,
        "new",
        json!({"kind": "risk", "title": "Cache stampede", "fields": {"owner": "Bo Chen"}}),
    )
    .await;
    let risks = ok(&client, "list", json!({"kind": "risk"})).await;
    assert_eq!(ids(&risks), ["RISK-0001"]);
    assert_eq!(risks["documents"][0]["title"], "Cache stampede");
    client.cancel().await.unwrap();
}
