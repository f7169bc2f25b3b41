"""New row UUIDs: valid version-7 UUIDs, unique, and ordered by time (so they append to the uuid index)."""

import time
import uuid

from db.types import new_uuid


def test_new_uuids_are_version_7_unique_and_time_ordered():
    first = [new_uuid() for _ in range(20000)]
    assert len(set(first)) == len(first)
    parsed = uuid.UUID(first[0])
    assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
    assert abs((parsed.int >> 80) - time.time_ns() // 1_000_000) < 60_000  # the leading 48 bits are now, in ms
    time.sleep(0.002)
    later = new_uuid()
    assert later > max(first)  # a later millisecond sorts after every earlier key
