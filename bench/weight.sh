#!/usr/bin/env bash
# Page weight budget (issue 8). Builds the sample site and prints what each
# page type weighs over the wire on a first visit: the page's HTML plus the
# stylesheet (and scripts it loads), each gzip -9 as a server would send it.
# Budgets: a model page at most 30 KB, the home page at most 50 KB.
# Also checks that no page loads a font, script or stylesheet from another
# origin and that the CSS is one file named by its content hash.
#
#   bench/weight.sh                     # the sample site as it is
#   PHOTO=~/anh.jpg bench/weight.sh     # and with this photo on one model:
#                                       # prints the size of each resized copy
#   DIENHINH_BIN=target/debug/dienhinh bench/weight.sh
#
# Exits 1 when a budget is exceeded or another origin is used. Not a timed
# test: the figures depend only on the content and the theme.
set -euo pipefail
cd "$(dirname "$0")/.."

MODEL_BUDGET=$((30 * 1024))
HOME_BUDGET=$((50 * 1024))
BASE=https://example.gov.vn/

BIN=${DIENHINH_BIN:-}
if [ -z "$BIN" ]; then
  cargo build --release -q
  BIN=target/release/dienhinh
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
SITE=$TMP/site
PUB=$TMP/public
mkdir -p "$SITE"
cp -r site.yaml content themes "$SITE/"

PHOTO_MODEL=
if [ -n "${PHOTO:-}" ]; then
  first=$(ls "$SITE"/content/mo-hinh/*.md | head -n 1)
  PHOTO_MODEL=$(basename "$first" .md)
  ext=${PHOTO##*.}
  cp "$PHOTO" "$SITE/content/mo-hinh/anh-thu.${ext,,}"
  # A top-level key right after the opening `---`.
  sed -i "1a images:\n  - {src: anh-thu.${ext,,}, alt: \"Ảnh thử\"}" "$first"
fi

"$BIN" -q -C "$SITE" build --base-url "$BASE" -o "$PUB"

gz() { gzip -9 -c "$1" | wc -c; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1024 }'; }

css_files=("$PUB"/style.*.css)
status=0
if [ ${#css_files[@]} -ne 1 ] || ! [[ $(basename "${css_files[0]}") =~ ^style\.[0-9a-f]{16}\.css$ ]]; then
  echo "FAIL: expected one stylesheet named style.<hash>.css, found: ${css_files[*]##*/}"
  status=1
fi
CSS=${css_files[0]}
CSS_GZ=$(gz "$CSS")

# Scripts a page loads from this site (their gzip size, summed).
scripts_gz() {
  local total=0 src
  for src in $(grep -oE '<script[^>]* src="?[^" >]+' "$1" | sed -E 's/.* src="?//'); do
    local rel=${src#/}
    rel=${rel#"$BASE"}
    [ -f "$PUB/$rel" ] && total=$((total + $(gz "$PUB/$rel")))
  done
  # The search page's client is fetched by an inline loader (`data-js`) as
  # its gzipped `.bin`, which is what travels: counted as it is.
  for src in $(grep -oE 'data-js="?[^" >]+' "$1" | sed -E 's/data-js="?//'); do
    local rel=${src#/}
    rel=${rel#"$BASE"}
    [ -f "$PUB/$rel.bin" ] && total=$((total + $(stat -c %s "$PUB/$rel.bin")))
  done
  echo "$total"
}

# "label file" lines, one per page measured.
pages=()
pages+=("home index.html")
pages+=("model-list mo-hinh/index.html")
pages+=("ceremony-list tuyen-duong/index.html")
pages+=("statistics thong-ke/index.html")
pages+=("search tim-kiem/index.html")
pages+=("about gioi-thieu/index.html")
pages+=("404 404.html")

# Every model and ceremony page: report the heaviest and the median.
heaviest() {
  local dir=$1 f best=0 bestf= sizes=()
  for f in "$PUB/$dir"/*/index.html; do
    case $f in */trang/*) continue ;; esac
    local s
    s=$(gz "$f")
    sizes+=("$s")
    if [ "$s" -gt "$best" ]; then best=$s; bestf=$f; fi
  done
  local median
  median=$(printf '%s\n' "${sizes[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "${bestf#"$PUB/"} ${#sizes[@]} $median"
}
read -r model_file model_count model_median <<<"$(heaviest mo-hinh)"
read -r cer_file cer_count cer_median <<<"$(heaviest tuyen-duong)"
pages+=("model(heaviest) $model_file")
pages+=("ceremony(heaviest) $cer_file")
[ -n "$PHOTO_MODEL" ] && pages+=("model+photo mo-hinh/$PHOTO_MODEL/index.html")

printf '%-20s %10s %10s %10s %10s  %s\n' "page" "HTML.gz" "CSS.gz" "JS.gz" "total" "budget"
for p in "${pages[@]}"; do
  label=${p%% *}
  file=${p#* }
  html=$(gz "$PUB/$file")
  js=$(scripts_gz "$PUB/$file")
  total=$((html + CSS_GZ + js))
  budget=
  case $label in
    home) limit=$HOME_BUDGET ;;
    "model(heaviest)" | model+photo) limit=$MODEL_BUDGET ;;
    *) limit= ;;
  esac
  if [ -n "$limit" ]; then
    if [ "$total" -le "$limit" ]; then budget="≤ $(kb "$limit") ok"; else budget="> $(kb "$limit") OVER"; status=1; fi
  fi
  printf '%-20s %10s %10s %10s %10s  %s\n' "$label" "$(kb "$html")" "$(kb "$CSS_GZ")" "$(kb "$js")" "$(kb "$total")" "$budget"
done
echo "model pages: $model_count, median HTML.gz $(kb "$model_median"); ceremony pages: $cer_count, median HTML.gz $(kb "$cer_median")"
echo "stylesheet: ${CSS##*/} $(kb "$(wc -c <"$CSS")") ($(kb "$CSS_GZ") gzip)"

# Nothing from another origin: scripts, stylesheets, fonts, frames, media.
foreign=$(grep -rhoE '<(script|link|img|source|iframe|audio|video|embed|object)\b[^>]*>' --include='*.html' "$PUB" \
  | grep -oE '(src|href|srcset|data)="?(https?:)?//[^" >]+' \
  | grep -vE "=\"?${BASE%/}(/|\$)" | sort -u || true)
if [ -n "$foreign" ]; then
  echo "FAIL: resources from another origin:"
  echo "$foreign" | head -n 20
  status=1
else
  echo "other origins: none (no external script, stylesheet, font, frame or media)"
fi
if grep -qE '@import|@font-face|url\((["'"'"']?)(https?:)?//' "$CSS"; then
  echo "FAIL: the stylesheet imports or loads something from elsewhere"
  status=1
fi
noncss=$(grep -rhoE '<link[^>]*rel="?stylesheet[^>]*>' --include='*.html' "$PUB" | grep -v "${CSS##*/}" | sort -u || true)
if [ -n "$noncss" ]; then
  echo "FAIL: another stylesheet is linked: $noncss"
  status=1
fi

if [ -n "$PHOTO_MODEL" ]; then
  echo
  echo "photo $(basename "$PHOTO") ($(kb "$(wc -c <"$PHOTO")")) as published:"
  for f in "$PUB/mo-hinh/$PHOTO_MODEL"/anh-thu*; do
    printf '  %-45s %10s\n' "${f##*/}" "$(kb "$(wc -c <"$f")")"
  done
fi
exit $status
