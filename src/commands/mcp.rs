//! `cto mcp`: the MCP server, over standard input and output.
//!
//! The server runs on a tokio runtime with an in-memory pipe: a task copies standard
//! input into it, and this thread writes what the server sends to the command's output.

use rmcp::ServiceExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{Ctx, Exit};
use crate::workspace::Workspace;

/// `cli` runs one command line in process (the crate's `run`, handed down by the caller,
/// so that this command does not import the layer above it).
pub fn run(ctx: &mut Ctx, cli: crate::mcp::Runner) -> anyhow::Result<Exit> {
    let ws = match ctx.workspace()? {
        Ok(ws) => ws,
        Err(exit) => return Ok(exit),
    };
    let root = ws.root.clone();
    drop::<Workspace>(ws);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let (server_end, our_end) = tokio::io::duplex(64 * 1024);
        let (mut from_server, mut to_server) = tokio::io::split(our_end);
        tokio::spawn(async move {
            let _ = tokio::io::copy(&mut tokio::io::stdin(), &mut to_server).await;
            let _ = to_server.shutdown().await;
        });
        let served = tokio::spawn(async move {
            let server = crate::mcp::CtoServer::new(root, cli)
                .serve(tokio::io::split(server_end))
                .await?;
            server.waiting().await?;
            anyhow::Ok(())
        });
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = from_server.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            ctx.out.write_all(&buf[..n])?;
            ctx.out.flush()?;
        }
        match served.await {
            Ok(result) => result,
            Err(e) => Err(anyhow::anyhow!("the MCP server stopped unexpectedly: {e}")),
        }
    })?;
    Ok(Exit::Success)
}
