#!/usr/bin/env bash
# Wall time and peak memory (GNU time) of the lint paths and lists that once held every
# document or every row: `lint`, `lint --format sarif`, `lint --base HEAD` with one
# record changed, `lint --fix` (on a fresh copy each run) on MADR records, and
# `incident list --format json|csv` on incidents. Each build given is run in turn, RUNS
# times, so that two builds compare under the same load.
#
#   bench/memory.sh N CTO [CTO...]          e.g. bench/memory.sh 10000 /tmp/old/cto target/release/cto
#
# Environment: RUNS (2), WORK (/tmp/cto-memory: the generated repositories), CASES
# ("plain sarif base fix list").
set -euo pipefail
n=$1
shift
builds=("$@")
runs=${RUNS:-2}
work=${WORK:-/tmp/cto-memory}
cases=${CASES:-plain sarif base fix list}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
madr="$work/madr$n"
if [ ! -d "$madr" ]; then
  python3 "$here/generate.py" madr "$n" "$madr" >/dev/null
  git -C "$madr" init -q
  git -C "$madr" add -A
  git -C "$madr" -c user.name=bench -c user.email=bench@example.invalid commit -qm records
fi
git -C "$madr" checkout -q -- .

measure() { # label dir command...
  local label=$1 dir=$2
  shift 2
  (cd "$dir" && /usr/bin/time -f "%e %M" "$@" >/dev/null 2>"$work/time.err") || true
  tail -1 "$work/time.err" | awk -v l="$label" '{printf "| %s | %.2f | %d |\n", l, $1, $2 / 1024}'
}

echo "| case (N=$n), build | s | peak MiB |"
echo "|---|---:|---:|"
for case in $cases; do
  for _ in $(seq "$runs"); do
    for cto in "${builds[@]}"; do
      cto=$(realpath "$cto")
      case $case in
        plain) measure "lint, $cto" "$madr" "$cto" lint ;;
        sarif) measure "lint --format sarif, $cto" "$madr" "$cto" lint --format sarif ;;
        base)
          f=$(ls "$madr/doc/adr" | sed -n 6p)
          printf '\nA new sentence.\n' >>"$madr/doc/adr/$f"
          measure "lint --base HEAD, one record changed, $cto" "$madr" "$cto" lint --base HEAD
          git -C "$madr" checkout -q -- .
          ;;
        fix)
          rm -rf "$work/fix" && cp -a "$madr" "$work/fix"
          measure "lint --fix, $cto" "$work/fix" "$cto" lint --fix
          rm -rf "$work/fix"
          ;;
        list)
          inc="$work/incidents$n"
          [ -d "$inc" ] || python3 "$here/generate.py" incidents "$n" "$inc" >/dev/null
          measure "incident list --format json, $cto" "$inc" "$cto" incident list --format json
          measure "incident list --format csv, $cto" "$inc" "$cto" incident list --format csv
          ;;
      esac
    done
  done
done
