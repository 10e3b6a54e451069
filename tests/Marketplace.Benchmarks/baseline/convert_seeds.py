#!/usr/bin/python3
"""Converts seeds/demo (challenges.json, vendors-*.json) into the matcher's JSON Lines inputs in seeds/eval.

Usage: /usr/bin/python3 tests/Marketplace.Benchmarks/baseline/convert_seeds.py [repo-root]

Challenge description = scenario, current process, data available, constraints, expected outcome;
acceptance targets become one line each ("metric threshold (test method)"). A vendor's profile is its
summary; each portfolio case is its text plus its measured outcome. Tags are the seed tag slugs.
"""
import glob
import json
import os
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "..")
demo = os.path.join(root, "seeds", "demo")
out = os.path.join(root, "seeds", "eval")
os.makedirs(out, exist_ok=True)


def joined(*parts):
    return "\n".join(p.strip() for p in parts if p and p.strip())


with open(os.path.join(demo, "challenges.json"), encoding="utf-8") as f:
    challenges = json.load(f)
with open(os.path.join(out, "challenges.jsonl"), "w", encoding="utf-8") as f:
    for c in challenges:
        targets = [
            " ".join(x for x in (t.get("metric"), t.get("threshold"), f"({t['testMethod']})" if t.get("testMethod") else None) if x)
            for t in c.get("acceptanceTargets", [])
        ]
        line = {
            "id": c["key"],
            "title": c["title"],
            "description": joined(c.get("scenario"), c.get("currentProcess"), c.get("dataAvailable"), c.get("constraints"), c.get("expectedOutcome")),
            "tags": c.get("tags", []),
            "acceptanceTargets": targets,
            "language": c.get("language"),
        }
        f.write(json.dumps(line, ensure_ascii=False) + "\n")

vendors = []
for path in sorted(glob.glob(os.path.join(demo, "vendors-*.json"))):
    with open(path, encoding="utf-8") as f:
        vendors.extend(json.load(f))
with open(os.path.join(out, "vendors.jsonl"), "w", encoding="utf-8") as f:
    for v in vendors:
        line = {
            "id": v["key"],
            "name": v.get("nameEn") or v["name"],
            "profile": v.get("summary", ""),
            "portfolio": [{"title": c.get("title", ""), "text": joined(c.get("text"), c.get("outcome"))} for c in v.get("cases", [])],
            "tags": v.get("capabilities", []),
            "language": v.get("language"),
        }
        f.write(json.dumps(line, ensure_ascii=False) + "\n")

print(f"wrote {len(challenges)} challenges and {len(vendors)} vendors to {out}")
