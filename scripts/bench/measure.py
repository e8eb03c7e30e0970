"""Runs one command under GNU time and prints its wall time and peak resident memory as JSON.

Usage: measure.py LABEL [--cwd DIR] -- CMD...   (CMD's stdout goes to /dev/null)

GNU time reports the command's own maximum resident set size (from wait4), so a shell or an
interpreter that forked it is not counted.
"""
import json
import subprocess
import sys

args = sys.argv[1:]
label = args.pop(0)
cwd = None
if args[0] == "--cwd":
    cwd = args[1]
    args = args[2:]
cmd = args[args.index("--") + 1:]
p = subprocess.run(["/usr/bin/time", "-f", "@@ %e %M"] + cmd, cwd=cwd,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
err = p.stderr.decode(errors="replace")
last = [l for l in err.splitlines() if l.startswith("@@ ")][-1].split()
print(json.dumps({"label": label, "seconds": float(last[1]), "peak_rss_kib": int(last[2]),
                  "exit": p.returncode, "stderr": err.replace("\n", " ")[-300:]}))
