#!/usr/bin/env bash
# Upload throughput of the recording backends in one run: S3Store against a real S3 API (s3proxy on
# loopback, files on this disk) beside LocalDiskStore on the same disk (the reference).
# Usage: loadtest/bench/s3-upload.sh [OBJECTS] [KB] [THREADS]   (from the repository root, after
# mvn package: it needs target/classes)
set -euo pipefail
[ -d target/classes/dev/headwater/record ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }
CP=$(mktemp)
trap 'rm -f "$CP"' EXIT
mvn -B -q dependency:build-classpath -Dmdep.scope=test -Dmdep.outputFile="$CP" > /dev/null
java -Dlogback.configurationFile=/dev/null -cp "$(cat "$CP"):target/classes" loadtest/bench/S3Upload.java \
  "${1:-300}" "${2:-512}" "${3:-1}" 2>/dev/null
