#!/usr/bin/env bash
# CamRelay load benchmark (issues 6, 15): N simulated 1080p25 4 Mbit/s cameras relayed to nginx-rtmp by CamRelay, by
# the zero-logic limit relay (bench: LimitRelay) and by N `ffmpeg -c:v copy` + silent-AAC processes. See bench/README.md.
#
#   bench/load.sh [--offline] [N ...]  default N: 10 100 200 300; on a fresh machine it resolves what the build needs
#                                    (JMH, Camel, ...) from Maven Central; --offline (or OFFLINE=1) builds with mvn -o
#   MVN_ARGS="..."                   extra arguments for every mvn call, e.g. -Dmaven.repo.local=/tmp/m2
#   WARMUP=30 DURATION=60            seconds of warm-up (JIT settled), then of measurement, per side and N
#   SIDES=camrelay,limit,ffmpeg      the sides to run (default all three); FFMPEG_MAX_N=100 skips ffmpeg above it
#   RELAY_JAVA_OPTS="..."            JVM options added to bin/camrelay's own (CAMRELAY_JAVA_OPTS); default none
#   CAMRELAY_JAR=path                the camrelay.jar to measure (default target/camrelay.jar; e.g. an older build)
#   JFR=1                            record the relay with JDK Flight Recorder (bench/target/load/*.jfr)
#   BUILD=0                          skip building CamRelay and bench/target/benchmarks.jar
#   CAMRELAY_ONLY=1                  only the CamRelay side, figures as JSON, no table (profiling runs)
#
# Prints one table and writes it to bench/results/<date>.md. Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
offline=${OFFLINE:-0}
args=()
for arg in "$@"; do
  case $arg in
    --offline) offline=1 ;;
    *) args+=("$arg") ;;
  esac
done
if [ "${BUILD:-1}" = 1 ]; then
  mvn_opts=(-B -q)
  if [ "$offline" = 1 ]; then
    mvn_opts+=(-o)
  fi
  # shellcheck disable=SC2206 # MVN_ARGS is split at spaces on purpose
  mvn_opts+=(${MVN_ARGS:-})
  # install: the bench module depends on the camrelay artifact in the (possibly fresh) local repository
  mvn "${mvn_opts[@]}" install -Dmaven.test.skip=true
  mvn "${mvn_opts[@]}" -f bench/pom.xml package
fi
exec python3 bench/load.py ${args[@]+"${args[@]}"}
