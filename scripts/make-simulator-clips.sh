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
# The display position of each picture of the B-frame clip, in decode order, as ffprobe's decoder orders them
# (frames come out in display order, each naming its packet's byte offset): the simulator stamps B-frame pictures
# with the bursty arrival times a recorder gives them from this, without reading H.264 itself (docs/simulator.md).
display_order() {
  echo "# Display position of each picture of $(basename "$1"), in decode order (ffprobe's decoder; scripts/make-simulator-clips.sh)."
  ffprobe -v error -show_entries frame=pkt_pos -of csv=p=0 "$1" | grep -v '^$' | awk -F, '{print $1, NR-1}' \
    | sort -n | awk '{print $2}' | paste -sd' ' | fold -s -w 110
}
display_order "$out/h264-high-bframes-360p.h264" > "$out/h264-high-bframes-360p.h264.order"
# H.265 Main, GOP 50, no B-frames: a camera CamRelay must refuse unless H.265 is allowed.
ffmpeg $common -c:v libx265 -x265-params keyint=50:min-keyint=50:bframes=0:scenecut=0:bitrate=300:log-level=error \
  -f hevc "$out/h265-360p.h265"
# Motion JPEG at 5 fps: 30 concatenated JPEG pictures (FF D8 ... FF D9).
ffmpeg -v error -y -f lavfi -i "testsrc2=size=640x360:rate=5" -t 6 -pix_fmt yuvj420p -c:v mjpeg -q:v 8 \
  -f mjpeg "$out/jpeg-360p.mjpeg"
ls -l "$out"
