#!/usr/bin/env bash
# Instructions per post of `primum check --jsonl`, counted by cachegrind
# (valgrind): repeatable on a busy machine, where times are not. Two
# corpora: the labelled dev posts repeated (what bench/check_jsonl.sh times)
# and varied posts (the texts of the PHI corpora and every labelled post),
# because costs that grow with variety (lazily built automata, caches) hide
# in a corpus of 150 posts repeated. For each: the steady state (the
# difference between 6,000 and 3,000 posts, one thread) and the whole run.
# Reads ../shared at run time (skips what is absent). Needs valgrind.
# The same for `redact --jsonl` on the PHI-corpus texts (bench/corpus.sh phi).
# PRIMUM_BIN=path measures that binary instead of building the release one
# (e.g. target/perf/primum, `cargo build --profile perf`).
# Usage: bench/instructions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is needed: apt-get install valgrind"; exit 2; }
out=bench/out
mkdir -p "$out"
bash bench/corpus.sh posts 20 >/dev/null
python3 - "$out" <<'PY'
import json, sys, os, glob
out = sys.argv[1]
src = [l for l in open(f"{out}/posts-20mb.jsonl", encoding="utf-8")]
for n in (3000, 6000):
    open(f"{out}/dev-{n}.jsonl", "w", encoding="utf-8").writelines(src[:n])
texts = []
for f in sorted(glob.glob("../shared/data/phi/*.jsonl")) + ["../shared/data/posts/dev.jsonl"] + sorted(glob.glob("corpus/*.jsonl")):
    if os.path.exists(f):
        texts += [json.loads(l)["text"] for l in open(f, encoding="utf-8") if l.strip()]
with open(f"{out}/varied.jsonl", "w", encoding="utf-8") as o:
    for i, t in enumerate(texts):
        o.write(json.dumps({"id": f"v{i}", "text": t}, ensure_ascii=False) + "\n")
print(f"varied corpus: {len(texts)} posts")
PY
bash bench/corpus.sh phi 20 >/dev/null 2>&1 && head -3000 "$out/redact-20mb.jsonl" > "$out/redact-3000.jsonl" \
  && head -6000 "$out/redact-20mb.jsonl" > "$out/redact-6000.jsonl"
bin=${PRIMUM_BIN:-target/release/primum}
[ -n "${PRIMUM_BIN:-}" ] || cargo build --release -q -p primum_cli
ir() { # the check exits with 1 when posts have findings, which they do
  { RAYON_NUM_THREADS=1 valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
    "$bin" "$@" 2>&1 >/dev/null || true; } \
    | awk '/I *refs/ {gsub(",", "", $4); print $4}'
}
check() { ir check --jsonl "$1" --format json --now 2026-11-26T12:00:00Z; }
a=$(check "$out/dev-3000.jsonl"); b=$(check "$out/dev-6000.jsonl")
v=$(check "$out/varied.jsonl"); n=$(wc -l < "$out/varied.jsonl")
python3 -c "
a, b, v, n = $a, $b, $v, $n
print(f'check, dev posts: steady {(b - a) / 3000:,.0f} instructions/post; 3,000 posts with start-up {a / 3000:,.0f}/post')
print(f'check, varied posts: {v / n:,.0f} instructions/post over {n:,} posts, start-up included')
"
if [ -f "$out/redact-3000.jsonl" ]; then
  a=$(ir redact --jsonl "$out/redact-3000.jsonl"); b=$(ir redact --jsonl "$out/redact-6000.jsonl")
  python3 -c "print(f'redact, PHI corpus texts: steady {($b - $a) / 3000:,.0f} instructions/post; 3,000 with start-up {$a / 3000:,.0f}/post')"
else
  echo "redact: skipped (no ../shared/data/phi to build its corpus from)"
fi
