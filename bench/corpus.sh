#!/usr/bin/env bash
# Builds (once) the generated corpus the whole-command benchmarks time, and
# prints its path. Reads ../shared at run time (never copied into the repo).
#   posts MB: the labelled dev posts (../shared/data/posts/dev.jsonl, or
#             examples/posts.jsonl without it) repeated with fresh ids to MB
#             megabytes of JSONL, for `check --jsonl`;
#   phi MB:   the texts of the labelled identifier corpora
#             (../shared/data/phi/*.jsonl) repeated to MB megabytes of
#             JSONL, for `redact --jsonl` (exits 3 without them).
# Usage: bench/corpus.sh posts|phi MB
set -euo pipefail
cd "$(dirname "$0")/.."
kind=$1
mb=${2:-20}
out=bench/out
mkdir -p "$out"
case "$kind" in
posts)
  src=../shared/data/posts/dev.jsonl
  [ -f "$src" ] || { echo "note: $src not present; using examples/posts.jsonl" >&2; src=examples/posts.jsonl; }
  corpus="$out/posts-${mb}mb.jsonl"
  [ -f "$corpus" ] || python3 - "$src" "$corpus" "$mb" <<'PY'
import json, sys
src, dst, mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
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
print(f"{dst}: {n} posts, {size/1e6:.1f} MB", file=sys.stderr)
PY
  ;;
phi)
  data=../shared/data/phi
  [ -d "$data" ] || { echo "skipped: $data is not present" >&2; exit 3; }
  corpus="$out/redact-${mb}mb.jsonl"
  [ -f "$corpus" ] || python3 - "$data" "$corpus" "$mb" <<'PY'
import json, sys, glob
data, path, mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
texts = [json.loads(l)["text"] for f in sorted(glob.glob(f"{data}/*.jsonl")) for l in open(f, encoding="utf-8") if l.strip()]
n = i = 0
with open(path, "w", encoding="utf-8") as o:
    while n < mb * 1e6:
        line = json.dumps({"id": f"r{i}", "text": texts[i % len(texts)]}, ensure_ascii=False) + "\n"
        o.write(line)
        n += len(line.encode("utf-8"))
        i += 1
PY
  ;;
*)
  echo "usage: bench/corpus.sh posts|phi MB" >&2
  exit 2
  ;;
esac
echo "$corpus"
