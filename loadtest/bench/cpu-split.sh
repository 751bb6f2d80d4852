#!/usr/bin/env bash
# Prints, every INTERVAL seconds until killed, where this machine's CPU goes while a benchmark runs:
# the Headwater JVM, its FFmpeg children, and everything else (the load generator, mostly), in % of one
# core, with Headwater's HTTP responses/s (from /metrics, on the operator listener) and its CPU time per response. On a 2-core
# machine the load generator shares the cores with the server; these lines say who used them.
# Usage: loadtest/bench/cpu-split.sh HEADWATER_PID METRICS_PORT [INTERVAL]
set -uo pipefail
HW=$1; PORT=$2; INTERVAL=${3:-10}
HZ=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
children() { local s=0; for c in $(pgrep -P "$HW"); do s=$((s + $(ticks "$c"))); done; echo $s; }
busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
responses() { curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^headwater_http_responses_total/ {s += $2} END {printf "%d", s}'; }
h0=$(ticks "$HW"); c0=$(children); b0=$(busy); r0=$(responses); t=0
while kill -0 "$HW" 2> /dev/null; do
  sleep "$INTERVAL"; t=$((t + INTERVAL))
  h1=$(ticks "$HW"); c1=$(children); b1=$(busy); r1=$(responses)
  awk -v t=$t -v i="$INTERVAL" -v hz="$HZ" -v h=$((h1 - h0)) -v c=$((c1 - c0)) -v b=$((b1 - b0)) -v r=$((r1 - r0)) 'BEGIN {
    hw = 100 * h / hz / i; ff = 100 * c / hz / i; rest = 100 * (b - h - c) / hz / i; rps = r / i
    printf "CPU +%ds: headwater %.0f%% ffmpeg %.0f%% rest %.0f%% (100%% = one core); headwater %.0f responses/s, %.0f us CPU per response\n",
      t, hw, ff, rest, rps, (rps >= 1 ? 1e6 * h / hz / r : 0) }'
  h0=$h1; c0=$c1; b0=$b1; r0=$r1
done
