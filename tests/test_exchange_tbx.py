"""TBX v3 (TBX-Basic DCA): our export validates against the official schemas; official samples behave."""

from __future__ import annotations

import pytest
from lxml import etree

from glossary.errors import InputError
from glossary.exchange import load_entries
from glossary.exchange.tbxvalidate import validate_tbx
from glossary.store.bulk import import_entries
from tests.exchange_support import SCHEMAS, export, fresh_service, sample_entries

pytestmark = pytest.mark.skipif(not SCHEMAS.exists(), reason="official TBX schemas not available")
NS = {"t": "urn:iso:std:iso:30042:ed-2"}


@pytest.fixture
def sample_svc(tmp_path):
    svc = fresh_service(tmp_path)
    import_entries(svc, sample_entries(), on_duplicate="new")
    yield svc
    svc.close()


def test_export_validates_against_relaxng_and_schematron(sample_svc, tmp_path):
    path = export(sample_svc, tmp_path / "out.tbx", "tbx")
    report = validate_tbx(path, SCHEMAS)
    assert report.structure == []
    assert report.dialect == []
    root = etree.parse(str(path)).getroot()
    assert (root.get("type"), root.get("style")) == ("TBX-Basic", "dca")
    assert len(root.findall(".//t:conceptEntry", NS)) == 19


def test_export_of_imported_astronomy_sample_validates(tmp_path):
    svc = fresh_service(tmp_path)
    try:
        import_entries(svc, load_entries(SCHEMAS / "Example_Astronomy_DCA_VALID.tbx"))
        report = validate_tbx(export(svc, tmp_path / "astro.tbx", "tbx"), SCHEMAS)
        assert report.valid, report.messages()[:5]
    finally:
        svc.close()


def test_data_categories_in_export(sample_svc, tmp_path):
    root = etree.parse(str(export(sample_svc, tmp_path / "out.tbx", "tbx"))).getroot()
    term = root.xpath(".//t:termSec[t:term='Foreign Office']", namespaces=NS)[0]
    notes = {n.get("type"): n.text for n in term.findall("t:termNote", NS)}
    assert notes == {"administrativeStatus": "deprecatedTerm-admn-sts", "termType": "variant"}
    assert "glossary-usage: forbidden" in [n.text for n in term.findall("t:note", NS)]
    preferred = root.xpath(".//t:termSec[t:term='ECFA']/t:termNote[@type='administrativeStatus']", namespaces=NS)
    assert preferred[0].text == "preferredTerm-admn-sts"
    # Traditional source form kept, pinyin carried, transaction and context present
    zh = root.xpath(".//t:langSec[@xml:lang='zh-CN']/t:termSec[t:term='两岸经济合作框架协议']", namespaces=NS)[0]
    texts = [n.text for n in zh.findall("t:note", NS)]
    assert "glossary-original: 兩岸經濟合作框架協議" in texts
    assert any(t.startswith("glossary-pinyin: liǎng àn") for t in texts)
    first = root.find("t:text/t:body/t:conceptEntry", NS)
    assert first.find("t:transacGrp/t:transac", NS).text == "origination"
    assert first.find("t:transacGrp/t:transacNote[@type='responsibility']", NS).text == "alice"
    assert first.xpath(".//t:descrip[@type='context']", namespaces=NS)


@pytest.mark.parametrize("name, kind", [("basic_bad.tbx", "dialect"), ("core_structure_bad.tbx", "structure"),
                                        ("poorly_formed_xml.tbx", "structure")])
def test_official_bad_samples_are_rejected(name, kind):
    report = validate_tbx(SCHEMAS / name, SCHEMAS)
    assert not report.valid
    assert getattr(report, kind)
    if name == "basic_bad.tbx":
        assert len(report.dialect) == 36


def test_official_valid_sample_is_accepted_and_imported(tmp_path):
    assert validate_tbx(SCHEMAS / "Example_Astronomy_DCA_VALID.tbx", SCHEMAS).valid
    entries = load_entries(SCHEMAS / "Example_Astronomy_DCA_VALID.tbx")
    assert len(entries) == 39  # 45 concepts, 6 of them without an English term (reported as warnings)
    assert len(entries.warnings) == 6
    first = entries[0]
    assert [(t.text, t.status, t.pos) for t in first.terms] == [
        ("open cluster", "preferred", "noun"), ("galactic cluster", "deprecated", "noun")]  # superseded
    assert first.subject == "General"
    assert first.definition.startswith("A group of stars formed together")
    assert "xGraphic: Open_Cluster.JPG" in first.note  # unknown to us: kept as a note
    assert "es: cúmulo abierto" in first.note  # other languages kept as notes
    assert (first.created_at, first.created_by, first.updated_at) == ("2010-04-17", "Tommy", "2010-05-01")
    assert first.sources[0]["document"] == "http://seds.org/MESSIER/open.html"
    svc = fresh_service(tmp_path)
    try:
        report = import_entries(svc, entries, source="astronomy")
        assert report.created == 39
        again = import_entries(svc, load_entries(SCHEMAS / "Example_Astronomy_DCA_VALID.tbx"))
        assert (again.created, again.merged, again.unchanged) == (0, 0, 39)  # idempotent
    finally:
        svc.close()


def test_import_rejects_broken_structure_with_position():
    with pytest.raises(InputError, match=r"core_structure_bad\.tbx:30: termSec must hold exactly one <term>"):
        load_entries(SCHEMAS / "core_structure_bad.tbx")
    with pytest.raises(InputError, match=r"poorly_formed_xml\.tbx:42:\d+: malformed XML"):
        load_entries(SCHEMAS / "poorly_formed_xml.tbx")
