"""The compiled-glossary cache: never stale, never trusted blindly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from resolver.cache import cache_key, cached_resolver

G = "version: 1\nentities:\n  - {id: jem, type: organization, canonical: Jaish-e-Mohammed, aliases: [JeM]}\n"


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("RESOLVER_CACHE_DIR", str(d))
    monkeypatch.delenv("RESOLVER_NO_CACHE", raising=False)
    return d


def test_cache_hit_and_content_key(cache: Path, tmp_path: Path) -> None:
    g = tmp_path / "g.yaml"
    g.write_text(G)
    r1 = cached_resolver([g])
    entries = list(cache.glob("*.pickle"))
    assert len(entries) == 1
    assert cached_resolver([g]).find("JeM") == r1.find("JeM")
    # Editing the glossary changes the key: the old entry is never used.
    g.write_text(G.replace("JeM]", "JeM, Jaish]"))
    assert [m.surface for m in cached_resolver([g]).find("Jaish and JeM")] == ["Jaish", "JeM"]
    assert len(list(cache.glob("*.pickle"))) == 2


def test_corrupt_entry_is_rebuilt(cache: Path, tmp_path: Path) -> None:
    g = tmp_path / "g.yaml"
    g.write_text(G)
    cached_resolver([g])
    (entry,) = cache.glob("*.pickle")
    entry.write_bytes(b"garbage")
    assert [m.entity_id for m in cached_resolver([g]).find("JeM")] == ["jem"]


def test_untrusted_directory_is_not_loaded(cache: Path, tmp_path: Path) -> None:
    g = tmp_path / "g.yaml"
    g.write_text(G)
    cached_resolver([g])
    (entry,) = cache.glob("*.pickle")
    entry.write_bytes(b"not a pickle an attacker would write")
    os.chmod(cache, 0o777)  # world-writable: refuse to unpickle from it
    assert [m.entity_id for m in cached_resolver([g]).find("JeM")] == ["jem"]
    assert entry.read_bytes().startswith(b"not a pickle")  # and not rewritten there either


def test_key_depends_on_path_and_content() -> None:
    assert cache_key([("a", "x")]) != cache_key([("b", "x")])
    assert cache_key([("a", "x"), ("b", "y")]) != cache_key([("a", "xb"), ("", "y")])
