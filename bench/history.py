#!/usr/bin/env python3
"""Builds a git repository with COMMITS commits over DOCS ADRs (cto format), via
git fast-import, for the history benchmark:

  history.py DOCS COMMITS OUT

The first commit adds every document; each later commit changes one of them, spread
over the set, by one of five authors. Deterministic.
"""
import os
import subprocess
import sys


def doc(i, rev):
    return (f"---\nstatus: accepted\ndate: 2024-01-{1 + i % 28:02d}\n---\n\n# Decision {i}\n\n"
            f"## Context and Problem Statement\n\nRevision {rev} of decision {i}.\n\n"
            f"## Considered Options\n\n* One\n* Two\n\n## Decision Outcome\n\nChosen option: one.\n").encode()


def main(docs, commits, out):
    os.makedirs(out, exist_ok=True)
    subprocess.run(["git", "init", "-q", out], check=True)
    authors = ["Ana Lima", "Bo Chen", "Cy Diaz", "Di Egan", "Ed Fox"]
    stream = []
    t = 1_700_000_000
    for c in range(commits):
        author = authors[c % len(authors)]
        msg = f"change {c}".encode()
        stream.append(f"commit refs/heads/main\nauthor {author} <{c % 5}@example.com> {t + c * 60} +0000\n"
                      f"committer {author} <{c % 5}@example.com> {t + c * 60} +0000\n".encode())
        stream.append(f"data {len(msg)}\n".encode() + msg + b"\n")
        changed = range(docs) if c == 0 else [(c * 7919) % docs]
        for i in changed:
            body = doc(i + 1, c)
            stream.append(f"M 100644 inline docs/decisions/{i + 1:05d}-decision.md\ndata {len(body)}\n".encode() + body + b"\n")
        stream.append(b"\n")
    subprocess.run(["git", "-C", out, "fast-import", "--quiet"], input=b"".join(stream), check=True)
    subprocess.run(["git", "-C", out, "symbolic-ref", "HEAD", "refs/heads/main"], check=True)
    subprocess.run(["git", "-C", out, "checkout", "-q", "-f", "main"], check=True)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
