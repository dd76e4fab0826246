//! The rule catalogue: every code, its name, the kinds it applies to, its default
//! severity and its documentation page (What it checks / Why / Example / How to fix).

use super::Severity;
use crate::model::Kind;

#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub kinds: &'static [Kind],
    pub severity: Severity,
    pub summary: &'static str,
    /// The page `cto explain` prints, in fixed sections.
    pub doc: &'static str,
}

const ALL: &[Kind] = &[Kind::Adr, Kind::Risk, Kind::Slo, Kind::Roadmap];
const ADR: &[Kind] = &[Kind::Adr];
const RISK: &[Kind] = &[Kind::Risk];
const ROADMAP: &[Kind] = &[Kind::Roadmap];
const SLO: &[Kind] = &[Kind::Slo];
const RISK_SLO: &[Kind] = &[Kind::Risk, Kind::Slo];

macro_rules! rules {
    ($($ident:ident = $code:literal $name:literal $kinds:ident $sev:ident $summary:literal $doc:literal;)*) => {
        $(pub static $ident: Rule = Rule {
            code: $code,
            name: $name,
            kinds: $kinds,
            severity: Severity::$sev,
            summary: $summary,
            doc: $doc,
        };)*
        /// Every rule, in code order.
        pub static RULES: &[&Rule] = &[$(&$ident),*];
    };
}

rules! {
UNREADABLE_FILE = "CTO101" "unreadable-file" ALL Error
"A document could not be read: I/O error, not UTF-8, binary, too large, a link out of the repository, or not a regular file."
"## What it checks
That every document file can be read as UTF-8 text of a sensible size (at most 10 MiB,
no NUL bytes), and that it is a regular file inside the repository. A symbolic link
that resolves outside the repository root, or to something that is not a regular file
(a FIFO, a device, `/dev/stdin`, a directory), is reported and never opened.

## Why
A file that cannot be read cannot be checked or reported on; it usually means a binary
was saved with a `.md` name, an editor wrote a legacy encoding, or permissions are wrong.
A committed link to `/etc/shadow` would otherwise print its first line in a snippet, and
a link to a FIFO would block every command that reads the documents.

## Example
A file saved as Latin-1 with `Décision` in its title: the `é` is byte 0xE9, which is not
UTF-8. The diagnostic points at the line and column of the first invalid byte.

## How to fix
Re-save the file as UTF-8 (most editors: \"Save with encoding\"), or move the binary out
of the documents directory.
";

FRONT_MATTER = "CTO102" "front-matter" ALL Error
"Front matter is missing where it is required, or is never closed."
"## What it checks
That a document opens with a YAML front matter block (`---` on the first line, closed by
`---` or `...`) when its kind needs one, and that an opened block is closed. ADRs written
in the adr-tools or MADR 2 styles (a `## Status` section, `- Status:` bullets) are read
without front matter.

## Why
The front matter carries the fields every report is built from. An unclosed block turns
the whole document into YAML, or the YAML into prose.

## Example
```markdown
---
status: accepted
date: 2024-03-01
# Use PostgreSQL
```

## How to fix
Close the block with a line holding only `---`, or add one at the top of the file.
";

YAML_SYNTAX = "CTO103" "yaml-syntax" ALL Error
"The front matter is not valid YAML (syntax, duplicate keys, or a document too large or deep)."
"## What it checks
That the front matter parses as a YAML mapping: valid syntax, no duplicate keys, no
aliases that expand beyond reason, no nesting deeper than 64 levels.

## Why
Other tools (static site generators, GitHub's renderer) read the same block; a syntax
error means each of them sees something different, or nothing.

## Example
```yaml
status: accepted
decision-makers: [Ana, Bo
```

## How to fix
Fix the YAML at the position shown. Quote values that contain `: ` or start with `[`,
`{`, `*`, `&`, `!`, `%` or `@`.
";

INVALID_VALUE = "CTO104" "invalid-value" ALL Error
"A field holds a value outside its allowed set (a status, an enum)."
"## What it checks
That enumerated fields (`status`, and per kind fields such as a risk's `category`) hold
one of their allowed values. Near misses get a \"did you mean\". Teams with their own
ADR statuses declare them under `adr.statuses` in `cto.yaml`.

## Why
Reports group and count by these values; a typo silently drops a document from a
column of the board or from the count of accepted decisions.

## Example
```yaml
status: acepted
```

## How to fix
Use one of the listed values (`accepted`), or declare the team's own status in
`cto.yaml`:
```yaml
adr:
  statuses: { living: accepted }
```
";

MISSING_FIELD = "CTO105" "missing-field" ALL Error
"A required front matter field is missing."
"## What it checks
That the fields a kind requires are present: for an ADR, `status` and `date`.

## Why
A decision without a status cannot be told apart from a draft; one without a date cannot
be placed in the history the reports show.

## Example
```yaml
---
decision-makers: [Ana]
---
```

## How to fix
Add the field to the front matter (`status: proposed`, `date: 2024-03-01`).
";

WRONG_TYPE = "CTO106" "wrong-type" ALL Error
"A field has the wrong type (a list where a string belongs, a number where a date belongs)."
"## What it checks
That every known field has the type its kind defines: strings, lists of strings, dates,
numbers, mappings.

## Why
A wrongly typed value is dropped or misread by every report and export that uses it.

## Example
```yaml
tags: storage
links: ADR-0002
```

## How to fix
Write the value in the expected form (`tags: [storage]`, `links: [ADR-0002]`).
";

UNKNOWN_FIELD = "CTO107" "unknown-field" ALL Warning
"A front matter key is not one of the kind's fields (often a typo)."
"## What it checks
That each front matter key is a field of the document's kind. The value is kept as it is
and nothing is lost; the warning catches typos (`staus:`) with a \"did you mean\".
In `cto.yaml`, an unknown key is an error.

## Why
A misspelt key means the real field is missing, and the value never reaches a report.

## Example
```yaml
staus: accepted
```

## How to fix
Correct the key, or set this rule to `off` in `cto.yaml` (`rules: { CTO107: off }`) when
the repository keeps other tools' keys (Jekyll's `nav_order`, say) in its front matter.
";

INVALID_DATE = "CTO108" "invalid-date" ALL Error
"A date is not a real calendar date in `YYYY-MM-DD` form."
"## What it checks
That date fields (`date`, review dates, `shipped`) are ISO 8601 calendar dates,
`YYYY-MM-DD`, and exist (no 30 February).

## Why
Dates drive ordering, \"by month\" reports and overdue reviews; `03/04/2024` means two
different days on two sides of the Atlantic.

## Example
```yaml
date: 2024-02-30
```

## How to fix
Write the date as `YYYY-MM-DD`.
";

INVALID_FILENAME = "CTO109" "invalid-filename" ALL Error
"A document's file name does not give it an id (`NNNN-title.md`)."
"## What it checks
That a document's file name yields its id: `NNNN-kebab-case-title.md` for ADRs, risks and
roadmap items (an adr-tools style `adr-NNN-` prefix is accepted). README, index and
template files in a documents directory are skipped.

## Why
The number in the file name is the document's id (`ADR-0007`): links, supersede chains
and reports refer to it.

## Example
`docs/decisions/use-postgres.md`

## How to fix
Rename the file with the next free number: `cto adr new` does this for new documents.
";

NON_CANONICAL_STATUS = "CTO110" "non-canonical-status" ADR Warning
"A status is understood but not written in its canonical form."
"## What it checks
That a status read leniently (`✅ Accepted.`, `Superseded by [ADR-0012](0012-x.md)`) is
written the way cto writes it (`accepted`, `superseded by ADR-0012`).

## Why
Other tools and scripts compare status strings exactly; one spelling keeps them all
working.

## Example
```yaml
status: Accepted.
```

## How to fix
Write the canonical form shown in the message; `cto lint --fix` does it.
";

PEOPLE_NOT_A_LIST = "CTO111" "people-not-a-list" ADR Warning
"A people field (`decision-makers`, `consulted`, `informed`) is a string, not a list."
"## What it checks
That `decision-makers`, `consulted` and `informed` in YAML front matter are lists, as
MADR 4 writes them. A comma-separated string is read correctly, and `--fix` rewrites it.

## Why
Other tools (log4brains, site generators, scripts) read these fields as lists; a string
becomes one person called `Ana, Bo`.

## Example
```yaml
decision-makers: Ana Lima, Bo Chen
```

## How to fix
`cto lint --fix`, or write `decision-makers: [Ana Lima, Bo Chen]`.
";

MISSING_SECTION = "CTO201" "missing-section" ALL Error
"A section the document's template requires is missing."
"## What it checks
That a document has the sections its template requires. ADRs following MADR need
`## Context and Problem Statement`, `## Considered Options` and `## Decision Outcome`;
ADRs following Nygard's template need `## Context`, `## Decision` and `## Consequences`.
A document that satisfies either template passes. Heading case and numbering are
ignored.

## Why
Reviewers look for the context, the options and the outcome; a record without them does
not say why the decision was made.

## Example
An ADR with `## Context and Problem Statement` and `## Decision Outcome` but no
`## Considered Options`.

## How to fix
Add the missing section under the heading shown.
";

EMPTY_SECTION = "CTO202" "empty-section" ALL Warning
"A required section has a heading but no content."
"## What it checks
That a required section holds some text, not only its heading (HTML comments and
template placeholders like `{describe the context}` do not count).

## Why
An empty section is a template that was never filled in.

## Example
```markdown
## Decision Outcome

## Consequences
```

## How to fix
Write the section, or remove the document if it was started by mistake.
";

BROKEN_LINK = "CTO203" "broken-link" ALL Error
"A relative link points at a file that does not exist."
"## What it checks
That every relative link in the body (`[ADR 2](0002-use-x.md)`) resolves to a file,
relative to the document's own directory. Web links, anchors and `mailto:` are not
checked.

## Why
Renamed or renumbered documents leave links behind that 404 in every renderer.

## Example
```markdown
See [the old decision](0002-use-mysql.md).
```
when the file is `0002-use-mysql-for-orders.md`.

## How to fix
Point the link at the file as it is named now.
";

MISSING_TITLE = "CTO204" "missing-title" ALL Error
"The document has no title: no `title` field and no `#` heading."
"## What it checks
That a document has a title: its front matter `title`, else its first `#` heading.

## Why
Lists, boards and the decision graph show documents by title.

## Example
A file that starts with `## Context` and has no `title:` field.

## How to fix
Add a `# Title` heading after the front matter.
";

DUPLICATE_ID = "CTO301" "duplicate-id" ALL Error
"Two documents have the same id (often numbers that collided across branches)."
"## What it checks
That no two documents of a kind share an id: `0007-use-kafka.md` and
`0007-use-nats.md` are both `ADR-0007`.

## Why
Links and supersede chains refer to ids; with two documents behind one id they point at
whichever a tool finds first.

## Example
Two branches each ran `cto adr new` and merged.

## How to fix
Renumber the later one to the next free number and update its references.
";

DANGLING_REFERENCE = "CTO302" "dangling-reference" ALL Error
"A reference (`links`, `supersedes`, `superseded by`) names a document that does not exist."
"## What it checks
That every id a document refers to, in `links`, `supersedes` or a `superseded by` status,
names an existing document. With `--staged` (and `--base … --changed-only`), a document
that refers to one the change deletes is reported though it is not changed itself.

## Why
A decision superseded by a record that does not exist leaves readers with no current
decision.

## Example
```yaml
status: superseded by ADR-0042
```
with no ADR 42 in the repository.

## How to fix
Correct the id, or add the missing document.
";

SUPERSEDE_NOT_MUTUAL = "CTO303" "supersede-not-mutual" ADR Error
"A supersede is recorded on one side only."
"## What it checks
That when ADR B `supersedes` ADR A, A's status is `superseded by` B, and the other way
round.

## Why
Readers arrive at either record; each must lead to the other, or the old decision looks
current.

## Example
`0003-use-cockroachdb.md` has `supersedes: ADR-0002`, but `0002-use-postgresql.md` still
says `status: accepted`.

## How to fix
Set the old record's status to `superseded by ADR-0003` (`cto adr new --supersedes` does
both sides), or add `supersedes: ADR-0002` to the new one.
";

DEPENDENCY_CYCLE = "CTO304" "dependency-cycle" ROADMAP Error
"Roadmap items depend on each other in a cycle."
"## What it checks
That `depends_on` between roadmap items has no cycle. The message names the cycle.

## Why
Items in a cycle can never start: each waits for another. A cycle usually means one of
the dependencies is really a shared piece of work that should be its own item.

## Example
`RM-0003` depends on `RM-0005`, and `RM-0005` depends on `RM-0003`.

## How to fix
Remove one of the dependencies, or split the shared work into an item both depend on.
";

DEPENDENCY_ORDER = "CTO305" "dependency-order" ROADMAP Error
"A `now` item depends on an item planned for later, or dropped."
"## What it checks
That an item on the `now` horizon depends only on items that are `now` too (or shipped):
not on a `later` item and not on a `dropped` one.

## Why
The board promises work that cannot be done yet: its prerequisite is not scheduled.

## Example
```yaml
horizon: now
depends_on: [RM-0009]   # RM-0009 is horizon: later
```

## How to fix
Bring the dependency forward, move this item back, or remove the dependency.
";

OWNER_MISSING = "CTO401" "owner-missing" ROADMAP Error
"A roadmap item on the now or next horizon has no owner."
"## What it checks
That every roadmap item on the `now` or `next` horizon names an `owner`. Risks and SLOs
always require one (CTO105).

## Why
Work that is about to start without a named owner does not start.

## Example
```yaml
horizon: now
# owner: missing
```

## How to fix
Add `owner: <name or team>` to the front matter.
";

REVIEW_OVERDUE = "CTO402" "review-overdue" RISK_SLO Warning
"A risk's or an SLO's review is overdue."
"## What it checks
That a risk that is not closed or avoided, and an SLO that is not retired, is reviewed on
time: `review.next` is not in the past. Without `review.next`, the due date is
`review.last` (for risks, else `identified`) plus the cadence of `risk.review_every` in
`cto.yaml` (90 days by default).

## Why
A register is only worth what its last review was: risks change, owners leave.

## Example
```yaml
review: { last: 2024-01-10, next: 2024-04-10 }
```
on 2024-06-01.

## How to fix
Review the risk, then update `review.last` and `review.next`.
";

RISK_ESCALATION = "CTO403" "risk-escalation" RISK Warning
"A high or critical security, reliability or compliance risk lacks a treatment plan or a linked roadmap item."
"## What it checks
That every open or mitigating risk whose score is in the high or critical band and whose
category is security, reliability or compliance has a treatment plan (a `treatment`,
and for `mitigate` a written `## Mitigation`) and links a roadmap item (`links: [RM-…]`)
that funds the work.

## Why
Serious risks without funded work are what leadership must hear about; the report lists
them as escalations.

## Example
```yaml
category: security
likelihood: 4
impact: 5
treatment: mitigate
links: []
```

## How to fix
Write the mitigation and link the roadmap item that carries it, or accept the risk
explicitly (status `accepted` with an `acceptance`).
";

ACCEPTANCE_INCOMPLETE = "CTO404" "acceptance-incomplete" RISK Error
"An accepted risk does not say who accepted it, when, and until when."
"## What it checks
That a risk with status `accepted` has `acceptance: {by, date, expires}`.

## Why
An acceptance is a decision by a named person for a limited time; without an expiry it
is never revisited.

## Example
```yaml
status: accepted
acceptance: { by: CTO }
```

## How to fix
```yaml
acceptance: { by: Maya Chen, date: 2024-05-01, expires: 2024-11-01 }
```
";

ACCEPTANCE_EXPIRED = "CTO405" "acceptance-expired" RISK Warning
"A risk's acceptance has expired."
"## What it checks
That the `acceptance.expires` date of an accepted risk is not in the past.

## Why
An expired acceptance means nobody currently owns the decision to live with the risk.

## Example
```yaml
status: accepted
acceptance: { by: Maya Chen, date: 2024-01-01, expires: 2024-06-30 }
```
on 2024-07-15.

## How to fix
Review the risk: renew the acceptance with a new expiry, or treat the risk.
";

CLOSED_WITHOUT_DATE = "CTO406" "closed-without-date" RISK Error
"A closed risk does not say when it was closed."
"## What it checks
That a risk with status `closed` has a `closed` date.

## Why
Reports show when risks were closed; audits ask.

## Example
```yaml
status: closed
```

## How to fix
Add `closed: YYYY-MM-DD`.
";

SCORE_MISMATCH = "CTO407" "score-mismatch" RISK Error
"A written `score` differs from likelihood × impact."
"## What it checks
That a risk's `score`, when written, equals `likelihood × impact`. The score is always
computed; writing it is optional.

## Why
A stale score puts the risk in the wrong cell of the heat map and the wrong band.

## Example
```yaml
likelihood: 4
impact: 3
score: 9
```

## How to fix
Remove `score`, or correct it (here, 12); `cto lint --fix` writes the computed score.
";

RESIDUAL_ABOVE_INHERENT = "CTO408" "residual-above-inherent" RISK Error
"A risk's residual likelihood or impact is above its inherent one."
"## What it checks
That `residual.likelihood` is at most `likelihood` and `residual.impact` at most
`impact`.

## Why
Treatment lowers a risk; a residual above the inherent rating is a typo or a
misunderstanding of the two ratings.

## Example
```yaml
likelihood: 2
impact: 4
residual: { likelihood: 3, impact: 4 }
```

## How to fix
Rate the risk before treatment in `likelihood`/`impact` and after it in `residual`.
";

MITIGATION_MISSING = "CTO409" "mitigation-missing" RISK Error
"A risk to be mitigated has no `## Mitigation` section."
"## What it checks
That a risk with `treatment: mitigate` describes the mitigation in a `## Mitigation`
section with some text.

## Why
\"We will mitigate\" is not a plan; the section says what is done, by whom, by when.

## Example
```yaml
treatment: mitigate
```
and no `## Mitigation` section.

## How to fix
Add `## Mitigation` with the actions, their owners and dates.
";

MIGRATION_SAFETY = "CTO410" "migration-safety" ROADMAP Error
"A migration has no rollback plan or no observability section."
"## What it checks
That a roadmap item of `type: migration` has `## Rollback plan` and `## Observability`
sections with text.

## Why
Migrations are where outages come from; the way back and the signals that say it is time
to use it are written before the work starts.

## Example
A migration item with `## Outcome` only.

## How to fix
Add both sections: how to roll back, and which dashboards and alerts watch the change.
";

EXPERIMENT_HYPOTHESIS = "CTO411" "experiment-hypothesis" ROADMAP Error
"An experiment has no hypothesis, or a shipped one records no outcome."
"## What it checks
That a roadmap item of `type: experiment` has a `## Hypothesis` section with text, and
that a shipped experiment records its `outcome` (`validated`, `invalidated` or
`inconclusive`).

## Why
An experiment without a hypothesis cannot fail, and one without a recorded outcome
teaches nothing; the roadmap report counts the validation rate.

## Example
```yaml
type: experiment
status: shipped
```
with no `outcome`.

## How to fix
State the hypothesis before starting; record the outcome when it ships.
";

OVER_CAPACITY = "CTO412" "over-capacity" ROADMAP Error
"A quarter's planned effort exceeds its capacity, and no ADR records the trade-off."
"## What it checks
That the `effort` of the items planned in a quarter (not dropped) adds up to at most that
quarter's `roadmap.capacity` in `cto.yaml`, unless an item of the quarter links an ADR
that records the trade-off.

## Why
An over-committed quarter is a roadmap that will slip; if it is deliberate, the decision
should be written down.

## Example
```yaml
# cto.yaml
roadmap: { capacity: { 2027-Q1: 40 } }
```
with items of 21, 13 and 13 points in 2027-Q1.

## How to fix
Move an item to a later quarter, reduce scope, or link the ADR that accepts the
overcommitment (`links: [ADR-0012]`).
";

ACCEPTED_ADR_CHANGED = "CTO413" "accepted-adr-changed" ADR Error
"An accepted ADR's decision was edited instead of superseded (with `--base REF`)."
"## What it checks
With `cto lint --base REF`, that an ADR which was accepted at `REF` has the same body
now: only its status and links may change (for adr-tools records, the `## Status`
section; for MADR 2, the `Status:` line). Line endings and trailing spaces do not count.
An ADR accepted at `REF` and deleted (or renamed) since is reported too.

## Why
An accepted decision is a record of what was decided and why, at the time. Rewriting it
hides the history; a new record that supersedes it keeps both.

## Example
A pull request adds a sentence to `## Decision Outcome` of an accepted ADR.

## How to fix
Revert the edit and write a new ADR: `cto adr new \"…\" --supersedes N`. Fixing a typo?
Set this rule to `warn` in `cto.yaml` for that change, or supersede.
";

OBJECTIVE_INVALID = "CTO501" "objective-invalid" SLO Error
"An SLO's objective is not a percent between 0 and 100."
"## What it checks
That `objective` is a number with 0 < objective ≤ 100, written as a percent (`99.9`),
with at most 18 decimals and 30 significant digits (the arithmetic is exact within them).

## Why
The error budget is `(100 − objective)%` of the window; outside that range there is no
budget to speak of.

## Example
```yaml
objective: 199.9
```

## How to fix
Write the objective as a percent: `objective: 99.9`.
";

OBJECTIVE_SUSPICIOUS = "CTO502" "objective-suspicious" SLO Warning
"An SLO's objective looks like a ratio (below 1) or leaves no budget (100)."
"## What it checks
That `objective` is neither below 1 (`0.995` is almost always meant as 99.5%) nor exactly
100 (no error budget: every failure breaches the SLO).

## Why
OpenSLO writes targets as ratios (`target: 0.995`); cto writes objectives as percents. A
ratio copied over means an objective of 0.995%: a budget of 99% of the window.

## Example
```yaml
objective: 0.995
```

## How to fix
Write `objective: 99.5`. For 100, choose the objective the service can actually keep.
";

WINDOW_INVALID = "CTO503" "window-invalid" SLO Error
"An SLO's window is not a duration (`28d`, `30d`, `4w`), or a calendar window lacks its start or time zone."
"## What it checks
That `window` is a whole number followed by `m`, `h`, `d` or `w`, of at most 100
years, and that a calendar
window (`window_type: calendar`) says when it starts and in which time zone
(`calendar: { start: 2027-01-01, timezone: Europe/Berlin }`).

## Why
The window sets the budget and the burn-rate thresholds; a calendar window without a
start or a zone is a different window for every reader.

## Example
```yaml
window: 1 month
```

## How to fix
`window: 30d` (rolling), or a calendar window with its start and time zone.
";

SLI_INVALID = "CTO504" "sli-invalid" SLO Error
"An SLO's `sli` is not a complete ratio or threshold indicator."
"## What it checks
That `sli` is either `{type: ratio, good: QUERY, total: QUERY}` (or `bad` instead of
`good`, not both), or `{type: threshold, query: QUERY, op: lt|lte|gt|gte, value: NUMBER}`.

## Why
Exports to OpenSLO, Sloth and Prometheus are built from these queries; an incomplete
indicator exports nothing that works.

## Example
```yaml
sli: { type: ratio, good: 'sum(rate(ok[{{.window}}]))' }
```

## How to fix
Add the missing query (`total`), or remove one of `good`/`bad`.
";

ALERTING_MISSING = "CTO505" "alerting-missing" SLO Error
"An active SLO has no alerting, or its alerting has no runbook."
"## What it checks
That an SLO with status `active` has `alerting` that pages or raises a ticket
(`page: true` or `ticket: true`) and names a `runbook`.

## Why
An SLO that nobody is alerted about is a dashboard; an alert without a runbook wakes
someone up with nothing to do.

## Example
```yaml
status: active
alerting: { page: true }
```

## How to fix
`alerting: { page: true, ticket: true, runbook: https://runbooks.example.com/checkout }`.
";

CRITICAL_SERVICE_UNCOVERED = "CTO506" "critical-service-uncovered" SLO Error
"A critical service in cto.yaml has no active SLO with alerting and a runbook."
"## What it checks
That every service listed in `cto.yaml` with `tier: critical` is the `service` of at
least one SLO that is `active`, alerts (page or ticket), and names a runbook. The finding
points at the service in `cto.yaml`.

## Why
\"Confirm SLOs exist for critical services\" is a standing request of every leadership
review; this rule makes it a check that runs on every commit.

## Example
```yaml
services:
  - { name: payments, tier: critical }
```
with no SLO whose `service` is `payments`.

## How to fix
`cto slo new \"Payments availability\" --field service=payments`, fill it in, and make it
active.
";

UNKNOWN_SERVICE = "CTO507" "unknown-service" SLO Warning
"An SLO names a service that cto.yaml does not list."
"## What it checks
That, when `cto.yaml` lists `services`, every SLO's `service` is one of them (with a
\"did you mean\" for near misses).

## Why
A misspelt service name means the critical-service check does not see the SLO.

## Example
```yaml
service: chekout
```

## How to fix
Correct the name, or add the service to `services` in `cto.yaml`.
";
}

/// The kinds a rule applies to, as words.
pub fn kinds_text(rule: &Rule) -> String {
    if rule.kinds.len() == Kind::ALL.len() {
        "all kinds".to_string()
    } else {
        rule.kinds
            .iter()
            .map(|k| k.spec().label)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A rule's full page, as `cto explain` prints it and docs/rules/ keeps it.
pub fn page(rule: &Rule) -> String {
    format!(
        "# {} {}

{}

Default severity: {}. Applies to: {}.

{}",
        rule.code,
        rule.name,
        rule.summary,
        rule.severity.as_str(),
        kinds_text(rule),
        rule.doc
    )
}

/// The index of docs/rules/.
pub fn index_page() -> String {
    let mut s = String::from(
        "# Rules

Generated from the rule registry (`src/check/rules.rs`); `cto rules` lists the same,
`cto explain CODE` prints a page. Set a rule's severity in `cto.yaml`:
`rules: { CTO107: off }` (`off`, `warn` or `error`).

| code | name | severity | applies to | summary |
|---|---|---|---|---|
",
    );
    for r in RULES {
        s.push_str(&format!(
            "| [{}]({}.md) | {} | {} | {} | {} |\n",
            r.code,
            r.code,
            r.name,
            r.severity.as_str(),
            kinds_text(r),
            r.summary.replace('|', "\\|")
        ));
    }
    s
}

/// The rule with this code (case-insensitive).
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_consistent() {
        let mut codes: Vec<_> = RULES.iter().map(|r| r.code).collect();
        let sorted = {
            let mut s = codes.clone();
            s.sort();
            s
        };
        assert_eq!(codes, sorted, "rules are listed in code order");
        codes.dedup();
        assert_eq!(codes.len(), RULES.len(), "codes are unique");
        for r in RULES {
            for section in ["## What it checks", "## Why", "## Example", "## How to fix"] {
                assert!(r.doc.contains(section), "{} lacks {section}", r.code);
            }
            assert!(!r.kinds.is_empty());
        }
    }
}
