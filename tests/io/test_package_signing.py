"""Signed packages: forged, renamed, unsigned, unknown and changed keys are refused; trust on first use; keys CLI."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile

import pytest

from app.errors import ValidationError
from app.io import package as pk
from app.io.package import export_package, read_package
from app.services.exchange import trust
from app.services.kernel import identity
from app.services.opening.setup import open_ledger
from app.services.scoring import scores

from ..conftest import TODAY
from .test_cli_excel import run
from .test_package import _data_rows


@pytest.fixture
def county(tmp_path):
    lg = open_ledger(tmp_path / "county.sqlite")
    lg.today = lambda: TODAY
    yield lg
    lg.close()


def _members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _write(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w") as z:
        for n, b in members.items():
            z.writestr(n, b)
    return path


def test_a_forged_payload_with_a_recomputed_hash_is_refused(demo_ledger, county, tmp_path):
    pkg = export_package(demo_ledger, "QS01", 2026, tmp_path / "a.djpkg")
    m = _members(pkg)
    payload = json.loads(m["payload.json"])
    kf = next(r for r in payload["scores"] if r.get("manual_points") not in (None, "0.0"))
    kf["manual_points"] = "0.0"  # a penalty quietly removed
    body = json.dumps(payload).encode()
    manifest = json.loads(m["manifest.json"])
    manifest["payload_sha256"] = hashlib.sha256(body).hexdigest()
    forged = _write(tmp_path / "forged.djpkg", {**m, "payload.json": body,
                                                "manifest.json": json.dumps(manifest).encode()})
    fp = identity.own_fingerprint(demo_ledger)
    before = _data_rows(county.path)
    with pytest.raises(ValidationError, match=f"签名与内容不符（签名密钥指纹 {fp}）"):
        read_package(forged)
    assert _data_rows(county.path) == before


def test_an_unsigned_or_old_format_package_is_refused(demo_ledger, tmp_path):
    m = _members(export_package(demo_ledger, "QS01", 2026, tmp_path / "a.djpkg"))
    unsigned = _write(tmp_path / "u.djpkg", {"manifest.json": m["manifest.json"], "payload.json": m["payload.json"]})
    manifest = json.loads(m["manifest.json"])
    manifest["format_version"] = 1
    old = _write(tmp_path / "old.djpkg", {"manifest.json": json.dumps(manifest).encode(),
                                          "payload.json": m["payload.json"]})
    for path in (unsigned, old):
        with pytest.raises(ValidationError, match="没有签名.*请对方用新版本软件重新导出"):
            read_package(path)


def test_renaming_the_sender_does_not_defeat_the_older_package_rule(demo_ledger, county, tmp_path):
    old = export_package(demo_ledger, "QS01", 2026, tmp_path / "old.djpkg")
    scores.set_score(demo_ledger, "QS0102", 2026, 11, "KF01", points="8.0")
    new = read_package(export_package(demo_ledger, "QS01", 2026, tmp_path / "new.djpkg"))
    pk.trust_sender(county, new)
    pk.import_package(county, new)
    m = _members(old)
    manifest = json.loads(m["manifest.json"])
    manifest["source_unit"], manifest["source_unit_name"] = "X9", "另一个单位"
    renamed = _write(tmp_path / "renamed.djpkg", {**m, "manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(ValidationError, match="签名与内容不符"):
        read_package(renamed)
    # Even the sender itself renaming its unit (and signing again) is still the same unit id.
    resigned = tmp_path / "resigned.djpkg"
    resigned.write_bytes(pk.build(demo_ledger, json.dumps(manifest).encode(), m["payload.json"]))
    before = _data_rows(county.path)
    with pytest.raises(ValidationError, match="比本机已导入的那一份.*旧"):
        pk.import_package(county, read_package(resigned))
    assert _data_rows(county.path) == before


def test_unknown_then_pinned_then_changed_key(demo_ledger, county, tmp_path):
    info = read_package(export_package(demo_ledger, "QS01", 2026, tmp_path / "a.djpkg"))
    fp = identity.own_fingerprint(demo_ledger)
    assert info.fingerprint == fp and pk.check_sender(county, info) == trust.NEW_KEY
    before = _data_rows(county.path)
    with pytest.raises(ValidationError, match=f"尚未被本机信任.*|指纹 {fp}"):
        pk.import_package(county, info)
    assert _data_rows(county.path) == before
    pin = pk.trust_sender(county, info)
    assert pin.fingerprint == fp and [p.fingerprint for p in trust.list_pins(county)] == [fp]
    assert pk.import_package(county, info).total("add") > 0
    # The same unit, another key (a copy of its file on another PC, or someone posing as it).
    impostor_path = tmp_path / "impostor.sqlite"
    shutil.copy(demo_ledger.path, impostor_path)
    impostor = open_ledger(impostor_path)
    scores.set_score(impostor, "QS0102", 2026, 11, "KF01", points="1.0")
    other = read_package(export_package(impostor, "QS01", 2026, tmp_path / "b.djpkg"))
    impostor.close()
    assert other.source == info.source and other.fingerprint != fp
    before = _data_rows(county.path)
    with pytest.raises(ValidationError, match=f"另一把密钥签名（指纹 {other.fingerprint}）.*本机记录的指纹是 {fp}"):
        pk.plan_package(county, other)
    with pytest.raises(ValidationError, match="另一把密钥签名"):
        pk.trust_sender(county, other)
    assert _data_rows(county.path) == before


def test_keys_commands_and_first_use_on_the_command_line(demo_ledger, tmp_path):
    sender, receiver = demo_ledger.path, tmp_path / "receiver.sqlite"
    fp = identity.own_fingerprint(demo_ledger)
    code, out, _ = run(sender, "keys", "show")
    assert code == 0 and fp in out and identity.unit_id(demo_ledger) in out
    assert run(sender, "keys", "export", "-o", str(tmp_path / "key.json"))[0] == 0
    assert run(sender, "export-package", "--scope", "QS01", "--year", "2026", "-o", str(tmp_path / "p.djpkg"))[0] == 0
    code, out, _ = run(receiver, "keys", "list", "--json")
    assert code == 0 and json.loads(out) == []
    code, out, _ = run(receiver, "import-package", str(tmp_path / "p.djpkg"))
    assert code == 0 and f"密钥指纹 {fp}" in out and "已信任此密钥" in out and "已导入" in out
    code, out, _ = run(receiver, "keys", "list", "--json")
    assert [p["fingerprint"] for p in json.loads(out)] == [fp]
    code, out, _ = run(receiver, "keys", "forget", fp[:9])
    assert code == 0 and "已不再信任" in out
    code, _, err = run(receiver, "keys", "forget", fp[:9])
    assert code == 2 and "没有已信任的密钥" in err
    code, out, _ = run(receiver, "keys", "trust", "--file", str(tmp_path / "key.json"))
    assert code == 0 and fp in out
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    code, _, err = run(receiver, "keys", "trust", "--file", str(tmp_path / "bad.json"))
    assert code == 2 and "不是本软件导出的密钥文件" in err
    # A replaced PC: a new key for the same unit is refused until the old pin is forgotten.
    shutil.rmtree(sender.with_name(sender.name + ".keys"))
    assert run(sender, "export-package", "--scope", "QS01", "--year", "2026", "-o", str(tmp_path / "q.djpkg"))[0] == 0
    new_fp = run(sender, "keys", "show", "--json")[1]
    new_fp = json.loads(new_fp)["fingerprint"]
    assert new_fp != fp
    before = _data_rows(receiver)
    code, _, err = run(receiver, "import-package", str(tmp_path / "q.djpkg"))
    assert code == 2 and f"指纹 {new_fp}" in err and "keys forget" in err
    assert _data_rows(receiver) == before
    assert run(sender, "keys", "export", "-o", str(tmp_path / "new.json"))[0] == 0
    assert run(receiver, "keys", "forget", fp)[0] == 0
    assert run(receiver, "keys", "trust", "--file", str(tmp_path / "new.json"))[0] == 0
    code, out, _ = run(receiver, "import-package", str(tmp_path / "q.djpkg"))
    assert code == 0 and "已导入" in out


def test_the_private_key_is_owner_only(ledger):
    folder = ledger.path.with_name(ledger.path.name + ".keys")
    assert (folder / "signing.key").stat().st_mode & 0o077 == 0
    assert folder.stat().st_mode & 0o077 == 0
    assert identity.unit_id(ledger)
