"""Column types: points stored as exact tenths; new row UUIDs valid version 7, unique and ordered by time."""

import time
import uuid

from hypothesis import given
from hypothesis import strategies as st

from db.types import from_tenths, new_uuid, to_tenths


@given(st.integers(min_value=-10**6, max_value=10**6))
def test_tenths_round_trip_is_exact(n):
    assert to_tenths(from_tenths(n)) == n


def test_new_uuids_are_version_7_unique_and_time_ordered():
    first = [new_uuid() for _ in range(20000)]
    assert len(set(first)) == len(first)
    parsed = uuid.UUID(first[0])
    assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
    assert abs((parsed.int >> 80) - time.time_ns() // 1_000_000) < 60_000  # the leading 48 bits are now, in ms
    time.sleep(0.002)
    later = new_uuid()
    assert later > max(first)  # a later millisecond sorts after every earlier key
