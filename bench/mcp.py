#!/usr/bin/env python3
"""Times `cto mcp` as an assistant uses it: the first call (`list`, which reads the
repository), then `list`, `search` and `lint` calls with nothing changed, and a `lint`
after one document changed on disk; and the server's peak memory (VmHWM).
Usage: bench/mcp.py CTO ROOT FILE (FILE relative to ROOT, a document to touch)."""
import json, os, subprocess, sys, time
cto, root, rel = sys.argv[1], sys.argv[2], sys.argv[3]
p = subprocess.Popen([cto, "mcp"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
n = 0
def call(method, params):
    global n
    n += 1
    p.stdin.write((json.dumps({"jsonrpc": "2.0", "id": n, "method": method, "params": params}) + "\n").encode())
    p.stdin.flush()
    while True:
        m = json.loads(p.stdout.readline())
        if m.get("id") == n:
            if "error" in m or m.get("result", {}).get("isError"):
                sys.exit(f"{method} failed: {str(m)[:300]}")
            return m
def tool(name, args):
    t = time.time()
    call("tools/call", {"name": name, "arguments": args})
    return (time.time() - t) * 1000
call("initialize", {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "0"}})
p.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n'); p.stdin.flush()
first = tool("list", {"kind": "adr"})
lists = sorted(tool("list", {"kind": "adr"}) for _ in range(3))
searches = sorted(tool("search", {"query": "failover"}) for _ in range(3))
lints = sorted(tool("lint", {}) for _ in range(3))
path = os.path.join(root, rel)
text = open(path).read()
open(path, "w").write(text + "\nedited\n")
try:
    changed = tool("lint", {})
finally:
    open(path, "w").write(text)
hwm = next(l.split()[1] for l in open(f"/proc/{p.pid}/status") if l.startswith("VmHWM"))
p.stdin.close(); p.wait()
print(f"first call (list adr): {first:.0f} ms; list adr: {lists[1]:.0f} ms; search: {searches[1]:.0f} ms; "
      f"lint: {lints[1]:.0f} ms; lint after one file changed: {changed:.0f} ms; peak {int(hwm)//1024} MiB")
