#!/usr/bin/env python3
"""Generates benchmark repositories for cto.

  generate.py adr-tools N OUT   N ADRs in adr-tools format under OUT/doc/adr (with .adr-dir),
                                which cto, `adrs` and markdownlint all read.
  generate.py mixed N OUT       N documents of all four kinds in cto's format (40% ADRs,
                                20% risks, 10% SLOs, 30% roadmap items) with cto.yaml.
  generate.py madr N OUT        N MADR 4 records under OUT/doc/adr (with .adr-dir, so that
                                `adrs` reads them too), written as teams write them: about
                                three findings per record (people as a comma-separated
                                string, which its cto.yaml reports, an empty or missing section, a title that does
                                not match the file name, a broken link, a dangling
                                reference, gaps in the numbering).
  generate.py madr-adrs N OUT   the same decisions written so that `adrs` parses every one
                                (its reader needs `number` in the front matter and people as
                                lists, and reads `links` as its own structures): `adrs
                                doctor` then runs all its checks on them.
  generate.py dashboard OUT     a repository to look at the HTML dashboard on: 300 ADRs,
                                200 roadmap items over three years (an empty year among
                                them, long titles, every horizon and status, dependencies,
                                quarters over capacity), 30 risks, 20 SLOs of 7d to 30d.
  generate.py incidents N OUT   N incidents in docs/incidents over 40 services (cto.yaml lists
                                them), with 40 SLOs and 200 roadmap items they link to: all
                                four severities, every status, times with offsets and `Z`,
                                action items (a third of them open and overdue), postmortem
                                sections; recent resolved sev1/sev2 incidents have an overdue
                                postmortem. Roadmap items of type debt or platform tagged with
                                each service plan the reliability work (no escalation).

Deterministic: the same N gives the same files. Documents are about 1.5 KB, with links
between them so that the cross-document rules have work to do.
"""
import os
import random
import sys

WORDS = ("service platform latency queue database cache region tenant billing search "
         "checkout payment partner contract migration schema index replica failover budget "
         "alert runbook deploy release rollback feature flag cluster network storage").split()


def sentence(rng, n=14):
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng, sentences=4):
    return " ".join(sentence(rng) for _ in range(sentences))


def title(rng, i):
    return f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {rng.choice(WORDS)} {i}"


def slug(t):
    return "-".join(t.lower().split())


def date(i):
    return f"20{16 + i % 10:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}"


def adr_tools(n, out):
    rng = random.Random(n)
    d = os.path.join(out, "doc", "adr")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(out, ".adr-dir"), "w") as f:
        f.write("doc/adr\n")
    names = {}
    for i in range(1, n + 1):
        names[i] = f"{i:04d}-{slug(title(random.Random(i), i))}.md"
    for i in range(1, n + 1):
        t = title(random.Random(i), i)
        status = "Accepted"
        extra = ""
        if i % 10 == 0 and i + 1 <= n:
            status = f"Superseded by [{i + 1}. {title(random.Random(i + 1), i + 1)}]({names[i + 1]})"
        if i % 10 == 1 and i > 10:
            extra = f"\n\nSupersedes [{i - 1}. {title(random.Random(i - 1), i - 1)}]({names[i - 1]})"
        link = ""
        if i > 2:
            j = rng.randint(1, i - 1)
            link = f" See [{j}. {title(random.Random(j), j)}]({names[j]})."
        text = (f"# {i}. {t}\n\nDate: {date(i)}\n\n## Status\n\n{status}{extra}\n\n"
                f"## Context\n\n{paragraph(rng)}{link}\n\n{paragraph(rng)}\n\n"
                f"## Decision\n\n{paragraph(rng, 3)}\n\n## Consequences\n\n{paragraph(rng, 3)}\n")
        with open(os.path.join(d, names[i]), "w") as f:
            f.write(text)


def mixed(n, out):
    rng = random.Random(n)
    counts = {"adr": n * 4 // 10, "risk": n * 2 // 10, "slo": n // 10}
    counts["roadmap"] = n - sum(counts.values())
    dirs = {"adr": "docs/decisions", "risk": "docs/risks", "slo": "docs/slos", "roadmap": "docs/roadmap"}
    for d in dirs.values():
        os.makedirs(os.path.join(out, d), exist_ok=True)
    with open(os.path.join(out, "cto.yaml"), "w") as f:
        f.write("services:\n  - { name: checkout, tier: critical }\n")
        for i in range(2, counts["slo"] + 1):
            f.write(f"  - {{ name: service-{i} }}\n")
    def write(kind, name, text):
        with open(os.path.join(out, dirs[kind], name), "w") as f:
            f.write(text)
    for i in range(1, counts["adr"] + 1):
        t = title(random.Random(i), i)
        status = "accepted"
        fm = ""
        if i % 10 == 0 and i < counts["adr"]:
            status = f"superseded by ADR-{i + 1:04d}"
        if i % 10 == 1 and i > 10:
            fm += f"supersedes: ADR-{i - 1:04d}\n"
        if i > 2:
            fm += f"links: [ADR-{rng.randint(1, i - 1):04d}]\n"
        write("adr", f"{i:04d}-{slug(t)}.md",
              f"---\nstatus: {status}\ndate: {date(i)}\ndecision-makers: [Ana Lima, Bo Chen]\n{fm}---\n\n# {t}\n\n"
              f"## Context and Problem Statement\n\n{paragraph(rng)}\n\n## Considered Options\n\n* Option one\n* Option two\n\n"
              f"## Decision Outcome\n\nChosen option: one. {paragraph(rng, 3)}\n")
    for i in range(1, counts["risk"] + 1):
        t = title(random.Random(i + 7), i)
        link = f"links: [RM-{rng.randint(1, max(1, counts['roadmap'])):04d}]\n" if counts["roadmap"] else ""
        write("risk", f"{i:04d}-{slug(t)}.md",
              f"---\nowner: Team {i % 7}\nstatus: open\ncategory: delivery\nlikelihood: {1 + i % 5}\nimpact: {1 + (i // 5) % 5}\n"
              f"treatment: mitigate\nidentified: 2026-01-01\nreview:\n  last: 2026-10-01\n  next: 2099-01-01\n{link}---\n\n# {t}\n\n"
              f"## Description\n\n{paragraph(rng)}\n\n## Mitigation\n\n{paragraph(rng, 2)}\n")
    for i in range(1, counts["slo"] + 1):
        service = "checkout" if i == 1 else f"service-{i}"
        write("slo", f"{service}-availability-{i}.md",
              f"---\nservice: {service}\nowner: SRE\nstatus: active\nobjective: 99.9\nwindow: 30d\nsli:\n  type: ratio\n"
              f"  bad: 'sum(rate(errors_total{{service=\"{service}\"}}[{{{{.window}}}}]))'\n"
              f"  total: 'sum(rate(requests_total{{service=\"{service}\"}}[{{{{.window}}}}]))'\n"
              f"alerting:\n  page: true\n  ticket: true\n  runbook: https://runbooks.example.com/{service}\n---\n\n"
              f"# Availability of {service}\n\n## Description\n\n{paragraph(rng)}\n")
    for i in range(1, counts["roadmap"] + 1):
        t = title(random.Random(i + 13), i)
        deps = f"depends_on: [RM-{i - 1:04d}]\n" if i > 1 and i % 3 == 0 else ""
        write("roadmap", f"{i:04d}-{slug(t)}.md",
              f"---\nowner: Team {i % 5}\nstatus: planned\nhorizon: later\nquarter: 2027-Q{1 + i % 4}\ntype: feature\n"
              f"effort: {1 + i % 8}\n{deps}---\n\n# {t}\n\n## Outcome\n\n{paragraph(rng)}\n")


def dashboard(out):
    mixed(0, out)  # the directories
    rng = random.Random(2026)
    quarters = [f"{y}-Q{q}" for y in (2025, 2027, 2028) for q in (1, 2, 3, 4)]
    with open(os.path.join(out, "cto.yaml"), "w") as f:
        f.write("roadmap:\n  capacity: {")
        f.write(", ".join(f"{q}: {60 + 15 * (i % 4)}" for i, q in enumerate(quarters)))
        f.write("}\nservices:\n  - { name: checkout, tier: critical }\n")
    dirs = {"adr": "docs/decisions", "risk": "docs/risks", "slo": "docs/slos", "roadmap": "docs/roadmap"}
    def write(kind, name, text):
        with open(os.path.join(out, dirs[kind], name), "w") as f:
            f.write(text)
    statuses = ["accepted"] * 6 + ["proposed", "rejected", "deprecated"]
    for i in range(1, 301):
        t = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12))).capitalize()
        status = rng.choice(statuses)
        fm = ""
        if i % 10 == 0 and i < 300:
            status = f"superseded by ADR-{i + 1:04d}"
        if i % 10 == 1 and i > 10:
            fm += f"supersedes: ADR-{i - 1:04d}\n"
        if i > 2 and i % 4 == 0:
            fm += f"links: [ADR-{rng.randint(max(1, i - 12), i - 1):04d}]\n"
        write("adr", f"{i:04d}-{slug(t)}.md",
              f"---\nstatus: {status}\ndate: {date(i)}\ndecision-makers: [Ana Lima]\n{fm}---\n\n# {t}\n\n"
              "## Context and Problem Statement\n\nWhy.\n\n## Considered Options\n\n* One\n* Two\n\n"
              "## Decision Outcome\n\nChosen option: one.\n")
    for i in range(1, 201):
        t = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 14))).capitalize()
        q = quarters[min(len(quarters) - 1, (i - 1) * len(quarters) // 200)]
        horizon, status = rng.choice([("now", "in-progress"), ("next", "planned"), ("later", "exploring"),
                                      ("now", "shipped"), ("next", "planned"), ("later", "planned")])
        shipped = "shipped: 2025-06-01\n" if status == "shipped" else ""
        deps = f"depends_on: [RM-{rng.randint(max(1, i - 30), i - 1):04d}]\n" if i > 1 and i % 4 == 0 else ""
        write("roadmap", f"{i:04d}-{slug(t)}.md",
              f"---\nowner: {rng.choice(['Ana Lima', 'Bo Chen', 'Chidi Okafor', 'Dana Weiß'])}\nstatus: {status}\n"
              f"horizon: {horizon}\nquarter: {q}\ntype: feature\neffort: {rng.randint(1, 13)}\n{shipped}{deps}---\n\n"
              f"# {t}\n\n## Outcome\n\nMeasured.\n")
    for i in range(1, 31):
        write("risk", f"{i:04d}-risk-{i}.md",
              f"---\nowner: Team {i % 7}\nstatus: open\ncategory: reliability\nlikelihood: {1 + i % 5}\n"
              f"impact: {1 + (i * 3) % 5}\ntreatment: mitigate\nreview:\n  last: 2026-10-01\n  next: 2099-01-01\n---\n\n"
              f"# Risk {i}\n\n## Description\n\nD.\n\n## Mitigation\n\nM.\n")
    for i in range(1, 21):
        service = "checkout" if i == 1 else f"service-{i}"
        write("slo", f"{service}-availability.md",
              f"---\nservice: {service}\nowner: SRE\nstatus: active\nobjective: {rng.choice(['99', '99.5', '99.9', '99.95'])}\n"
              f"window: {rng.choice(['7d', '28d', '30d'])}\nsli:\n  type: ratio\n"
              f"  bad: 'sum(rate(errors_total{{service=\"{service}\"}}[{{{{.window}}}}]))'\n"
              f"  total: 'sum(rate(requests_total{{service=\"{service}\"}}[{{{{.window}}}}]))'\n"
              f"alerting:\n  page: true\n  ticket: true\n  runbook: https://runbooks.example.com/{service}\n---\n\n"
              f"# Availability of {service}\n")


def madr(n, out, adrs_readable=False):
    rng = random.Random(n)
    d = os.path.join(out, "doc", "adr")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(out, ".adr-dir"), "w") as f:
        f.write("doc/adr\n")
    # The team wants people as lists (CTO111 is opt-in): each string is a finding.
    with open(os.path.join(out, "cto.yaml"), "w") as f:
        f.write("rules:\n  CTO111: warn\n")
    # Every 50th number is missing (a gap), so numbers run a little past N.
    numbers = [i for i in range(1, n + n // 49 + 2) if i % 50 != 0][:n]
    for k, i in enumerate(numbers):
        t = title(random.Random(i), i)
        # One in five titles was edited after the file was named.
        name = f"{i:04d}-{slug(t if i % 5 else title(random.Random(i + 1), i))}.md"
        people = "Ana Lima, Bo Chen" if i % 2 else "[Ana Lima, Bo Chen]"
        links = ""
        if adrs_readable:
            people = "[Ana Lima, Bo Chen]"
        elif k > 2:
            j = numbers[rng.randint(0, k - 1)]
            links = f"links: [ADR-{j:04d}]\n" if i % 10 else f"links: [ADR-{n * 3 + i:04d}]\n"
        drivers = "" if i % 3 == 0 else f"* {sentence(rng, 8)}\n* {sentence(rng, 8)}\n"
        more = "" if i % 4 == 0 else f"\n## More Information\n\n{paragraph(rng, 2)}\n"
        see = f" See [an earlier decision]({i - 1:04d}-{slug(title(random.Random(i - 1), i - 1))}-old.md)." if i % 7 == 0 else ""
        number, consulted, informed = "", "Cy Diaz", "Everyone"
        if adrs_readable:
            number, consulted, informed = f"number: {i}\n", "[Cy Diaz]", "[Everyone]"
        text = (f"---\n{number}status: accepted\ndate: {date(i)}\ndecision-makers: {people}\n"
                f"consulted: {consulted}\ninformed: {informed}\n{links}---\n\n# {t}\n\n"
                f"## Context and Problem Statement\n\n{paragraph(rng)}{see}\n\n"
                f"## Decision Drivers\n\n{drivers}\n"
                f"## Considered Options\n\n* Option one\n* Option two\n* Option three\n\n"
                f"## Decision Outcome\n\nChosen option: \"Option one\", because {sentence(rng)}\n\n"
                f"### Consequences\n\n* Good, because {sentence(rng, 10)}\n* Bad, because {sentence(rng, 10)}\n\n"
                f"### Confirmation\n\n{sentence(rng)}\n\n"
                f"## Pros and Cons of the Options\n\n### Option one\n\n* Good, because {sentence(rng, 8)}\n\n"
                f"### Option two\n\n* Bad, because {sentence(rng, 8)}\n{more}")
        with open(os.path.join(d, name), "w") as f:
            f.write(text)


def incidents(n, out):
    rng = random.Random(n)
    services = [f"service-{i}" for i in range(1, 41)]
    for d in ("docs/incidents", "docs/slos", "docs/roadmap"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    with open(os.path.join(out, "cto.yaml"), "w") as f:
        f.write("services:\n")
        for i, s in enumerate(services):
            f.write(f"  - {{ name: {s}, tier: {'critical' if i < 10 else 'standard'} }}\n")
        f.write("incident:\n  holidays: [2026-12-25, 2027-01-01]\n")
    for s in services:
        with open(os.path.join(out, "docs/slos", f"{s}-availability.md"), "w") as f:
            f.write(f"---\nservice: {s}\nowner: SRE\nstatus: active\nobjective: 99.9\nwindow: 30d\nsli:\n  type: ratio\n"
                    f"  bad: 'sum(rate(errors_total[{{{{.window}}}}]))'\n  total: 'sum(rate(requests_total[{{{{.window}}}}]))'\n"
                    f"alerting:\n  page: true\n  ticket: true\n  runbook: https://runbooks.example.com/{s}\n---\n\n"
                    f"# Availability of {s}\n\n## Description\n\n{paragraph(rng)}\n")
    for i in range(1, 201):
        t = title(random.Random(i + 13), i)
        with open(os.path.join(out, "docs/roadmap", f"{i:04d}-{slug(t)}.md"), "w") as f:
            f.write(f"---\nowner: Team {i % 5}\nstatus: planned\nhorizon: next\nquarter: 2027-Q{1 + i % 4}\n"
                    f"type: {('debt', 'platform', 'feature')[i % 3]}\neffort: 3\ntags: [{services[i % 40]}]\n---\n\n"
                    f"# {t}\n\n## Outcome\n\n{paragraph(rng)}\n")
    statuses = ("investigating", "mitigated", "resolved", "postmortem-complete")
    for i in range(1, n + 1):
        t = title(random.Random(i + 29), i)
        # Spread over ten years, a few minutes apart, oldest first.
        day = 1 + (i * 3650) // max(n, 1)
        start = (2016, 1 + (day // 28) % 12, 1 + day % 28)
        year = 2016 + day // 336
        stamp = lambda h, m: f"{year:04d}-{start[1]:02d}-{start[2]:02d}T{h:02d}:{m:02d}:00" + ("Z" if i % 2 else "+02:00")
        severity = f"sev{1 + (i // 4) % 4}"
        status = statuses[i % 4] if year >= 2026 else "postmortem-complete"
        service = services[rng.randrange(40)]
        fm = (f"---\nseverity: {severity}\nservices: [{service}]\nstatus: {status}\nstarted: {stamp(9, 0)}\n"
              f"detected: {stamp(9, 5 + i % 20)}\ncommander: Ana Lima\nslos: [{service}-availability]\n")
        if status != "investigating":
            fm += f"mitigated: {stamp(10, i % 50)}\n"
        if status in ("resolved", "postmortem-complete"):
            fm += f"resolved: {stamp(11, i % 50)}\n"
        due = f"{year:04d}-{start[1]:02d}-{start[2]:02d}"
        fm += (f"action_items:\n  - {{ title: Fix {t.lower()}, owner: Team {i % 7}, due: {due}, link: RM-{1 + i % 200:04d}"
               f"{', done: true' if i % 3 else ''} }}\n---\n\n")
        body = (f"# {t}\n\n## Summary\n\n{paragraph(rng, 2)}\n\n## Timeline\n\n- 09:00 {sentence(rng)}\n- 10:00 {sentence(rng)}\n\n"
                f"## Root cause\n\n{paragraph(rng, 2)}\n\n## What went well / what went wrong\n\n{paragraph(rng, 2)}\n\n"
                f"## Action items\n\n- Fix {t.lower()}\n")
        with open(os.path.join(out, "docs/incidents", f"{i:04d}-{slug(t)}.md"), "w") as f:
            f.write(fm + body)


if __name__ == "__main__":
    modes = {"adr-tools": adr_tools, "mixed": mixed, "madr": madr, "incidents": incidents,
             "madr-adrs": lambda n, out: madr(n, out, adrs_readable=True)}
    if len(sys.argv) == 3 and sys.argv[1] == "dashboard":
        sys.exit(dashboard(sys.argv[2]))
    if len(sys.argv) != 4 or sys.argv[1] not in modes:
        sys.exit(__doc__)
    modes[sys.argv[1]](int(sys.argv[2]), sys.argv[3])
