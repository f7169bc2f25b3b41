"""禁则: where a Chinese line may break."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.reports.kinsoku import CANNOT_END, CANNOT_START, can_break, lines
from app.reports.styles import P


def _wrap(text: str, per_line: int) -> list[str]:
    chars = list(text)
    found = lines(chars, [1.0] * len(chars), [float(per_line)], [False] * len(chars))
    return [text[s:e] for s, e, _w in found]


def test_closing_punctuation_never_starts_a_line() -> None:
    out = _wrap("会议研究了工作，决定如下：一是加强学习。", 7)
    assert "".join(out) == "会议研究了工作，决定如下：一是加强学习。"
    assert all(line[0] not in CANNOT_START for line in out[1:]), out


def test_opening_punctuation_never_ends_a_line() -> None:
    out = _wrap("学习贯彻《中国共产党支部工作条例》精神", 5)
    assert all(line[-1] not in CANNOT_END for line in out), out


def test_numbers_dates_and_words_stay_whole() -> None:
    assert not can_break("3", "4") and not can_break("2", ".", "4") and not can_break("6", "年")
    assert not can_break("P", "D") and can_break("字", "字") and not can_break("—", "—")
    out = _wrap("缴纳党费1500元和23.45元，2026-03-05前完成", 12)
    joined = "|".join(out)
    for token in ("1500元", "23.45元", "2026-03-05"):
        assert token in out or any(token in line for line in out), joined


def test_a_run_longer_than_the_line_is_cut_not_overflowed() -> None:
    assert _wrap("x" * 10, 4) == ["xxxx", "xxxx", "xx"]
    # With no strict break left, a number may part from its unit, never a comma start a line.
    assert _wrap("23.45元，2026", 6) == ["23.45", "元，2026"]


@given(st.text(alphabet="党支部会议，。：；、（）《》“”0123456789.-年月ab …", min_size=1, max_size=80),
       st.integers(min_value=3, max_value=20))
def test_wrapping_keeps_every_character_in_order(text: str, per_line: int) -> None:
    assert "".join(_wrap(text, per_line)) == text


def test_paragraphs_use_the_rules() -> None:
    para = P("会议研究了工作安排，决定如下：一是加强学习，二是改进作风。" * 3)
    para.wrap(100, 1000)
    lines_ = para.blPara.lines[1:]
    starts = [ln[1][0][0] if isinstance(ln, tuple | list) else ln.words[0].text[0] for ln in lines_]
    assert not set(starts) & CANNOT_START
