#!/usr/bin/env bash
# Capacity (issue 3, benchmark 3): the Gatling LL-HLS viewer ramp against one Headwater on this machine
# while it transcodes the default ladder, and again with the source passed through. Reports, per mode,
# the highest step held with zero errors and p99 part response < P99_LIMIT_MS (RampSimulation's rule).
# Gatling runs on the same machine, so on 2 cores the load generator shares the CPU with the server:
# cpu-split.sh prints, every step, the CPU of Headwater, its FFmpeg and the rest (Gatling), and
# Headwater's CPU time per response — the figure that carries over to a machine where the load
# generator runs elsewhere.
# Usage (repository root, after mvn package): loadtest/bench/capacity.sh [STEP] [STEP_SECONDS] [MAX_STEPS] [MODES]
set -euo pipefail
STEP=${1:-200}
STEP_SECONDS=${2:-20}
MAX_STEPS=${3:-10}
MODES=${4:-"ladder passthrough"}
P99_LIMIT_MS=${P99_LIMIT_MS:-100}
JAR=${JAR:-target/headwater.jar}
# The JVM flag the README recommends for production (a fixed 1 GiB young generation; README "Running it").
JAVA_OPTS=${JAVA_OPTS:--Xmn1g}
HTTP_PORT=${HTTP_PORT:-18084}; RTMP_PORT=${RTMP_PORT:-11939}; METRICS_PORT=${METRICS_PORT:-$((HTTP_PORT + 100))}
[ -f "$JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)"
HW=
trap '[ -n "$HW" ] && kill "$HW" 2>/dev/null' EXIT
mvn -B -q -f loadtest/pom.xml test-compile
for mode in $MODES; do
  LOG=$(mktemp)
  # Gatling's viewers all come from 127.0.0.1, as through a CDN edge: trusted (README, "Hardening").
  HEADWATER_HTTP_PORT=$HTTP_PORT HEADWATER_RTMP_PORT=$RTMP_PORT HEADWATER_HTTP_HOST=127.0.0.1 HEADWATER_RTMP_HOST=127.0.0.1 \
    HEADWATER_METRICS_PORT=$METRICS_PORT HEADWATER_HTTP_TRUSTED_CLIENTS=127.0.0.1 \
    HEADWATER_FFMPEG_PASSTHROUGH=$([ "$mode" = passthrough ] && echo true || echo false) java $JAVA_OPTS -jar "$JAR" --demo > "$LOG" 2>&1 &
  HW=$!
  for _ in $(seq 60); do curl -sf "http://127.0.0.1:$HTTP_PORT/live/demo/master.m3u8" > /dev/null && break; sleep 1; done
  sleep 5
  echo "== mode: $mode"
  "$(dirname "$0")/cpu-split.sh" "$HW" "$METRICS_PORT" "$STEP_SECONDS" &
  SPLIT=$!
  mvn -B -q -f loadtest/pom.xml gatling:test -Dgatling.simulationClass=dev.headwater.loadtest.RampSimulation \
    -Dbase="http://127.0.0.1:$HTTP_PORT" -Dstep="$STEP" -DstepSeconds="$STEP_SECONDS" -DmaxSteps="$MAX_STEPS" \
    -Dp99LimitMs="$P99_LIMIT_MS" -Drendition=lowest 2>&1 | grep -E '^(STEP|SUMMARY)' || true
  kill $SPLIT 2>/dev/null || true
  curl -s "http://127.0.0.1:$METRICS_PORT/metrics" | grep -E '^headwater_encoder_speed' || true
  kill $HW; wait $HW 2>/dev/null || true
  HW=
  rm -f "$LOG"
done
echo "date: $(date -u +%FT%TZ)  machine: $(nproc) cores"
