#!/usr/bin/env bash
# Whole-command speed of two (or more) builds of primum, compared in the
# same run with the builds interleaved round by round, so that a busy
# machine's slow spells fall on all of them alike (hyperfine times one
# command's runs one after another; on the shared 2-core machines here the
# load changes within a minute). Times `check --jsonl` (JSON and human
# output) on the dev-posts corpus and `redact --jsonl` on the PHI-corpus
# texts (bench/corpus.sh), and prints each build's best and median wall
# time, its MB/s at best, and the ratios to the first build.
# Usage: bench/compare.sh [-r ROUNDS] [-m MB] OLD_PRIMUM NEW_PRIMUM...
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=6
mb=20
while getopts "r:m:" o; do
  case $o in
  r) rounds=$OPTARG ;;
  m) mb=$OPTARG ;;
  *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 2 ] || { echo "usage: bench/compare.sh [-r ROUNDS] [-m MB] OLD_PRIMUM NEW_PRIMUM..."; exit 2; }
posts=$(bash bench/corpus.sh posts "$mb")
phi=$(bash bench/corpus.sh phi "$mb") || phi=""
now="--now 2026-11-26T12:00:00Z"
jobs=("check-json|check --jsonl $posts --format json $now|$posts"
  "check-human|check --jsonl $posts --format human --color never $now|$posts")
[ -n "$phi" ] && jobs+=("redact|redact --jsonl $phi|$phi")
times=$(mktemp)
one=$(mktemp)
trap 'rm -f "$times" "$one"' EXIT
for job in "${jobs[@]}"; do
  IFS='|' read -r name args _ <<<"$job"
  for _ in $(seq "$rounds"); do
    for bin in "$@"; do
      # Exit status 1 (findings) is the normal outcome of `check`.
      /usr/bin/time -o "$one" -f "%e" "$bin" $args >/dev/null 2>&1 || true
      echo "$name $bin $(tail -1 "$one")" >>"$times"
    done
  done
done
python3 - "$times" "$(stat -c %s "$posts")" "$( [ -n "$phi" ] && stat -c %s "$phi" || echo 0)" "$@" <<'PY'
import statistics, sys
path, posts_b, phi_b, bins = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
t = {}
for line in open(path):
    name, bin, s = line.split()
    t.setdefault(name, {}).setdefault(bin, []).append(float(s))
for name, by in t.items():
    size = phi_b if name == "redact" else posts_b
    base = by[bins[0]]
    print(f"{name} ({size / 1e6:.1f} MB, {len(base)} rounds)")
    for b in bins:
        v = by[b]
        ratio = "" if b == bins[0] else f"   x{min(base) / min(v):.2f} best, x{statistics.median(base) / statistics.median(v):.2f} median"
        print(f"  {b}: best {min(v):.3f} s ({size / 1e6 / min(v):.1f} MB/s), median {statistics.median(v):.3f} s{ratio}")
PY
