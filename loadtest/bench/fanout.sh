#!/usr/bin/env bash
# Blocking fan-out benchmark (issue 3, benchmark 2): N = 1,000 and 10,000 blocking playlist requests
# parked on a live stream are woken by one new part. Prints, per N, the server's publication → last
# response written (headwater_waiter_wake_delay, p50/p99) and the client's first → last answer spread.
# The stream is passed through (no transcoding) so the encoder does not compete for the 2 cores.
# Usage (repository root, after mvn package): loadtest/bench/fanout.sh [ROUNDS]
set -euo pipefail
ROUNDS=${1:-10}
JAR=${JAR:-target/headwater.jar}
HTTP_PORT=${HTTP_PORT:-18081}
RTMP_PORT=${RTMP_PORT:-11936}
[ -f "$JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)"  # 10,000 connections need more descriptors than the default soft limit
CP=$(mktemp)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -f "$CP"' EXIT
mvn -B -q dependency:build-classpath -Dmdep.outputFile="$CP" > /dev/null
for N in 1000 10000; do
  if curl -s -o /dev/null "http://127.0.0.1:$HTTP_PORT/health"; then
    echo "port $HTTP_PORT is busy: stop what listens there or set HTTP_PORT" >&2; exit 1
  fi
  LOG=$(mktemp)
  HEADWATER_HTTP_PORT=$HTTP_PORT HEADWATER_RTMP_PORT=$RTMP_PORT HEADWATER_HTTP_HOST=127.0.0.1 HEADWATER_RTMP_HOST=127.0.0.1 \
    HEADWATER_FFMPEG_PASSTHROUGH=true java -jar "$JAR" --demo > "$LOG" 2>&1 &
  PID=$!
  for _ in $(seq 60); do curl -sf "http://127.0.0.1:$HTTP_PORT/live/demo/master.m3u8" > /dev/null && break; sleep 1; done
  sleep 3
  java -Dlogback.configurationFile=src/main/resources/logback.xml -cp "$(cat "$CP")" loadtest/bench/FanOut.java "http://127.0.0.1:$HTTP_PORT" demo source "$N" "$ROUNDS" \
    || echo "fanout n=$N: the client failed (see above)"
  curl -s "http://127.0.0.1:$HTTP_PORT/metrics" | awk -v n="$N" '/^headwater_waiter_wake_delay_seconds\{quantile="0.5"\}/ {p50=$2*1000} /^headwater_waiter_wake_delay_seconds\{quantile="0.99"\}/ {p99=$2*1000} /^headwater_waiter_wake_delay_seconds_max/ {max=$2*1000} END {printf "fanout n=%d server publication->last response of a wake pass p50=%.1f ms p99=%.1f ms max=%.1f ms\n", n, p50, p99, max}'
  kill $PID; wait $PID 2>/dev/null || true
  PID=
  rm -f "$LOG"
done
