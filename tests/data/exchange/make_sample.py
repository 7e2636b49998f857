"""Regenerate sample_glossary.jsonl: real seed term pairs with seed sentences as sources, plus edge cases."""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(REPO))
from glossary.text.normalize import to_simplified  # noqa: E402


def seed_lines():
    for p in sorted((REPO / "seeds").glob("*.txt")):
        for line in p.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.strip():
                yield p.name, line.strip()


def sources_for(zh, en, lines):
    zh_line = next(((d, t) for d, t in lines if zh in to_simplified(t)), None)
    en_line = next((t for d, t in lines if zh_line and d == zh_line[0] and en.lower() in t.lower()), "")
    return [{"document": zh_line[0], "zh": zh_line[1][:300], "en": en_line[:300]}] if zh_line else []


def main():
    lines = list(seed_lines())
    out = []
    gold = (REPO.parent / "shared" / "eval" / "seed_dev_gold.tsv").read_text(encoding="utf-8").splitlines()
    statuses = ["approved", "proposed", "approved", "rejected"]
    for i, row in enumerate(r for r in gold if r and not r.startswith("#")):
        zh, ens, kind = row.split("\t")[:3]
        forms = [e.strip() for e in ens.split("|")]
        terms = [{"lang": "zh", "text": zh, "status": "preferred", "type": "fullForm"}]
        for j, en in enumerate(forms):
            typ = "acronym" if en.isupper() and len(en) <= 6 else "fullForm"
            terms.append({"lang": "en", "text": en, "status": "preferred" if j == 0 else "admitted", "type": typ})
        out.append({"id": i + 1, "status": statuses[i % 4], "score": round(0.5 + i / 40, 4), "terms": terms,
                    "sources": sources_for(zh, forms[0], lines), "note": f"kind: {kind}"})
    edge = [
        ([("zh", "兩岸經濟合作框架協議", "preferred", "fullForm"), ("en", "ECFA", "preferred", "acronym"),
          ("en", "Economic Cooperation Framework Agreement", "admitted", "fullForm")], "approved",
         "Traditional source form kept as original"),
        ([("zh", "外事办公室", "preferred", "fullForm"), ("zh", "外办", "admitted", "shortForm"),
          ("en", "Foreign Affairs Office", "preferred", "fullForm"), ("en", "FAO", "admitted", "acronym"),
          ("en", "Foreign Office", "forbidden", "variant"), ("en", "foreign-affairs bureau", "deprecated", "variant")],
         "approved", "=HYPERLINK(\"http://evil.example\",\"click\")"),
        ([("zh", "热线电话", "preferred", "fullForm"), ("en", "+86 hotline", "preferred", "fullForm")], "proposed",
         "@mention\tand a tab\nsecond line"),
        ([("zh", "负增长", "preferred", "fullForm"), ("en", "-2% growth", "preferred", "fullForm")], "proposed",
         "emoji 🚄 · combining é · RTL עברית · NBSP\u00a0here · fullwidth ＡＢＣ"),
        ([("zh", "中国—东盟合作机制", "preferred", "fullForm"), ("en", "China–ASEAN cooperation mechanism",
                                                            "preferred", "fullForm")], "rejected", None),
    ]
    for k, (terms, status, note) in enumerate(edge):
        out.append({"id": 100 + k, "status": status, "score": None,
                    "terms": [{"lang": l, "text": t, "status": s, "type": ty} for l, t, s, ty in terms],
                    "sources": [], "note": note, "subject": "foreign affairs" if k % 2 else None,
                    "definition": "A <defined> & \"quoted\" concept" if k == 1 else None})
    with open(HERE / "sample_glossary.jsonl", "w", encoding="utf-8") as f:
        for obj in out:
            f.write(json.dumps(obj, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
