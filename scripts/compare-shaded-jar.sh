#!/usr/bin/env bash
# Compares the shaded jar (target/camrelay.jar) built from a git revision with the one built from the working tree
# (or from a second revision): entry list, manifest, and every entry's CRC. CamRelay ships that jar, so a change to
# how the dependencies are declared (optional, order) must leave it as it was.
#
#   scripts/compare-shaded-jar.sh BASE [OTHER]     e.g. scripts/compare-shaded-jar.sh HEAD~1
#
# The jar's copy of the project's own pom (META-INF/maven/io.camrelay/camrelay/pom.xml) is expected to differ when
# the pom did, and is only reported. Exit status: 0 when everything else is the same, 1 when not, 2 on a usage or
# build error. Builds offline (mvn -o) without tests; about 15 s per build.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 BASE [OTHER]   (git revisions; OTHER defaults to the working tree)" >&2
  exit 2
fi
base=$1
other=${2:-}
own_pom=META-INF/maven/io.camrelay/camrelay/pom.xml

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# build DIR: package DIR's project without tests, quietly, offline
build() {
  if ! mvn -o -q -B -f "$1/pom.xml" package -DskipTests >"$work/build.log" 2>&1; then
    echo "build of $2 failed:" >&2
    tail -40 "$work/build.log" >&2
    exit 2
  fi
}

# jar_of REV NAME: the shaded jar of git revision REV, copied to $work/NAME.jar
jar_of() {
  mkdir -p "$work/$2"
  git archive "$1" | tar -x -C "$work/$2"
  build "$work/$2" "$1"
  cp "$work/$2/target/camrelay.jar" "$work/$2.jar"
}

jar_of "$base" base
if [ -n "$other" ]; then
  jar_of "$other" other
  other_name=$other
else
  build . "the working tree"
  cp target/camrelay.jar "$work/other.jar"
  other_name="the working tree"
fi

# entries JAR: "name crc" per file entry, sorted (unzip -v columns: length method size ratio date time crc name)
entries() {
  unzip -v "$1" | awk 'NR > 3 && length($7) == 8 && $8 != "" { print $8, $7 }' | sort
}
entries "$work/base.jar" >"$work/base.crc"
entries "$work/other.jar" >"$work/other.crc"
cut -d' ' -f1 "$work/base.crc" >"$work/base.names"
cut -d' ' -f1 "$work/other.crc" >"$work/other.names"

status=0
only_base=$(comm -23 "$work/base.names" "$work/other.names")
only_other=$(comm -13 "$work/base.names" "$work/other.names")
changed=$(join "$work/base.crc" "$work/other.crc" | awk '$2 != $3 { print $1 }' | grep -vxF "$own_pom" || true)

echo "shaded jar of $base: $(wc -l <"$work/base.names") entries; of $other_name: $(wc -l <"$work/other.names")"
if [ -n "$only_base" ]; then
  status=1
  echo "only in $base:"; echo "$only_base" | sed 's/^/  /'
fi
if [ -n "$only_other" ]; then
  status=1
  echo "only in $other_name:"; echo "$only_other" | sed 's/^/  /'
fi
if [ -n "$changed" ]; then
  status=1
  echo "same name, different content:"; echo "$changed" | sed 's/^/  /'
fi
if ! diff <(unzip -p "$work/base.jar" META-INF/MANIFEST.MF) <(unzip -p "$work/other.jar" META-INF/MANIFEST.MF) \
    >"$work/manifest.diff"; then
  status=1
  echo "manifests differ:"; sed 's/^/  /' "$work/manifest.diff"
fi
if join "$work/base.crc" "$work/other.crc" | awk -v p="$own_pom" '$1 == p && $2 != $3 { found = 1 } END { exit !found }'; then
  echo "note: $own_pom differs (the project's pom changed)"
fi
if [ "$status" = 0 ]; then
  echo "same entries, manifest and content"
fi
exit "$status"
