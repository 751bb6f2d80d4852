#!/usr/bin/env bash
# What recording costs live delivery, measured in one run: alternating rounds of `headwater.jar
# --demo` (720p/480p/360p + AAC) with recording off (recording.streams none, the reference) and on
# (local disk under a fresh directory), each sampled for SECONDS after a settle time. Prints, per
# round and as medians, the JVM's CPU, the part publish delay (FFmpeg wrote a part's last fragment
# -> servable, p50/p99 of 720p) and the time to store a segment group.
# Usage: loadtest/bench/recording-cost.sh [SECONDS] [ROUNDS]   (from the repository root, after
# mvn package)
set -euo pipefail
SECONDS_TO_SAMPLE=${1:-40}
ROUNDS=${2:-3}
JAR=${JAR:-target/headwater.jar}
HTTP_PORT=${HTTP_PORT:-18080}
RTMP_PORT=${RTMP_PORT:-11935}
METRICS_PORT=${METRICS_PORT:-$((HTTP_PORT + 100))}
[ -f "$JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
WORK=$(mktemp -d)
JAVA_PID=
cleanup() { [ -n "$JAVA_PID" ] && kill "$JAVA_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
TICK=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
quantile() { awk -v q="$2" -v r="$3" -F'[{} ]' '$1 == "'"$1"'" && $0 ~ "rendition=\""r"\"" && $0 ~ "quantile=\""q"\"" {print $NF * 1000}' <<< "$METRICS"; }

round() { # MODE (off|on) -> "cpu% p50ms p99ms groupms"
  local mode=$1 streams=none
  [ "$mode" = on ] && streams=all
  rm -rf "$WORK/data"
  HEADWATER_HTTP_PORT=$HTTP_PORT HEADWATER_RTMP_PORT=$RTMP_PORT HEADWATER_HTTP_HOST=127.0.0.1 \
    HEADWATER_RTMP_HOST=127.0.0.1 HEADWATER_METRICS_PORT=$METRICS_PORT HEADWATER_DATA_DIR="$WORK/data" \
    HEADWATER_RECORDING_STREAMS=$streams java -jar "$JAR" --demo > "$WORK/log" 2>&1 &
  JAVA_PID=$!
  for _ in $(seq 60); do
    curl -sf "http://127.0.0.1:$HTTP_PORT/live/demo/master.m3u8" > /dev/null && break
    sleep 1
  done
  sleep 15
  local j0 t0 j1 t1
  j0=$(cpu "$JAVA_PID"); t0=$(date +%s.%N)
  sleep "$SECONDS_TO_SAMPLE"
  j1=$(cpu "$JAVA_PID"); t1=$(date +%s.%N)
  METRICS=$(curl -s "http://127.0.0.1:$METRICS_PORT/metrics")
  local group
  group=$(awk '/^headwater_recording_group_seconds_sum/ {s=$2} /^headwater_recording_group_seconds_count/ {c=$2} END {if (c > 0) printf "%.1f", 1000 * s / c; else print "-"}' <<< "$METRICS")
  kill "$JAVA_PID"; wait "$JAVA_PID" 2>/dev/null || true; JAVA_PID=
  echo "$(echo "scale=1; 100 * ($j1 - $j0) / $TICK / ($t1 - $t0)" | bc -l) $(quantile headwater_part_publish_delay_seconds 0.5 720p) $(quantile headwater_part_publish_delay_seconds 0.99 720p) $group"
}

echo "date: $(date -u +%FT%TZ)  machine: $(nproc) cores; ${SECONDS_TO_SAMPLE}s per round, $ROUNDS rounds per mode"
printf '%-6s %-9s %12s %14s %14s %14s\n' round recording "JVM CPU %" "part p50 ms" "part p99 ms" "store group ms"
: > "$WORK/off"; : > "$WORK/on"
for r in $(seq "$ROUNDS"); do
  for mode in off on; do
    line=$(round "$mode")
    echo "$line" >> "$WORK/$mode"
    # shellcheck disable=SC2086
    printf '%-6s %-9s %12s %14s %14s %14s\n' "$r" "$mode" $line
  done
done
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for col in 1 2 3; do
  off=$(awk -v c=$col '{print $c}' "$WORK/off" | median)
  on=$(awk -v c=$col '{print $c}' "$WORK/on" | median)
  name=$(echo "JVM_CPU part_p50 part_p99" | cut -d' ' -f$col)
  printf 'median %-9s off %8s  on %8s  on/off %s\n' "$name" "$off" "$on" "$(echo "scale=2; $on / $off" | bc -l)"
done
