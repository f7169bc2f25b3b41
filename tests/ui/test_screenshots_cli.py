"""`python -m app screenshots` reads its arguments like every other command: --help shows help (exit 0, no
folder named "--help"), a missing folder or an unknown option is refused (exit 2)."""

from __future__ import annotations

import pytest

from ui import screenshots


@pytest.mark.parametrize(("argv", "code"), [(["--help"], 0), ([], 2), (["--bogus", "x"], 2)])
def test_screenshot_arguments(argv, code, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exc:
        screenshots.main(argv)
    assert exc.value.code == code and list(tmp_path.iterdir()) == []
    out = capsys.readouterr()
    assert "用法：python -m app screenshots" in out.out + out.err
