"""Runs one command and prints its wall time and peak resident memory (of the child) as JSON.

Usage: measure.py LABEL -- CMD...  (stdout of CMD goes to /dev/null; stderr is kept on failure)
"""
import json
import resource
import subprocess
import sys
import time

label = sys.argv[1]
cmd = sys.argv[sys.argv.index("--") + 1:]
t0 = time.perf_counter()
p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t0
rss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"label": label, "seconds": round(wall, 3), "peak_rss_kib": rss_kib,
                  "exit": p.returncode, "stderr": p.stderr.decode(errors="replace")[-300:]}))
