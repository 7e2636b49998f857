"""Regenerate seed_pairs.tsv: zh/en paragraph pairs of two seed files (ruby pinyin stripped), for the TUI tests."""

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parents[2] / "seeds"
RUBY = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
# (file, zh line numbers, en line numbers) — paragraphs that translate each other, in order
PAIRS = [
    ("000_df8d67f183ba9375.txt", [1, 2, 3, 4], [5, 6, 7, 8]),
    ("002_0bdf9ff97015ec13.txt", [4, 5, 6], [1, 2, 3]),
]


def main() -> None:
    out = ["document\tposition\tzh\ten"]
    for name, zh_lines, en_lines in PAIRS:
        lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
        for pos, (z, e) in enumerate(zip(zh_lines, en_lines)):
            zh = RUBY.sub("", lines[z - 1]).strip()
            out.append(f"{name}\t{pos}\t{zh}\t{lines[e - 1].strip()}")
    (HERE / "seed_pairs.tsv").write_text("\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
