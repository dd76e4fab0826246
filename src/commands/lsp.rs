//! `cto lsp`: the language server, over standard input and output.
//!
//! The server runs on its own thread with an in-memory connection; this thread writes
//! its messages to the command's output, and a reader thread feeds it standard input.

use lsp_server::{Connection, Message};

use super::{Ctx, Exit};

pub fn run(ctx: &mut Ctx) -> anyhow::Result<Exit> {
    let (server, client) = Connection::memory();
    let incoming = client.sender.clone();
    // Ends at the end of input (or when the server is gone); never joined, since a
    // read of standard input cannot be interrupted.
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        while let Ok(Some(message)) = Message::read(&mut stdin) {
            if incoming.send(message).is_err() {
                break;
            }
        }
    });
    drop(client.sender);
    let cwd = ctx.cwd.clone();
    std::thread::scope(|scope| {
        let served = scope.spawn(move || {
            let result = crate::lsp::serve(&server, &cwd, super::today());
            drop(server);
            result
        });
        // Every message the server sends, until it is gone.
        for message in &client.receiver {
            message.write(&mut ctx.out)?;
            ctx.out.flush()?;
        }
        match served.join() {
            Ok(result) => result.map_err(anyhow::Error::from),
            Err(_) => Err(anyhow::anyhow!("the language server stopped unexpectedly")),
        }
    })?;
    Ok(Exit::Success)
}
