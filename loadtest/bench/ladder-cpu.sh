#!/usr/bin/env bash
# Measures the encoder's cost for the default ladder on this machine: runs `headwater.jar --demo`
# (720p test pattern in, 720p/480p/360p + AAC out), waits for it to settle, then samples for
# SECONDS seconds the CPU used by the transcoding FFmpeg, the demo publisher and the JVM, FFmpeg's
# reported speed, and the part publish delay (FFmpeg wrote a part's last fragment -> servable).
# Usage: loadtest/bench/ladder-cpu.sh [SECONDS]   (run from the repository root after mvn package)
set -euo pipefail
SECONDS_TO_SAMPLE=${1:-60}
JAR=${JAR:-target/headwater.jar}
HTTP_PORT=${HTTP_PORT:-18080}
RTMP_PORT=${RTMP_PORT:-11935}
METRICS_PORT=${METRICS_PORT:-$((HTTP_PORT + 100))}
[ -f "$JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
LOG=$(mktemp)
HEADWATER_HTTP_PORT=$HTTP_PORT HEADWATER_RTMP_PORT=$RTMP_PORT HEADWATER_HTTP_HOST=127.0.0.1 HEADWATER_RTMP_HOST=127.0.0.1 \
  HEADWATER_METRICS_PORT=$METRICS_PORT java -jar "$JAR" --demo > "$LOG" 2>&1 &
JAVA_PID=$!
trap 'kill $JAVA_PID 2>/dev/null; wait $JAVA_PID 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 60); do
  curl -sf "http://127.0.0.1:$HTTP_PORT/live/demo/master.m3u8" > /dev/null && break
  sleep 1
done
sleep 10
TICK=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
ENC=$(pgrep -f -- "/intake/" | head -1)
PUB=$(pgrep -f -- "testsrc2" | head -1)
e0=$(cpu "$ENC"); p0=$(cpu "$PUB"); j0=$(cpu "$JAVA_PID"); t0=$(date +%s.%N)
speeds=()
for _ in $(seq "$SECONDS_TO_SAMPLE"); do
  sleep 1
  speeds+=("$(curl -s "http://127.0.0.1:$METRICS_PORT/metrics" | awk '/^headwater_encoder_speed\{/ {print $2}')")
done
e1=$(cpu "$ENC"); p1=$(cpu "$PUB"); j1=$(cpu "$JAVA_PID"); t1=$(date +%s.%N)
METRICS=$(curl -s "http://127.0.0.1:$METRICS_PORT/metrics")
wall=$(echo "$t1 - $t0" | bc -l)
pct() { echo "scale=1; 100 * ($2 - $1) / $TICK / $wall" | bc -l; }
minspeed=$(printf '%s\n' "${speeds[@]}" | sort -g | head -1)
medspeed=$(printf '%s\n' "${speeds[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "date: $(date -u +%FT%TZ)  machine: $(nproc) cores, $(awk '/model name/ {$1=$2=$3=""; print; exit}' /proc/cpuinfo)"
echo "sampled ${SECONDS_TO_SAMPLE}s of the default ladder (720p/480p/360p x264 + AAC)"
printf '%-34s %s\n' "transcoder FFmpeg CPU (% of 1 core)" "$(pct "$e0" "$e1")"
printf '%-34s %s\n' "demo publisher FFmpeg CPU" "$(pct "$p0" "$p1")"
printf '%-34s %s\n' "Headwater JVM CPU" "$(pct "$j0" "$j1")"
printf '%-34s %s (min %s)\n' "FFmpeg speed, median" "$medspeed" "$minspeed"
grep -E '^headwater_part_publish_delay_seconds\{rendition="(720p|audio)".*quantile' <<< "$METRICS" | sed 's/^/  /'
