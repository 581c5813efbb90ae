"""The per-process memory of public pages: bounded in bytes, least recently used out first, one release at a time."""

from public_dashboard.page_memory import ENTRY_OVERHEAD, PageMemory


def test_it_never_holds_more_than_its_limit():
    memory = PageMemory(max_bytes=10 * (1000 + ENTRY_OVERHEAD))
    for number in range(100):
        memory.put("1:0", ("region", number), b"x" * 1000)
        assert memory.size <= memory.max_bytes
    assert len(memory) == 10
    assert memory.get("1:0", ("region", 99)) == b"x" * 1000
    assert memory.get("1:0", ("region", 0)) is None


def test_the_least_recently_used_page_goes_first():
    memory = PageMemory(max_bytes=2 * (10 + ENTRY_OVERHEAD))
    memory.put("1:0", ("a",), b"a" * 10)
    memory.put("1:0", ("b",), b"b" * 10)
    assert memory.get("1:0", ("a",))  # now b is the least recently used
    memory.put("1:0", ("c",), b"c" * 10)
    assert memory.get("1:0", ("b",)) is None
    assert memory.get("1:0", ("a",)) and memory.get("1:0", ("c",))


def test_a_page_larger_than_the_limit_is_not_kept_and_keeps_the_others():
    memory = PageMemory(max_bytes=1000)
    memory.put("1:0", ("small",), b"s" * 10)
    memory.put("1:0", ("huge",), b"h" * 1000)
    assert memory.get("1:0", ("huge",)) is None
    assert memory.get("1:0", ("small",)) == b"s" * 10


def test_storing_a_page_again_counts_it_once():
    memory = PageMemory(max_bytes=100_000)
    for _ in range(5):
        memory.put("1:0", ("index",), b"i" * 100)
    assert len(memory) == 1 and memory.size == 100 + ENTRY_OVERHEAD


def test_another_release_empties_it():
    memory = PageMemory(max_bytes=100_000)
    memory.put("1:0", ("index",), b"old")
    assert memory.get("2:0", ("index",)) is None  # a page of another release is never served
    memory.put("2:0", ("index",), b"new")
    assert len(memory) == 1 and memory.size == 3 + ENTRY_OVERHEAD
    assert memory.get("2:0", ("index",)) == b"new" and memory.get("1:0", ("index",)) is None
