#!/usr/bin/env python3
"""Times `cto lsp` as an editor uses it: start to the first diagnostics of one open document,
a change to its diagnostics (median of 10; each waits for the 150 ms debounce), and one
completion. Usage: bench/lsp.py CTO ROOT FILE (FILE relative to ROOT)."""
import json, subprocess, sys, time, os
cto, root, rel = sys.argv[1], sys.argv[2], sys.argv[3]
p = subprocess.Popen([cto, "lsp"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
def send(m):
    b = json.dumps(m).encode(); p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(b) + b); p.stdin.flush()
def read():
    n = None
    while True:
        line = p.stdout.readline().strip()
        if not line: break
        if line.startswith(b"Content-Length:"): n = int(line.split()[1])
    return json.loads(p.stdout.read(n))
def until(pred):
    while True:
        m = read()
        if pred(m): return m
uri = "file://" + os.path.realpath(os.path.join(root, rel))
text = open(os.path.join(root, rel)).read()
t0 = time.time()
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
until(lambda m: m.get("id") == 1)
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
until(lambda m: m.get("method") == "textDocument/publishDiagnostics")
t1 = time.time()
times = []
for v in range(2, 12):
    t = time.time()
    send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": v}, "contentChanges": [{"text": text + "\nedit %d\n" % v}]}})
    until(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == v)
    times.append((time.time() - t) * 1000)
t = time.time()
send({"jsonrpc": "2.0", "id": 2, "method": "textDocument/completion", "params": {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 8}}})
until(lambda m: m.get("id") == 2)
comp = (time.time() - t) * 1000
send({"jsonrpc": "2.0", "id": 3, "method": "shutdown", "params": None}); until(lambda m: m.get("id") == 3)
send({"jsonrpc": "2.0", "method": "exit", "params": None}); p.wait()
times.sort()
print(f"start to first diagnostics: {(t1-t0)*1000:.0f} ms; change to diagnostics (median of 10, incl. 150 ms debounce): {times[5]:.0f} ms; completion: {comp:.0f} ms")
