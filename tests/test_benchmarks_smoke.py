"""Benchmarks never rot: every benchmarks/bench_*.py runs with --smoke and writes schema-valid JSON; generate.py is
deterministic and builds corpora with consistently translated terms, names and acronyms."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks"
sys.path.insert(0, str(BENCH))

import benchlib  # noqa: E402
import generate  # noqa: E402
import run_all  # noqa: E402

# bench_pipeline.py has its own, more detailed smoke test below
SCRIPTS = sorted(p.name for p in BENCH.glob("bench_*.py") if p.name != "bench_pipeline.py")


def _sandbox(tmp_path: Path) -> Path:
    """A copy of benchmarks/ next to symlinks of the rest of the repo, so scripts write results into tmp_path."""
    root = tmp_path / "repo"
    root.mkdir()
    for entry in REPO.iterdir():
        if entry.name in ("benchmarks", ".git", ".venv") or entry.name.startswith(".pytest"):
            continue
        (root / entry.name).symlink_to(entry)
    shutil.copytree(BENCH, root / "benchmarks",
                    ignore=shutil.ignore_patterns("results", ".cache", "__pycache__", "*.tmp"))
    return root


# --------------------------------------------------------------------------- every bench script, smoke size


@pytest.mark.slow  # each script starts the real stage (dictionary, jieba, TUI): minutes in all; CI runs it
@pytest.mark.parametrize("script", SCRIPTS)
def test_bench_script_smoke(script, tmp_path):
    root = _sandbox(tmp_path)
    proc = subprocess.run([sys.executable, str(root / "benchmarks" / script), "--smoke"], cwd=root,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, f"{script} --smoke failed:\n{proc.stderr[-3000:]}"
    written = sorted((root / "benchmarks" / "results").glob("*.json"))
    assert written, f"{script} --smoke wrote no benchmarks/results/*.json"
    for f in written:
        doc = json.loads(f.read_text(encoding="utf-8"))
        assert benchlib.validate(doc) == [], f"{f.name}: {benchlib.validate(doc)}"
        assert doc["runs"], f"{f.name} has no result rows"


@pytest.mark.slow
def test_pipeline_smoke_measures_every_available_stage(tmp_path):
    root = _sandbox(tmp_path)
    proc = subprocess.run([sys.executable, str(root / "benchmarks" / "bench_pipeline.py"), "--smoke"],
                          cwd=root, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    doc = json.loads((root / "benchmarks" / "results" / "pipeline.json").read_text(encoding="utf-8"))
    assert benchlib.validate(doc) == []
    metrics = {r["metric"]: r for r in doc["runs"]}
    assert {"align throughput", "align-baseline throughput", "ingest-tsv throughput", "mine time",
            "e2e time"} <= set(metrics), sorted(metrics)
    align = metrics["align throughput"]
    assert align["value"] > 0 and align["unit"] == "pairs/s"
    assert align["goal"] == {"op": ">=", "value": 3000}
    assert align["baseline"]["name"].startswith("length-only") and align["baseline"]["ratio"] > 0
    assert align["pairs_out"] > 0
    assert metrics["mine time"]["candidates"] > 0
    assert metrics["mine peak RSS"]["unit"] == "MB" and metrics["mine peak RSS"]["value"] > 10


@pytest.mark.slow
def test_pipeline_cli_stage_smoke(tmp_path):
    out = tmp_path / "pipeline.json"
    proc = subprocess.run([sys.executable, str(BENCH / "bench_pipeline.py"), "--smoke", "--cache",
                           str(tmp_path / "cache"), "--stages", "cli", "--out", str(out)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = json.loads(out.read_text(encoding="utf-8"))["runs"]
    assert any(r["metric"] == "cli time" and r["value"] > 0 for r in rows) or all(
        "skipped" in (r.get("note") or "") for r in rows)


# --------------------------------------------------------------------------- run_all


def test_run_all_tabulates_and_judges_goals(tmp_path):
    res = tmp_path / "results"
    benchlib.write_results("demo", [
        benchlib.run(1000, "speed", 5000.0, "pairs/s", benchlib.goal(">=", 3000),
                     benchlib.baseline("plain re", 2500.0, 2.0)),
        benchlib.run(1000, "time", 75.0, "s", benchlib.goal("<=", 60)),
        benchlib.run(1000, "latency", 0.05, "s", "< 0.1 s"),  # lenient text goal
        benchlib.run(1000, "tui", None, "", None, note="skipped: no TUI yet"),
    ], res / "demo.json")
    (res / "broken.json").write_text('{"stage": "x", "runs": [{"size": 1}]}', encoding="utf-8")
    proc = subprocess.run([sys.executable, str(BENCH / "run_all.py"), "--no-run", "--results", str(res)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads((res / "summary.json").read_text(encoding="utf-8"))
    verdicts = {r["metric"]: r["verdict"] for r in summary["rows"] if r["stage"] == "demo"}
    assert verdicts == {"speed": "pass", "time": "FAIL", "latency": "pass", "tui": ""}
    assert summary["goals"] == {"pass": 2, "fail": 1}
    assert any(p.startswith("broken.json") for p in summary["schema_problems"])
    assert "2.00×" in proc.stdout and "FAIL" in proc.stdout


def test_validate_rejects_malformed_results():
    assert benchlib.validate({"stage": "s", "runs": [], "env": {}}) == []
    assert benchlib.validate({"stage": "", "runs": {}, "env": {}})
    assert benchlib.validate({"stage": "s", "runs": [{"size": 1, "metric": "m", "value": "fast", "unit": ""}],
                              "env": {}})


def test_run_all_goal_parsing():
    assert run_all.parse_goal({"op": "<=", "value": 20}) == ("<=", 20.0)
    assert run_all.parse_goal("≥ 10 MB/s") == (">=", 10.0)
    assert run_all.parse_goal("fast") is None
    assert run_all.verdict(9.9, "≥ 10 MB/s") == "FAIL"


# --------------------------------------------------------------------------- generate.py


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes(tmp_path):
    generate.write_corpus(tmp_path / "a", 1500, seed=3)
    generate.write_corpus(tmp_path / "b", 1500, seed=3)
    generate.write_corpus(tmp_path / "c", 1500, seed=4)
    a, b, c = _tree(tmp_path / "a"), _tree(tmp_path / "b"), _tree(tmp_path / "c")
    assert a == b
    assert a["tsv/0000.tsv"] != c["tsv/0000.tsv"]


def test_cli_writes_the_same_corpus_as_the_library(tmp_path):
    proc = subprocess.run([sys.executable, str(BENCH / "generate.py"), "--pairs", "700", "--seed", "5",
                           "--out", str(tmp_path / "cli"), "--lexicon"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    generate.write_corpus(tmp_path / "lib", 700, seed=5)
    cli, lib = _tree(tmp_path / "cli"), _tree(tmp_path / "lib")
    assert cli.pop("lexicon.tsv").count(b"\n") == len(generate.lexicon(5).all())
    assert cli == lib


def test_sizes_and_file_shapes(tmp_path):
    n = 2345
    m = generate.write_corpus(tmp_path, n, seed=1)
    assert m["pairs"] == n and len(generate.pairs(n, 1)) == n
    tsv = (tmp_path / "tsv" / "0000.tsv").read_text(encoding="utf-8").splitlines()
    assert len(tsv) == n and all(line.count("\t") == 1 for line in tsv)
    zh = (tmp_path / "pairs" / "0000.zh.txt").read_text(encoding="utf-8").splitlines()
    en = (tmp_path / "pairs" / "0000.en.txt").read_text(encoding="utf-8").splitlines()
    assert len(zh) == len(en) == n
    assert [f"{z}\t{e}" for z, e in zip(zh, en)] == tsv
    mixed = sorted((tmp_path / "mixed").rglob("*.txt"))
    assert len(mixed) == m["documents"]
    docs = generate.documents(n, 1)
    assert all(generate.DOC_PAIRS[0] <= len(d) <= generate.DOC_PAIRS[1] for d in docs[:-1])


def test_large_sizes_split_into_files(tmp_path, monkeypatch):
    monkeypatch.setattr(generate, "FILE_PAIRS", 400)
    generate.write_corpus(tmp_path, 1000, seed=2, kinds=("tsv",))
    files = sorted((tmp_path / "tsv").glob("*.tsv"))
    assert [len(f.read_text(encoding="utf-8").splitlines()) for f in files] == [400, 400, 200]


def test_terms_are_translated_consistently():
    lex = generate.lexicon(1)
    ps = generate.pairs(20_000, 1)
    zh_count = Counter()
    for t in lex.terms[:30] + lex.names[:30]:  # the most frequent (Zipf head)
        with_zh = [e for z, e in ps if t.zh in z]
        assert len(with_zh) >= 20, f"{t} should recur"
        zh_count[t.zh] = len(with_zh)
        agree = sum(t.en in e for e in with_zh) / len(with_zh)
        assert agree >= 0.95, f"{t.zh} → {t.en!r} only in {agree:.0%} of its pairs"
    # multi-word terms and pinyin names really are what the corpus is made of
    assert sum(len(t.en.split()) >= 2 for t in lex.terms) == len(lex.terms)
    assert all(re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+", t.en) for t in lex.names)


def test_acronyms_introduced_once_per_document():
    lex = generate.lexicon(1)
    checked = 0
    for doc in generate.documents(3000, 1):
        for o in lex.orgs:
            mentions = [e for z, e in doc if o.zh in z and (o.en in e or re.search(rf"\b{o.acronym}\b", e))]
            if len(mentions) < 2:
                continue
            assert f"{o.en} ({o.acronym})" in mentions[0]
            assert all(o.en not in e and re.search(rf"\b{o.acronym}\b", e) for e in mentions[1:])
            checked += 1
    assert checked >= 10


def test_seed_sentences_are_simplified_and_clean():
    from glossary.text.normalize import to_simplified

    sp = generate.seed_pairs()
    assert len(sp) >= 20
    for z, e in sp:
        assert to_simplified(z) == z
        assert not generate._RUBY.search(z)
        assert re.search(r"[A-Za-z]{3}", e) and not re.search(r"[\u4e00-\u9fff]{3}", e)


def test_mixed_documents_look_like_the_seeds(tmp_path):
    from glossary.text.normalize import is_traditional

    generate.write_corpus(tmp_path, 3000, seed=1, kinds=("mixed",))
    texts = [p.read_text(encoding="utf-8") for p in sorted((tmp_path / "mixed").rglob("*.txt"))]
    trad = [t for t in texts if is_traditional(t)]
    ruby = [t for t in texts if re.search(r"[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", t)]
    assert 0 < len(trad) < len(texts) and 0 < len(ruby) <= len(trad)
    for t in texts:
        langs = ["zh" if re.search(r"[\u4e00-\u9fff]", ln) else "en" for ln in t.splitlines()]
        switches = sum(a != b for a, b in zip(langs, langs[1:]))
        assert switches == 1, "one zh run and one en run per document"


def test_pipeline_merge_and_growth(tmp_path):
    import bench_pipeline

    r = benchlib.run
    old = tmp_path / "pipeline.json"
    benchlib.write_results("pipeline", [r(10_000, "align throughput", 1000.0, "pairs/s", cpu_s=8.0),
                                        r(100_000, "align throughput", 1.0, "pairs/s", cpu_s=1.0),
                                        r(100_000, "align time growth 10000→100000", 1.0, "x")], old)
    new = [r(100_000, "align throughput", 500.0, "pairs/s", cpu_s=160.0)]
    rows = bench_pipeline.merged(new, old, [100_000])
    assert [(x["size"], x["value"]) for x in rows] == [(10_000, 1000.0), (100_000, 500.0)]
    growth = bench_pipeline.growth_rows(rows)
    assert len(growth) == 1 and growth[0]["value"] == 20.0 and growth[0]["cpu_growth"] == 20.0
    assert growth[0]["size_factor"] == 10.0
