#!/usr/bin/env python3
"""Export benchmark (issue: recorded video): CamRelay's `bin/camrelay export` against the seed's own method.

A 1080p25 4 Mbit/s recording (the load benchmark's clip, looped) is served by the XProtect simulator in its own JVM
(bench SimulatorProcess, --recorded-minutes). For each range (default 10 and 60 minutes):
  - CamRelay: `bin/camrelay export --camera … --from … --to … -o out.mp4` as shipped (the launcher's JVM options),
    under /usr/bin/time; export speed from its first to its last progress line (the JVM start and login are reported
    apart), CPU s (user + sys of the JVM) and peak RSS (max RSS);
  - baseline, the seed's method: a Python ImageServer client (goto, 3 pipelined next, strip the 32-byte header, as the
    seed's reference does with the §8 fixes) piped into `ffmpeg -f h264 -i - -c copy out.mp4`; CPU and peak RSS of
    ffmpeg and of the feeder apart.
Both outputs are checked with ffprobe (video frames). Writes a table to stdout and bench/results/<date>-export.md.

    bench/export.py [minutes ...]        # default 10 60
"""
import json
import os
import socket
import struct
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
import re

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
import load  # noqa: E402  (the clip and helpers of the load benchmark)

TARGET = os.path.join(BENCH, "target")
WORK = os.path.join(TARGET, "export")
CLASSES = os.path.join(TARGET, "export-classes")
JAR = os.path.join(ROOT, "target", "camrelay.jar")
LAUNCHER = os.path.join(ROOT, "bin", "camrelay")
TIME = "/usr/bin/time"


def log(msg):
    print("[export %s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


def iso(ms):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + ".%03dZ" % (ms % 1000)


def build():
    if not os.path.exists(JAR):
        subprocess.run(["mvn", "-o", "-B", "-q", "package", "-DskipTests"], cwd=ROOT, check=True)
    os.makedirs(CLASSES, exist_ok=True)
    src = os.path.join(BENCH, "src", "main", "java", "io", "camrelay", "bench")
    subprocess.run(["javac", "-d", CLASSES, "-cp", JAR] + [os.path.join(src, f) for f in
                   ("SimulatorProcess.java", "ControlLoop.java", "BenchArgs.java")], check=True)


def timed(cmd, out, **kw):
    """cmd under /usr/bin/time; returns (Popen, path of time's report)."""
    report = out + ".time"
    return subprocess.Popen([TIME, "-o", report, "-f", "%e %U %S %M"] + cmd, **kw), report


def read_time(report):
    with open(report) as f:
        line = f.read().strip().splitlines()[-1]
    wall, user, system, rss_kb = line.split()
    return float(wall), float(user) + float(system), int(rss_kb) / 1024.0


def frames(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-count_packets", "-select_streams", "v:0", "-show_entries",
                          "stream=nb_read_packets", "-of", "csv=p=0", path], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def camrelay(sim, frm, to, out):
    env = dict(os.environ, CAMRELAY_XPROTECT_URL=sim["url"], CAMRELAY_XPROTECT_USERNAME=sim["username"],
               CAMRELAY_XPROTECT_PASSWORD=sim["password"], CAMRELAY_JAR=JAR)
    env.pop("CAMRELAY_JAVA_OPTS", None)
    p, report = timed([LAUNCHER, "export", "--camera", sim["cameras"][0], "--from", iso(frm), "--to", iso(to),
                       "-o", out], out, stderr=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=WORK, text=True)
    first = last = None
    lines = []
    for line in p.stderr:
        now = time.monotonic()
        lines.append(line.rstrip())
        if line.startswith("export: "):
            first = first or now
            last = now
    p.wait()
    if p.returncode != 0:
        raise RuntimeError("camrelay export failed (%d): %s %s" % (p.returncode, "\n".join(lines), p.stdout.read()))
    wall, cpu, rss = read_time(report)
    return {"wall": wall, "export": last - first, "cpu": cpu, "rss": rss, "frames": frames(out)}


def baseline(sim, frm, to, out):
    feeder, feed_report = timed([sys.executable, os.path.abspath(__file__), "--feed", sim["url"], sim["username"],
                                 sim["password"], str(sim["imageServerPort"]), sim["cameras"][0], str(frm), str(to)],
                                out + ".feed", stdout=subprocess.PIPE)
    ffmpeg, report = timed(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "h264", "-framerate", "25", "-i", "-",
                            "-c", "copy", out], out, stdin=feeder.stdout)
    start = time.monotonic()
    feeder.stdout.close()
    ffmpeg.wait()
    feeder.wait()
    elapsed = time.monotonic() - start
    if ffmpeg.returncode != 0 or feeder.returncode != 0:
        raise RuntimeError("baseline failed: ffmpeg %d, feeder %d" % (ffmpeg.returncode, feeder.returncode))
    wall, cpu, rss = read_time(report)
    _, feed_cpu, feed_rss = read_time(feed_report)
    return {"wall": elapsed, "export": elapsed, "cpu": cpu, "rss": rss, "feed_cpu": feed_cpu, "feed_rss": feed_rss,
            "frames": frames(out)}


# --- the seed's method: an ImageServer client in Python (reference §1, §8) ----------------------------------------

def feed(url, user, password, port, camera, frm, to):
    frm, to = int(frm), int(to)
    form = urllib.parse.urlencode({"grant_type": "password", "username": user, "password": password,
                                   "client_id": "GrantValidatorClient"}).encode()
    access = json.load(urllib.request.urlopen(url + "/IDP/connect/token", form))["access_token"]
    ns = "http://videoos.net/2/XProtectCSServerCommand"
    envelope = ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Login xmlns="%s">'
                '<instanceId>%s</instanceId><currentToken></currentToken></Login></s:Body></s:Envelope>'
                % (ns, uuid.uuid4())).encode()
    req = urllib.request.Request(url + "/ManagementServer/ServerCommandServiceOAuth.svc", envelope, {
        "Content-Type": "text/xml; charset=utf-8", "SOAPAction": ns + "/IServerCommandService/Login",
        "Authorization": "Bearer " + access})
    token = re.search(r"<Token>([^<]+)</Token>", urllib.request.urlopen(req).read().decode()).group(1)
    s = socket.create_connection(("127.0.0.1", int(port)))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    r = s.makefile("rb", buffering=1 << 20)
    out = sys.stdout.buffer
    rid = [0]

    def send(method, body=""):
        s.sendall(('<?xml version="1.0" encoding="UTF-8"?><methodcall><requestid>%d</requestid><methodname>%s'
                   '</methodname>%s</methodcall>\r\n\r\n' % (rid[0], method, body)).encode())
        rid[0] += 1

    def block():
        data = b""
        while not data.endswith(b"\r\n\r\n"):
            line = r.readline()
            if not line:
                raise EOFError("recorder closed the connection")
            data += line
        return data[:-4]

    send("connect", "<username>a</username><password>a</password><cameraid>%s</cameraid><alwaysstdjpeg>no"
         "</alwaysstdjpeg><connectparam>id=%s&amp;connectiontoken=%s</connectparam>" % (camera, camera, token))
    if b"<connected>yes" not in block():
        raise RuntimeError("connect refused")
    send("goto", "<time>%d</time><compressionrate>90</compressionrate><keyframesonly>no</keyframesonly>" % frm)
    for _ in range(2):
        send("next")
    last_reply = None
    previous_current = None
    last_time = -1
    while True:
        head = block()
        if head.startswith(b"<"):
            continue
        headers = dict(l.split(": ", 1) for l in head.decode().split("\r\n")[1:])
        body = r.read(int(headers["Content-length"]))
        r.read(4)
        if not body:
            break
        reply = headers["RequestId"]
        if reply != last_reply:
            if last_reply is not None:
                if headers["Current"] == previous_current:
                    break  # the newest GOP again: the end of the recording
                send("next")
            last_reply = reply
            previous_current = headers["Current"]
        picture_time = struct.unpack(">q", body[20:28])[0]
        if picture_time >= to:
            break
        if picture_time > last_time:
            last_time = picture_time
            out.write(body[32:])
    out.flush()
    s.close()


def main():
    minutes = [int(m) for m in sys.argv[1:]] or [10, 60]
    for tool in ("java", "javac", "ffmpeg", "ffprobe"):
        load.require(tool)
    os.makedirs(WORK, exist_ok=True)
    load.ensure_clip()
    build()
    sim_dir = os.path.join(WORK, "simulator")
    os.makedirs(sim_dir, exist_ok=True)
    state = os.path.join(sim_dir, "simulator.json")
    if os.path.exists(state):
        os.remove(state)
    recorded = max(minutes) + 10
    sim = subprocess.Popen(["java", "-Xmx2g", "-cp", JAR + ":" + CLASSES, "io.camrelay.bench.SimulatorProcess",
                            "--clip", load.CLIP, "--fps", "25", "--cameras", "1", "--dir", sim_dir,
                            "--recorded-minutes", str(recorded)], stdin=subprocess.PIPE,
                           stdout=open(os.path.join(sim_dir, "log.txt"), "w"), stderr=subprocess.STDOUT)
    try:
        while not os.path.exists(state):
            time.sleep(0.2)
        started_ms = int(time.time() * 1000)
        with open(state) as f:
            info = json.load(f)
        rows = []
        for m in minutes:
            frm = started_ms - (recorded - 5) * 60_000
            to = frm + m * 60_000
            log("%d min: CamRelay" % m)
            cr = camrelay(info, frm, to, os.path.join(WORK, "camrelay-%d.mp4" % m))
            log("%d min: ffmpeg fed by the seed's client" % m)
            ff = baseline(info, frm, to, os.path.join(WORK, "ffmpeg-%d.mp4" % m))
            rows.append((m, cr, ff))
            log("%d min: CamRelay %s; ffmpeg %s" % (m, cr, ff))
    finally:
        sim.stdin.close()
        sim.wait(timeout=30)
    out = table(rows)
    print(out)
    os.makedirs(load.RESULTS, exist_ok=True)
    name = os.path.join(load.RESULTS, time.strftime("%Y-%m-%d-%H%M") + "-export.md")
    with open(name, "w") as f:
        f.write(out + "\n")
    log("written to %s" % name)


def table(rows):
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout
    cores = os.cpu_count()
    lines = ["# Export benchmark, %s (commit %s, %d cores)" % (time.strftime("%Y-%m-%d %H:%M"), commit.strip(),
                                                             cores), "",
             "Recording: x264 1920x1080 25 fps 4 Mbit/s CBR, 2 s GOP (%s looped), served by the simulator in its own "
             "JVM. CamRelay: `bin/camrelay export` as shipped; baseline: the seed's method (Python ImageServer client "
             "| `ffmpeg -f h264 -i - -c copy out.mp4`)." % os.path.basename(load.CLIP), "",
             "| range | side | × real time | export s | process wall s | CPU s | CPU s / recorded min | peak RSS MB "
             "| frames |", "|---|---|---|---|---|---|---|---|---|"]
    for m, cr, ff in rows:
        secs = m * 60.0
        lines.append("| %d min | CamRelay | %.0f× | %.1f | %.1f | %.1f | %.2f | %.0f | %d |" % (
            m, secs / cr["export"], cr["export"], cr["wall"], cr["cpu"], cr["cpu"] / m, cr["rss"], cr["frames"]))
        lines.append("| %d min | ffmpeg (+ feeder) | %.0f× | %.1f | %.1f | %.1f (+ %.1f) | %.2f (+ %.2f) | %.0f (+ %.0f) "
                     "| %d |" % (m, secs / ff["export"], ff["export"], ff["wall"], ff["cpu"], ff["feed_cpu"],
                                 ff["cpu"] / m, ff["feed_cpu"] / m, ff["rss"], ff["feed_rss"], ff["frames"]))
    if len(rows) >= 2:
        a, b = rows[0][1]["rss"], rows[-1][1]["rss"]
        lines += ["", "CamRelay peak RSS %d min vs %d min: %.0f vs %.0f MB (%+.1f %%)." % (
            rows[0][0], rows[-1][0], a, b, (b - a) * 100.0 / a)]
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--feed":
        feed(*sys.argv[2:9])
        sys.exit(0)
    main()
