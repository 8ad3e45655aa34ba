#!/usr/bin/env bash
# Coverage-guided fuzzing of CamRelay's parsers with Jazzer (docs/fuzzing.md):
#
#   scripts/fuzz.sh [target|all] [executions]     e.g. scripts/fuzz.sh amf0 1000000     (default: all, 1000000)
#   scripts/fuzz.sh list
#
# Runs one target at a time (each is CPU-heavy; libFuzzer fuzzes one @FuzzTest per JVM) for the given number of
# executions, grows its corpus in src/test/fuzz/<target>/ (commit it), writes any crash reproducer into the
# target's src/test/resources/.../<Class>Inputs/<target>/ (the normal build then runs it as a regression test), and
# prints executions, coverage edges and findings per target. Exits non-zero when a target had a finding.
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A TARGETS=(
  [genericByteData]=io.camrelay.media.GenericByteDataFuzzTest
  [annexB]=io.camrelay.media.AnnexBFuzzTest
  [h264Parsers]=io.camrelay.media.H264ParsersFuzzTest
  [amf0]=io.camrelay.media.Amf0FuzzTest
  [imageServerDecoder]=io.camrelay.imageserver.codec.ImageServerDecoderFuzzTest
  [rtmpChunksAndMessages]=io.camrelay.rtmp.chunk.RtmpChunkDecoderFuzzTest
  [soapResponses]=io.camrelay.vms.SoapResponsesFuzzTest
  [streamsFile]=io.camrelay.streams.StreamsFileFuzzTest
)
ORDER=(genericByteData annexB h264Parsers amf0 imageServerDecoder rtmpChunksAndMessages soapResponses streamsFile)

target=${1:-all}
runs=${2:-1000000}
if [ "$target" = list ]; then
  printf '%s\n' "${ORDER[@]}"
  exit 0
fi
if [ "$target" = all ]; then
  selected=("${ORDER[@]}")
elif [ -n "${TARGETS[$target]:-}" ]; then
  selected=("$target")
else
  echo "scripts/fuzz.sh: unknown target '$target'; one of: ${ORDER[*]} (or all)" >&2
  exit 2
fi

mvn -B -q -o test-compile >/dev/null
status=0
printf '| target | executions | coverage edges | features | corpus | findings | seconds |\n|---|---|---|---|---|---|---|\n'
for t in "${selected[@]}"; do
  class=${TARGETS[$t]}
  seeds="src/test/resources/$(echo "$class" | tr . /)Inputs/$t"
  corpus="src/test/fuzz/$t"
  mkdir -p "$corpus"
  before=$(ls "$seeds" | grep -c '^crash-' || true)
  log="target/fuzz-$t.log"
  start=$(date +%s)
  # JAZZER_FUZZ: fuzz instead of running the seeds; hooks back on (the normal build turns them off); coverage of
  # CamRelay's classes only; libFuzzer arguments: the corpus directory to grow, the executions, 10 s per input at
  # most. Netty's leak detector samples (PARANOID would record every byte read); the heap is bounded so that an
  # unbounded allocation is found as an OutOfMemoryError.
  set +e
  JAZZER_FUZZ=1 mvn -B -o test -Dtest="$class#$t" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.hooks=true -Djazzer.instrumentation_includes='io.camrelay.**' \
      -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1="$PWD/$corpus" -Djazzer.internal.arg.2=-runs="$runs" \
      -Djazzer.internal.arg.3=-timeout=10 -Djazzer.internal.arg.4=-print_final_stats=1 \
      -Dnetty.leak.level=simple -DargLine=-Xmx1g >"$log" 2>&1
  result=$?
  set -e
  seconds=$(( $(date +%s) - start ))
  out="target/surefire-reports/$class-output.txt"
  [ -f "$out" ] && cat "$out" >>"$log"
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  [ -n "$done_line" ] || done_line=$(grep -E '^#[0-9]+[[:space:]]' "$log" | tail -1 || true)
  executions=$(echo "$done_line" | sed -E 's/^#([0-9]+).*/\1/')
  edges=$(echo "$done_line" | sed -nE 's/.* cov: ([0-9]+).*/\1/p')
  features=$(echo "$done_line" | sed -nE 's/.* ft: ([0-9]+).*/\1/p')
  files=$(ls "$corpus" | wc -l)
  after=$(ls "$seeds" | grep -c '^crash-' || true)
  findings=$(( after - before ))
  if [ "$result" -ne 0 ] && [ "$findings" -eq 0 ]; then
    findings="run failed (see $log)"
  fi
  [ "$result" -eq 0 ] || status=1
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$t" "${executions:-?}" "${edges:-?}" "${features:-?}" "$files" \
      "$findings" "$seconds"
done
exit $status
