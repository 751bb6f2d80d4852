#!/usr/bin/env bash
# Glass-to-glass latency against peers (issue 3, benchmark 4; issue 8, section 4). The same publisher
# (Headwater's test pattern with a burned-in clock, `headwater.jar --demo-publish`, x264 zerolatency,
# 1 s GOP) pushes RTMP to each server in turn, and the same players play it in Chromium while
# LatencyProbe reads the clock from decoded frames:
#   players: Headwater's page (hls.js 1.4.12, low-latency mode, catch-up up to 1.5x), and the stock
#   page (src/test/resources/stock-player: new Hls() with hls.js's defaults, no catch-up) with
#   hls.js 1.4.12 and with the current release from npm (src/test/js; run `npm ci` there first);
#   servers:
#   1. Headwater LL-HLS, default ladder (transcoded 720p/480p/360p)
#   2. Headwater LL-HLS, default ladder with a keyframe every second (ffmpeg.keyframeIntervalSeconds=1)
#   3. Headwater LL-HLS, passthrough (repackaged only)
#   4. nginx-rtmp HLS (libnginx-mod-rtmp), 1 s fragments
#   5. FFmpeg's HLS muxer (fMP4, 1 s segments, -c copy) fed by nginx-rtmp, served by nginx
# Each player joins RUNS times (a fresh Chromium each time: a stock player's latency is set when it
# joins, since it never speeds up to catch up).
# Usage (repository root, after mvn package): loadtest/bench/latency-peers.sh [SECONDS] [RUNS]
set -euo pipefail
SECONDS_TO_WATCH=${1:-60}
RUNS=${2:-1}
STOCK_HTTP=${STOCK_HTTP:-18103}
CURRENT_HLSJS=src/test/js/node_modules/hls.js/dist/hls.min.js
[ -f "$CURRENT_HLSJS" ] || { echo "install the current hls.js first: (cd src/test/js && npm ci)" >&2; exit 1; }
JAR=${JAR:-target/headwater.jar}
HW_HTTP=${HW_HTTP:-18083}; HW_RTMP=${HW_RTMP:-11938}; NG_HTTP=${NG_HTTP:-18093}; NG_RTMP=${NG_RTMP:-11948}
[ -f "$JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
[ -f /usr/lib/nginx/modules/ngx_rtmp_module.so ] || { echo "needs nginx and libnginx-mod-rtmp" >&2; exit 1; }
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
CP=$WORK/cp.txt
mvn -B -q dependency:build-classpath -Dmdep.scope=test -Dmdep.outputFile="$CP" > /dev/null
probe() { java -Dlogback.configurationFile=/dev/null -cp "$(cat "$CP")" loadtest/bench/LatencyProbe.java "$@" 2>/dev/null | grep -E 'played=' || echo "$1 failed"; }
# Stock-player pages, one folder per hls.js build, served on their own port (they play any origin).
mkdir -p "$WORK/stock/1.4.12" "$WORK/stock/current"
for v in 1.4.12 current; do
  cp src/test/resources/stock-player/index.html src/main/resources/webroot/clock.js "$WORK/stock/$v/"
done
cp "$CURRENT_HLSJS" "$WORK/stock/current/hls.js"
unzip -q -p "$(grep -o '[^:]*hls.js-1.4.12.jar' "$CP")" 'META-INF/resources/webjars/hls.js/1.4.12/dist/hls.min.js' > "$WORK/stock/1.4.12/hls.js"
(cd "$WORK/stock" && exec python3 -m http.server "$STOCK_HTTP" --bind 127.0.0.1 > /dev/null 2>&1) & PIDS+=("$!")
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
# players NAME PLAYER_PAGE_URL MASTER_URL: every player joins RUNS times.
players() {
  for run in $(seq "$RUNS"); do
    [ -n "$2" ] && probe "$1-page#$run" "$2" "$SECONDS_TO_WATCH"
    probe "$1-stock-1.4.12#$run" "http://127.0.0.1:$STOCK_HTTP/1.4.12/index.html?src=$(enc "$3")" "$SECONDS_TO_WATCH"
    probe "$1-stock-current#$run" "http://127.0.0.1:$STOCK_HTTP/current/index.html?src=$(enc "$3")" "$SECONDS_TO_WATCH"
  done
}
publish() { java -jar "$JAR" --demo-publish "$1" > "$WORK/publisher.log" 2>&1 & PUB=$!; PIDS+=("$PUB"); }

for mode in ladder ladder-kf1 passthrough; do
  HEADWATER_HTTP_PORT=$HW_HTTP HEADWATER_RTMP_PORT=$HW_RTMP HEADWATER_HTTP_HOST=127.0.0.1 HEADWATER_RTMP_HOST=127.0.0.1 \
    HEADWATER_FFMPEG_KEYFRAME_INTERVAL_SECONDS=$([ $mode = ladder-kf1 ] && echo 1.0 || echo 0) \
    HEADWATER_FFMPEG_PASSTHROUGH=$([ $mode = passthrough ] && echo true || echo false) java -Xmn1g -jar "$JAR" > "$WORK/hw.log" 2>&1 &
  HW=$!; PIDS+=("$HW")
  for _ in $(seq 60); do curl -sf "http://127.0.0.1:$HW_HTTP/health" > /dev/null && break; sleep 1; done
  publish "rtmp://127.0.0.1:$HW_RTMP/live/demo"
  for _ in $(seq 60); do curl -sf "http://127.0.0.1:$HW_HTTP/live/demo/master.m3u8" > /dev/null && break; sleep 1; done
  sleep 5
  players "headwater-$mode" "http://127.0.0.1:$HW_HTTP/?stream=demo" "http://127.0.0.1:$HW_HTTP/live/demo/master.m3u8"
  kill "$PUB" "$HW"; wait "$PUB" "$HW" 2>/dev/null || true
done

# nginx's workers (unprivileged) run FFmpeg: use a copy they may execute.
BUNDLED=$(ls -d "$PWD"/data/ffmpeg/*/org/bytedeco/ffmpeg/linux-x86_64-gpl 2>/dev/null | head -1)
if command -v ffmpeg > /dev/null; then
  FFMPEG=$(command -v ffmpeg)
else
  cp -r "$BUNDLED" "$WORK/ffmpeg-bin"
  FFMPEG=$WORK/ffmpeg-bin/ffmpeg
fi
mkdir -p "$WORK/www/nginx-rtmp" "$WORK/www/ffmpeg-hls" "$WORK/www/webjars/hls.js/1.4.12/dist" "$WORK/tmp"
cp src/main/resources/webroot/* "$WORK/www/"
unzip -q -j -o "$(grep -o '[^:]*hls.js-1.4.12.jar' "$CP")" 'META-INF/resources/webjars/hls.js/1.4.12/dist/hls.min.js' -d "$WORK/www/webjars/hls.js/1.4.12/dist/"
sed -e "s|__ROOT__|$WORK|g" -e "s|__RTMP_PORT__|$NG_RTMP|g" -e "s|__HTTP_PORT__|$NG_HTTP|g" -e "s|__FFMPEG__|$FFMPEG|g" \
  loadtest/nginx/rtmp-hls.conf > "$WORK/nginx.conf"
chmod -R a+rwX "$WORK"
nginx -c "$WORK/nginx.conf" & NG=$!; PIDS+=("$NG")
sleep 1
publish "rtmp://127.0.0.1:$NG_RTMP/live/demo"
for _ in $(seq 60); do [ -f "$WORK/www/ffmpeg-hls/demo.m3u8" ] && [ -f "$WORK/www/nginx-rtmp/demo.m3u8" ] && break; sleep 1; done
sleep 5
players "nginx-rtmp-hls" "http://127.0.0.1:$NG_HTTP/index.html?src=/nginx-rtmp/demo.m3u8" "http://127.0.0.1:$NG_HTTP/nginx-rtmp/demo.m3u8"
players "ffmpeg-hls-muxer+nginx" "http://127.0.0.1:$NG_HTTP/index.html?src=/ffmpeg-hls/demo.m3u8" "http://127.0.0.1:$NG_HTTP/ffmpeg-hls/demo.m3u8"
echo "date: $(date -u +%FT%TZ)  machine: $(nproc) cores  watch: ${SECONDS_TO_WATCH}s x $RUNS joins per player, current hls.js $(grep -o '"version": "[^"]*"' src/test/js/node_modules/hls.js/package.json | head -1), Chromium $(chromium --version 2>/dev/null | awk '{print $2}')"
