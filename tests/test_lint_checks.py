"""Lint checks on small drafts: status, missing term (pairs, TSV, TMX), inconsistency, variants, acronyms."""

from __future__ import annotations

import zipfile

from glossary.data import EntryData, TermData
from glossary.lint.runner import run_lint


def entry(*terms) -> EntryData:
    return EntryData([TermData(*t) for t in terms], status="approved")


ENTRIES = [
    entry(("zh", "西部陆海新通道", "fullForm", "preferred"),
          ("en", "New International Land-Sea Trade Corridor", "fullForm", "preferred"),
          ("en", "ILSTC", "acronym", "preferred"),
          ("en", "New Western Land-Sea Corridor", "fullForm", "deprecated")),
    entry(("zh", "二级巡视员", "fullForm", "preferred"), ("zh", "二级调研员", "fullForm", "deprecated"),
          ("en", "level-II inspector", "fullForm", "preferred"),
          ("en", "level-2 counselor", "fullForm", "forbidden")),
    entry(("zh", "港澳办", "fullForm", "preferred"),
          ("en", "Hong Kong and Macao Affairs Office", "fullForm", "preferred")),
    entry(("zh", "外事办公室", "fullForm", "preferred"),
          ("en", "Foreign Affairs Office", "fullForm", "preferred"),
          ("en", "Office of Foreign Affairs", "fullForm", "admitted")),
]


def lint(tmp_path, name: str, text: str, **kw):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return run_lint([str(p)], ENTRIES, use_ignore_file=False, **kw).findings


def brief(findings):
    return [(f.line, f.column, f.check, f.match) for f in findings]


def test_forbidden_and_deprecated_in_english_draft(tmp_path):
    text = ("Two level-2 counselors met.\n"
            "They discussed the New Western Land-Sea Corridor's ports.\n")
    fs = lint(tmp_path, "draft.txt", text)
    assert brief(fs) == [(1, 5, "forbidden-term", "level-2 counselors"),
                         (2, 20, "deprecated-term", "New Western Land-Sea Corridor's")]
    assert fs[0].severity == "error" and fs[0].suggestion == "use 'level-II inspectors'"
    assert fs[1].suggestion == "use 'New International Land-Sea Trade Corridor's'"
    assert "forbidden for 二级巡视员 / level-II inspector" in fs[0].message


def test_chinese_only_draft_traditional(tmp_path):
    fs = lint(tmp_path, "zh.txt", "會議由二級調研員主持。\n西部陸海新通道建設。\n")
    assert brief(fs) == [(1, 4, "deprecated-term", "二級調研員")]
    assert fs[0].suggestion == "use '二级巡视员'"


def test_acronym_before_expansion(tmp_path):
    fs = lint(tmp_path, "a.txt", "The ILSTC grows.\nThe New International Land-Sea Trade Corridor links. ILSTC again.")
    assert brief(fs) == [(1, 5, "acronym-before-expansion", "ILSTC")]
    assert fs[0].suggestion == "write 'New International Land-Sea Trade Corridor (ILSTC)' at first use"
    ok = "The New International Land-Sea Trade Corridor (ILSTC) grows. ILSTC again."
    assert lint(tmp_path, "b.txt", ok) == []
    assert lint(tmp_path, "c.txt", "The ILSTC (New International Land-Sea Trade Corridor) grows.") == []


def test_unapproved_variants(tmp_path):
    text = ("The New International Land Sea Trade Corridor opened.\n"       # hyphen → space
            "the new international land-sea trade corridor too.\n"           # proper noun lower-cased
            "Level-II inspector Ma spoke.\n"                                 # sentence-initial capital: fine
            "The New International Land-Sea Trade Coridor is a typo.\n"      # near match (rapidfuzz)
            "A level-I inspector and the Hong Kong and Macao Affairs Office.\n")  # different numbers / terms
    fs = lint(tmp_path, "v.txt", text)
    assert brief(fs) == [
        (1, 5, "unapproved-variant", "New International Land Sea Trade Corridor"),
        (2, 5, "unapproved-variant", "new international land-sea trade corridor"),
        (4, 5, "unapproved-variant", "New International Land-Sea Trade Coridor"),
    ]
    assert all(f.severity == "warning" for f in fs)
    assert "spelling variant" in fs[0].message and "casing" in fs[1].message
    assert "looks like a variant" in fs[2].message
    assert fs[2].suggestion == "use 'New International Land-Sea Trade Corridor'"


def test_inconsistent_translation_names_majority_and_preferred(tmp_path):
    text = ("The Office of Foreign Affairs met. The Office of Foreign Affairs agreed.\n"
            "Later the Foreign Affairs Office said so.\n")
    fs = [f for f in lint(tmp_path, "i.txt", text) if f.check == "inconsistent-translation"]
    assert brief(fs) == [(1, 5, "inconsistent-translation", "Office of Foreign Affairs"),
                         (1, 40, "inconsistent-translation", "Office of Foreign Affairs")]
    assert "majority 'Office of Foreign Affairs', preferred 'Foreign Affairs Office'" in fs[0].message
    assert fs[0].suggestion == "use 'Foreign Affairs Office'"


def test_missing_term_in_zh_en_pair_files(tmp_path):
    zh = tmp_path / "zh.txt"
    en = tmp_path / "en.txt"
    zh.write_text("重庆推进西部陆海新通道建设。\n会议由二级巡视员主持。\n西部陆海新通道连接东盟。\n", encoding="utf-8")
    en.write_text("Chongqing advances the ILSTC.\nThe meeting was chaired by an official.\n"
                  "The corridor links ASEAN.\n", encoding="utf-8")
    fs = run_lint([], ENTRIES, zh=str(zh), en=str(en), use_ignore_file=False).findings
    missing = [(f.path, f.line, f.column, f.match) for f in fs if f.check == "missing-term"]
    assert missing == [(str(zh), 2, 4, "二级巡视员"), (str(zh), 3, 1, "西部陆海新通道")]
    # the acronym before expansion is reported in the English file
    assert [(f.path, f.line, f.check) for f in fs if f.check != "missing-term"] == [
        (str(en), 1, "acronym-before-expansion")]


def test_tsv_bitext_positions(tmp_path):
    text = ("西部陆海新通道建设\tBuilding the New Western Land-Sea Corridor\n"
            "二级巡视员出席\tA level-II inspector attended\n"
            "港澳办主任\tThe director spoke\n")
    fs = lint(tmp_path, "bi.tsv", text)
    assert brief(fs) == [(1, 24, "deprecated-term", "New Western Land-Sea Corridor"),
                         (3, 1, "missing-term", "港澳办")]


def test_tmx_positions(tmp_path):
    tmx = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="zh-CN" datatype="plaintext" segtype="sentence" adminlang="en"
 creationtool="t" creationtoolversion="1" o-tmf="t"/><body>
<tu><tuv xml:lang="zh-CN"><seg>西部陆海新通道建设</seg></tuv>
<tuv xml:lang="en"><seg>Building the New Western Land-Sea Corridor</seg></tuv></tu>
<tu><tuv xml:lang="zh-CN"><seg>港澳办主任讲话</seg></tuv>
<tuv xml:lang="en"><seg>The director spoke</seg></tuv></tu>
</body></tmx>
"""
    fs = lint(tmp_path, "mem.tmx", tmx)
    checks = [(f.check, f.match) for f in fs]
    assert checks == [("deprecated-term", "New Western Land-Sea Corridor"), ("missing-term", "港澳办")]
    lines = tmx.splitlines()
    for f in fs:
        assert lines[f.line - 1][f.column - 1:].startswith(f.match)


def test_mixed_document_is_aligned_for_missing_terms(tmp_path):
    text = ("重庆推进西部陆海新通道建设。\n会议由二级巡视员主持。\n"
            "Chongqing advances the New International Land-Sea Trade Corridor.\n"
            "The meeting was chaired by an official.\n")
    fs = lint(tmp_path, "mixed.txt", text)
    assert brief(fs) == [(2, 4, "missing-term", "二级巡视员")]


def test_docx_draft(tmp_path):
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in
                   ("Title", "We met the level-2 counselor.", "And the ILSTC."))
    doc = f'<?xml version="1.0"?><w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'
    p = tmp_path / "draft.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("word/document.xml", doc)
    fs = run_lint([str(p)], ENTRIES, use_ignore_file=False).findings
    assert brief(fs) == [(2, 12, "forbidden-term", "level-2 counselor"),
                         (3, 9, "acronym-before-expansion", "ILSTC")]
