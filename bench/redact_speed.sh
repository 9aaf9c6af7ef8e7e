#!/usr/bin/env bash
# Throughput of `primum redact --jsonl` beside Presidio's, in the same run.
#
# Corpus: the texts of the labelled identifier corpora in ../shared/data/phi/
# (read at run time, never copied here), repeated to MB megabytes (default
# 20) of JSONL. primum redacts all of it: wall time on all cores (best of
# RUNS, default 3) and CPU time with one worker thread. Presidio
# (presidio-analyzer, run by ../shared/peers/phi_peers.py) analyses the first
# PRESIDIO_DOCS (default 300) texts of presidio_synth_v2 after its warm-up,
# with the Python named by PRIMUM_PEERS_PYTHON (a virtual environment built
# as ../shared/peers/README.md says); without it, Presidio's rate recorded in
# ../shared/peers/phi_results.md is used and the table says so.
#
# Ratios compare MB per CPU second on one core (the steadier figure on a
# busy machine) and, for primum, wall-clock MB/s on all cores.
# PRIMUM_BIN names the primum binary to time (default: target/release/primum,
# built first), e.g. the profile-guided build of scripts/build-pgo.sh.
# Usage: [PRIMUM_BIN=...] bench/redact_speed.sh [MB] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-20}
runs=${2:-3}
data=../shared/data/phi
[ -d "$data" ] || { echo "skipped: $data is not present"; exit 0; }
out=bench/out
mkdir -p "$out"
bin=${PRIMUM_BIN:-target/release/primum}
[ -n "${PRIMUM_BIN:-}" ] || cargo build --release -q -p primum_cli
corpus=$(bash bench/corpus.sh phi "$mb")
bytes=$(python3 -c "import json,sys; print(sum(len(json.loads(l)['text'].encode()) for l in open(sys.argv[1], encoding='utf-8')))" "$corpus")
file_bytes=$(stat -c %s "$corpus")
best=""
for _ in $(seq "$runs"); do
  s=$( { /usr/bin/time -f "%e" "$bin" redact --jsonl "$corpus" > /dev/null; } 2>&1 | tail -1)
  best=$(python3 -c "print(min(float(x) for x in '$s $best'.split()))")
done
cpu=$( { RAYON_NUM_THREADS=1 /usr/bin/time -f "%U %S" "$bin" redact --jsonl "$corpus" > /dev/null; } 2>&1 | tail -1)
presidio_json=""
if [ -n "${PRIMUM_PEERS_PYTHON:-}" ]; then
  presidio_json="$out/presidio_speed.json"
  "$PRIMUM_PEERS_PYTHON" ../shared/peers/phi_peers.py "$data/presidio_synth_v2.jsonl" --peers presidio \
    --limit "${PRESIDIO_DOCS:-300}" --json "$presidio_json" > /dev/null
fi
python3 - "$file_bytes" "$bytes" "$best" "$cpu" "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)" "$presidio_json" <<'PY'
import json, re, sys
file_bytes, text_bytes, wall, cpu, cores, load, pjson = sys.argv[1:8]
file_mb, text_mb = int(file_bytes) / 1e6, int(text_bytes) / 1e6
wall = float(wall)
cpu_s = sum(float(x) for x in cpu.split())
print(f"corpus: {file_mb:.1f} MB of JSONL ({text_mb:.1f} MB of post text); {cores} cores; load average {load}")
print()
print("| tool | how | MB/s of JSONL | MB/s of text | text MB per CPU second |")
print("|---|---|---:|---:|---:|")
print(f"| primum redact --jsonl | all cores, wall, best run | {file_mb / wall:.2f} | {text_mb / wall:.2f} | – |")
print(f"| primum redact --jsonl | one thread, CPU time | – | – | {text_mb / cpu_s:.2f} |")
if pjson:
    run = json.load(open(pjson))[0]
    presidio, source = run["mb_per_cpu_s"], "measured now"
    print(f"| Presidio {run['docs']} docs | one process, CPU time | – | {run['mb_per_s']:.4f} | {presidio:.4f} |")
else:
    md = open("../shared/peers/phi_results.md", encoding="utf-8").read()
    # The throughput table: data set, peer, docs, MB, wall s, docs/s, MB/s, CPU s, docs/CPU-s, MB/CPU-s.
    rows = [[c.strip() for c in l.strip().strip("|").split("|")] for l in md.splitlines()]
    rates = [float(r[9]) for r in rows if len(r) == 11 and r[0] == "presidio_synth_v2" and r[1] == "presidio"]
    presidio, source = (rates[0] if rates else None), "recorded in ../shared/peers/phi_results.md"
    if presidio:
        print(f"| Presidio (recorded) | one process, CPU time | – | – | {presidio:.4f} |")
if presidio:
    print()
    print(f"primum / Presidio, text MB per CPU second on one core: {text_mb / cpu_s / presidio:,.0f}x ({source})")
    print(f"primum on all cores (wall) / Presidio on one (CPU): {text_mb / wall / presidio:,.0f}x")
PY
