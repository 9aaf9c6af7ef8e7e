#!/usr/bin/env bash
# Whole-command throughput of `primum check --jsonl`, timed with hyperfine.
#
# Builds a corpus of about $MB megabytes (default 20) by repeating the
# labelled dev posts (bench/corpus.sh posts), then times
# `primum check --jsonl CORPUS --format json` and `--format human`, best of
# several runs, and prints MB/s. Usage: bench/check_jsonl.sh [MB]
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-20}
out=bench/out
corpus=$(bash bench/corpus.sh posts "$MB")
cargo build --release -q -p primum_cli
bin=target/release/primum
bytes=$(stat -c %s "$corpus")
command -v hyperfine >/dev/null || { echo "hyperfine is needed: apt-get install hyperfine"; exit 2; }
hyperfine --warmup 1 --runs 5 -N --ignore-failure \
  --export-json "$out/check_jsonl.json" \
  "$bin check --jsonl $corpus --format json --now 2026-11-26T12:00:00Z" \
  "$bin check --jsonl $corpus --format human --color never --now 2026-11-26T12:00:00Z"
python3 - "$out/check_jsonl.json" "$bytes" <<'PY'
import json, sys
res, b = json.load(open(sys.argv[1])), int(sys.argv[2])
for r in res["results"]:
    best = min(r["times"])
    print(f"{r['command'].split()[-3]:>6}: best {best:.3f} s  ->  {b/1e6/best:.1f} MB/s   (mean {r['mean']:.3f} s)")
PY
