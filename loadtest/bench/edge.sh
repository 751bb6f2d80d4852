#!/usr/bin/env bash
# One Varnish edge in front of the origin (issue 12): what reaches the origin as viewers grow, and the
# glass-to-glass latency the edge adds. Everything on this machine, on loopback:
#   origin: Headwater in passthrough (HEADWATER_FFMPEG_PASSTHROUGH=true: repackaged only, so no
#     ladder competes for the cores), fed by the test pattern with the burned-in clock
#     (`headwater.jar --demo-publish`, x264 zerolatency); 127.0.0.1 in http.trustedClients, as README
#     "Running behind a CDN edge" asks for an edge's address.
#   edge: varnishd with the shipped conf/edge/varnish/headwater.vcl, only ORIGIN_HOST/ORIGIN_PORT
#     replaced (as EdgeIT does), 256 MB malloc storage, Varnish's default parameters.
# (a) Requests reaching the origin: VIEWER_COUNTS hls.js-like LL-HLS viewers (LlHlsViewers.java record:
#     one keep-alive connection each; blocking reloads with _HLS_msn/_HLS_part, the newest part, a
#     completed segment now and then, the multivariant playlist every 100 reloads; Accept-Encoding:
#     gzip, as a browser sends, so the edge serves the gzipped playlists it stores) on the edge, SECONDS
#     per round (the first WARMUP s not counted). In the same window it counts the viewers' responses
#     from the edge and reads the origin's headwater_http_responses_total (Prometheus, metrics port)
#     before and after: every request that reached the origin, whoever sent it. Counts alternate
#     within each round; the reference is the smallest count, measured in the same run.
#     Target: origin req/s flat, independent of the viewer count.
# (b) Latency the edge adds: the stock hls.js page (src/test/resources/stock-player: new Hls(),
#     defaults, hls.js 1.4.12 from the webjar) in Chromium, LatencyProbe reading the burned-in clock,
#     joins alternating between the origin directly and the edge, JOINS each, WATCH s sampled after a
#     5 s settle, no viewer load. Reported: the difference of the medians (edge - direct) of the joins'
#     glass-to-glass medians (target <= 50 ms), and of glass-to-glass minus hls.js's own latency
#     (hls.js measures its latency from the newest playlist's live edge, so the difference is how old
#     that edge was when the playlist reached the player: capture, encode, packaging and the blocking
#     reload's delivery, where an edge's hop shows). The second does not depend on the join; the first
#     does: a stock hls.js keeps its join time as latency, and that varies by tenths of a second.
# Usage (repository root, after mvn package): loadtest/bench/edge.sh [SECONDS] [ROUNDS] [JOINS] [WATCH]
# VIEWER_COUNTS="10 100 1000" (default) sets the counts, WARM=20 the uncounted warm-up (100 viewers, s);
# LATENCY=0 / LOAD=0 skip a part; LATENCY_VIEWERS=N keeps N of (a)'s viewers on the edge during (b).
# HEADWATER_DEMO_WIDTH/HEIGHT/VIDEO_BITRATE_KBPS set the source (default 1280x720, 4 Mbit/s: 1,000
# viewers then ask the edge for 4 Gbit/s on loopback, more than 2 cores deliver; 426x240 at 300 kb/s
# fits, but (b)'s burned-in clock is only readable at 720p, so run (b) with the default).
set -euo pipefail
SECONDS_PER_ROUND=${1:-30}
ROUNDS=${2:-2}
JOINS=${3:-3}
WATCH=${4:-30}
VIEWER_COUNTS=${VIEWER_COUNTS:-10 100 1000}
WARMUP=${WARMUP:-5}
WARM=${WARM:-20}
LATENCY_VIEWERS=${LATENCY_VIEWERS:-0}
JAR=${JAR:-target/headwater.jar}
HTTP_PORT=${HTTP_PORT:-18088}
RTMP_PORT=${RTMP_PORT:-11943}
METRICS_PORT=${METRICS_PORT:-$((HTTP_PORT + 100))}
EDGE_PORT=${EDGE_PORT:-18098}
PAGE_HTTP=${PAGE_HTTP:-18106}
BENCH=$(dirname "$0")
command -v varnishd > /dev/null || { echo "needs varnish: apt-get install varnish" >&2; exit 1; }
[ -f "$JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
for p in $HTTP_PORT $EDGE_PORT $PAGE_HTTP; do
  if curl -s -o /dev/null "http://127.0.0.1:$p/"; then echo "port $p is busy" >&2; exit 1; fi
done
ulimit -n "$(ulimit -Hn)"
WORK=$(mktemp -d)
# Varnish's unprivileged processes (its default jail, as root) read the VCL and its working directory.
chmod 755 "$WORK"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null || true; done; wait 2> /dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

HEADWATER_HTTP_PORT=$HTTP_PORT HEADWATER_RTMP_PORT=$RTMP_PORT HEADWATER_HTTP_HOST=127.0.0.1 HEADWATER_RTMP_HOST=127.0.0.1 \
  HEADWATER_METRICS_PORT=$METRICS_PORT HEADWATER_HTTP_TRUSTED_CLIENTS=127.0.0.1 \
  HEADWATER_FFMPEG_PASSTHROUGH=true java -Xmn1g -jar "$JAR" > "$WORK/headwater.log" 2>&1 &
HW=$!; PIDS+=("$HW")
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$HTTP_PORT/health" > /dev/null && break; sleep 1; done
java -jar "$JAR" --demo-publish "rtmp://127.0.0.1:$RTMP_PORT/live/demo" > "$WORK/publisher.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$HTTP_PORT/live/demo/master.m3u8" > /dev/null && break; sleep 1; done

sed -e "s/\"ORIGIN_HOST\"/\"127.0.0.1\"/" -e "s/\"ORIGIN_PORT\"/\"$HTTP_PORT\"/" conf/edge/varnish/headwater.vcl > "$WORK/headwater.vcl"
JAIL=(); [ "$(id -u)" = 0 ] || JAIL=(-j none)
varnishd -F -a "127.0.0.1:$EDGE_PORT" -f "$WORK/headwater.vcl" -n "$WORK/varnish" -s malloc,256m -T 127.0.0.1:0 "${JAIL[@]}" \
  > "$WORK/varnish.log" 2>&1 &
VARNISH=$!; PIDS+=("$VARNISH")
for _ in $(seq 30); do curl -sf -o /dev/null "http://127.0.0.1:$EDGE_PORT/live/demo/master.m3u8" && break; sleep 1; done
curl -sf -o /dev/null "http://127.0.0.1:$EDGE_PORT/live/demo/master.m3u8" || { cat "$WORK/varnish.log" >&2; exit 1; }
sleep 3

field() { awk -v k="$1" '{for (i = 1; i < NF; i++) if ($i == k) print $(i + 1)}' <<< "$2"; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2] + a[NR/2+1]) / 2}'; }
ticks() { local s=0 p; for p in "$@"; do s=$((s + $(awk '{print $14 + $15}' "/proc/$p/stat" 2> /dev/null || echo 0))); done; echo $s; }
echo "date: $(date -u +%FT%TZ)  machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), $(uname -r)  $(varnishd -V 2>&1 | head -1 | grep -o 'varnish-[0-9.]*')  origin: passthrough  ${SECONDS_PER_ROUND}s per round (first ${WARMUP}s not counted) x $ROUNDS rounds; latency: $JOINS joins per side, ${WATCH}s each, $LATENCY_VIEWERS viewers on the edge meanwhile"

if [ "${LOAD:-1}" = 1 ]; then
  # JIT warm-up of the origin, Varnish's threads and the client, not counted.
  java -Daccept.gzip=true "$BENCH/LlHlsViewers.java" record "127.0.0.1:$EDGE_PORT" /live/demo/master.m3u8 100 "$WARM" "$WARM" "$WORK/warm" "$HW" > /dev/null
  rm -rf "$WORK/warm"
  printf '%-6s %8s %12s %14s %13s %14s %14s %7s\n' round viewers "edge req/s" "origin req/s" "origin/edge" "origin CPU %" "varnish CPU %" errors
  for r in $(seq "$ROUNDS"); do
    for n in $VIEWER_COUNTS; do
      VP=$(echo $VARNISH $(pgrep -P $VARNISH))
      # shellcheck disable=SC2086
      v0=$(ticks $VP); w0=$(date +%s.%N)
      L=$(java -Daccept.gzip=true -Dorigin.metrics="http://127.0.0.1:$METRICS_PORT/metrics" "$BENCH/LlHlsViewers.java" record \
        "127.0.0.1:$EDGE_PORT" /live/demo/master.m3u8 "$n" "$SECONDS_PER_ROUND" "$WARMUP" "$WORK/cap" "$HW")
      # shellcheck disable=SC2086
      v1=$(ticks $VP); w1=$(date +%s.%N)
      rm -rf "$WORK/cap"
      line=$(awk -v r="$r" -v n="$n" -v e="$(field rps "$L")" -v o="$(field origin_rps "$L")" -v cpu="$(field cpu_ms "$L")" \
        -v secs="$(field seconds "$L")" -v vc="$(( (v1 - v0) * 10 ))" -v vs="$(echo "$w1 - $w0" | bc -l)" -v err="$(field errors "$L")" \
        'BEGIN { printf "%-6s %8s %12.0f %14.1f %13.4f %14.1f %14.1f %7s", r, n, e, o, (e > 0 ? o / e : 0), cpu / secs / 10, vc / vs / 10, err }')
      echo "$line"
      echo "$line" >> "$WORK/load"
    done
  done
  REF=$(set -- $VIEWER_COUNTS; echo "$1")
  ref_o=$(awk -v n="$REF" '$2 == n {print $4}' "$WORK/load" | median)
  for n in $VIEWER_COUNTS; do
    e=$(awk -v n="$n" '$2 == n {print $3}' "$WORK/load" | median)
    o=$(awk -v n="$n" '$2 == n {print $4}' "$WORK/load" | median)
    awk -v n="$n" -v e="$e" -v o="$o" -v ref="$ref_o" -v refn="$REF" \
      'BEGIN { printf "median viewers %s: edge %.0f req/s, origin %.1f req/s (%.2f%% of the edge'"'"'s), origin vs %s viewers %.2f\n", n, e, o, 100 * o / e, refn, o / ref }'
  done
fi

if [ "${LATENCY:-1}" = 1 ]; then
  CP=$WORK/cp.txt
  mvn -B -q dependency:build-classpath -Dmdep.scope=test -Dmdep.outputFile="$CP" > /dev/null 2>&1
  probe() { java -Dlogback.configurationFile=/dev/null -cp "$(cat "$CP")" "$BENCH/LatencyProbe.java" "$@" 2> /dev/null | grep -E 'played=' || echo "$1 failed"; }
  mkdir -p "$WORK/page"
  cp src/test/resources/stock-player/index.html src/main/resources/webroot/clock.js "$WORK/page/"
  unzip -q -p "$(grep -o '[^:]*hls.js-1.4.12.jar' "$CP")" 'META-INF/resources/webjars/hls.js/1.4.12/dist/hls.min.js' > "$WORK/page/hls.js"
  (cd "$WORK/page" && exec python3 -m http.server "$PAGE_HTTP" --bind 127.0.0.1 > /dev/null 2>&1) & PIDS+=("$!")
  sleep 1
  : > "$WORK/lat-direct"; : > "$WORK/lat-edge"
  declare -A g d
  enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
  if [ "$LATENCY_VIEWERS" -gt 0 ]; then
    # Viewers on the edge for the whole latency part (both sides' joins), as in (a).
    java -Daccept.gzip=true "$BENCH/LlHlsViewers.java" record "127.0.0.1:$EDGE_PORT" /live/demo/master.m3u8 \
      "$LATENCY_VIEWERS" 100000 100000 "$WORK/bg" "$HW" > /dev/null 2>&1 &
    BG=$!; PIDS+=("$BG")
    sleep 10
  fi
  for j in $(seq "$JOINS"); do
    for side in direct edge; do
      port=$HTTP_PORT; [ $side = edge ] && port=$EDGE_PORT
      out=$(probe "$side#$j" "http://127.0.0.1:$PAGE_HTTP/index.html?src=$(enc "http://127.0.0.1:$port/live/demo/master.m3u8")" "$WATCH")
      echo "$out"
      lat=$(grep -o 'hlsjs_latency_median=[0-9.]*' <<< "$out" | cut -d= -f2 || true)
      g2g=$(grep -o 'g2g_median=[0-9.]*' <<< "$out" | cut -d= -f2 || true)
      [ -n "$g2g" ] && [ -n "$lat" ] && echo "$g2g $(echo "$g2g - $lat" | bc -l)" >> "$WORK/lat-$side"
    done
  done
  [ "$LATENCY_VIEWERS" -gt 0 ] && kill "$BG"
  for side in direct edge; do
    g[$side]=$(awk '{print $1}' "$WORK/lat-$side" | median)
    d[$side]=$(awk '{print $2}' "$WORK/lat-$side" | median)
    printf 'median %-6s glass-to-glass %.3f s, glass-to-glass minus hls.js latency %.3f s (%s joins)\n' "$side" "${g[$side]}" "${d[$side]}" "$(wc -l < "$WORK/lat-$side")"
  done
  awk -v ge="${g[edge]}" -v gd="${g[direct]}" -v de="${d[edge]}" -v dd="${d[direct]}" \
    'BEGIN { printf "edge adds (edge - direct, difference of medians): glass-to-glass %+.0f ms, glass-to-glass minus hls.js latency %+.0f ms\n", 1000 * (ge - gd), 1000 * (de - dd) }'
fi
