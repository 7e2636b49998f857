"""Build a small hand-checkable aligned dev set from seeds/ (zh run ↔ en run, 1-1 when run sizes match)."""

import re
import sys
from pathlib import Path

from glossary.text.normalize import has_han, to_simplified

RUBY = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zü\u00e0-\u01dc]+\)")


def runs(path):
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = RUBY.sub("", line.strip())
        if not line:
            continue
        lang = "zh" if has_han(line) else "en"
        if out and out[-1][0] == lang:
            out[-1][1].append(line)
        else:
            out.append((lang, [line]))
    return out


def pairs(path):
    rs = runs(path)
    i = 0
    while i + 1 < len(rs):
        a, b = rs[i], rs[i + 1]
        if a[0] == b[0]:
            i += 1
            continue
        zh, en = (a[1], b[1]) if a[0] == "zh" else (b[1], a[1])
        if len(zh) == len(en):
            yield from zip(zh, en)
        else:
            yield " ".join(zh), " ".join(en)
        i += 2


def main(seed_dir, out):
    with open(out, "w", encoding="utf-8") as fh:
        for p in sorted(Path(seed_dir).glob("*.txt")):
            for n, (zh, en) in enumerate(pairs(p)):
                fh.write(f"{p.name}\t{n}\t{to_simplified(zh)}\t{en}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
