#!/usr/bin/env bash
# Builds the command line with profile-guided optimisation (PGO), for batch
# work: account audits, `check --jsonl` and `redact --jsonl` over large
# inputs. The binary is target/pgo/release/primum; it gives the same output
# as `cargo build --release`, byte for byte, only faster (bench/README.md
# has the figures).
#
# How: an instrumented build runs a training workload (the repo's own posts
# and clinical notes under corpus/, checked in every output format and
# redacted in every style), then the release build is made again with the
# counts it recorded, so the compiler lays out and inlines the code for the
# branches posts really take. It never reads ../shared, so the benchmarks on
# the shared dev posts are not trained on.
#
# The binary is tuned for the processor of the machine that builds it
# (`-C target-cpu=native`: 3-5% faster again here) and may not start on an
# older one: to build a binary to copy to other machines, name a baseline,
# e.g. PRIMUM_PGO_CPU=x86-64-v2 (any `rustc --print target-cpus` name).
#
# Needs llvm-profdata from the toolchain's llvm-tools component (added with
# rustup when missing). Two release builds: about 5 minutes on 2 cores.
# Usage: [PRIMUM_PGO_CPU=CPU] scripts/build-pgo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

sysroot=$(rustc --print sysroot)
host=$(rustc -vV | sed -n 's/^host: //p')
profdata="$sysroot/lib/rustlib/$host/bin/llvm-profdata"
if [ ! -x "$profdata" ]; then
  rustup component add llvm-tools >/dev/null 2>&1 || true
fi
if [ ! -x "$profdata" ]; then
  echo "build-pgo: llvm-profdata not found at $profdata;" >&2
  echo "install it with 'rustup component add llvm-tools', or build without PGO: cargo build --release -p primum_cli" >&2
  exit 2
fi

cpu=${PRIMUM_PGO_CPU:-native}
gen=target/pgo-gen
profiles="$PWD/$gen/profiles"
rm -rf "$profiles"
mkdir -p "$profiles"

echo "build-pgo: instrumented build ($gen)" >&2
RUSTFLAGS="-Cprofile-generate=$profiles -Ctarget-cpu=$cpu" cargo build --release --locked -p primum_cli --target-dir "$gen"

echo "build-pgo: training on corpus/" >&2
train="$gen/train.jsonl"
: >"$train"
for _ in $(seq 10); do
  cat corpus/extra*.jsonl corpus/holdout*.jsonl >>"$train"
done
notes=$(ls corpus/phi_clinical_notes*.jsonl)
bin="$gen/release/primum"
now="--now 2026-11-26T12:00:00Z"
# Exit status 1 (findings) is the expected outcome of `check`.
for format in json human sarif; do
  "$bin" check --jsonl "$train" --format "$format" --color never $now >/dev/null || [ $? = 1 ]
done
for style in placeholder mask surrogate; do
  "$bin" redact --jsonl "$train" --style "$style" >/dev/null
  for f in $notes; do
    "$bin" redact --jsonl "$f" --style "$style" >/dev/null
  done
done
"$profdata" merge -o "$gen/primum.profdata" "$profiles"

echo "build-pgo: optimised build (target/pgo)" >&2
RUSTFLAGS="-Cprofile-use=$PWD/$gen/primum.profdata -Ctarget-cpu=$cpu" cargo build --release --locked -p primum_cli --target-dir target/pgo
echo "build-pgo: built target/pgo/release/primum (for target-cpu $cpu)" >&2
