#!/usr/bin/env bash
# What forwarding costs in a cluster (issue 12, README "Running several origins"): two origins, A and
# B, on Hazelcast (TCP/IP on 127.0.0.1), the test pattern with the burned-in clock published to A
# (passthrough: no ladder competes for the cores). The same LL-HLS viewer load (LlHlsViewers.java
# record: hls.js-like blocking reloads, parts, some segments; one keep-alive connection per viewer)
# alternates between A itself (the reference: the owner serving directly) and B (every request
# forwarded to A over HTTP/2 and streamed back). Per round: the viewers' responses/s and, from
# /proc, the CPU of A's and of B's JVM over the same window; reported: the cluster's CPU (A + B) per
# viewer response, forwarded vs direct, as a ratio measured in the same run. Everything shares this
# machine's cores with the load generator, so the absolute figures are this machine's; the ratio is
# the result.
# Usage (repository root, after mvn package): loadtest/bench/cluster-forward.sh [VIEWERS] [SECONDS] [ROUNDS]
set -euo pipefail
VIEWERS=${1:-200}
SECONDS_PER_ROUND=${2:-30}
ROUNDS=${3:-3}
WARMUP=${WARMUP:-5}
JAR=${JAR:-target/headwater.jar}
A_HTTP=${A_HTTP:-18388}; B_HTTP=${B_HTTP:-18389}
A_RTMP=${A_RTMP:-11963}; B_RTMP=${B_RTMP:-11964}
HZ_PORT=${HZ_PORT:-5911}
BENCH=$(dirname "$0")
[ -f "$JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
for p in $A_HTTP $B_HTTP; do
  if curl -s -o /dev/null "http://127.0.0.1:$p/"; then echo "port $p is busy" >&2; exit 1; fi
done
ulimit -n "$(ulimit -Hn)"
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null || true; done; wait 2> /dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

origin() { # LABEL HTTP RTMP
  HEADWATER_HTTP_PORT=$2 HEADWATER_RTMP_PORT=$3 HEADWATER_HTTP_HOST=127.0.0.1 HEADWATER_RTMP_HOST=127.0.0.1 \
    HEADWATER_METRICS_PORT=0 HEADWATER_FFMPEG_PASSTHROUGH=true HEADWATER_RECORDING_STREAMS=none \
    HEADWATER_DATA_DIR="$WORK/data-$1" HEADWATER_CLUSTER_ENABLED=true HEADWATER_CLUSTER_NAME="bench-$$" \
    HEADWATER_CLUSTER_PORT=$HZ_PORT HEADWATER_CLUSTER_MEMBERS="127.0.0.1:$HZ_PORT,127.0.0.1:$((HZ_PORT + 1))" \
    java -Xmn1g -jar "$JAR" > "$WORK/$1.log" 2>&1 &
  echo $!
}
A=$(origin a $A_HTTP $A_RTMP)
B=$(origin b $B_HTTP $B_RTMP)
PIDS+=("$A" "$B")
for p in $A_HTTP $B_HTTP; do
  for _ in $(seq 90); do curl -sf "http://127.0.0.1:$p/health" > /dev/null && break; sleep 1; done
done
java -jar "$JAR" --demo-publish "rtmp://127.0.0.1:$A_RTMP/live/demo" > "$WORK/publisher.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$B_HTTP/live/demo/master.m3u8" > /dev/null && break; sleep 1; done
curl -sf -o /dev/null "http://127.0.0.1:$B_HTTP/live/demo/master.m3u8" || { tail -20 "$WORK/b.log" >&2; exit 1; }
sleep 3

field() { awk -v k="$1" '{for (i = 1; i < NF; i++) if ($i == k) print $(i + 1)}' <<< "$2"; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2] + a[NR/2+1]) / 2}'; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2> /dev/null || echo 0; }
HZ=$(getconf CLK_TCK)
echo "date: $(date -u +%FT%TZ)  machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), $(uname -r)  two origins (passthrough), $VIEWERS viewers, ${SECONDS_PER_ROUND}s per round x $ROUNDS rounds"

# JIT warm-up of both origins and the client, not counted.
java "$BENCH/LlHlsViewers.java" record "127.0.0.1:$B_HTTP" /live/demo/master.m3u8 "$VIEWERS" 20 20 "$WORK/warm" "$B" > /dev/null
java "$BENCH/LlHlsViewers.java" record "127.0.0.1:$A_HTTP" /live/demo/master.m3u8 "$VIEWERS" 20 20 "$WORK/warm" "$A" > /dev/null
rm -rf "$WORK/warm"
printf '%-6s %-10s %10s %10s %10s %22s %7s\n' round via "resp/s" "A CPU %" "B CPU %" "A+B CPU us/response" errors
for r in $(seq "$ROUNDS"); do
  for via in owner forwarder; do
    port=$A_HTTP; [ $via = forwarder ] && port=$B_HTTP
    a0=$(ticks "$A"); b0=$(ticks "$B"); t0=$(date +%s.%N)
    L=$(java "$BENCH/LlHlsViewers.java" record "127.0.0.1:$port" /live/demo/master.m3u8 "$VIEWERS" "$SECONDS_PER_ROUND" "$WARMUP" "$WORK/cap" "$A")
    a1=$(ticks "$A"); b1=$(ticks "$B"); t1=$(date +%s.%N)
    rm -rf "$WORK/cap"
    line=$(awk -v r="$r" -v via="$via" -v rps="$(field rps "$L")" -v da=$((a1 - a0)) -v db=$((b1 - b0)) -v hz="$HZ" \
      -v secs="$(echo "$t1 - $t0" | bc -l)" -v err="$(field errors "$L")" \
      'BEGIN { ca = da / hz / secs; cb = db / hz / secs;
               printf "%-6s %-10s %10.0f %10.1f %10.1f %22.1f %7s", r, via, rps, 100 * ca, 100 * cb, (rps > 0 ? 1e6 * (ca + cb) / rps : 0), err }')
    echo "$line"
    echo "$line" >> "$WORK/rows"
  done
done
own=$(awk '$2 == "owner" {print $6}' "$WORK/rows" | median)
fwd=$(awk '$2 == "forwarder" {print $6}' "$WORK/rows" | median)
fwd_b=$(awk '$2 == "forwarder" {print $5}' "$WORK/rows" | median)
fwd_a=$(awk '$2 == "forwarder" {print $4}' "$WORK/rows" | median)
own_a=$(awk '$2 == "owner" {print $4}' "$WORK/rows" | median)
awk -v own="$own" -v fwd="$fwd" -v fa="$fwd_a" -v fb="$fwd_b" -v oa="$own_a" 'BEGIN {
  printf "median cluster CPU per viewer response: direct from the owner %.1f us, forwarded %.1f us: forwarded / direct %.2f\n", own, fwd, fwd / own
  printf "median CPU while forwarding: owner %.1f%%, forwarder %.1f%% (owner serving directly: %.1f%%)\n", fa, fb, oa }'
