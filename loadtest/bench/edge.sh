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
#     JOINS joins, WATCH s sampled after a 5 s settle, at each LATENCY_VIEWERS count of (a)'s viewers
#     kept on the edge meanwhile (default 0: none).
#     PAIRED=1 (default): each join is a pair, two Chromium instances whose stock pages load at the
#     same moment, one on the origin directly, one through the edge, so both join at the same live
#     position and sample the same window. A stock hls.js keeps its join time as latency for the whole
#     session (it never speeds up), and single joins spread by tenths of a second (1.09-2.68 s in the
#     first run), so a difference of two sides' medians cannot resolve 50 ms with few joins; inside a
#     pair that join noise is shared, and the direct player is the reference measured in the same
#     window. Reported per pair: edge - direct of the two glass-to-glass medians; per viewer count: the
#     median of those differences (target <= 50 ms), their middle half and range, and a
#     distribution-free 95 % confidence interval of that median. Which browser starts first
#     alternates. Costs two decoding browsers at once on the machine instead of one. On 2 shared
#     cores the two players of a pair still settled up to 3 s apart (loadtest/RESULTS.md, 2026-12-02):
#     the per-pair glass-to-glass difference then does not resolve 50 ms; the join-independent
#     difference below did (-48 to +35 ms per pair).
#     PAIRED=0: the earlier method, joins alternating between direct and edge, one browser at a time;
#     reported: the difference of the medians (edge - direct) of the joins' glass-to-glass medians.
#     PLAYER=dashjs: the pairs are stock dash.js pages (src/test/resources/dash-player: the current
#     dash.js from npm, default settings) playing the LL-DASH MPD. dash.js steers its playback rate
#     towards the MPD's target latency (its default catch-up), so two players converge to the same
#     latency whatever their joins, and the per-pair glass-to-glass difference shows the edge hop
#     rather than the joins; SETTLE (default 30 s for dash.js, 5 s for hls.js) lets them converge
#     before sampling. The background viewers of LATENCY_VIEWERS stay LL-HLS viewers.
#     Both modes also report glass-to-glass minus hls.js's own latency (hls.js measures its latency
#     from the newest playlist's live edge, so the difference is how old that edge was when the
#     playlist reached the player: capture, encode, packaging and the blocking reload's delivery,
#     where an edge's hop shows); it does not depend on the join.
#     (for dash.js: minus dash.js's own latency, measured from the MPD's availability times).
# Usage (repository root, after mvn package; PLAYER=dashjs also after `npm ci` in src/test/js):
#   loadtest/bench/edge.sh [SECONDS] [ROUNDS] [JOINS] [WATCH]
# VIEWER_COUNTS="10 100 1000" (default) sets the counts, WARM=20 the uncounted warm-up (100 viewers, s);
# ARRIVAL=SECONDS (default 0: off) adds, at each LATENCY_VIEWERS count after the joins, PartArrival.java:
# two player-like clients, one direct and one through the edge, fetching each preload-hinted part at
# the same moment for SECONDS; per part, edge - direct of the moments its last byte arrived (what the
# edge adds to the time a part can be shown, independent of any player's join); JOINS=0 runs it alone.
# LATENCY=0 / LOAD=0 skip a part; LATENCY_VIEWERS="0 10 100" runs (b) once per count with that many of
# (a)'s viewers on the edge (the edge's req/s over the joins is printed, to show they were served).
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
PAIRED=${PAIRED:-1}
PLAYER=${PLAYER:-hlsjs}
SETTLE=${SETTLE:-$([ "$PLAYER" = dashjs ] && echo 30 || echo 5)}
DASHJS=src/test/js/node_modules/dashjs/dist/modern/umd/dash.all.min.js
JAR=${JAR:-target/headwater.jar}
HTTP_PORT=${HTTP_PORT:-18088}
RTMP_PORT=${RTMP_PORT:-11943}
METRICS_PORT=${METRICS_PORT:-$((HTTP_PORT + 100))}
EDGE_PORT=${EDGE_PORT:-18098}
PAGE_HTTP=${PAGE_HTTP:-18106}
BENCH=$(dirname "$0")
command -v varnishd > /dev/null || { echo "needs varnish: apt-get install varnish" >&2; exit 1; }
[ -f "$JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
[ "$PLAYER" != dashjs ] || [ -f "$DASHJS" ] || { echo "install the current dash.js first: (cd src/test/js && npm ci)" >&2; exit 1; }
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
echo "date: $(date -u +%FT%TZ)  machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), $(uname -r)  $(varnishd -V 2>&1 | head -1 | grep -o 'varnish-[0-9.]*')  origin: passthrough  ${SECONDS_PER_ROUND}s per round (first ${WARMUP}s not counted) x $ROUNDS rounds; latency: $JOINS $([ "$PAIRED" != 0 ] && echo "pairs (direct and edge at once)" || echo "joins per side, alternating"), ${WATCH}s each, at $LATENCY_VIEWERS viewers on the edge"

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
  probe() { java -Dlogback.configurationFile=/dev/null -Dsettle.seconds="$SETTLE" -cp "$(cat "$CP")" "$BENCH/LatencyProbe.java" "$@" 2> /dev/null | grep -E 'played=|^pair ' || echo "$1 failed"; }
  mkdir -p "$WORK/page"
  if [ "$PLAYER" = dashjs ]; then
    cp src/test/resources/dash-player/index.html src/main/resources/webroot/clock.js "$WORK/page/"
    cp "$DASHJS" "$WORK/page/player.js"
  else
    cp src/test/resources/stock-player/index.html src/main/resources/webroot/clock.js "$WORK/page/"
    unzip -q -p "$(grep -o '[^:]*hls.js-1.4.12.jar' "$CP")" 'META-INF/resources/webjars/hls.js/1.4.12/dist/hls.min.js' > "$WORK/page/hls.js"
  fi
  (cd "$WORK/page" && exec python3 -m http.server "$PAGE_HTTP" --bind 127.0.0.1 > /dev/null 2>&1) & PIDS+=("$!")
  sleep 1
  enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
  if [ "$PLAYER" = dashjs ]; then
    url() { echo "http://127.0.0.1:$PAGE_HTTP/index.html?player=dashjs&src=$(enc "http://127.0.0.1:$1/live/demo/manifest.mpd")"; }
  else
    url() { echo "http://127.0.0.1:$PAGE_HTTP/index.html?src=$(enc "http://127.0.0.1:$1/live/demo/master.m3u8")"; }
  fi
  num() { grep "^$1" <<< "$3" | grep -o "$2=[0-9.]*" | cut -d= -f2 || true; }
  : > "$WORK/lat"
  for nv in $LATENCY_VIEWERS; do
    if [ "$nv" -gt 0 ]; then
      # Viewers on the edge for the whole latency part at this count (both sides' joins), as in (a).
      # Counted from 10 s on (when the joins start) until the joins end (stop file).
      rm -f "$WORK/stop"
      java -Daccept.gzip=true -Dstop.file="$WORK/stop" -Dorigin.metrics="http://127.0.0.1:$METRICS_PORT/metrics" \
        "$BENCH/LlHlsViewers.java" record "127.0.0.1:$EDGE_PORT" /live/demo/master.m3u8 \
        "$nv" 100000 10 "$WORK/bg" "$HW" > "$WORK/bg.out" 2> "$WORK/bg.err" &
      BG=$!; PIDS+=("$BG")
      sleep 10
    fi
    for j in $(seq "$JOINS"); do
      if [ "$PAIRED" != 0 ]; then
        # Which browser starts first alternates, so an order effect cancels over the pairs.
        if [ $((j % 2)) = 1 ]; then
          out=$(probe "direct@${nv}v#$j" "$(url $HTTP_PORT)" "$WATCH" "edge@${nv}v#$j" "$(url $EDGE_PORT)")
        else
          out=$(probe "edge@${nv}v#$j" "$(url $EDGE_PORT)" "$WATCH" "direct@${nv}v#$j" "$(url $HTTP_PORT)")
        fi
        echo "$out" | grep -v '^pair '
        gd=$(num direct g2g_median "$out"); ge=$(num edge g2g_median "$out")
        ld=$(num direct hlsjs_latency_median "$out"); le=$(num edge hlsjs_latency_median "$out")
        if [ -n "$gd" ] && [ -n "$ge" ] && [ -n "$ld" ] && [ -n "$le" ]; then
          echo "$nv $j $gd $ge $ld $le" >> "$WORK/lat"
          awk -v gd="$gd" -v ge="$ge" -v ld="$ld" -v le="$le" -v j="$j" -v nv="$nv" \
            'BEGIN { printf "pair %s at %s viewers: edge - direct glass-to-glass %+.0f ms, glass-to-glass minus player latency %+.0f ms\n", j, nv, 1000 * (ge - gd), 1000 * ((ge - le) - (gd - ld)) }'
        fi
      else
        for side in direct edge; do
          port=$HTTP_PORT; [ $side = edge ] && port=$EDGE_PORT
          out=$(probe "$side@${nv}v#$j" "$(url $port)" "$WATCH")
          echo "$out"
          g2g=$(num "$side" g2g_median "$out"); lat=$(num "$side" hlsjs_latency_median "$out")
          [ -n "$g2g" ] && [ -n "$lat" ] && echo "$nv $side $g2g $(echo "$g2g - $lat" | bc -l)" >> "$WORK/lat"
        done
      fi
    done
    if [ "${ARRIVAL:-0}" -gt 0 ]; then
      # Each part's arrival through the edge against straight from the origin (PartArrival.java),
      # with the same viewers on the edge.
      a=$(java "$BENCH/PartArrival.java" "http://127.0.0.1:$HTTP_PORT" "http://127.0.0.1:$EDGE_PORT" /live/demo/master.m3u8 "$ARRIVAL" \
        2> /dev/null | grep '^part_arrival' || echo "part_arrival failed")
      echo "$nv viewers on the edge, $a"
    fi
    bg="no viewers"
    if [ "$nv" -gt 0 ]; then
      touch "$WORK/stop"
      for _ in $(seq 120); do kill -0 "$BG" 2> /dev/null || break; sleep 1; done
      kill "$BG" 2> /dev/null || true; wait "$BG" 2> /dev/null || true; rm -rf "$WORK/bg"
      L=$(cat "$WORK/bg.out")
      [ -n "$L" ] || { echo "background viewers failed:" >&2; tail -5 "$WORK/bg.err" >&2; }
      bg="the viewers' $(field rps "$L") req/s ($(field errors "$L") errors), origin $(field origin_rps "$L") req/s"
    fi
    # The summary of this count now, so that a run cut short still reports the counts it finished.
    echo "$nv viewers on the edge during the joins: $bg"
    if [ "$PAIRED" != 0 ]; then
      # Per level: the median and spread of the pairs' differences, and a distribution-free 95 %
      # confidence interval of that median (order statistics of the binomial(n, 1/2) sign test).
      awk -v nv="$nv" '$1 == nv' "$WORK/lat" | python3 -c '
import math, sys
nv = sys.argv[1]
rows = [list(map(float, l.split()[2:])) for l in sys.stdin if l.strip()]
def med(v):
    v = sorted(v); n = len(v)
    return float("nan") if n == 0 else (v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2)
def q(v, p):
    v = sorted(v); x = p * (len(v) - 1); i = int(x)
    return v[i] if i + 1 >= len(v) else v[i] + (x - i) * (v[i + 1] - v[i])
def ci(v):
    v = sorted(v); n = len(v); k = 0
    while k + 1 <= n // 2 and sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n <= 0.025:
        k += 1
    return (v[k - 1], v[n - k]) if k > 0 else (float("nan"), float("nan"))
if not rows:
    print(f"{nv} viewers: no pair completed"); sys.exit()
g = [1000 * (r[1] - r[0]) for r in rows]
d = [1000 * ((r[1] - r[3]) - (r[0] - r[2])) for r in rows]
lo, hi = ci(g)
cis = f"CI (at least 95 %) of the median {lo:+.0f} to {hi:+.0f} ms" if lo == lo else "too few pairs for a 95 % CI (6 at least)"
print(f"{nv} viewers, {len(rows)} pairs: direct glass-to-glass median {med([r[0] for r in rows]):.3f} s (joins {min(r[0] for r in rows):.3f}-{max(r[0] for r in rows):.3f} s), edge {med([r[1] for r in rows]):.3f} s")
print(f"{nv} viewers, {len(rows)} pairs: edge - direct glass-to-glass per pair: median {med(g):+.0f} ms, middle half {q(g, .25):+.0f} to {q(g, .75):+.0f} ms, range {min(g):+.0f} to {max(g):+.0f} ms, {cis}; glass-to-glass minus player latency per pair: median {med(d):+.0f} ms, range {min(d):+.0f} to {max(d):+.0f} ms")
' "$nv"
    else
      declare -A g d
      for side in direct edge; do
        g[$side]=$(awk -v nv="$nv" -v s="$side" '$1 == nv && $2 == s {print $3}' "$WORK/lat" | median)
        d[$side]=$(awk -v nv="$nv" -v s="$side" '$1 == nv && $2 == s {print $4}' "$WORK/lat" | median)
        printf '%s viewers: median %-6s glass-to-glass %.3f s, glass-to-glass minus player latency %.3f s (%s joins)\n' "$nv" "$side" "${g[$side]}" "${d[$side]}" \
          "$(awk -v nv="$nv" -v s="$side" '$1 == nv && $2 == s' "$WORK/lat" | wc -l)"
      done
      awk -v nv="$nv" -v ge="${g[edge]}" -v gd="${g[direct]}" -v de="${d[edge]}" -v dd="${d[direct]}" \
        'BEGIN { printf "%s viewers: edge adds (edge - direct, difference of medians): glass-to-glass %+.0f ms, glass-to-glass minus player latency %+.0f ms\n", nv, 1000 * (ge - gd), 1000 * (de - dd) }'
    fi
  done
fi
echo "end: $(date -u +%FT%TZ)"
