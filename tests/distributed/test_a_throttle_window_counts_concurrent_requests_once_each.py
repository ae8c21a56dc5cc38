"""The throttles' fixed windows (coordinator/api/rate_window.py) count every request exactly
once, however many threads hit one window at the same moment: in Redis in distributed mode
(one MULTI … EXEC per hit, shared by every process), in the local cache in embedded mode.
A read-then-write count loses hits under this load; an atomic one cannot."""

import uuid
from concurrent.futures import ThreadPoolExecutor

from coordinator.api import rate_window


def test_concurrent_hits_get_every_count_once_and_the_window_end():
    name = f"test:{uuid.uuid4().hex}"
    with ThreadPoolExecutor(max_workers=8) as pool:
        hits = list(pool.map(lambda _: rate_window.hit(name, 60), range(200)))
    assert sorted(count for count, _ in hits) == list(range(1, 201))
    assert all(1 <= left <= 60 for _, left in hits)


def test_each_name_has_a_window_of_its_own():
    first, second = f"test:{uuid.uuid4().hex}", f"test:{uuid.uuid4().hex}"
    assert rate_window.hit(first, 60)[0] == 1
    assert rate_window.hit(first, 60)[0] == 2
    assert rate_window.hit(second, 60)[0] == 1
