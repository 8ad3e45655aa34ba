#!/usr/bin/env bash
# Runs the JMH micro-benchmarks: bench/run.sh [--offline] [JMH options], e.g. bench/run.sh MediaPath -f 1 -wi 3 -i 5
# Builds CamRelay, installs it in the local Maven repository for the bench module (resolving JMH and the rest from
# Maven Central on a fresh machine; --offline or OFFLINE=1: mvn -o), then runs JMH. MVN_ARGS: extra mvn arguments.
set -euo pipefail
cd "$(dirname "$0")/.."
offline=${OFFLINE:-0}
if [ "${1:-}" = --offline ]; then
  offline=1
  shift
fi
mvn_opts=(-B -q)
if [ "$offline" = 1 ]; then
  mvn_opts+=(-o)
fi
# shellcheck disable=SC2206 # MVN_ARGS is split at spaces on purpose
mvn_opts+=(${MVN_ARGS:-})
mvn "${mvn_opts[@]}" install -Dmaven.test.skip=true
mvn "${mvn_opts[@]}" -f bench/pom.xml package
exec java -jar bench/target/benchmarks.jar "$@"
