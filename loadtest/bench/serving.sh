#!/usr/bin/env bash
# Serving speed against nginx (issue 3, benchmark 1): the same CMAF parts and segments served by
# Headwater from memory and by nginx (Debian) from files, driven by the same load generator (wrk) in
# the same run, on the same cores. Prints requests/s and p99 for each and the ratio.
# The stream is published, then the publisher stops: Headwater keeps the ended session in memory
# (hls.endedStreamRetentionSeconds), so no encoder competes for the CPU while the load runs.
# Usage (repository root, after mvn package): loadtest/bench/serving.sh [SECONDS] [CONNECTIONS] [INSTANCES]
set -euo pipefail
DURATION=${1:-20}
CONNECTIONS=${2:-100}
INSTANCES=${3:-2}
JAR=${JAR:-target/headwater.jar}
HTTP_PORT=${HTTP_PORT:-18082}
RTMP_PORT=${RTMP_PORT:-11937}
NGINX_PORT=${NGINX_PORT:-18092}
command -v nginx > /dev/null && command -v wrk > /dev/null || { echo "needs nginx and wrk: apt-get install nginx wrk" >&2; exit 1; }
[ -f "$JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
WORK=$(mktemp -d)
cleanup() { [ -n "${HW:-}" ] && kill "$HW" 2>/dev/null; [ -n "${NG:-}" ] && kill "$NG" 2>/dev/null; [ -n "${PUB:-}" ] && kill "$PUB" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

HEADWATER_HTTP_PORT=$HTTP_PORT HEADWATER_RTMP_PORT=$RTMP_PORT HEADWATER_HTTP_HOST=127.0.0.1 HEADWATER_RTMP_HOST=127.0.0.1 \
  HEADWATER_HTTP_INSTANCES=$INSTANCES HEADWATER_FFMPEG_PASSTHROUGH=true HEADWATER_HLS_ENDED_STREAM_RETENTION_SECONDS=900 \
  java -jar "$JAR" > "$WORK/headwater.log" 2>&1 &
HW=$!
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$HTTP_PORT/health" > /dev/null && break; sleep 1; done
FFMPEG=$(grep -o 'Using [a-z ()A-Z.:]*: .*ffmpeg$' "$WORK/headwater.log" | sed 's/.*: //' | head -1)
[ -n "$FFMPEG" ] || FFMPEG=ffmpeg
# 720p at 4 Mbit/s: parts of ~100 KB, segments of ~1 MB, like a top rung.
"$FFMPEG" -hide_banner -loglevel error -re -f lavfi -i testsrc2=size=1280x720:rate=30 -re -f lavfi -i sine=sample_rate=48000 \
  -t 40 -c:v libx264 -preset ultrafast -tune zerolatency -g 30 -b:v 4000k -maxrate 4000k -bufsize 4000k -c:a aac -b:a 128k \
  -f flv "rtmp://127.0.0.1:$RTMP_PORT/live/bench" &
PUB=$!
wait $PUB || true
PUB=
sleep 3
SESSION=$(curl -s "http://127.0.0.1:$HTTP_PORT/live/bench/master.m3u8" | grep -v '^#' | grep -m1 '/index.m3u8' | cut -d/ -f1)
BASE="/live/bench/$SESSION/source"
PLAYLIST=$(curl -s "http://127.0.0.1:$HTTP_PORT$BASE/index.m3u8")
grep -q '#EXT-X-ENDLIST' <<< "$PLAYLIST" || { echo "stream did not end cleanly" >&2; exit 1; }
mkdir -p "$WORK/www$BASE" "$WORK/tmp"
: > "$WORK/urls.txt"
for f in $(grep -E '^(s[0-9]+\.m4s)$' <<< "$PLAYLIST"; grep -o 'URI="p[0-9]*\.m4s"' <<< "$PLAYLIST" | cut -d'"' -f2); do
  curl -sf -o "$WORK/www$BASE/$f" "http://127.0.0.1:$HTTP_PORT$BASE/$f"
  echo "$BASE/$f" >> "$WORK/urls.txt"
done
COUNT=$(wc -l < "$WORK/urls.txt")
BYTES=$(du -sb "$WORK/www" | cut -f1)
chmod -R a+rX "$WORK"  # nginx workers run as an unprivileged user
sed -e "s|__ROOT__|$WORK|g" -e "s|__PORT__|$NGINX_PORT|g" -e "s|__WORKERS__|$INSTANCES|g" loadtest/nginx/serve-files.conf > "$WORK/nginx.conf"
nginx -c "$WORK/nginx.conf" &
NG=$!
sleep 1
run() {
  URLS="$WORK/urls.txt" wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s loadtest/bench/urls.lua "$1" > "$WORK/wrk.txt"
  local rps p99 errors
  rps=$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' "$WORK/wrk.txt" | tr '\n' ' ')
  echo "$rps $p99 ${errors:-none}"
}
# Warm both (JIT, file cache), then measure.
URLS="$WORK/urls.txt" wrk -t2 -c"$CONNECTIONS" -d5s -s loadtest/bench/urls.lua "http://127.0.0.1:$HTTP_PORT" > /dev/null
URLS="$WORK/urls.txt" wrk -t2 -c"$CONNECTIONS" -d5s -s loadtest/bench/urls.lua "http://127.0.0.1:$NGINX_PORT" > /dev/null
read -r HW_RPS HW_P99 HW_ERR < <(run "http://127.0.0.1:$HTTP_PORT")
read -r NG_RPS NG_P99 NG_ERR < <(run "http://127.0.0.1:$NGINX_PORT")
echo "date: $(date -u +%FT%TZ)  machine: $(nproc) cores  objects: $COUNT parts+segments, $((BYTES / 1024)) KiB  wrk: 2 threads, $CONNECTIONS connections, ${DURATION}s"
printf '%-28s %12s %10s  %s\n' "server" "requests/s" "p99" "errors"
printf '%-28s %12s %10s  %s\n' "headwater ($INSTANCES instances, memory)" "$HW_RPS" "$HW_P99" "$HW_ERR"
printf '%-28s %12s %10s  %s\n' "nginx ($INSTANCES workers, files)" "$NG_RPS" "$NG_P99" "$NG_ERR"
echo "ratio headwater/nginx requests/s: $(echo "scale=2; $HW_RPS / $NG_RPS" | bc -l)"
