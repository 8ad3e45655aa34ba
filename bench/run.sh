#!/usr/bin/env bash
# Runs the JMH micro-benchmarks: bench/run.sh [JMH options], e.g. bench/run.sh MediaPath -f 1 -wi 3 -i 5
# Builds CamRelay, installs it in the local Maven repository for the bench module, then runs JMH.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests
mvn -B -q -f bench/pom.xml package
exec java -jar bench/target/benchmarks.jar "$@"
