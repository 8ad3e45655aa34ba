#!/bin/sh
# Generates the clips the simulated XProtect cameras play (io.camrelay.simulator.SimulatorClip) into
# src/main/resources/simulator/clips/. Run once; the output is committed so builds need no ffmpeg.
# Each clip is a raw elementary stream (Annex B, or concatenated JPEG frames), 6 s, 640x360.
set -eu
cd "$(dirname "$0")/.."
out=src/main/resources/simulator/clips
mkdir -p "$out"
src="testsrc2=size=640x360:rate=25"
common="-v error -y -f lavfi -i $src -t 6 -pix_fmt yuv420p"

# H.264 Constrained Baseline, 25 fps, GOP 50 (2 s), no B-frames: what most cameras send.
ffmpeg $common -c:v libx264 -profile:v baseline -g 50 -keyint_min 50 -sc_threshold 0 -bf 0 \
  -b:v 300k -maxrate 300k -bufsize 600k -f h264 "$out/h264-baseline-360p.h264"
# H.264 High with 2 B-frames: pictures arrive in decode order, reordering is needed.
ffmpeg $common -c:v libx264 -profile:v high -g 50 -keyint_min 50 -sc_threshold 0 -bf 2 \
  -b:v 300k -maxrate 300k -bufsize 600k -f h264 "$out/h264-high-bframes-360p.h264"
# H.265 Main, GOP 50, no B-frames: a camera CamRelay must refuse unless H.265 is allowed.
ffmpeg $common -c:v libx265 -x265-params keyint=50:min-keyint=50:bframes=0:scenecut=0:bitrate=300:log-level=error \
  -f hevc "$out/h265-360p.h265"
# Motion JPEG at 5 fps: 30 concatenated JPEG pictures (FF D8 ... FF D9).
ffmpeg -v error -y -f lavfi -i "testsrc2=size=640x360:rate=5" -t 6 -pix_fmt yuvj420p -c:v mjpeg -q:v 8 \
  -f mjpeg "$out/jpeg-360p.mjpeg"
ls -l "$out"
