#!/usr/bin/env bash
# Fuzzes every target for SECONDS each (default 60), two at a time, seeded with the
# example repository and the real corpus. Needs cargo-fuzz (`cargo install cargo-fuzz`).
# This machine has only a stable toolchain: RUSTC_BOOTSTRAP=1 and --sanitizer none
# (panics and failed assertions are found; cto forbids unsafe code).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${SECONDS_PER_TARGET:-60}
targets="frontmatter yaml document edit"
for t in $targets; do mkdir -p "corpus/$t"; done
find ../examples ../../shared/corpus/real -type f \( -name '*.md' -o -name '*.yaml' -o -name '*.yml' \) 2>/dev/null |
  while read -r f; do
    h=$(sha1sum "$f" | cut -c1-16)
    for t in frontmatter yaml document; do cp "$f" "corpus/$t/$h"; done
  done
RUSTC_BOOTSTRAP=1 cargo fuzz build --sanitizer none -O
run() {
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$1" --sanitizer none -O -- \
    -max_total_time="$seconds" -print_final_stats=1 > "fuzz-$1.log" 2>&1
  echo "$1: $(grep -m1 'stat::number_of_executed_units' "fuzz-$1.log" | awk '{print $2}') inputs, no failure"
}
run frontmatter & run yaml & wait
run document & run edit & wait
