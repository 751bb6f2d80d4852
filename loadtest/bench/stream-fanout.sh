#!/usr/bin/env bash
# Streaming fan-out (issue 10): how fast each newly written CMAF chunk reaches VIEWERS clients that
# all follow the same in-progress segment (StreamFanOut.java: FFmpeg's prft write time -> the first
# byte of that chunk at each viewer, over ROUNDS segments). The reference, measured in the same run
# against the same server: one viewer alone. Target: p99 <= 20 ms with 1,000 viewers.
# The demo publisher sends a small picture (426x240, 300 kb/s) passed through without transcoding,
# so 1,000 viewers move ~40 MB/s over loopback and the encoder does not compete for the 2 cores.
# The publisher runs at nice NICE (default 19) and the viewers' process at nice CLIENT_NICE (default
# 0, the server's priority; 19 gives the server the cores first, as when viewers are on machines of
# their own - as fanout.sh does).
# Last, the floor: SocketFloor.java writing a 1,400-byte chunk to VIEWERS loopback sockets, no HTTP.
# Usage (repository root, after mvn package): loadtest/bench/stream-fanout.sh [VIEWERS] [ROUNDS]
set -euo pipefail
VIEWERS=${1:-1000}
ROUNDS=${2:-10}
NICE=${NICE:-19}
JAR=${JAR:-target/headwater.jar}
HTTP_PORT=${HTTP_PORT:-18085}
RTMP_PORT=${RTMP_PORT:-11940}
METRICS_PORT=${METRICS_PORT:-18185}
[ -f "$JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)"
WORK=$(mktemp -d)
cleanup() { [ -n "${PUB:-}" ] && kill "$PUB" 2>/dev/null; [ -n "${HW:-}" ] && kill "$HW" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
HEADWATER_HTTP_PORT=$HTTP_PORT HEADWATER_RTMP_PORT=$RTMP_PORT HEADWATER_HTTP_HOST=0.0.0.0 \
  HEADWATER_METRICS_PORT=$METRICS_PORT HEADWATER_FFMPEG_PASSTHROUGH=true \
  java -Xmn1g ${HW_JAVA_OPTS:-} -jar "$JAR" > "$WORK/headwater.log" 2>&1 &
HW=$!
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$HTTP_PORT/health" > /dev/null && break; sleep 1; done
HEADWATER_DEMO_WIDTH=426 HEADWATER_DEMO_HEIGHT=240 HEADWATER_DEMO_VIDEO_BITRATE_KBPS=300 \
  nice -n "$NICE" java -jar "$JAR" --demo-publish "rtmp://127.0.0.1:$RTMP_PORT/live/demo" > "$WORK/publisher.log" 2>&1 &
PUB=$!
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$HTTP_PORT/live/demo/master.m3u8" > /dev/null && break; sleep 1; done
sleep 6
# The server's histogram covers a run since its start: the reference (1 viewer) runs on a server of
# its own so that the 1,000-viewer figure is not mixed with it.
fan() {
  nice -n "${CLIENT_NICE:-0}" java loadtest/bench/StreamFanOut.java "http://127.0.0.1:$HTTP_PORT" demo "$1" "$ROUNDS" \
    "http://127.0.0.1:$METRICS_PORT" > "$WORK/fan.txt"
  grep streamfanout "$WORK/fan.txt"
}
REF=$(fan 1)
echo "$REF (reference)"
echo "  $(grep '^server' "$WORK/fan.txt")"
CPU0=$(awk '{print $14+$15}' /proc/$HW/stat); T0=$(date +%s.%N)
RUN=$(fan "$VIEWERS")
CPU1=$(awk '{print $14+$15}' /proc/$HW/stat); T1=$(date +%s.%N)
echo "$RUN"
echo "  $(grep '^server' "$WORK/fan.txt") (since the server started, reference included)"
p99() { sed -E 's/.*p99=([0-9.]+).*/\1/' <<< "$1"; }
awk -v a="$(p99 "$RUN")" -v b="$(p99 "$REF")" -v c0="$CPU0" -v c1="$CPU1" -v t0="$T0" -v t1="$T1" \
  'BEGIN { printf "ratio p99 %s viewers / 1 viewer: %.2f; server CPU during the %s-viewer run: %.2f cores\n", "'"$VIEWERS"'", a / b, "'"$VIEWERS"'", (c1 - c0) / 100 / (t1 - t0) }'
# The floor on this machine, no HTTP at all: a chunk-sized buffer written to each of VIEWERS loopback
# sockets from 2 threads (the HTTP instances) while one thread reads them (SocketFloor.java).
java loadtest/bench/SocketFloor.java "$VIEWERS" 2 1400 60 | tail -1
grep -E 'WARN|ERROR' "$WORK/headwater.log" | grep -v "Gauge\|streamKeys\|probesize" | tail -5 || true
