#!/usr/bin/env bash
# Speed work must not change what primum says. Runs two builds of primum
# on the same inputs and compares every byte of their output: `check` (JSON
# and human) on the varied corpus of bench/instructions.sh and on 3,000 dev
# posts, `redact` in its three styles, and the accuracy evaluations (their
# timing lines left out). Prints the first differences and exits 1 if any.
# Reads ../shared at run time (skips what is absent).
# Usage: bench/same_output.sh OLD_PRIMUM NEW_PRIMUM
#   e.g. git stash; cargo build --profile perf -p primum_cli; cp target/perf/primum /tmp/old
#        git stash pop; cargo build --profile perf -p primum_cli
#        bench/same_output.sh /tmp/old target/perf/primum
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: bench/same_output.sh OLD_PRIMUM NEW_PRIMUM"; exit 2; }
out=bench/out
mkdir -p "$out"
[ -f "$out/varied.jsonl" ] && [ -f "$out/dev-3000.jsonl" ] || {
  echo "note: building the corpora with bench/instructions.sh first"
  PRIMUM_BIN=$1 bash bench/instructions.sh >/dev/null
}
now="--now 2026-11-26T12:00:00Z"
run() { # BIN DIR
  local bin=$1 dir=$2 f
  rm -rf "$dir" && mkdir -p "$dir"
  for f in "$out/varied.jsonl" "$out/dev-3000.jsonl"; do
    "$bin" check --jsonl "$f" --format json $now > "$dir/check-$(basename "$f").json" || true
    "$bin" check --jsonl "$f" --format human --color never $now > "$dir/check-$(basename "$f").txt" || true
  done
  "$bin" redact --jsonl "$out/varied.jsonl" > "$dir/redact.jsonl" || true
  "$bin" redact --jsonl "$out/varied.jsonl" --style mask > "$dir/redact-mask.jsonl" || true
  "$bin" redact --jsonl "$out/varied.jsonl" --style surrogate --seed 7 > "$dir/redact-surrogate.jsonl" || true
  for f in ../shared/data/posts/dev.jsonl corpus/*.jsonl; do
    [ -f "$f" ] || continue
    case "$f" in
      corpus/phi_*) ("$bin" eval phi "$f" 2>&1 || true) | grep -v "redacted in" > "$dir/eval-$(basename "$f").txt" ;;
      *) ("$bin" eval "$f" $now 2>&1 || true) > "$dir/eval-$(basename "$f").txt" ;;
    esac
  done
  for f in ../shared/data/phi/*.jsonl; do
    [ -f "$f" ] || continue
    ("$bin" eval phi "$f" 2>&1 || true) | grep -v "redacted in" > "$dir/eval-phi-$(basename "$f").txt"
  done
}
run "$1" "$out/same-old"
run "$2" "$out/same-new"
if diff -r "$out/same-old" "$out/same-new" > "$out/same.diff"; then
  echo "same output: $(ls "$out/same-new" | wc -l) files compared"
else
  head -40 "$out/same.diff"
  echo "DIFFERENT: full diff in $out/same.diff"
  exit 1
fi
