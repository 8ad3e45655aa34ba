#!/usr/bin/env bash
# Heap held by Mp4Writer over recording length: bench/mp4-memory.sh [minutes[:kbit/s] ...], default 10 60 1440:64.
# Plain Java, no JMH: compiles CamRelay (offline) and this one class, runs it with a 64 MiB heap (a writer whose memory
# grew with the recording would not get through 60 minutes in it). JOL measures the writer's object graph when
# jol-core is in the local Maven repository. Results: stdout and bench/results/<date>-mp4-memory.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -o -B -q compile
classes=bench/target/mp4-memory-classes
mkdir -p "$classes"
javac -d "$classes" -cp target/classes bench/src/main/java/io/camrelay/bench/Mp4WriterMemory.java
cp="target/classes:$classes"
jol=$(ls "$HOME"/.m2/repository/org/openjdk/jol/jol-core/*/jol-core-*.jar 2>/dev/null | tail -1 || true)
if [ -n "$jol" ]; then cp="$cp:$jol"; fi
exec java -Xmx64m -Djdk.attach.allowAttachSelf=true -cp "$cp" io.camrelay.bench.Mp4WriterMemory "$@"
