#!/usr/bin/env bash
# Glass-to-glass latency against peers (issue 3, benchmark 4). The same publisher (Headwater's test
# pattern with a burned-in clock, `headwater.jar --demo-publish`, x264 zerolatency, 1 s GOP) pushes
# RTMP to each server in turn, and the same player (Headwater's page: hls.js in Chromium, low-latency
# mode) plays it while LatencyProbe reads the clock from decoded frames:
#   1. Headwater LL-HLS, default ladder (transcoded 720p/480p/360p)
#   2. Headwater LL-HLS, passthrough (repackaged only)
#   3. nginx-rtmp HLS (libnginx-mod-rtmp), 1 s fragments
#   4. FFmpeg's HLS muxer (fMP4, 1 s segments, -c copy) fed by nginx-rtmp, served by nginx
# Usage (repository root, after mvn package): loadtest/bench/latency-peers.sh [SECONDS]
set -euo pipefail
SECONDS_TO_WATCH=${1:-60}
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
probe() { java -Dlogback.configurationFile=/dev/null -cp "$(cat "$CP")" loadtest/bench/LatencyProbe.java "$@" 2>/dev/null | grep -E 'played='; }
publish() { java -jar "$JAR" --demo-publish "$1" > "$WORK/publisher.log" 2>&1 & PUB=$!; PIDS+=("$PUB"); }

for mode in ladder passthrough; do
  HEADWATER_HTTP_PORT=$HW_HTTP HEADWATER_RTMP_PORT=$HW_RTMP HEADWATER_HTTP_HOST=127.0.0.1 HEADWATER_RTMP_HOST=127.0.0.1 \
    HEADWATER_FFMPEG_PASSTHROUGH=$([ $mode = passthrough ] && echo true || echo false) java -jar "$JAR" > "$WORK/hw.log" 2>&1 &
  HW=$!; PIDS+=("$HW")
  for _ in $(seq 60); do curl -sf "http://127.0.0.1:$HW_HTTP/health" > /dev/null && break; sleep 1; done
  publish "rtmp://127.0.0.1:$HW_RTMP/live/demo"
  for _ in $(seq 60); do curl -sf "http://127.0.0.1:$HW_HTTP/live/demo/master.m3u8" > /dev/null && break; sleep 1; done
  probe "headwater-ll-hls-$mode" "http://127.0.0.1:$HW_HTTP/?stream=demo" "$SECONDS_TO_WATCH"
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
probe "nginx-rtmp-hls" "http://127.0.0.1:$NG_HTTP/index.html?src=/nginx-rtmp/demo.m3u8" "$SECONDS_TO_WATCH"
probe "ffmpeg-hls-muxer+nginx" "http://127.0.0.1:$NG_HTTP/index.html?src=/ffmpeg-hls/demo.m3u8" "$SECONDS_TO_WATCH"
echo "date: $(date -u +%FT%TZ)  machine: $(nproc) cores  watch: ${SECONDS_TO_WATCH}s per server, hls.js 1.4.12 lowLatencyMode in Chromium $(chromium --version 2>/dev/null | awk '{print $2}')"
