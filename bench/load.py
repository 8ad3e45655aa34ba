#!/usr/bin/env python3
"""CamRelay load benchmark (issues 6, 15); run it through bench/load.sh, which builds the jars first.

For each N: nginx-rtmp on free 127.0.0.1 ports; CamRelay side = the XProtect simulator (SimulatorProcess, N cameras on
the 1080p clip) + CamRelay itself (bin/camrelay running target/camrelay.jar with a generated config/ of N streams to
nginx; figures from its /api/streams and /observe/metrics); limit side = the same simulator + LimitRelay (bench/src:
the same bytes moved with no logic); baseline = N `ffmpeg -re -stream_loop -1 -i clip.mkv -f lavfi -i anullsrc
-c:v copy -c:a aac -f flv rtmp://...` processes. Each side: warm-up, then a measured window. The figure is the CPU and
memory of the relay process(es) from /proc; nginx's and the simulator's CPU are reported beside it, never counted.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
TARGET = os.path.join(BENCH, "target")
WORK = os.path.join(TARGET, "load")
JAR = os.path.join(TARGET, "benchmarks.jar")
LAUNCHER = os.path.join(ROOT, "bin", "camrelay")
CAMRELAY_JAR = os.path.join(ROOT, "target", "camrelay.jar")
RESULTS = os.path.join(BENCH, "results")
NGINX_MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so"  # as src/test/.../testing/NginxRtmp.java
CLK_TCK = os.sysconf("SC_CLK_TCK")
FPS = 25
CLIP_SECONDS = 20
CLIP = os.path.join(TARGET, "clip-1080p25-4M-%ds.h264" % CLIP_SECONDS)
# The same bitstream in Matroska (-c copy) for the ffmpeg baseline: `-stream_loop -1` cannot loop a raw `-f h264`
# input (the raw demuxer cannot seek: "Operation not permitted", and ffmpeg spins); a container also spares ffmpeg the
# H.264 parsing of a raw stream, so the baseline gets cheaper, never dearer.
CLIP_MKV = CLIP[:-len(".h264")] + ".mkv"
SAMPLE_APP = "rec"  # stream 0 of each side is published here and recorded, to count its frames
# The limit relay's JVM: the heap, collector and native-heap trimming bin/camrelay gives CamRelay, so that GC costs
# and memory compare (the trimming option exists from JDK 17.0.9; bin/camrelay probes for it, and so does this).
LIMIT_JVM = ["-Xmx256m", "-XX:MaxNewSize=32m", "-XX:+UseSerialGC"]
TRIM_NATIVE_HEAP = "-XX:TrimNativeHeapInterval=5000"
if subprocess.run(["java", TRIM_NATIVE_HEAP, "-version"], stdout=subprocess.DEVNULL,
                  stderr=subprocess.DEVNULL).returncode == 0:
    LIMIT_JVM.append(TRIM_NATIVE_HEAP)
# bin/camrelay: "Beyond ~100 cameras give more heap: ~1 MB per camera plus queues"; applied above BIG_N unless
# RELAY_JAVA_OPTS sets -Xmx itself (the results file shows every JVM's options as they ran).
BIG_N = 100
BIG_HEAP = "-Xmx512m"
GC_LINE = re.compile(r"^\[([^\]]+)\]\[[^\]]+\] GC\(\d+\) Pause .* (\d+(?:\.\d+)?)ms$")


def log(msg):
    print("[load %s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


def require(tool):
    path = shutil.which(tool)
    if not path:
        sys.exit("load benchmark: '%s' is not installed (apt-get install %s)" % (tool, tool))
    return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=15):
    end = time.time() + timeout
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("nothing listens on 127.0.0.1:%d after %d s" % (port, timeout))


def ensure_clip():
    """1920x1080, 25 fps, ~4 Mbit/s CBR (x264 nal-hrd=cbr with filler), 2 s GOP, no B-frames, 20 s; made once."""
    if not os.path.exists(CLIP):
        make_clip()
    if not os.path.exists(CLIP_MKV):
        tmp = CLIP_MKV[:-4] + ".tmp.mkv"
        subprocess.run([require("ffmpeg"), "-v", "error", "-y", "-f", "h264", "-framerate", str(FPS), "-i", CLIP,
                        "-c", "copy", tmp], check=True)
        os.rename(tmp, CLIP_MKV)


def make_clip():
    os.makedirs(TARGET, exist_ok=True)
    log("generating %s with ffmpeg (once)" % CLIP)
    tmp = CLIP + ".tmp"
    subprocess.run([require("ffmpeg"), "-v", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc2=size=1920x1080:rate=%d" % FPS, "-t", str(CLIP_SECONDS), "-pix_fmt", "yuv420p",
                    "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-g", str(2 * FPS),
                    "-keyint_min", str(2 * FPS), "-sc_threshold", "0", "-bf", "0", "-b:v", "4M", "-minrate", "4M",
                    "-maxrate", "4M", "-bufsize", "4M", "-x264-params", "nal-hrd=cbr", "-f", "h264", tmp],
                   check=True)
    os.rename(tmp, CLIP)


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        s = f.read()
    fields = s[s.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def wait_file(path, proc, timeout=120):
    end = time.time() + timeout
    while time.time() < end:
        if os.path.exists(path):
            with open(path) as f:
                return json.load(f)
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("process %s ended (exit %s) before writing %s" % (proc.args[:4], proc.returncode, path))
        time.sleep(0.1)
    raise RuntimeError("no %s after %d s" % (path, timeout))


class Nginx:
    def __init__(self, prefix):
        self.prefix = prefix
        self.rtmp_port = free_port()
        self.http_port = free_port()
        self.record_dir = os.path.join(prefix, "record")
        os.makedirs(os.path.join(prefix, "logs"), exist_ok=True)
        os.makedirs(self.record_dir, exist_ok=True)
        root = "user root;\n" if os.geteuid() == 0 else ""
        conf = f"""load_module {NGINX_MODULE};
daemon off;
master_process off;
worker_processes 1;
{root}pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
rtmp {{
  server {{
    listen 127.0.0.1:{self.rtmp_port};
    chunk_size 4096;
    application live {{ live on; record off; }}
    application {SAMPLE_APP} {{ live on; record all; record_path {self.record_dir}; record_unique on; }}
  }}
}}
http {{
  access_log off;
  server {{ listen 127.0.0.1:{self.http_port}; location /stat {{ rtmp_stat all; }} }}
}}
"""
        with open(os.path.join(prefix, "nginx.conf"), "w") as f:
            f.write(conf)
        self.proc = subprocess.Popen([require("nginx"), "-p", prefix, "-e", os.path.join(prefix, "error.log"),
                                      "-c", os.path.join(prefix, "nginx.conf")],
                                     stdout=open(os.path.join(prefix, "stdout.log"), "w"), stderr=subprocess.STDOUT)
        wait_port(self.rtmp_port)
        wait_port(self.http_port)

    def url(self, app):
        return "rtmp://127.0.0.1:%d/%s/" % (self.rtmp_port, app)

    def stat(self):
        """{stream name: (bytes_in, last media timestamp ms, publishing)} from the rtmp_stat module."""
        with urllib.request.urlopen("http://127.0.0.1:%d/stat" % self.http_port, timeout=10) as r:
            root = ET.fromstring(r.read())
        out = {}
        for stream in root.iter("stream"):
            name = stream.findtext("name")
            ts = 0
            publishing = False
            for client in stream.iter("client"):
                if client.find("publishing") is not None:
                    publishing = True
                    ts = int(client.findtext("timestamp") or 0)
            out[name] = (int(stream.findtext("bytes_in") or 0), ts, publishing)
        return out

    def recordings(self):
        return sorted(os.path.join(self.record_dir, f) for f in os.listdir(self.record_dir) if f.endswith(".flv"))

    def stop(self):
        stop(self.proc, signal.SIGQUIT)


def stop(proc, sig=signal.SIGTERM, timeout=20):
    if proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


def command(proc, line, answer_path, timeout=60):
    if os.path.exists(answer_path):
        os.remove(answer_path)
    proc.stdin.write(line + "\n")
    proc.stdin.flush()
    return wait_file(answer_path, proc, timeout)


def sample_frames(path):
    """Video frames of a recording, the frames its time span calls for, and gaps over 1.5 frame intervals."""
    out = subprocess.run([require("ffprobe"), "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "packet=pts_time", "-of", "csv=p=0", path], capture_output=True, text=True, check=True)
    pts = sorted(float(x) for x in out.stdout.split() if x and x != "N/A")
    if len(pts) < 2:
        return {"frames": len(pts), "expected": None, "gaps": None}
    expected = int(round((pts[-1] - pts[0]) * FPS)) + 1
    gaps = sum(1 for a, b in zip(pts, pts[1:]) if b - a > 1.5 / FPS)
    return {"frames": len(pts), "expected": expected, "gaps": gaps}


def measure_window(pids, names, nginx, duration, others=()):
    """CPU, RSS and nginx counters over `duration` seconds for the processes `pids` and streams `names`; the CPU of
    `others` ({name: pid}: nginx, the simulator) is noted apart, for information only, never counted."""
    cpu0 = sum(cpu_seconds(p) for p in pids)
    others0 = {k: cpu_seconds(p) for k, p in others.items()}
    stat0 = nginx.stat()
    wall0 = time.time()
    t0 = time.monotonic()
    rss = []
    while time.monotonic() - t0 < duration:
        time.sleep(min(2.0, max(0.0, duration - (time.monotonic() - t0))))
        rss.append(sum(rss_mb(p) for p in pids))
    t1 = time.monotonic()
    wall1 = time.time()
    cpu1 = sum(cpu_seconds(p) for p in pids)
    others1 = {k: cpu_seconds(p) for k, p in others.items()}
    stat1 = nginx.stat()
    seconds = t1 - t0
    n = len(names)
    delivered = sum(stat1.get(s, (0, 0, False))[0] - stat0.get(s, (0, 0, False))[0] for s in names)
    progress = [(stat1.get(s, (0, 0, False))[1] - stat0.get(s, (0, 0, False))[1]) / 1000.0 / seconds for s in names]
    return {
        "seconds": seconds,
        "wall": (wall0, wall1),
        "cpuSeconds": cpu1 - cpu0,
        "cores": (cpu1 - cpu0) / seconds,
        "cpuPerStreamMinute": (cpu1 - cpu0) / n / (seconds / 60.0),
        "rssMbAvg": sum(rss) / len(rss),
        "rssMbMax": max(rss),
        "rssMbPerStream": (sum(rss) / len(rss)) / n,
        "bytesIn": delivered,
        "publishing": sum(1 for s in names if stat1.get(s, (0, 0, False))[2]),
        "timelineMin": min(progress) if progress else 0,
        "otherCores": {k: (others1[k] - others0[k]) / seconds for k in others},
        "loadAverage": os.getloadavg()[0],
    }


def gc_pauses(path, wall):
    """The JVM's GC pauses (-Xlog:gc with the time decoration) inside the window `wall` (epoch s)."""
    pauses = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                m = GC_LINE.match(line.strip())
                if not m:
                    continue
                at = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
                if wall[0] <= at <= wall[1]:
                    pauses.append(float(m.group(2)))
    pauses.sort()
    if not pauses:
        return {"count": 0, "meanMs": None, "p99Ms": None, "maxMs": None, "totalMs": 0}
    return {"count": len(pauses), "meanMs": sum(pauses) / len(pauses),
            "p99Ms": pauses[min(len(pauses) - 1, int(0.99 * len(pauses)))], "maxMs": pauses[-1],
            "totalMs": sum(pauses)}


def jvm_options(pid):
    """The JVM's options as it runs (from /proc/<pid>/cmdline, up to -jar / -cp): what the launcher really gave."""
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            argv = [a.decode() for a in f.read().split(b"\0") if a]
    except OSError:
        return "?"
    out = []
    for a in argv[1:]:
        if a in ("-jar", "-cp"):
            break
        if not a.startswith("-Xlog:gc:file="):
            out.append(a)
    return " ".join(out)


def keep_gc_log(path):
    """Copies a side's GC log out of its work directory, which the next run of the same N wipes (a long pause in the
    results is then still explained by the log)."""
    if not os.path.exists(path):
        return
    kept = os.path.join(WORK, "gc-logs")
    os.makedirs(kept, exist_ok=True)
    side = os.path.basename(os.path.dirname(path))
    target = os.path.join(kept, "%s-%s.log" % (time.strftime("%Y%m%d-%H%M%S"), side))
    shutil.copyfile(path, target)
    log("GC log kept: " + target)


def gc_log_option(path):
    return "-Xlog:gc:file=%s:time,uptime" % path


def heap_for(n, opts):
    """The relay JVM's extra options at N: BIG_HEAP above BIG_N, as bin/camrelay advises, unless opts set -Xmx."""
    if n > BIG_N and not any(o.startswith("-Xmx") for o in opts):
        return list(opts) + [BIG_HEAP]
    return list(opts)


def java(opts, main, args, workdir):
    os.makedirs(workdir, exist_ok=True)
    cmd = [require("java")] + opts + ["-cp", JAR, "io.camrelay.bench." + main] + args + ["--dir", workdir]
    return subprocess.Popen(cmd, stdin=subprocess.PIPE, text=True, cwd=workdir,
                            stdout=open(os.path.join(workdir, "out.log"), "w"), stderr=subprocess.STDOUT)


class Relay:
    """CamRelay as users run it: bin/camrelay (the launcher and its JVM options) on `jar`, in `workdir` with a generated
    config/application.properties and config/streams.yaml; `streams` is a list of (id, camera id, destination URL)."""

    LATENCY = "camrelay_relay_latency_seconds"
    STARTUP = "camrelay_relay_startup_seconds"
    TRANSIT = "camrelay_stream_first_keyframe_transit_seconds"

    def __init__(self, workdir, jar, java_opts, vms, streams):
        self.workdir = workdir
        self.status_port = free_port()
        config = os.path.join(workdir, "config")
        os.makedirs(config, exist_ok=True)
        props = ["camrelay.status.port = %d" % self.status_port, "camrelay.streams.from-xprotect = false"]
        if vms:
            props += ["camrelay.xprotect.url = " + vms["url"], "camrelay.xprotect.username = " + vms["username"],
                      "camrelay.xprotect.password = " + vms["password"]]
        if streams:
            props.append("camrelay.streams.file = config/streams.yaml")
            with open(os.path.join(config, "streams.yaml"), "w") as f:
                f.write("streams:\n" + "".join("  - id: %s\n    camera: %s\n    url: %s\n" % s for s in streams))
        else:
            props.append("camrelay.streams.file =")
        with open(os.path.join(config, "application.properties"), "w") as f:
            f.write("\n".join(props) + "\n")
        env = dict(os.environ, CAMRELAY_JAR=jar, CAMRELAY_JAVA_OPTS=" ".join(java_opts))
        self.proc = subprocess.Popen([LAUNCHER], cwd=workdir, env=env, stdin=subprocess.DEVNULL,
                                     stdout=open(os.path.join(workdir, "out.log"), "w"), stderr=subprocess.STDOUT)
        self.pid = self.proc.pid  # the launcher execs java

    def get(self, path):
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (self.status_port, path), timeout=20) as r:
            return r.read()

    def wait_up(self, timeout=120):
        end = time.time() + timeout
        while time.time() < end:
            if self.proc.poll() is not None:
                raise RuntimeError("CamRelay ended (exit %s), see %s/out.log" % (self.proc.returncode, self.workdir))
            try:
                return json.loads(self.get("/api/streams"))
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("CamRelay's status API did not answer within %d s, see %s/out.log" % (timeout, self.workdir))

    def wait_streaming(self, n, timeout=120):
        end = time.time() + timeout
        streams = []
        while time.time() < end:
            streams = self.wait_up()
            if sum(1 for s in streams if s["state"] == "STREAMING") >= n:
                return
            time.sleep(0.5)
        states = {}
        for s in streams:
            states[s["state"]] = states.get(s["state"], 0) + 1
        raise RuntimeError("only %s of %d streams STREAMING after %d s, see %s/out.log"
                           % (states, n, timeout, self.workdir))

    def snapshot(self):
        """Latency histogram counts, start-up maxima and the destinations' counters, from the status server."""
        metrics = parse_prometheus(self.get("/observe/metrics").decode())
        streams = json.loads(self.get("/api/streams"))
        destinations = [d for s in streams for d in s["destinations"]]
        return {
            "latencyBuckets": sorted((le, v) for (name, le), v in metrics.items()
                                     if name == self.LATENCY + "_bucket" and le is not None),
            "latencyCount": metrics.get((self.LATENCY + "_count", None), 0),
            "startupCount": metrics.get((self.STARTUP + "_count", None), 0),
            "startupMaxMs": metrics.get((self.STARTUP + "_max", None), 0) * 1000,
            "transitCount": metrics.get((self.TRANSIT + "_count", None), 0),
            "firstKeyFrameTransitMaxMs": metrics.get((self.TRANSIT + "_max", None), 0) * 1000,
            "framesSent": sum(d["framesSent"] for d in destinations),
            "framesDropped": sum(d["droppedFrames"] for d in destinations),
            "reconnects": sum(d["reconnects"] for d in destinations),
            "streaming": sum(1 for s in streams if s["state"] == "STREAMING"),
        }

    def stop(self):
        stop(self.proc, signal.SIGTERM, 40)


METRIC_LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)')
LE_LABEL = re.compile(r'le="([^"]+)"')


def parse_prometheus(text):
    """{(name, le bound in s or None): value} of the unlabelled meters and histogram buckets CamRelay exposes."""
    out = {}
    for line in text.splitlines():
        m = METRIC_LINE.match(line)
        if not m or line.startswith("#"):
            continue
        name, labels, value = m.group(1), m.group(2) or "", float(m.group(3))
        le = LE_LABEL.search(labels)
        if le:
            out[(name, float(le.group(1)))] = value
        elif not labels or labels == "{}":
            out[(name, None)] = value
    return out


def latency_window(before, after):
    """Percentiles (ms) of the latency recorded between two snapshots of the cumulative histogram, interpolated inside
    a bucket; "max" is the upper bound of the highest bucket that got values (an upper bound, not the exact max)."""
    previous = dict(before)
    bounds = [le * 1000 for le, _ in after if le != float("inf")]
    cumulative = [v - previous.get(le, 0) for le, v in after if le != float("inf")]
    count = cumulative[-1] if cumulative else 0

    def quantile(q):
        if not count:
            return float("nan")
        target = q * count
        for i, c in enumerate(cumulative):
            if c >= target:
                lower = bounds[i - 1] if i else 0
                below = cumulative[i - 1] if i else 0
                return bounds[i] if c == below else lower + (bounds[i] - lower) * (target - below) / (c - below)
        return bounds[-1]

    top = 0
    for i, c in enumerate(cumulative):
        if c > (cumulative[i - 1] if i else 0):
            top = bounds[i]
    return {"count": int(count), "p50Ms": quantile(0.5), "p99Ms": quantile(0.99), "p999Ms": quantile(0.999),
            "maxBoundMs": top}


def relay_idle_rss(jar, opts, seconds=10):
    """CamRelay with no stream at all, after `seconds`: the fixed part of its memory."""
    workdir = os.path.join(WORK, "relay-idle")
    shutil.rmtree(workdir, ignore_errors=True)
    relay = Relay(workdir, jar, opts, None, [])
    try:
        relay.wait_up()
        time.sleep(seconds)
        return rss_mb(relay.pid)
    finally:
        relay.stop()


def stop_java(proc):
    try:
        proc.stdin.write("stop\n")
        proc.stdin.close()
    except (BrokenPipeError, ValueError):
        pass
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        stop(proc)


def start_simulator(n, workdir):
    sim = java(["-Xmx2g"], "SimulatorProcess", ["--clip", CLIP, "--fps", str(FPS), "--cameras", str(n)],
               os.path.join(workdir, "sim"))
    return sim, wait_file(os.path.join(workdir, "sim", "simulator.json"), sim)


def run_camrelay(n, warmup, duration, jar, opts, jfr):
    workdir = os.path.join(WORK, "camrelay-%d" % n)
    shutil.rmtree(workdir, ignore_errors=True)
    load_before = os.getloadavg()
    nginx = Nginx(os.path.join(workdir, "nginx"))
    sim = relay = None
    gc_log = os.path.join(workdir, "relay-gc.log")
    try:
        sim, vms = start_simulator(n, workdir)
        jvm = heap_for(n, opts) + [gc_log_option(gc_log)]
        if jfr:
            jvm.append("-XX:StartFlightRecording=filename=%s,settings=profile,delay=%ds,duration=%ds"
                       % (os.path.join(WORK, "relay-%d.jfr" % n), warmup, duration))
        streams = [("cam%d" % i, camera, (nginx.url(SAMPLE_APP) if i == 0 else nginx.url("live")) + "cam%d" % i)
                   for i, camera in enumerate(vms["cameras"])]
        relay = Relay(os.path.join(workdir, "relay"), jar, jvm, vms, streams)
        relay.wait_streaming(n)
        log("CamRelay N=%d: warm-up %d s" % (n, warmup))
        time.sleep(warmup)
        mark = relay.snapshot()
        sim_mark = command(sim, "mark", os.path.join(workdir, "sim", "mark.json"))
        log("CamRelay N=%d: measuring %d s" % (n, duration))
        window = measure_window([relay.pid], ["cam%d" % i for i in range(n)], nginx, duration,
                                {"nginx": nginx.proc.pid, "simulator": sim.pid})
        report = relay.snapshot()
        report["latencyWindow"] = latency_window(mark["latencyBuckets"], report["latencyBuckets"])
        sim_report = command(sim, "report", os.path.join(workdir, "sim", "report.json"))
        window.update({"mark": mark, "report": report, "simMark": sim_mark, "simReport": sim_report,
                       "jvm": jvm_options(relay.pid), "loadBefore": load_before})
    finally:
        if relay is not None:
            relay.stop()
        if sim is not None:
            stop_java(sim)
        nginx.stop()
    window["gc"] = gc_pauses(gc_log, window["wall"])
    keep_gc_log(gc_log)
    recs = nginx.recordings()
    window["sample"] = sample_frames(recs[0]) if recs else None
    return window


def run_limit(n, warmup, duration, opts):
    """The zero-logic relay (LimitRelay) of the same simulator's streams to its own nginx; all its streams go to
    `live` (its bytes are not a decodable FLV, so there is no sample recording)."""
    workdir = os.path.join(WORK, "limit-%d" % n)
    shutil.rmtree(workdir, ignore_errors=True)
    load_before = os.getloadavg()
    nginx = Nginx(os.path.join(workdir, "nginx"))
    sim = limit = None
    gc_log = os.path.join(workdir, "limit-gc.log")
    try:
        sim, vms = start_simulator(n, workdir)
        ldir = os.path.join(workdir, "limit")
        os.makedirs(ldir, exist_ok=True)
        ids = os.path.join(ldir, "cameras.txt")
        with open(ids, "w") as f:
            f.write("\n".join(vms["cameras"]) + "\n")
        jvm = heap_for(n, LIMIT_JVM + opts) + [gc_log_option(gc_log)]
        limit = java(jvm, "LimitRelay", ["--vms", vms["url"], "--username", vms["username"], "--password",
                                         vms["password"], "--image-server-port", str(vms["imageServerPort"]),
                                         "--cameras", ids, "--rtmp", nginx.url("live") + "lim"], ldir)
        wait_file(os.path.join(ldir, "started.json"), limit)
        end = time.time() + 60
        while command(limit, "report", os.path.join(ldir, "report.json"))["publishing"] < n:
            if time.time() > end:
                raise RuntimeError("the limit relay does not publish all %d streams, see %s/out.log" % (n, ldir))
            time.sleep(0.5)
        log("limit N=%d: warm-up %d s" % (n, warmup))
        time.sleep(warmup)
        mark = command(limit, "report", os.path.join(ldir, "report.json"))
        sim_mark = command(sim, "mark", os.path.join(workdir, "sim", "mark.json"))
        log("limit N=%d: measuring %d s" % (n, duration))
        window = measure_window([limit.pid], ["lim%d" % i for i in range(n)], nginx, duration,
                                {"nginx": nginx.proc.pid, "simulator": sim.pid})
        report = command(limit, "report", os.path.join(ldir, "report.json"))
        sim_report = command(sim, "report", os.path.join(workdir, "sim", "report.json"))
        window.update({"mark": mark, "report": report, "simMark": sim_mark, "simReport": sim_report,
                       "jvm": jvm_options(limit.pid), "loadBefore": load_before})
    finally:
        if limit is not None:
            stop_java(limit)
        if sim is not None:
            stop_java(sim)
        nginx.stop()
    window["gc"] = gc_pauses(gc_log, window["wall"])
    keep_gc_log(gc_log)
    window["sample"] = None
    return window


def run_ffmpeg(n, warmup, duration):
    workdir = os.path.join(WORK, "ffmpeg-%d" % n)
    shutil.rmtree(workdir, ignore_errors=True)
    load_before = os.getloadavg()
    nginx = Nginx(os.path.join(workdir, "nginx"))
    procs = []
    try:
        for i in range(n):
            url = (nginx.url(SAMPLE_APP) if i == 0 else nginx.url("live")) + "ff%d" % i
            procs.append(subprocess.Popen([require("ffmpeg"), "-nostdin", "-v", "error", "-re", "-stream_loop", "-1",
                                           "-i", CLIP_MKV, "-f", "lavfi", "-i", "anullsrc",
                                           "-c:v", "copy", "-c:a", "aac", "-f", "flv", url],
                                          stdout=subprocess.DEVNULL, stderr=open(os.path.join(workdir, "ff%d.log" % i),
                                                                                 "w")))
        log("ffmpeg N=%d: warm-up %d s" % (n, warmup))
        time.sleep(warmup)
        dead = [p.args[-1] for p in procs if p.poll() is not None]
        if dead:
            raise RuntimeError("ffmpeg relays ended during warm-up: %s (see %s)" % (dead, workdir))
        log("ffmpeg N=%d: measuring %d s" % (n, duration))
        window = measure_window([p.pid for p in procs], ["ff%d" % i for i in range(n)], nginx, duration,
                                {"nginx": nginx.proc.pid})
        dead = [p.args[-1] for p in procs if p.poll() is not None]
        if dead:
            raise RuntimeError("ffmpeg relays ended while measured: %s (see %s)" % (dead, workdir))
        window["loadBefore"] = load_before
    finally:
        for p in procs:
            stop(p, signal.SIGINT)
        nginx.stop()
    recs = nginx.recordings()
    window["sample"] = sample_frames(recs[0]) if recs else None
    return window


def fmt(x, digits=2):
    return "n/a" if x is None or x != x else ("%." + str(digits) + "f") % x


def first_line(cmd, stream="stdout"):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True)
        return (getattr(out, stream) or out.stderr or out.stdout).splitlines()[0].strip()
    except (OSError, IndexError):
        return "?"


def machine():
    mem = "?"
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem = "%.1f GiB" % (int(line.split()[1]) / 1024 / 1024)
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    java_version = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "memory": mem,
        "os": "%s %s" % (platform.system(), platform.release()),
        "java": " / ".join(line.strip() for line in java_version[:3]),
        "ffmpeg": first_line(["ffmpeg", "-version"]),
        "nginx": first_line(["nginx", "-v"], "stderr"),
    }


def git(*args):
    try:
        return subprocess.run(["git", "-C", ROOT] + list(args), capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def ratio(a, b):
    return a / b if a is not None and b else None


def cell_gc(w):
    g = w.get("gc")
    if not g:
        return "-"
    if not g["count"]:
        return "0"
    return "%d (%s / %s / %s)" % (g["count"], fmt(g["meanMs"], 1), fmt(g["p99Ms"], 1), fmt(g["maxMs"], 1))


def table(rows, idle_rss, clip_kbps):
    head = ("| N | side | CPU s / stream-min | RSS MB / stream (total) | delivered vs clip bytes | sample stream frames"
            " (missing, gaps) | drops | latency p50 / p99 / p99.9 / max≤ ms | GC pauses in window (mean / p99 / max"
            " ms) | load avg before |\n"
            "|---|---|---|---|---|---|---|---|---|---|\n")
    lines = []
    for n, sides in rows:
        for side in ("CamRelay", "limit", "ffmpeg"):
            w = sides.get(side)
            if w is None:
                continue
            if isinstance(w, str):
                lines.append("| %d | %s | not run: %s | | | | | | | |" % (n, side, w))
                continue
            expected_bytes = clip_kbps * 1000 / 8 * w["seconds"] * n
            s = w["sample"] or {}
            sample = "n/a" if not s.get("expected") else "%d/%d (%d, %d)" % (
                s["frames"], s["expected"], s["expected"] - s["frames"], s["gaps"])
            skipped = w["simReport"]["framesSkipped"] - w["simMark"]["framesSkipped"] if "simReport" in w else 0
            if side == "CamRelay":
                lw = w["report"]["latencyWindow"]
                drops = "%d (+%d skipped by sim)" % (w["report"]["framesDropped"] - w["mark"]["framesDropped"],
                                                     skipped)
                lat = "%s / %s / %s / %s" % (fmt(lw["p50Ms"], 3), fmt(lw["p99Ms"], 3), fmt(lw["p999Ms"], 3),
                                              fmt(lw["maxBoundMs"], 1))
            elif side == "limit":
                drops = "%d (+%d skipped by sim)" % (w["report"]["dropped"] - w["mark"]["dropped"], skipped)
                lat = "-"
            else:
                drops, lat = "-", "-"
            lines.append("| %d | %s | %s | %s (%s) | %s | %s | %s | %s | %s | %s |" % (
                n, side, fmt(w["cpuPerStreamMinute"], 3), fmt(w["rssMbPerStream"], 2), fmt(w["rssMbAvg"], 0),
                fmt(w["bytesIn"] / expected_bytes, 3), sample, drops, lat, cell_gc(w),
                fmt(w["loadBefore"][0], 2)))
        cr = sides.get("CamRelay")
        if isinstance(cr, dict):
            for other in ("ffmpeg", "limit"):
                o = sides.get(other)
                if isinstance(o, dict):
                    lines.append("| %d | **CamRelay / %s** | **%s** | **%s** | | | | | | |" % (
                        n, other, fmt(ratio(cr["cpuPerStreamMinute"], o["cpuPerStreamMinute"]), 3),
                        fmt(ratio(cr["rssMbPerStream"], o["rssMbPerStream"]), 3)))
    note = ("\nCamRelay JVM RSS with no route (fixed part): %s MB. Clip: %s kbit/s of video (%s).\n"
            % (fmt(idle_rss, 0), fmt(clip_kbps, 0), os.path.basename(CLIP)))
    return head + "\n".join(lines) + "\n" + note


def cores_table(rows):
    """Who used the two cores in each measured window: the relay (the figure) and what is not counted."""
    out = ["| N | side | relay process(es) cores | simulator cores | nginx cores | sum |", "|---|---|---|---|---|---|"]
    for n, sides in rows:
        for side in ("CamRelay", "limit", "ffmpeg"):
            w = sides.get(side)
            if not isinstance(w, dict):
                continue
            o = w["otherCores"]
            total = w["cores"] + sum(o.values())
            out.append("| %d | %s | %s | %s | %s | %s |" % (n, side, fmt(w["cores"], 2), fmt(o.get("simulator"), 2),
                                                          fmt(o.get("nginx"), 2), fmt(total, 2)))
    return "\n".join(out) + "\n"


def details(rows):
    out = []
    for n, sides in rows:
        for side, w in sides.items():
            if not isinstance(w, dict):
                continue
            line = ("- N=%d %s: window %.1f s, CPU %.2f s, RSS avg/max %.0f/%.0f MB, streams publishing %d, slowest"
                    " timeline %.3f× real time, load average before %s, at the end %.2f"
                    % (n, side, w["seconds"], w["cpuSeconds"], w["rssMbAvg"], w["rssMbMax"], w["publishing"],
                       w["timelineMin"], "/".join("%.2f" % x for x in w["loadBefore"]), w["loadAverage"]))
            if "jvm" in w:
                line += "; JVM options `%s`" % w["jvm"]
            if "gc" in w:
                line += "; GC pauses %d, %.0f ms in all" % (w["gc"]["count"], w["gc"]["totalMs"])
            if side == "CamRelay":
                r, m = w["report"], w["mark"]
                line += ("; FLV tags (video+audio) sent %d, reconnects %d, latency samples %d, start-ups timed %d/%d"
                         " (transit) and %d/%d (relay), worst start-up %s ms (= %s transit + %s relay)"
                         % (r["framesSent"] - m["framesSent"], r["reconnects"], r["latencyWindow"]["count"],
                            m["transitCount"], n, m["startupCount"], n,
                            fmt(m.get("firstKeyFrameTransitMaxMs", 0) + m.get("startupMaxMs", 0), 1),
                            fmt(m.get("firstKeyFrameTransitMaxMs"), 1), fmt(m.get("startupMaxMs"), 1)))
            if side == "limit":
                r, m = w["report"], w["mark"]
                line += "; pictures relayed %d, bytes written %d" % (r["pictures"] - m["pictures"],
                                                                      r["bytes"] - m["bytes"])
            if "simReport" in w:
                sm, sr = w["simMark"], w["simReport"]
                line += ("; simulator: frames sent %d, skipped (client not writable) %d, late > 1 frame %d, max"
                         " lateness %.1f ms since start"
                         % (sr["framesSent"] - sm["framesSent"], sr["framesSkipped"] - sm["framesSkipped"],
                            sr["framesLate"] - sm["framesLate"], sr["maxLatenessMicros"] / 1000.0))
            out.append(line)
    return "\n".join(out) + "\n"


def jar_label(jar):
    """The jar and the commit it was built from when it is a git checkout's target/camrelay.jar."""
    repo = os.path.dirname(os.path.dirname(os.path.abspath(jar)))
    try:
        commit = subprocess.run(["git", "-C", repo, "log", "-1", "--format=%h %s"], capture_output=True, text=True,
                                check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", repo, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return "`%s` (commit %s%s)" % (os.path.relpath(jar, ROOT), commit, ", with uncommitted changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "`%s`" % jar


SIDES = ("camrelay", "limit", "ffmpeg")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("n", nargs="*", type=int, default=[10, 100, 200, 300])
    ap.add_argument("--warmup", type=int, default=int(os.environ.get("WARMUP", "30")))
    ap.add_argument("--duration", type=int, default=int(os.environ.get("DURATION", "60")))
    ap.add_argument("--relay-java-opts", default=os.environ.get("RELAY_JAVA_OPTS", ""),
                    help="JVM options added after bin/camrelay's own (CAMRELAY_JAVA_OPTS)")
    ap.add_argument("--jar", default=os.environ.get("CAMRELAY_JAR", CAMRELAY_JAR),
                    help="the camrelay.jar to measure (e.g. an older build, for before/after figures)")
    ap.add_argument("--jfr", action="store_true", default=os.environ.get("JFR", "0") == "1")
    ap.add_argument("--camrelay-only", action="store_true", default=os.environ.get("CAMRELAY_ONLY", "0") == "1",
                    help="only the CamRelay side (profiling runs); figures as JSON, no table is written")
    ap.add_argument("--sides", default=os.environ.get("SIDES", ",".join(SIDES)),
                    help="comma-separated sides to run: camrelay, limit, ffmpeg")
    ap.add_argument("--ffmpeg-max-n", type=int, default=int(os.environ.get("FFMPEG_MAX_N", "100")),
                    help="above this N the ffmpeg side is not run (N ffmpeg processes saturate a small machine)")
    args = ap.parse_args()
    sides = [s.strip() for s in args.sides.split(",") if s.strip()]
    for s in sides:
        if s not in SIDES:
            sys.exit("load benchmark: unknown side '%s' in SIDES (use %s)" % (s, ", ".join(SIDES)))
    if args.camrelay_only:
        sides = ["camrelay"]
    for tool in ("java", "nginx", "ffmpeg", "ffprobe"):
        require(tool)
    if not os.path.exists(NGINX_MODULE):
        sys.exit("load benchmark: %s is missing (apt-get install libnginx-mod-rtmp)" % NGINX_MODULE)
    for path in (JAR, args.jar, LAUNCHER):
        if not os.path.exists(path):
            sys.exit("load benchmark: %s is missing: run bench/load.sh (it builds it)" % path)
    os.makedirs(WORK, exist_ok=True)
    ensure_clip()
    clip_kbps = os.path.getsize(CLIP) * 8 / 1000 / CLIP_SECONDS
    opts = args.relay_java_opts.split()
    started = datetime.datetime.now(datetime.timezone.utc)
    host = machine()
    log("relay JVM with no route")
    idle = relay_idle_rss(args.jar, opts)
    rows = []
    for n in args.n:
        row = {}
        if "camrelay" in sides:
            row["CamRelay"] = run_camrelay(n, args.warmup, args.duration, args.jar, opts, args.jfr)
            if args.camrelay_only:
                print(json.dumps(row["CamRelay"], indent=1, default=str))
                continue
        if "limit" in sides:
            row["limit"] = run_limit(n, args.warmup, args.duration, opts)
        if "ffmpeg" in sides:
            if n > args.ffmpeg_max_n:
                row["ffmpeg"] = ("N > FFMPEG_MAX_N=%d: %d ffmpeg processes need more than this machine's %d cores"
                                 " (1.1 cores at N = 100)" % (args.ffmpeg_max_n, n, os.cpu_count()))
            else:
                row["ffmpeg"] = run_ffmpeg(n, args.warmup, args.duration)
        rows.append((n, row))
    if args.camrelay_only:
        return
    result = table(rows, idle, clip_kbps)
    text = ("# CamRelay load benchmark, %s UTC\n\n"
            "- Machine: %d cores (%s), %s RAM, %s; shared with other work unless the load averages say otherwise\n"
            "- Java: %s\n- %s; %s\n"
            "- Benchmark code: commit %s\n- CamRelay: `bin/camrelay` on %s%s%s\n"
            "- Command: `bench/load.sh %s` (warm-up %d s, measured %d s per side and N, sides %s)\n\n%s\n"
            "## Where the cores went (cores = CPU s / window s)\n\n%s\n## Details\n\n%s"
            % (started.strftime("%Y-%m-%d %H:%M"), host["cores"], host["cpu"], host["memory"], host["os"],
               host["java"], host["nginx"], host["ffmpeg"], git("log", "-1", "--format=%h %s"),
               jar_label(args.jar), ", extra JVM options `%s`" % args.relay_java_opts if args.relay_java_opts else "",
               ", JFR on" if args.jfr else "", " ".join(map(str, args.n)), args.warmup, args.duration,
               ",".join(sides), result, cores_table(rows), details(rows)))
    print("\n" + result)
    os.makedirs(RESULTS, exist_ok=True)
    path = os.path.join(RESULTS, started.strftime("%Y-%m-%d-%H%M") + ".md")
    with open(path, "w") as f:
        f.write(text)
    with open(os.path.join(WORK, "last-run.json"), "w") as f:
        json.dump({"rows": rows, "idleRssMb": idle, "machine": host}, f, indent=1, default=str)
    log("written %s" % path)


if __name__ == "__main__":
    main()
