#!/usr/bin/env bash
# CamRelay load benchmark (issue 6): N simulated 1080p25 4 Mbit/s cameras relayed by CamRelay to nginx-rtmp, against
# N `ffmpeg -c:v copy` + silent-AAC relays of the same clip. See bench/README.md.
#
#   bench/load.sh [N ...]            default: 10 50 100
#   WARMUP=45 DURATION=60            seconds of warm-up (JIT settled), then of measurement, per side and N
#   RELAY_JAVA_OPTS="..."            JVM options added to bin/camrelay's own (CAMRELAY_JAVA_OPTS); default none
#   CAMRELAY_JAR=path                the camrelay.jar to measure (default target/camrelay.jar; e.g. an older build)
#   JFR=1                            record the relay with JDK Flight Recorder (bench/target/load/*.jfr)
#   BUILD=0                          skip building CamRelay and bench/target/benchmarks.jar
#   CAMRELAY_ONLY=1                  only the CamRelay side, figures as JSON, no table (profiling runs)
#
# Prints one table and writes it to bench/results/<date>.md. Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BUILD:-1}" = 1 ]; then
  mvn -B -o -q install -DskipTests
  mvn -B -o -q -f bench/pom.xml package
fi
exec python3 bench/load.py "$@"
