#!/usr/bin/env bash
# Serving CPU per response against nginx under LL-HLS viewer load (issue 10).
#
# What is compared: the CPU time the server process spends per HTTP response (utime + stime from
# /proc/PID/stat; for nginx the master and all workers) while VIEWERS hls.js-like viewers load it.
#  (a) Headwater serving a live stream: the demo test pattern published over RTMP (nice 19, passed
#      through, HEADWATER_FFMPEG_PASSTHROUGH=true, so no encoder competes for the cores). Each viewer
#      (LlHlsViewers.java record) does what hls.js does in low-latency mode: multivariant, then a loop of
#      blocking reloads (_HLS_msn/_HLS_part of the next part) and the part each one names, a
#      completed segment now and then (one viewer in eight per segment) and the multivariant playlist
#      every 100 reloads. Every body received is stored, and every request is logged.
#  (b) nginx (Debian; sendfile, open-file cache, no access log, as many workers as Headwater has HTTP
#      instances) serving those same bytes from files, driven by the same program (LlHlsViewers.java
#      replay) over the same number of keep-alive connections with the same URLs in the same order at
#      the same times (a blocking reload is sent when Headwater answered it: a static server cannot
#      block, so it answers at once, when Headwater did).
# Why it is fair: same request lines, same bodies, same connections, same request rate, same client,
# same cores, measured alternately in the same run (ROUNDS alternations). What is not the same and is
# Headwater's job, not nginx's: Headwater also ingests the stream (RTMP, fMP4 parts, playlists; its
# CPU with no viewer is measured first and subtracted in the "net" column) and parks blocking
# requests (timers, wake passes). Headers differ a little (Headwater's Vary, Cache-Control values).
# Usage (repository root, after mvn package): loadtest/bench/serving-llhls.sh [ROUNDS] [SECONDS] [VIEWERS]
# PROFILE=1 also records a JFR profile of Headwater (printed path; read it with `jfr print`).
set -euo pipefail
ROUNDS=${1:-3}
DURATION=${2:-20}
VIEWERS=${3:-400}
WARMUP=${WARMUP:-5}
INSTANCES=${INSTANCES:-2}
NICE=${NICE:-19}
JAR=${JAR:-target/headwater.jar}
HTTP_PORT=${HTTP_PORT:-18083}
RTMP_PORT=${RTMP_PORT:-11938}
NGINX_PORT=${NGINX_PORT:-18093}
METRICS_PORT=${METRICS_PORT:-$((HTTP_PORT + 100))}
BENCH=$(dirname "$0")
command -v nginx > /dev/null || { echo "needs nginx: apt-get install nginx" >&2; exit 1; }
[ -f "$JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)"
WORK=$(mktemp -d)
HW= PUB= NG=
cleanup() {
  for p in $PUB $NG $HW; do kill "$p" 2> /dev/null || true; done
  wait 2> /dev/null || true
  [ "${KEEP:-0}" = 1 ] && echo "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT
if curl -s -o /dev/null "http://127.0.0.1:$HTTP_PORT/health"; then
  echo "port $HTTP_PORT is busy: stop what listens there or set HTTP_PORT" >&2; exit 1
fi
JFR=
[ "${PROFILE:-0}" = 1 ] && JFR="-XX:StartFlightRecording=filename=$WORK/headwater.jfr,settings=profile"
# The load generator is one address standing for all viewers, as a CDN edge is: trusted, so the
# per-client shares of parked requests do not apply to it.
HEADWATER_HTTP_PORT=$HTTP_PORT HEADWATER_RTMP_PORT=$RTMP_PORT HEADWATER_HTTP_HOST=127.0.0.1 HEADWATER_RTMP_HOST=127.0.0.1 \
  HEADWATER_METRICS_PORT=$METRICS_PORT HEADWATER_HTTP_TRUSTED_CLIENTS=127.0.0.1 HEADWATER_HTTP_INSTANCES=$INSTANCES \
  HEADWATER_FFMPEG_PASSTHROUGH=true java -Xmn1g $JFR -Dbench.marker=serving-llhls -jar "$JAR" > "$WORK/headwater.log" 2>&1 &
HW=$!
for _ in $(seq 60); do curl -s -o /dev/null "http://127.0.0.1:$HTTP_PORT/health" && break; sleep 1; done
nice -n "$NICE" java -jar "$JAR" --demo-publish "rtmp://127.0.0.1:$RTMP_PORT/live/demo" > "$WORK/publisher.log" 2>&1 &
PUB=$!
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$HTTP_PORT/live/demo/master.m3u8" > /dev/null && break; sleep 1; done
sleep 3

mkdir -p "$WORK/cap/www" "$WORK/tmp"
chmod -R a+rX "$WORK"  # nginx workers run as an unprivileged user
cat > "$WORK/nginx.conf" << EOF
worker_processes $INSTANCES;
pid $WORK/nginx.pid;
error_log $WORK/error.log warn;
daemon off;
events { worker_connections 4096; multi_accept on; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 60;
  keepalive_requests 1000000;
  open_file_cache max=100000 inactive=60s;
  open_file_cache_valid 60s;
  types { video/iso.segment m4s; video/mp4 mp4; application/vnd.apple.mpegurl m3u8; }
  client_body_temp_path $WORK/tmp;
  proxy_temp_path $WORK/tmp;
  fastcgi_temp_path $WORK/tmp;
  uwsgi_temp_path $WORK/tmp;
  scgi_temp_path $WORK/tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT reuseport;
    root $WORK/cap/www;
    location ~ \.m3u8\$ {
      # Playlists were stored as PATH.MSN.PART (empty when the request had no directive).
      default_type application/vnd.apple.mpegurl;
      add_header Cache-Control "no-cache";
      try_files \$uri.\$arg__HLS_msn.\$arg__HLS_part =404;
    }
    location / { add_header Cache-Control "public, max-age=72, immutable"; }
  }
}
EOF
nginx -c "$WORK/nginx.conf" &
NG=$!
sleep 1
NG_PIDS=$(echo $NG $(pgrep -P $NG) | tr ' ' ',')

# JIT warm-up of Headwater and the client, not counted (C2 still compiles for ~30 s on 2 busy cores).
java "$BENCH/LlHlsViewers.java" record "127.0.0.1:$HTTP_PORT" /live/demo/master.m3u8 "$VIEWERS" 30 30 "$WORK/cap" "$HW" > /dev/null
# Headwater's own cost with no viewer (ingest, timers), once warm: subtracted in the "net" column.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
sleep 2; t0=$(ticks $HW); sleep 10; t1=$(ticks $HW)
IDLE_MS_PER_S=$(( (t1 - t0) * 10 / 10 ))

field() { awk -v k="$1" '{for (i = 1; i < NF; i++) if ($i == k) print $(i + 1)}' <<< "$2"; }
echo "date: $(date -u +%FT%TZ)  machine: $(nproc) cores, $(uname -r)  viewers: $VIEWERS  ${DURATION}s per side (first ${WARMUP}s not counted)  instances/workers: $INSTANCES  headwater idle: ${IDLE_MS_PER_S} ms CPU/s"
printf '%-6s %-10s %10s %10s %12s %12s %8s %12s\n' round server "resp/s" "CPU ms" "µs/resp" "net µs/resp" errors "client µs/r"
RATIOS=()
for r in $(seq "$ROUNDS"); do
  H=$(java "$BENCH/LlHlsViewers.java" record "127.0.0.1:$HTTP_PORT" /live/demo/master.m3u8 "$VIEWERS" "$DURATION" "$WARMUP" "$WORK/cap" "$HW")
  chmod -R a+rX "$WORK/cap"
  N=$(java "$BENCH/LlHlsViewers.java" replay "127.0.0.1:$NGINX_PORT" "$WORK/cap" "$WARMUP" "$NG_PIDS")
  for side in headwater nginx; do
    [ $side = headwater ] && L=$H || L=$N
    resp=$(field responses "$L"); secs=$(field seconds "$L"); cpu=$(field cpu_ms "$L")
    idle=0; [ $side = headwater ] && idle=$IDLE_MS_PER_S
    awk -v r="$r" -v s=$side -v rps="$(field rps "$L")" -v cpu="$cpu" -v us="$(field us_per_response "$L")" \
      -v resp="$resp" -v secs="$secs" -v idle="$idle" -v err="$(field errors "$L")" -v cl="$(field client_cpu_ms "$L")" \
      'BEGIN { printf "%-6s %-10s %10s %10s %12s %12.1f %8s %12.1f\n", r, s, rps, cpu, us, (cpu - idle * secs) * 1000 / resp, err, cl * 1000 / resp }'
  done
  RATIOS+=("$(awk -v a="$(field us_per_response "$H")" -v b="$(field us_per_response "$N")" 'BEGIN { printf "%.2f", a / b }')")
done
echo "ratio headwater/nginx CPU per response (gross), per round: ${RATIOS[*]}"
if [ -n "$JFR" ]; then
  jcmd $HW JFR.dump filename="$WORK/headwater.jfr" > /dev/null
  cp "$WORK/headwater.jfr" "${JFR_OUT:-/tmp/serving-llhls.jfr}"
  echo "JFR: ${JFR_OUT:-/tmp/serving-llhls.jfr}"
fi
