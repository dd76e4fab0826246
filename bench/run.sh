#!/usr/bin/env bash
# Measures cto side by side with reading the files (cat), `adrs` (doctor, list) and
# markdownlint-cli2, on generated repositories, and prints markdown tables for
# BENCHMARKS.md. Needs: python3, git, hyperfine and GNU time (Debian: hyperfine time),
# cargo, npm. Peers are installed under bench/.tools if missing.
#
#   bench/run.sh            # everything (about an hour on 2 cores)
#   SIZES="1000 10000" bench/run.sh
#   SECTIONS=report REPORT_SIZES="10000 100000" bench/run.sh   # cto report only
#   SECTIONS=search SEARCH_SIZES=100000 bench/run.sh            # cto search only
#   SECTIONS=lsp bench/run.sh                                   # cto lsp, 10k and 100k
#   SECTIONS="madr mixed history" bench/run.sh                  # lint with findings, the
#                                                               # pre-commit cases, history
#   SECTIONS=madr-adrs bench/run.sh                             # cto lint against adrs doctor
#                                                               # on records adrs parses whole
#   ADRS=/tmp/adrs/bin/adrs bench/run.sh                        # an adrs installed elsewhere
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tools=$root/bench/.tools
work=${BENCH_DIR:-$(mktemp -d)}
sizes=${SIZES:-"1000 10000 100000"}
runs=${RUNS:-5}
sections=${SECTIONS:-"adr madr madr-adrs mixed report history search lsp"}
want() { case " $sections " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

cargo build --release --quiet
cto=$root/target/release/cto
adrs=${ADRS:-$tools/bin/adrs}
mdl=$tools/npm/node_modules/.bin/markdownlint-cli2
# The peers are only needed for the ADR sections.
if { want adr || want madr || want madr-adrs; } && [ ! -x "$adrs" ]; then
  cargo install adrs --version 0.13.0 --locked --no-default-features --root "$tools" --quiet
fi
if want adr && [ ! -x "$mdl" ]; then
  mkdir -p "$tools/npm" && (cd "$tools/npm" && npm install --silent --no-audit --no-fund markdownlint-cli2@0.18 >/dev/null)
fi

mean() { # hyperfine's mean in ms, from its JSON export
  python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['results'][0]['mean']*1000, 1))" "$1"
}
time_ms() { # label, directory, command... (no shell: each tool expands its own globs;
           # exit codes are ignored, since linters exit 1 when they find something)
  local dir=$2; shift 2
  (cd "$dir" && hyperfine -N -i -w 1 -r "$runs" --export-json "$work/h.json" "$@" >/dev/null 2>&1)
  mean "$work/h.json"
}
writes() { # directory, command...: the write calls it makes (with strace, if there is one)
  local dir=$1; shift
  if command -v strace >/dev/null; then
    (cd "$dir" && strace -f -c -e trace=write -o "$work/strace" "$@" >/dev/null 2>&1 || true)
    awk '$NF == "write" {print $4}' "$work/strace"
  else
    echo "-"
  fi
}
peak_mib() { # directory, command...
  local dir=$1; shift
  (cd "$dir" && /usr/bin/time -f "%M" "$@" >/dev/null 2>"$work/mem" || true)
  python3 -c "print(round(int(open('$work/mem').read().split()[-1])/1024))"
}

echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
peers=""
if want adr || want madr; then
  peers="$($adrs --version), "
fi
if want adr; then
  peers="${peers}markdownlint-cli2 $($mdl --help 2>/dev/null | head -1 | awk '{print $2}'), "
fi
echo "Versions: $($cto --version), $peers$(git --version), $(hyperfine --version)"
if want adr; then
echo
echo "## ADRs in adr-tools format (the same files for every tool)"
echo
echo "| ADRs | cat (ms) | cto lint (ms) | cto / cat | adrs doctor (ms) | adrs list (ms) | cto adr list (ms) | markdownlint-cli2 (ms) | doctor / cto | cto peak MiB |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $sizes; do
  d=$work/adr-$n
  [ -d "$d" ] || python3 bench/generate.py adr-tools "$n" "$d"
  cat_ms=$(time_ms cat "$d" "find doc/adr -name '*.md' -exec cat {} +")
  cto_ms=$(time_ms cto "$d" "$cto lint")
  doc_ms=$(time_ms doctor "$d" "$adrs doctor")
  list_ms=$(time_ms list "$d" "$adrs list")
  ctolist_ms=$(time_ms ctolist "$d" "$cto adr list")
  # markdownlint-cli2 takes minutes at 100k: one run there.
  if [ "$n" -ge 100000 ]; then
    mdl_ms=$(cd "$d" && hyperfine -N -i -r 1 --export-json "$work/h.json" "$mdl 'doc/adr/*.md'" >/dev/null 2>&1; mean "$work/h.json")
  else
    mdl_ms=$(time_ms mdl "$d" "$mdl 'doc/adr/*.md'")
  fi
  mem=$(peak_mib "$d" "$cto" lint)
  python3 -c "print(f'| $n | $cat_ms | $cto_ms | {$cto_ms/$cat_ms:.2f} | $doc_ms | $list_ms | $ctolist_ms | $mdl_ms | {$doc_ms/$cto_ms:.1f} | $mem |')"
done
fi
if want madr; then
echo
echo "## MADR 4 records with about three findings each (the same files for cto and adrs)"
echo
echo "| ADRs | findings | cat (ms) | cto lint (ms) | cto / cat | lint json (ms) | json / cat | adrs doctor (ms) | doctor / cto | adrs list (ms) | cto adr list (ms) | write calls (human, json) | cto peak MiB (human, json) |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $sizes; do
  d=$work/madr-$n
  [ -d "$d" ] || python3 bench/generate.py madr "$n" "$d"
  found=$(cd "$d" && "$cto" lint --format json | python3 -c "import json,sys; s=json.load(sys.stdin)['summary']; print(s['errors']+s['warnings'])" || true)
  cat_ms=$(time_ms cat "$d" "find doc/adr -name '*.md' -exec cat {} +")
  cto_ms=$(time_ms cto "$d" "$cto lint")
  json_ms=$(time_ms json "$d" "$cto lint --format json")
  doc_ms=$(time_ms doctor "$d" "$adrs doctor")
  list_ms=$(time_ms list "$d" "$adrs list")
  ctolist_ms=$(time_ms ctolist "$d" "$cto adr list")
  w_human=$(writes "$d" "$cto" lint)
  w_json=$(writes "$d" "$cto" lint --format json)
  mem=$(peak_mib "$d" "$cto" lint)
  mem_json=$(peak_mib "$d" "$cto" lint --format json)
  python3 -c "print(f'| $n | $found | $cat_ms | $cto_ms | {$cto_ms/$cat_ms:.2f} | $json_ms | {$json_ms/$cat_ms:.2f} | $doc_ms | {$doc_ms/$cto_ms:.1f} | $list_ms | $ctolist_ms | $w_human, $w_json | $mem, $mem_json |')"
done
fi
if want madr-adrs; then
echo
echo "## MADR 4 records that adrs parses whole (bench/generate.py madr-adrs): cto lint against adrs doctor"
echo
echo "| ADRs | cto findings | adrs doctor findings | cat (ms) | cto lint (ms) | cto / cat | adrs doctor (ms) | doctor / cat | doctor / cto | cto user+sys (s) | doctor user+sys (s) |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $sizes; do
  d=$work/madr-adrs-$n
  [ -d "$d" ] || python3 bench/generate.py madr-adrs "$n" "$d"
  found=$(cd "$d" && "$cto" lint --format json | python3 -c "import json,sys; s=json.load(sys.stdin)['summary']; print(s['errors']+s['warnings'])" || true)
  doc_found=$(cd "$d" && "$adrs" doctor 2>&1 | grep -c '^\(error\|warning\):' || true)
  cat_ms=$(time_ms cat "$d" "find doc/adr -name '*.md' -exec cat {} +")
  cto_ms=$(time_ms cto "$d" "$cto lint")
  doc_ms=$(time_ms doctor "$d" "$adrs doctor")
  # (linters exit 1 when they find something: the pipeline's status is not the point)
  cpu() { (cd "$d" && { /usr/bin/time -f '%U %S' "$@" 2>&1 >/dev/null || true; } | tail -1 | awk '{printf "%.2f", $1 + $2}'); }
  cto_cpu=$(cpu "$cto" lint)
  doc_cpu=$(cpu "$adrs" doctor)
  python3 -c "print(f'| $n | $found | $doc_found | $cat_ms | $cto_ms | {$cto_ms/$cat_ms:.2f} | $doc_ms | {$doc_ms/$cat_ms:.2f} | {$doc_ms/$cto_ms:.1f} | $cto_cpu | $doc_cpu |')"
done
fi
if want mixed; then
echo
echo "## A mixed repository (40% ADRs, 20% risks, 10% SLOs, 30% roadmap items) and the pre-commit case"
echo
echo "| documents | cat (ms) | cto lint (ms) | cto / cat | cto lint FILE (ms) | lint --staged, one file (ms) | staged / FILE | cto peak MiB |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in ${MIXED_SIZES:-$sizes}; do
  d=$work/mixed-$n
  [ -d "$d" ] || python3 bench/generate.py mixed "$n" "$d"
  file=docs/decisions/$(ls "$d/docs/decisions" | sed -n "$((n / 5))p")
  if [ ! -d "$d/.git" ]; then
    git -C "$d" init -q && git -C "$d" add -A
    git -C "$d" -c user.name=Bench -c user.email=b@example.com commit -qm start
  fi
  # One staged change: the file linted alone below, with a line added.
  git -C "$d" checkout -q -- . && echo "One more line." >> "$d/$file" && git -C "$d" add "$file"
  cat_ms=$(time_ms cat "$d" "find docs -name '*.md' -exec cat {} +")
  cto_ms=$(time_ms cto "$d" "$cto lint")
  one_ms=$(time_ms one "$d" "$cto lint $file")
  staged_ms=$(time_ms staged "$d" "$cto lint --staged")
  mem=$(peak_mib "$d" "$cto" lint)
  git -C "$d" reset -q && git -C "$d" checkout -q -- .
  python3 -c "print(f'| $n | $cat_ms | $cto_ms | {$cto_ms/$cat_ms:.2f} | $one_ms | $staged_ms | {$staged_ms/$one_ms:.2f} | $mem |')"
done
if [ -d "$work/adr-10000" ]; then
  file=doc/adr/$(ls "$work/adr-10000/doc/adr" | sed -n 5000p)
  echo
  echo "cto lint FILE in the 10k-ADR repository: $(time_ms one "$work/adr-10000" "$cto lint $file") ms"
fi
fi
if want report; then
echo
echo "## cto report over a mixed repository (json and the html dashboard), against reading the files"
echo
echo "| documents | cat (ms) | report json (ms) | json / cat | report html (ms) | html / cat | html peak MiB |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for n in ${REPORT_SIZES:-10000 100000}; do
  d=$work/mixed-$n
  [ -d "$d" ] || python3 bench/generate.py mixed "$n" "$d"
  cat_ms=$(time_ms cat "$d" "find docs -name '*.md' -exec cat {} +")
  json_ms=$(time_ms json "$d" "$cto report --format json")
  html_ms=$(time_ms html "$d" "$cto report --format html")
  mem=$(peak_mib "$d" "$cto" report --format html)
  python3 -c "print(f'| $n | $cat_ms | $json_ms | {$json_ms/$cat_ms:.2f} | $html_ms | {$html_ms/$cat_ms:.2f} | $mem |')"
done
fi
if want history; then
echo
echo "## Last change of every document (one walk of history) against git log"
echo
echo "Flat: one directory, each commit changes one document. Multi: four kinds in their"
echo "directories and 40 services beside them, commits touching 1-3 documents, topic branches"
echo "merged (bench/history.py ... multi), packed as a clone is."
echo
echo "| history | commits | documents | git log --name-only (ms) | cto, cold (ms) | cold / git log | cto, after one new commit (ms) | cto without history (ms) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
specs=${HISTORY_SPECS:-"1000 1000 flat;1000 10000 flat;10000 10000 flat;1000 2000 multi;10000 10000 multi;100000 10000 multi"}
IFS=';' read -ra specs <<< "$specs"
for spec in "${specs[@]}"; do
  set -- $spec
  docs=$1 commits=$2 shape=$3
  d=$work/history-$shape-$docs-$commits
  if [ ! -d "$d" ]; then
    if [ "$shape" = multi ]; then python3 bench/history.py "$docs" "$commits" "$d" multi
    else python3 bench/history.py "$docs" "$commits" "$d"; fi
  fi
  git -C "$d" reset -q --hard main
  log_ms=$(time_ms log "$d" "git log --name-only --format='%H %an %ad'")
  cold_ms=$(cd "$d" && hyperfine -w 1 -r "$runs" --prepare "rm -rf .git/cto" --export-json "$work/h.json" "$cto adr list --format json" >/dev/null 2>&1; mean "$work/h.json")
  # A cache as of HEAD, then one more commit.
  (cd "$d" && rm -rf .git/cto && "$cto" adr list --format json >/dev/null && cp .git/cto/last-change.json "$work/cache.json")
  first=$(cd "$d" && find docs/decisions -name '*.md' | sort | sed -n 1p)
  echo "changed" >> "$d/$first"
  git -C "$d" -c user.name=Bench -c user.email=b@example.com commit -qam "one more"
  inc_ms=$(cd "$d" && hyperfine -w 1 -r "$runs" --prepare "cp $work/cache.json .git/cto/last-change.json" --export-json "$work/h.json" "$cto adr list --format json" >/dev/null 2>&1; mean "$work/h.json")
  base_ms=$(time_ms base "$d" "$cto adr list --format csv")
  git -C "$d" reset -q --hard main
  python3 -c "print(f'| $shape | $commits | $docs | $log_ms | $cold_ms | {$cold_ms/$log_ms:.2f} | $inc_ms | $base_ms |')"
done
fi
if want search; then
echo
echo "## cto search over a mixed repository, against reading the files"
echo
echo "| documents | cat (ms) | rare words (ms) | common word (ms) | common word, --kind risk --owner (ms) | common word, every hit as JSON (ms) | peak MiB (common word) |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for n in ${SEARCH_SIZES:-10000 100000}; do
  d=$work/mixed-$n
  [ -d "$d" ] || python3 bench/generate.py mixed "$n" "$d"
  cat_ms=$(time_ms cat "$d" "find docs -name '*.md' -exec cat {} +")
  rare_ms=$(time_ms rare "$d" "$cto search 'partner 1234'")
  common_ms=$(time_ms common "$d" "$cto search failover")
  filter_ms=$(time_ms filter "$d" "$cto search failover --kind risk --owner 'Team 1'")
  all_ms=$(time_ms all "$d" "$cto search failover --limit 0 --format json")
  mem=$(peak_mib "$d" "$cto" search failover)
  echo "| $n | $cat_ms | $rare_ms | $common_ms | $filter_ms | $all_ms | $mem |"
done
fi
if want lsp; then
echo
echo "## cto lsp over a mixed repository: one ADR and one roadmap item open"
echo
for n in ${LSP_SIZES:-10000 100000}; do
  d=$work/mixed-$n
  [ -d "$d" ] || python3 bench/generate.py mixed "$n" "$d"
  for f in docs/decisions/$(ls "$d/docs/decisions" | sed -n 2000p) docs/roadmap/$(ls "$d/docs/roadmap" | sed -n 2000p); do
    echo "- $n documents, $f: $(python3 bench/lsp.py "$cto" "$d" "$f"); peak $(/usr/bin/time -f %M python3 bench/lsp.py "$cto" "$d" "$f" 2>&1 >/dev/null | tail -1) KiB"
  done
done
fi
