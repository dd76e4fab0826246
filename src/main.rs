//! The `cto` binary: everything happens in `cto::run`.

fn main() {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let code = cto::run(std::env::args_os(), &mut stdout.lock(), &mut stderr.lock());
    std::process::exit(code);
}
