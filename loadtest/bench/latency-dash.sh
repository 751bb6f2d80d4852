#!/usr/bin/env bash
# LL-DASH glass-to-glass latency (issue 10): the publisher with the burned-in clock
# (`headwater.jar --demo-publish`, x264 zerolatency, 1 s GOP) pushes RTMP to each server in turn, and
# a stock dash.js page (src/test/resources/dash-player: the current dash.js from npm with its default
# settings; its low-latency mode turns itself on for Headwater's MPD) plays the MPD in Chromium while
# LatencyProbe reads the clock from decoded frames. Servers, one after the other:
#   1. Headwater, default ladder (transcoded 720p/480p/360p), LL-DASH with segments streamed in progress
#   2. Headwater, passthrough (repackaged only)
#   3. nginx-rtmp DASH (libnginx-mod-rtmp), 1 s fragments: the reference, measured in the same run
# Each is joined RUNS times (a fresh Chromium each time) and sampled for SECONDS after a 5 s settle;
# "stalls" counts the video element waiting after playback started.
# Usage (repository root, after mvn package and `npm ci` in src/test/js):
#   loadtest/bench/latency-dash.sh [SECONDS] [RUNS]
# MODES="ladder passthrough" (default) picks Headwater's modes, PEERS=0 skips nginx-rtmp, and
# HEADWATER_* variables set Headwater's settings (e.g. HEADWATER_DASH_TARGET_LATENCY_SECONDS).
set -euo pipefail
SECONDS_TO_WATCH=${1:-60}
RUNS=${2:-2}
PAGE_HTTP=${PAGE_HTTP:-18104}
DASHJS=src/test/js/node_modules/dashjs/dist/modern/umd/dash.all.min.js
[ -f "$DASHJS" ] || { echo "install the current dash.js first: (cd src/test/js && npm ci)" >&2; exit 1; }
JAR=${JAR:-target/headwater.jar}
HW_HTTP=${HW_HTTP:-18086}; HW_RTMP=${HW_RTMP:-11941}; NG_HTTP=${NG_HTTP:-18096}; NG_RTMP=${NG_RTMP:-11951}
[ -f "$JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
[ -f /usr/lib/nginx/modules/ngx_rtmp_module.so ] || { echo "needs nginx and libnginx-mod-rtmp" >&2; exit 1; }
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
CP=$WORK/cp.txt
mvn -B -q dependency:build-classpath -Dmdep.scope=test -Dmdep.outputFile="$CP" > /dev/null
probe() { java -Dlogback.configurationFile=/dev/null -cp "$(cat "$CP")" loadtest/bench/LatencyProbe.java "$@" 2>/dev/null | grep -E 'played=' || echo "$1 failed"; }
mkdir -p "$WORK/page"
cp src/test/resources/dash-player/index.html src/main/resources/webroot/clock.js "$WORK/page/"
cp "$DASHJS" "$WORK/page/player.js"
(cd "$WORK/page" && exec python3 -m http.server "$PAGE_HTTP" --bind 127.0.0.1 > /dev/null 2>&1) & PIDS+=("$!")
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
players() {
  for run in $(seq "$RUNS"); do
    probe "$1-dashjs#$run" "http://127.0.0.1:$PAGE_HTTP/index.html?player=dashjs&src=$(enc "$2")" "$SECONDS_TO_WATCH"
  done
}
publish() { java -jar "$JAR" --demo-publish "$1" > "$WORK/publisher.log" 2>&1 & PUB=$!; PIDS+=("$PUB"); }

for mode in ${MODES:-ladder passthrough}; do
  HEADWATER_HTTP_PORT=$HW_HTTP HEADWATER_RTMP_PORT=$HW_RTMP HEADWATER_HTTP_HOST=127.0.0.1 HEADWATER_RTMP_HOST=127.0.0.1 \
    HEADWATER_FFMPEG_PASSTHROUGH=$([ $mode = passthrough ] && echo true || echo false) java -Xmn1g -jar "$JAR" > "$WORK/hw.log" 2>&1 &
  HW=$!; PIDS+=("$HW")
  for _ in $(seq 60); do curl -sf "http://127.0.0.1:$HW_HTTP/health" > /dev/null && break; sleep 1; done
  publish "rtmp://127.0.0.1:$HW_RTMP/live/demo"
  for _ in $(seq 60); do curl -sf "http://127.0.0.1:$HW_HTTP/live/demo/manifest.mpd" > /dev/null && break; sleep 1; done
  sleep 5
  players "headwater-$mode" "http://127.0.0.1:$HW_HTTP/live/demo/manifest.mpd"
  kill "$PUB" "$HW"; wait "$PUB" "$HW" 2>/dev/null || true
done

[ "${PEERS:-1}" = 0 ] && exit 0
mkdir -p "$WORK/www/nginx-dash" "$WORK/tmp"
sed -e "s|__ROOT__|$WORK|g" -e "s|__RTMP_PORT__|$NG_RTMP|g" -e "s|__HTTP_PORT__|$NG_HTTP|g" \
  loadtest/nginx/rtmp-dash.conf > "$WORK/nginx.conf"
chmod -R a+rwX "$WORK"
nginx -c "$WORK/nginx.conf" & NG=$!; PIDS+=("$NG")
sleep 1
publish "rtmp://127.0.0.1:$NG_RTMP/live/demo"
for _ in $(seq 60); do [ -f "$WORK/www/nginx-dash/demo.mpd" ] && break; sleep 1; done
sleep 5
players "nginx-rtmp-dash" "http://127.0.0.1:$NG_HTTP/nginx-dash/demo.mpd"
echo "date: $(date -u +%FT%TZ)  machine: $(nproc) cores  watch: ${SECONDS_TO_WATCH}s x $RUNS joins, dash.js $(grep -o '"version": "[^"]*"' src/test/js/node_modules/dashjs/package.json | head -1), Chromium $(chromium --version 2>/dev/null | awk '{print $2}')"
