#!/usr/bin/env bash
# bench/scrub_media.sh [N] — `primum scrub` against plain `cp` (the physical
# limit: copying the bytes) and exiftool (`-all=`), on N copies (default
# 200) of one ~3 MB 4000x3000 JPEG that carries EXIF with GPS, XMP, IPTC,
# a comment and an ICC profile. Best of 3 runs each, files in page cache.
# Also reports primum's peak memory (it must not grow with N) and whether
# the pixels are untouched. mat2 is timed too when `mat2` is on PATH (see
# ../shared/peers/media_peers.sh for how to install it).
# Needs: exiftool (Debian libimage-exiftool-perl), GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-200}"
W=bench/out/media
mkdir -p "$W"
cargo build --release -q -p primum_cli
P=target/release/primum
src="$W/src.jpg"
if ! [ -s "$src" ]; then
  cargo run --release -q -p primum_media --example make_fixture -- "$src" 4000x3000
  exiftool -q -q -overwrite_original -EXIF:Make=Canon -EXIF:Model="Canon EOS R6" \
    -EXIF:Artist="Dr. Alex Example" -EXIF:SerialNumber=SN-0123456789 \
    -EXIF:DateTimeOriginal="2026:03:14 07:42:11" -EXIF:GPSLatitude=40.7903 -EXIF:GPSLatitudeRef=N \
    -EXIF:GPSLongitude=73.9533 -EXIF:GPSLongitudeRef=W -XMP-dc:Creator="Alex Example" \
    -XMP-iptcCore:Location="Example General Hospital" -IPTC:By-line="Alex Example" \
    -Comment="Jane Doe MRN 48213377" "$src"
fi
bytes=$(stat -c %s "$src")
mb=$(awk -v b="$bytes" -v n="$N" 'BEGIN{printf "%.1f", b*n/1e6}')
rm -rf "$W/in"; mkdir -p "$W/in"
for i in $(seq -w 1 "$N"); do cp "$src" "$W/in/img_$i.jpg"; done
sync; cat "$W"/in/*.jpg > /dev/null

now() { date +%s.%N; }
best() { # name command...: best of 3 wall times, output dir $W/out emptied first
  local name="$1"; shift; local best=""
  for _ in 1 2 3; do
    rm -rf "$W/out"; mkdir -p "$W/out"; sync
    local t0 t1; t0=$(now); "$@" >/dev/null 2>&1 || true; t1=$(now)
    best=$(awk -v a="$t0" -v b="$t1" -v c="$best" 'BEGIN{t=b-a; if (c=="" || t<c) print t; else print c}')
  done
  awk -v n="$N" -v s="$best" -v mb="$mb" -v name="$name" \
    'BEGIN{printf "%-28s %7.2f s  %8.1f files/s  %7.1f MB/s\n", name, s, n/s, mb/s}'
  echo "$best" > "$W/last"
}

echo "# scrub: N=$N copies of a $bytes-byte 4000x3000 JPEG ($mb MB), $(nproc) cores, $(date -u +%F), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
best "cp" cp "$W"/in/*.jpg "$W/out/"; cp_s=$(cat "$W/last")
best "primum scrub --out" "$P" scrub "$W"/in/*.jpg --out "$W/out"; p_s=$(cat "$W/last")
left=$(exiftool -q -q -if '$GPSLatitude or $SerialNumber or $Artist or $XMP:all or $Comment' -p '$FileName' "$W/out" 2>/dev/null | wc -l || true)
echo "    ratio to cp: $(awk -v a="$p_s" -v b="$cp_s" 'BEGIN{printf "%.2f", a/b}'); files still with GPS/serial/artist/XMP/comment: $left"
best "exiftool -all= -o DIR" exiftool -q -q -all= -o "$W/out/" "$W/in"
if command -v mat2 >/dev/null; then
  best "mat2 (default, re-encodes)" sh -c "cp $W/in/*.jpg $W/out/ && mat2 --inplace $W/out/*.jpg"
fi
rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
rm -rf "$W/out"; mkdir -p "$W/out"
echo "    primum peak memory: $(rss "$P" scrub "$W"/in/*.jpg --out "$W/out") kB for N=$N; $(rm -rf "$W/out"; mkdir -p "$W/out"; rss "$P" scrub $(ls "$W"/in/*.jpg | head -10) --out "$W/out") kB for 10 files"
