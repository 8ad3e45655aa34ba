#!/usr/bin/env bash
# The test command (README): installs the real servers and tools the tests use when they are missing, then runs
# every unit test (surefire) and integration test (failsafe, *IT) with `mvn -B verify`.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests run for real: ffmpeg/ffprobe decode what arrived, nginx + RTMP module is the RTMP server,
# stunnel fronts it for RTMPS (with a certificate made by openssl), chromium runs the console (driven over the DevTools protocol from Java: no npm package).
PACKAGES=(ffmpeg nginx libnginx-mod-rtmp stunnel4 chromium openssl)

missing=()
command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
[ -f /usr/lib/nginx/modules/ngx_rtmp_module.so ] || missing+=(libnginx-mod-rtmp)
command -v stunnel4 >/dev/null 2>&1 || command -v stunnel >/dev/null 2>&1 || missing+=(stunnel4)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "scripts/test.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "scripts/test.sh: the tests need ${missing[*]}, which are not installed." >&2
    echo "Install them with:  sudo apt-get install -y ${PACKAGES[*]}" >&2
    exit 1
  fi
fi

for tool in java mvn; do
  command -v "$tool" >/dev/null 2>&1 || { echo "scripts/test.sh: $tool is not installed (Java 17 and Maven 3.8+ are needed)" >&2; exit 1; }
done

exec mvn -B verify "$@"
