#!/usr/bin/env bash
# primum beside the de-identification peers on the labelled identifier
# corpora of ../shared/data/phi/ (read at run time, never copied here).
#
# Scores `primum redact` with `primum eval phi` (the same figures, computed
# the same way, as ../shared/peers/phi_peers.py computes for the peers) and
# prints one Markdown table per corpus: primum's row beside each peer's.
# The peers' rows on the shared corpora are the figures phi_peers.py
# recorded in ../shared/peers/phi_results.md (all four peers, Philter
# included). With PRIMUM_PEERS_PYTHON (the Python of a virtual environment
# built as ../shared/peers/README.md says) the peers also run now on the
# project's own nursing notes, and with PRIMUM_PEERS_SHARED=1 on the shared
# corpora too (slow: Presidio reads ~0.01 MB/s; PRIMUM_PEERS picks peers).
# Usage: [PRIMUM_PEERS_PYTHON=venv/bin/python] bench/phi_side_by_side.sh
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/phi
peers=../shared/peers
[ -d "$data" ] || { echo "skipped: $data is not present"; exit 0; }
out=bench/out
mkdir -p "$out"
cargo build --release -q -p primum_cli
corpora=("$data"/presidio_synth_v2.jsonl "$data"/btc_test_f.jsonl "$data"/wnut17_test.jsonl)
# The project's own nursing notes (no peer figures: the peers were not run on them).
own=(corpus/phi_clinical_notes.jsonl corpus/phi_clinical_notes_holdout.jsonl)
target/release/primum eval phi "${corpora[@]}" "${own[@]}" --format json > "$out/phi_primum.json"
peer_json=()
if [ -n "${PRIMUM_PEERS_PYTHON:-}" ]; then
  run_on=("${own[@]}")
  [ "${PRIMUM_PEERS_SHARED:-0}" = 1 ] && run_on+=("${corpora[@]}")
  for c in "${run_on[@]}"; do
    n=$(basename "$c" .jsonl)
    "$PRIMUM_PEERS_PYTHON" "$peers/phi_peers.py" "$c" --peers "${PRIMUM_PEERS:-presidio,scrubadub,scrubadub_spacy,philter}" \
      --json "$out/phi_peers_$n.json" > /dev/null
    peer_json+=("$out/phi_peers_$n.json")
  done
fi
python3 - "$out/phi_primum.json" "$peers/phi_results.md" "${peer_json[@]}" <<'PY'
import json, sys, re
primum = json.load(open(sys.argv[1]))
rows = {}  # corpus -> list of (tool, overlap P, R, F2, exact F2, char R, MB/s)
f = lambda x: "–" if x is None else f"{x:.3f}"
for s in primum:
    name = s["corpus"].rsplit("/", 1)[-1].removesuffix(".jsonl")
    o = s["overall"]
    rows.setdefault(name, []).append(("**primum**", f(o["overlap"]["P"]), f(o["overlap"]["R"]),
        f(o["overlap"]["F2"]), f(o["exact"]["F2"]), f(o["char_recall"]), f"{s['mb_per_s']:.2f} (2 cores)"))
speed = {}
fresh = set()
# Peers run now: phi_peers.py --json writes a list of runs, each with its
# scores per score threshold.
for path in sys.argv[3:]:
    for run in json.load(open(path)):
        for th, res in run["scores"].items():
            o = res["overall"]
            label = run["peer"] if len(run["scores"]) == 1 else f"{run['peer']} (t={th})"
            rows.setdefault(run["dataset"].removesuffix(".jsonl"), []).append((label, f(o["overlap"]["P"]), f(o["overlap"]["R"]), f(o["overlap"]["F2"]),
                                         f(o["exact"]["F2"]), f(o["char_recall"]), f"{run['mb_per_s']:.4f} (1 core)"))
        fresh.add(run["dataset"].removesuffix(".jsonl"))
# Otherwise the figures phi_peers.py recorded in phi_results.md.
md = open(sys.argv[2]).read()
for line in md.splitlines():
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) == 11 and re.match(r"^[\d.]+$", cells[6] or "") and cells[0] in rows:
        speed[(cells[0], cells[1])] = cells[6]
for line in md.splitlines():
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) == 15 and cells[0] in rows and cells[0] not in fresh and re.match(r"^\d+$", cells[2]):
        peer = cells[1].split(" ")[0]
        rows[cells[0]].append((cells[1], cells[8], cells[9], cells[11], cells[7], cells[12],
                               speed.get((cells[0], peer), "–") + " (1 core)"))
for name, rs in rows.items():
    print(f"\n### {name}\n")
    print("| tool | overlap P | overlap R | overlap F2 | exact F2 | char R | MB/s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rs:
        print("| " + " | ".join(r) + " |")
PY
