#!/usr/bin/env bash
# Hostile input figures (issue 9): RTMP memory bombs, an idle-connection flood of the RTMP port,
# HTTP slowloris and HTTP clients that stop reading, against Headwater while its demo stream is
# published and VIEWERS LL-HLS viewers watch; the viewers' part lag and the server's CPU in the same
# run without attack are the reference. See Hostile.java for what each phase does.
# Headwater runs with its defaults (conf/headwater.yaml) but for ports and loopback hosts.
# Usage (repository root, after mvn package):
#   loadtest/bench/hostile.sh [SECONDS] [VIEWERS] [FLOOD] [SLOW] [STALLED]
# STALL_READ=1: the STALLED clients read their segment (a crowd), to compare with the attack's onset.
set -euo pipefail
SECONDS_PER_PHASE=${1:-20}
VIEWERS=${2:-100}
FLOOD=${3:-10000}
SLOW=${4:-1000}
STALLED=${5:-1000}
NICE=${NICE:-19}
JAR=${JAR:-target/headwater.jar}
HTTP_PORT=${HTTP_PORT:-18084}
RTMP_PORT=${RTMP_PORT:-11939}
[ -f "$JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
command -v jcmd > /dev/null || { echo "needs jcmd (a JDK)" >&2; exit 1; }
WORK=$(mktemp -d)
cleanup() { [ -n "${VIEW:-}" ] && kill "$VIEW" 2>/dev/null; [ -n "${PUB:-}" ] && kill "$PUB" 2>/dev/null; [ -n "${HW:-}" ] && kill "$HW" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
HEADWATER_HTTP_PORT=$HTTP_PORT HEADWATER_RTMP_PORT=$RTMP_PORT HEADWATER_HTTP_HOST=127.0.0.1 HEADWATER_RTMP_HOST=0.0.0.0 \
  HEADWATER_METRICS_PORT=0 HEADWATER_FFMPEG_PASSTHROUGH=true java -Xmn1g -jar "$JAR" > "$WORK/headwater.log" 2>&1 &
HW=$!
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$HTTP_PORT/health" > /dev/null && break; sleep 1; done
nice -n "$NICE" java -jar "$JAR" --demo-publish "rtmp://127.0.0.1:$RTMP_PORT/live/demo" > "$WORK/publisher.log" 2>&1 &
PUB=$!
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$HTTP_PORT/live/demo/master.m3u8" > /dev/null && break; sleep 1; done
VARIANT=$(curl -s "http://127.0.0.1:$HTTP_PORT/live/demo/master.m3u8" | grep -v '^#' | grep -m1 .)
# Viewers at the server's priority in their own process (as if on machines of their own); the
# attacker below runs niced, so that its own work does not starve them on a shared 2-core machine.
java loadtest/bench/Hostile.java viewers "http://127.0.0.1:$HTTP_PORT/live/demo/$VARIANT" "$VIEWERS" "$WORK/viewers.log" &
VIEW=$!
sleep 15
nice -n "$NICE" java loadtest/bench/Hostile.java "http://127.0.0.1:$HTTP_PORT" "$RTMP_PORT" "$HW" demo \
  "$SECONDS_PER_PHASE" "$VIEWERS" "$FLOOD" "$SLOW" "$STALLED" "$WORK/viewers.log"
mkdir -p target/bench && cp "$WORK/viewers.log" target/bench/hostile-viewers.log
echo "server log, warnings:"
grep -E 'WARN ' "$WORK/headwater.log" | cut -c1-240 | tail -8
