#!/usr/bin/env python3
"""Builds a git repository with COMMITS commits over DOCS documents (cto format), via
git fast-import, for the history benchmark:

  history.py DOCS COMMITS OUT          flat: ADRs in one directory
  history.py DOCS COMMITS OUT multi    a realistic repository, packed as a clone is

flat: the first commit adds every document; each later commit changes one of them,
spread over the set, by one of five authors.

multi: the four kinds in their directories, ADRs in eight area subdirectories, beside
40 services with their own README and source files; after the first commit each commit
touches one to three documents (and now and then a source file), and every tenth starts
a topic branch of one to three commits that is merged back (a merge commit, its first
parent the main line, which moved on meanwhile). Packed with `git repack -adf`.
Deterministic.
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


def multi_paths(docs):
    paths = []
    for i in range(docs):
        k = i % 10
        if k < 4:
            paths.append(f"docs/decisions/area-{i % 8}/{i + 1:05d}-decision-{i + 1}.md")
        elif k < 6:
            paths.append(f"docs/risks/{i + 1:05d}-risk-{i + 1}.md")
        elif k < 7:
            paths.append(f"docs/slos/service-{i + 1}-availability.md")
        else:
            paths.append(f"docs/roadmap/{i + 1:05d}-item-{i + 1}.md")
    return paths


def multi(docs, commits, out):
    import random
    rng = random.Random(docs * 7 + commits)
    os.makedirs(out, exist_ok=True)
    subprocess.run(["git", "init", "-q", out], check=True)
    authors = ["Ana Lima", "Bo Chen", "Cy Diaz", "Di Egan", "Ed Fox", "Fa Gil", "Gu Ho"]
    paths = multi_paths(docs)
    sources = [f"services/svc-{k}/src/{name}.rs" for k in range(40) for name in ("main", "api", "store")]
    readmes = [f"services/svc-{k}/README.md" for k in range(40)]
    stream = []
    mark = [0]
    t = 1_700_000_000

    def commit(branch, n, changes, parents):
        mark[0] += 1
        author = authors[n % len(authors)]
        msg = f"change {n}".encode()
        stream.append(f"commit refs/heads/{branch}\nmark :{mark[0]}\n"
                      f"author {author} <{n % 7}@example.com> {t + n * 60} +0000\n"
                      f"committer {author} <{n % 7}@example.com> {t + n * 60} +0000\n".encode())
        stream.append(f"data {len(msg)}\n".encode() + msg + b"\n")
        if parents:
            stream.append(f"from :{parents[0]}\n".encode())
            for p in parents[1:]:
                stream.append(f"merge :{p}\n".encode())
        for path, body in changes:
            stream.append(f"M 100644 inline {path}\ndata {len(body)}\n".encode() + body + b"\n")
        stream.append(b"\n")
        return mark[0]

    first = [(p, doc(i + 1, 0)) for i, p in enumerate(paths)]
    first += [(p, f"pub fn f() -> u32 {{ 0 }}\n".encode()) for p in sources]
    first += [(p, f"# Service {k}\n".encode()) for k, p in enumerate(readmes)]
    head = commit("main", 0, first, [])
    n = 1
    while n < commits:
        if n % 10 == 0 and n + 4 < commits:
            # A topic branch off main, main moving on meanwhile, then the merge.
            topic_files = rng.sample(paths, rng.randint(1, 3))
            tip = head
            topic = []
            for _ in range(rng.randint(1, 3)):
                changes = [(p, doc(0, n)) for p in topic_files[:rng.randint(1, len(topic_files))]]
                topic = dict(topic) | dict(changes)
                topic = list(topic.items())
                tip = commit("topic", n, changes, [tip])
                n += 1
            others = [p for p in rng.sample(paths, 3) if p not in topic_files][:1]
            head = commit("main", n, [(p, doc(0, n)) for p in others], [head])
            n += 1
            head = commit("main", n, topic, [head, tip])
            n += 1
            continue
        changes = [(p, doc(0, n)) for p in rng.sample(paths, rng.randint(1, 3))]
        if n % 4 == 0:
            changes.append((rng.choice(sources), f"// revision {n}\n".encode()))
        head = commit("main", n, changes, [head])
        n += 1
    subprocess.run(["git", "-C", out, "fast-import", "--quiet"], input=b"".join(stream), check=True)
    subprocess.run(["git", "-C", out, "branch", "-q", "-D", "topic"], check=True)
    subprocess.run(["git", "-C", out, "symbolic-ref", "HEAD", "refs/heads/main"], check=True)
    subprocess.run(["git", "-C", out, "repack", "-adfq"], check=True)
    subprocess.run(["git", "-C", out, "checkout", "-q", "-f", "main"], check=True)


if __name__ == "__main__":
    if len(sys.argv) not in (4, 5) or sys.argv[4:] not in ([], ["multi"]):
        sys.exit(__doc__)
    (multi if sys.argv[4:] else main)(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
