#!/usr/bin/env bash
# Tries the nginx configuration of docs/deploy.md for real: the blocks
# between its <!-- nginx-…:begin/end --> markers are taken as written, only
# the folder, address and port are replaced. Builds the sample site twice
# (at the root, and under /dan-van/ as a portal path), starts nginx on
# 127.0.0.1, checks the answers with curl and stops nginx.
#
#   tests/nginx.sh          (installs nginx with apt-get when it is missing)
#   DIENHINH_BIN=target/release/dienhinh tests/nginx.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT_DIR=$PWD
DOC=docs/deploy.md

if ! command -v nginx >/dev/null 2>&1 && ! [ -x /usr/sbin/nginx ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq nginx-light >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
# Brotli is optional in the guide; test it when the module can be had.
BROTLI_MODULE=/usr/lib/nginx/modules/ngx_http_brotli_static_module.so
if ! [ -f "$BROTLI_MODULE" ] && command -v apt-get >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libnginx-mod-http-brotli-static >/dev/null 2>&1 || true
fi

BIN=${DIENHINH_BIN:-$ROOT_DIR/target/debug/dienhinh}
[ -x "$BIN" ] || cargo build -q

TMP=$(mktemp -d)
# nginx's workers run as an unprivileged user when started by root.
chmod 755 "$TMP"
NGINX_PID=
stop() {
  if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
    kill -QUIT "$NGINX_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$TMP"
}
trap stop EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo $((20000 + RANDOM % 20000))
}
PORT=$(free_port)
ORIGIN="http://127.0.0.1:$PORT"

# The sample site at the root of the host, and again under /dan-van/.
SITE=$TMP/site
mkdir -p "$SITE"
cp -r site.yaml content themes "$SITE/"
"$BIN" -q -C "$SITE" build --compress --base-url "$ORIGIN/" -o "$TMP/public"
"$BIN" -q -C "$SITE" build --compress --base-url "$ORIGIN/dan-van/" -o "$TMP/portal/dan-van"

# A documented block, without its ``` fence.
block() {
  awk -v name="$1" '
    $0 ~ "<!-- nginx-" name ":begin -->" { on = 1; next }
    $0 ~ "<!-- nginx-" name ":end -->" { on = 0 }
    on && !/^```/ { print }
  ' "$DOC"
}
server_block=$(block server | sed \
  -e "s#listen 80;#listen 127.0.0.1:$PORT;#" \
  -e "s#server_name dan-van.example.gov.vn;#server_name 127.0.0.1;#" \
  -e "s#/srv/dan-van/public#$TMP/public#g")
subpath_block=$(block subpath | sed -e "s#/srv/portal/static#$TMP/portal#g")
http_block=$(block http | sed -e "s#/srv/dan-van/public#$TMP/public#g")
[ -n "$server_block" ] && [ -n "$subpath_block" ] && [ -n "$http_block" ] || {
  echo "FAIL: $DOC lost its marked nginx blocks"; exit 1; }
if ! [ -f "$BROTLI_MODULE" ]; then
  echo "note: no brotli_static module here; testing the guide without it"
  server_block=$(echo "$server_block" | grep -v brotli_static)
  subpath_block=$(echo "$subpath_block" | grep -v brotli_static)
fi

# The portal: its own server, with the dienhinh location inside. The two
# builds have different maps: the portal's gets its own variable name, as
# the guide says for two sites on one nginx.
PORTAL_PORT=$(free_port)
sed 's/\$dienhinh_redirect/$dienhinh_portal_redirect/' "$TMP/portal/dan-van/redirects.nginx.map" >"$TMP/portal.map"
subpath_block=${subpath_block//\$dienhinh_redirect/\$dienhinh_portal_redirect}

mkdir -p "$TMP/nginx/tmp" "$TMP/nginx/logs"
cat >"$TMP/nginx.conf" <<EOF
worker_processes 1;
pid $TMP/nginx.pid;
error_log $TMP/nginx/error.log;
$( [ -f "$BROTLI_MODULE" ] && echo "load_module $BROTLI_MODULE;" )
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $TMP/nginx/access.log;
    client_body_temp_path $TMP/nginx/tmp;
    proxy_temp_path $TMP/nginx/tmp;
    fastcgi_temp_path $TMP/nginx/tmp;
    uwsgi_temp_path $TMP/nginx/tmp;
    scgi_temp_path $TMP/nginx/tmp;
$http_block
    include $TMP/portal.map;
$server_block
    server {
        listen 127.0.0.1:$PORTAL_PORT;
        server_name 127.0.0.1;
        root $TMP/portal-root;
$subpath_block
    }
}
EOF
mkdir -p "$TMP/portal-root"
echo "portal home" >"$TMP/portal-root/index.html"

"$NGINX" -t -q -c "$TMP/nginx.conf" -p "$TMP/nginx" || { cat "$TMP/nginx/error.log"; exit 1; }
"$NGINX" -c "$TMP/nginx.conf" -p "$TMP/nginx"
for _ in $(seq 50); do [ -s "$TMP/nginx.pid" ] && break; sleep 0.1; done
NGINX_PID=$(cat "$TMP/nginx.pid")
for _ in $(seq 50); do curl -s -o /dev/null "$ORIGIN/" && break; sleep 0.1; done

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
no() { failed=$((failed + 1)); echo "FAIL $1: $2"; }
# check NAME CONDITION-COMMAND... ; prints the headers on failure
expect() {
  local name=$1 want=$2 got=$3
  if [[ $got == *"$want"* ]]; then ok "$name"; else no "$name" "wanted “$want” in: $(echo "$got" | tr '\r\n' '  ' | cut -c1-300)"; fi
}
headers() { curl -s -o /dev/null -D - "$@"; }
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

css=$(cd "$TMP/public" && ls style.*.css)
model_md=$(ls content/mo-hinh/*.md | head -n 1)
model_slug=$(basename "$model_md" .md)
model_id=$(sed -n 's/^id: *"\{0,1\}\([a-z0-9]*\)"\{0,1\} *$/\1/p' "$model_md" | head -n 1)
model_id=${model_id:-$model_slug}

for base in "$ORIGIN/" "http://127.0.0.1:$PORTAL_PORT/dan-van/"; do
  if [ "$base" = "$ORIGIN/" ]; then where=root; public=$TMP/public; else where="portal /dan-van/"; public=$TMP/portal/dan-van; fi
  h=$(headers "$base")
  expect "$where: home page 200" "200" "$(echo "$h" | head -n 1)"
  expect "$where: pages cached briefly" "Cache-Control: public, max-age=300" "$h"
  h=$(headers "${base}mo-hinh/$model_slug/")
  expect "$where: model page 200" "200" "$(echo "$h" | head -n 1)"

  h=$(headers "$base$css")
  expect "$where: hashed CSS 200" "200" "$(echo "$h" | head -n 1)"
  expect "$where: hashed CSS immutable" "Cache-Control: public, max-age=31536000, immutable" "$h"
  bundle=$(cd "$public/_search" && ls s.*.bin | head -n 1)
  expect "$where: search bundle immutable" "immutable" "$(headers "${base}_search/$bundle")"
  # The search page reads a bundle's members by range (src/search/bundle.rs).
  h=$(headers -H 'Range: bytes=0-31' -H 'Accept-Encoding: gzip, br' "${base}_search/$bundle")
  expect "$where: search bundle read by range" "206" "$(echo "$h" | head -n 1)"
  expect "$where: the range asked for" "Content-Range: bytes 0-31/$(wc -c <"$public/_search/$bundle")" "$h"

  missing="${base}khong-co/trang-nay/"
  expect "$where: missing page 404" "404" "$(status "$missing")"
  body=$(curl -s "$missing")
  title=$(grep -o '<title>[^<]*' "$public/404.html" | head -n 1)
  expect "$where: missing page shows the 404 page" "$title" "$body"

  h=$(headers "${base}m/$model_id")
  expect "$where: short link 301" "301" "$(echo "$h" | head -n 1)"
  expect "$where: short link to the model page" "${base#http://127.0.0.1:*/}mo-hinh/$model_slug/" "$(echo "$h" | grep -i '^location:')"
  expect "$where: short link in its old form (a folder) 301" "301" "$(status "${base}m/$model_id/")"
  # A list's later page is a file without a folder (`mo-hinh/trang/2.html`).
  h=$(headers "${base}mo-hinh/trang/2")
  expect "$where: later list page 200" "200" "$(echo "$h" | head -n 1)"
  expect "$where: later list page cached briefly" "Cache-Control: public, max-age=300" "$h"

  h=$(headers -H 'Accept-Encoding: gzip' "$base")
  expect "$where: precompressed gzip" "Content-Encoding: gzip" "$h"
  expect "$where: Vary: Accept-Encoding" "Vary: Accept-Encoding" "$h"
  if [ "$where" = root ]; then
    got=$(curl -s -H 'Accept-Encoding: gzip' "$base" | gzip -dc | cmp - "$public/index.html" && echo same || echo differs)
    expect "$where: the .gz is the page" "same" "$got"
    expect "$where: gzip -9 file sent as is (same length)" "Content-Length: $(wc -c <"$public/index.html.gz")" "$h"
  fi
  if [ -f "$BROTLI_MODULE" ]; then
    expect "$where: precompressed brotli" "Content-Encoding: br" "$(headers -H 'Accept-Encoding: br' "$base")"
  fi
  h=$(headers "$base")
  if [[ $h == *"Content-Encoding"* ]]; then no "$where: plain without Accept-Encoding" "$h"; else ok "$where: plain without Accept-Encoding"; fi
done
expect "portal: its own pages untouched" "portal home" "$(curl -s "http://127.0.0.1:$PORTAL_PORT/")"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
