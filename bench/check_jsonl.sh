#!/usr/bin/env bash
# Whole-command throughput of `primum check --jsonl`, timed with hyperfine.
#
# Builds a corpus of about $MB megabytes (default 20) by repeating the
# labelled dev posts (read from ../shared at run time, never copied into the
# repo; falls back to examples/posts.jsonl) with fresh ids, then times
# `primum check --jsonl CORPUS --format json` and `--format human`, best of
# several runs, and prints MB/s. Usage: bench/check_jsonl.sh [MB]
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-20}
out=bench/out
mkdir -p "$out"
src=../shared/data/posts/dev.jsonl
[ -f "$src" ] || { echo "note: $src not present; using examples/posts.jsonl"; src=examples/posts.jsonl; }
corpus="$out/posts-${MB}mb.jsonl"
if [ ! -f "$corpus" ]; then
  python3 - "$src" "$corpus" "$MB" <<'PY'
import json, sys
src, dst, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
posts = []
for line in open(src, encoding="utf-8"):
    try:
        d = json.loads(line)
    except ValueError:
        continue
    if isinstance(d, dict) and isinstance(d.get("text"), str):
        posts.append({k: d[k] for k in ("text", "platform", "reply_to", "account", "created_at") if k in d})
target, n, size = mb * 1_000_000, 0, 0
with open(dst, "w", encoding="utf-8") as f:
    while size < target:
        p = dict(posts[n % len(posts)]); p["id"] = f"b{n}"
        line = json.dumps(p, ensure_ascii=False) + "\n"
        f.write(line); size += len(line.encode()); n += 1
print(f"{dst}: {n} posts, {size/1e6:.1f} MB")
PY
fi
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
