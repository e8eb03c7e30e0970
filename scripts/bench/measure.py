"""Runs one command under GNU time and prints its wall time and peak resident memory as JSON.

Usage: measure.py LABEL [--cwd DIR] -- CMD...   (CMD's stdout goes to /dev/null)

GNU time reports the command's own maximum resident set size (from wait4), so a shell or an
interpreter that forked it is not counted. The wall time is measured here with a monotonic
clock in microseconds (GNU time's %e has 10 ms steps, too coarse for a 0.1 s run); it includes
starting GNU time itself, about a millisecond.
"""
import json
import subprocess
import sys
import time

args = sys.argv[1:]
label = args.pop(0)
cwd = None
if args[0] == "--cwd":
    cwd = args[1]
    args = args[2:]
cmd = args[args.index("--") + 1:]
t0 = time.perf_counter()
p = subprocess.run(["/usr/bin/time", "-f", "@@ %e %M"] + cmd, cwd=cwd,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - t0
err = p.stderr.decode(errors="replace")
last = [l for l in err.splitlines() if l.startswith("@@ ")][-1].split()
print(json.dumps({"label": label, "seconds": round(seconds, 4), "peak_rss_kib": int(last[2]),
                  "exit": p.returncode, "stderr": err.replace("\n", " ")[-300:]}))
