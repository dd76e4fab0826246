//! `cto lsp`: the language server, over standard input and output.

use super::{Ctx, Exit};

pub fn run(ctx: &mut Ctx) -> anyhow::Result<Exit> {
    let (connection, io_threads) = lsp_server::Connection::stdio();
    let served = crate::lsp::serve(&connection, &ctx.cwd);
    // The writer thread ends when the last sender is gone.
    drop(connection);
    served?;
    io_threads.join()?;
    Ok(Exit::Success)
}
