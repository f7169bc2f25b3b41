"""Fuzzed packages (issue 15.6): thousands of malformed data packages — damaged files, altered manifests
and signatures, and payloads a trusted sender signed with wrong types, huge numbers, bad dates, unknown
references, path-traversal names and zip bombs. Each is imported or refused with a Chinese message
(never a traceback), and a refused import leaves the receiving database's bytes unchanged."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import LedgerError
from app.io import package as pk
from app.services.book import records
from app.services.opening import setup
from app.services.pairing import pairings
from app.services.register import orgs
from app.services.scoring import scores

from ..conftest import _open
from .conftest import db_bytes, zip_bytes

EXAMPLES = 1650  # per test: 4,950 packages (with test_fuzz_workbooks' 5,100 workbooks, over 10,000 inputs)
CJK = re.compile(r"[\u4e00-\u9fff]")
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A township (the sender) with a little of everything, and a county that trusts its key."""
    folder = tmp_path_factory.mktemp("fuzzpkg")
    town = _open(folder / "town.sqlite")
    setup.initialize(town, "测试乡镇党委")
    orgs.add_org(town, code="P1", name="测试机关党委", sector="机关事业单位", kind="党委", parent="00")
    for code, name, cat in (("B1", "财政局党支部", "A"), ("B2", "税务局党支部", "C")):
        orgs.add_org(town, code=code, name=name, sector="机关事业单位", parent="P1", category=cat, year=2026)
    pairings.add(town, "B1", "B2", 2026)
    scores.set_score(town, "B1", 2026, 3, "KF01", count=1)
    scores.set_score(town, "B2", 2026, 4, "RC02", points="1.0")
    records.add_record(town, "B1", "2.2", {"date": "2026-03-05", "topic": "研究三月工作"})
    pkg = pk.export_package(town, "P1", 2026, folder / "base.djpkg")
    with zipfile.ZipFile(pkg) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    county = _open(folder / "county.sqlite")
    pk.trust_sender(county, pk.read_package(pkg))
    yield town, county, parts, folder
    town.close()
    county.close()


def _try(world, data: bytes) -> None:
    _town, county, _parts, folder = world
    path = folder / "fuzz.djpkg"
    path.write_bytes(data)
    before = db_bytes(county)
    try:
        pk.import_package(county, pk.read_package(path))
    except LedgerError as e:
        assert CJK.search(str(e)), f"not a Chinese message: {e!r}"
        assert db_bytes(county) == before, "a refused package changed the database"


def _signed(world, manifest: dict, payload: bytes) -> bytes:
    """Signed by the trusted sender: only the content's own checks can refuse it."""
    town = world[0]
    manifest = {**manifest, "payload_sha256": hashlib.sha256(payload).hexdigest()}
    return pk.build(town, json.dumps(manifest, ensure_ascii=False).encode(), payload)


junk = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30),
              st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=8),
              st.sampled_from(["2026-02-30", "2026x", "../../etc/passwd", "0" * 40, "", "RC02", "B1", "99999"])),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6,
)


@FUZZ
@given(data=st.data())
def test_payload_rows_with_wrong_values_signed_by_a_trusted_sender(world, data):
    _town, _county, parts, _folder = world
    payload = json.loads(parts["payload.json"])
    entities = [e for e, rows in payload.items() if isinstance(rows, list) and rows]
    how = data.draw(st.sampled_from(["value", "drop_key", "add_row", "entity", "top", "deletion"]))
    if how in ("value", "drop_key"):
        entity = data.draw(st.sampled_from(entities))
        row = data.draw(st.sampled_from(payload[entity]))
        key = data.draw(st.sampled_from(sorted(row)))
        if how == "value":
            row[key] = data.draw(junk)
        else:
            del row[key]
    elif how == "add_row":
        entity = data.draw(st.sampled_from(entities))
        payload[entity].append(data.draw(st.dictionaries(st.sampled_from(sorted(payload[entity][0])), junk)))
    elif how == "entity":
        payload[data.draw(st.sampled_from(sorted(payload)))] = data.draw(junk)
    elif how == "deletion":
        payload.setdefault("deletions", []).append(data.draw(st.fixed_dictionaries(
            {"entity": st.sampled_from(["scores", "records", "pairings", "committee", "grades", "x"]), "row": junk})))
    else:
        payload = data.draw(junk)
    raw = json.dumps(payload, ensure_ascii=False, default=str).encode()
    _try(world, _signed(world, json.loads(parts["manifest.json"]), raw))


@FUZZ
@given(data=st.data())
def test_manifests_and_signatures_altered(world, data):
    _town, _county, parts, _folder = world
    manifest = json.loads(parts["manifest.json"])
    key = data.draw(st.sampled_from(sorted(manifest)))
    manifest[key] = data.draw(junk)
    if data.draw(st.booleans()):  # signed again by the sender: the manifest's own checks must refuse it
        blob = _signed(world, manifest, parts["payload.json"])
    else:  # not signed again: the signature must refuse it
        blob = zip_bytes({**parts, "manifest.json": json.dumps(manifest, default=str).encode()})
        if data.draw(st.booleans()):
            sig = json.loads(parts["signature.json"])
            sig[data.draw(st.sampled_from(sorted(sig)))] = data.draw(junk)
            blob = zip_bytes({**parts, "manifest.json": json.dumps(manifest, default=str).encode(),
                         "signature.json": json.dumps(sig, default=str).encode()})
    _try(world, blob)


@FUZZ
@given(data=st.data())
def test_damaged_files_and_odd_members(world, data):
    _town, _county, parts, _folder = world
    blob = zip_bytes(parts)
    how = data.draw(st.sampled_from(["truncate", "flip", "bytes", "drop", "rename", "extra", "garble"]))
    if how == "truncate":
        blob = blob[: data.draw(st.integers(min_value=0, max_value=len(blob) - 1))]
    elif how == "flip":
        at = data.draw(st.integers(min_value=0, max_value=len(blob) - 1))
        blob = blob[:at] + bytes([blob[at] ^ data.draw(st.integers(1, 255))]) + blob[at + 1:]
    elif how == "bytes":
        blob = data.draw(st.sampled_from([b"", b"PK\x03\x04", b"{}"])) + data.draw(st.binary(max_size=300))
    else:
        changed = dict(parts)
        name = data.draw(st.sampled_from(sorted(changed)))
        if how == "drop":
            del changed[name]
        elif how == "rename":
            changed[data.draw(st.sampled_from(["../" + name, "/" + name, name.upper(), name + "\x00"]))] = changed.pop(name)
        elif how == "extra":
            changed[data.draw(st.sampled_from(["../../evil.sh", "payload.json/x", "C:\\x.bat"]))] = b"echo x"
        else:
            raw = changed[name]
            at = data.draw(st.integers(min_value=0, max_value=max(0, len(raw) - 1)))
            changed[name] = raw[:at] + data.draw(st.binary(max_size=20)) + raw[at + 1:]
        blob = zip_bytes(changed)
    _try(world, blob)


@pytest.mark.parametrize("member", ["payload.json", "manifest.json", "extra.bin"])
def test_zip_bombs_are_refused_before_they_are_read(world, member):
    _town, county, parts, folder = world
    changed = dict(parts)
    changed[member] = b" " * (40 * 1024 * 1024)  # 40 MB unpacked, about 40 KB packed
    path = folder / "bomb.djpkg"
    path.write_bytes(zip_bytes(changed))
    before = db_bytes(county)
    with pytest.raises(LedgerError, match="压缩炸弹"):
        pk.read_package(path)
    assert db_bytes(county) == before
