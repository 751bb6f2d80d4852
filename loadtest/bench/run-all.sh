#!/usr/bin/env bash
# Runs every benchmark on this machine, one after another (they must not share the CPU), and prints
# a table at the end. Takes about an hour on 2 cores. Output of each benchmark is kept in
# target/bench/*.txt. Usage (repository root): loadtest/bench/run-all.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
mkdir -p target/bench
mvn -B -q package -DskipTests
B=loadtest/bench
run() { local name=$1; shift; echo "== $name: $*"; "$@" 2>&1 | tee "target/bench/$name.txt"; }
run ladder-cpu bash $B/ladder-cpu.sh 60
run recording-cost bash $B/recording-cost.sh 40 3
run s3-upload bash $B/s3-upload.sh 300 512 1
run serving-2 bash $B/serving.sh 20 100 2
run serving-1 bash $B/serving.sh 20 100 1
run serving-4 bash $B/serving.sh 20 100 4
run serving-llhls bash $B/serving-llhls.sh 3 20 300
run fanout bash $B/fanout.sh 50 10
run capacity bash $B/capacity.sh 250 20 8 "ladder passthrough"
run latency bash $B/latency-peers.sh 60
run hostile bash $B/hostile.sh 20 100 10000 1000 1000
run latency-dash bash $B/latency-dash.sh 60 2
run stream-fanout bash $B/stream-fanout.sh 1000 10
run edge bash $B/edge.sh 30 2 4 20
run cluster-forward bash $B/cluster-forward.sh 200 30 3

T=target/bench
field() { grep -m1 "$2" "$T/$1.txt" | awk -v col="$3" '{print $col}'; }
echo
echo "| benchmark | figure |"
echo "| --- | --- |"
for n in 2 1 4; do
  echo "| serving, $n instance(s): headwater req/s, p99 | $(grep -m1 '^headwater' $T/serving-$n.txt | awk '{print $(NF-2), $(NF-1)}') |"
  echo "| serving, $n worker(s): nginx req/s, p99 | $(grep -m1 '^nginx' $T/serving-$n.txt | awk '{print $(NF-2), $(NF-1)}') |"
  echo "| serving, ratio headwater/nginx ($n) | $(grep -m1 '^ratio' $T/serving-$n.txt | awk '{print $NF}') |"
done
grep -E '^[0-9]+ +(headwater|nginx) ' $T/serving-llhls.txt | awk '{print "| serving LL-HLS round " $1 ", " $2 ": resp/s, µs CPU/response (net of ingest) | " $3 ", " $5 " (" $6 ") |"}'
echo "| serving LL-HLS, ratio headwater/nginx CPU per response | $(grep -m1 '^ratio' $T/serving-llhls.txt | sed 's/.*: //') |"
grep -E '^(fanout|h2floor|floor)' $T/fanout.txt | sed 's/^/| /; s/$/ | |/'
grep -E '^(== mode|STEP|SUMMARY)' $T/capacity.txt | sed 's/^/| /; s/$/ | |/'
grep -E "^[a-z]+: viewers' part lag" $T/hostile.txt | sed 's/^/| hostile, /; s/$/ | |/'
grep 'played=' $T/latency.txt | sed 's/^/| /; s/$/ | |/'
grep -E 'CPU|speed' $T/ladder-cpu.txt | sed 's/^/| /; s/$/ | |/'
grep -E '^median' $T/recording-cost.txt | sed 's/^/| recording cost, /; s/$/ | |/'
grep -E '^best' $T/s3-upload.txt | sed 's/^/| recording upload, /; s/$/ | |/'
grep -E '^median viewers' $T/edge.txt | sed 's/^median /| Varnish edge, /; s/$/ | |/'
grep -E '^edge adds' $T/edge.txt | sed 's/^/| Varnish /; s/$/ | |/'
