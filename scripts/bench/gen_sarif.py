"""Writes the SARIF benchmark input: one run, 800 rules, 50,000 results, about 40 MB.

Usage: gen_sarif.py OUT.sarif   (deterministic: the same bytes every time)

Results look like a security scanner's: message, level, one location with a region and a
snippet, a related location, a short code flow on some, partial fingerprints, properties.
"""
import json
import random
import sys

rnd = random.Random(42)
RULES, RESULTS = 800, 50_000
LEVELS = ["error", "warning", "note"]
words = ("user input flows into a sensitive sink without validation sanitize the value "
         "before use query command path template header cookie token buffer index").split()

rules = []
for i in range(RULES):
    rules.append({
        "id": f"SEC{i:04d}",
        "name": f"Rule{i}",
        "shortDescription": {"text": f"Security rule {i}: " + " ".join(rnd.choices(words, k=6))},
        "fullDescription": {"text": " ".join(rnd.choices(words, k=30))},
        "help": {"text": " ".join(rnd.choices(words, k=40)), "markdown": "# Fix\n" + " ".join(rnd.choices(words, k=40))},
        "helpUri": f"https://example.com/rules/SEC{i:04d}",
        "defaultConfiguration": {"level": LEVELS[i % 3]},
        "properties": {"tags": ["security", f"external/cwe/cwe-{(i * 7) % 900 + 20:03d}"],
                       "security-severity": f"{(i % 100) / 10 + 0.1:.1f}", "precision": "high"},
    })

def loc(i, line):
    return {"physicalLocation": {
        "artifactLocation": {"uri": f"src/module{i % 60}/file{i % 1777}.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": line, "startColumn": 5, "endLine": line, "endColumn": 60,
                   "snippet": {"text": "    value = handler(request.args.get('q'), " + " ".join(rnd.choices(words, k=4)) + ")"}}}}

results = []
for i in range(RESULTS):
    r = i % RULES
    line = rnd.randint(1, 3000)
    res = {
        "ruleId": f"SEC{r:04d}",
        "ruleIndex": r,
        "level": LEVELS[r % 3],
        "message": {"text": f"Finding {i}: " + " ".join(rnd.choices(words, k=14))},
        "locations": [loc(i, line)],
        "relatedLocations": [{"id": 1, "message": {"text": "source"}, "physicalLocation": {
            "artifactLocation": {"uri": f"src/module{i % 60}/input.py", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": max(1, line - 3)}}}],
        "partialFingerprints": {"primaryLocationLineHash": f"{rnd.getrandbits(64):x}:1"},
        "properties": {"confidence": rnd.choice(["high", "medium", "low"]), "cwe": f"CWE-{r % 900 + 20}"},
    }
    if i % 10 == 0:
        res["codeFlows"] = [{"threadFlows": [{"locations": [{"location": loc(i, max(1, line - k))} for k in range(3)]}]}]
    results.append(res)

log = {
    "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
    "version": "2.1.0",
    "runs": [{
        "tool": {"driver": {"name": "BenchScanner", "version": "1.0.0",
                            "informationUri": "https://example.com/bench", "rules": rules}},
        "automationDetails": {"id": "bench/"},
        "results": results,
    }],
}
with open(sys.argv[1], "w") as f:
    json.dump(log, f, separators=(",", ":"))
    f.write("\n")
