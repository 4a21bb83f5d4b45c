"""resolver.dask (optional extra ``resolver[dask]``) on a two-process LocalCluster:
the results equal the single-process run, and the resolver reaches each worker once."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")

import dask.bag as db

import resolver
from resolver import dask as rdask

ROOT = Path(__file__).parent.parent
CORE = Path(__file__).parent / "data" / "core.yaml"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    # The active memory manager may drop a replica and fetch it again later (a
    # second arrival, never a second build): off here, so arrivals are exact.
    with dask.config.set({"distributed.scheduler.active-memory-manager.start": False}):
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    c = distributed.Client(cluster)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


@pytest.fixture(scope="module")
def r() -> resolver.Resolver:
    return resolver.Resolver(resolver.load_glossary(CORE))


@pytest.fixture(scope="module")
def texts() -> list[str]:
    seeds = [p.read_text(encoding="utf-8") for p in SEEDS]
    # Several documents per partition, and document-level context (Azhar) inside each.
    return seeds * 3 + ["Masood Azhar spoke. Azhar left.", "Azhar alone.", "", "JeM’s and ISPK's men"]


def test_bag_equals_single_process(client: Any, r: resolver.Resolver, texts: list[str]) -> None:
    bag = db.from_sequence(texts, npartitions=6)
    assert rdask.find_bag(bag, r).compute() == [[m.to_dict() for m in r.find(t)] for t in texts]
    assert rdask.normalize_bag(bag, r).compute() == [r.normalize(t) for t in texts]
    assert rdask.normalize_bag(bag, r, style="first-full").compute() == [
        r.normalize(t, style="first-full") for t in texts
    ]


def test_find_results_are_json(client: Any, r: resolver.Resolver) -> None:
    out = rdask.find_bag(db.from_sequence(["JeM and the ISI"], npartitions=1), r).compute()
    assert json.loads(json.dumps(out)) == out
    assert [m["entity_id"] for m in out[0]] == ["jaish_e_mohammed", "isi"]


def test_dataframe_column_equals_single_process(client: Any, r: resolver.Resolver, texts: list[str]) -> None:
    frame = pd.DataFrame({"id": range(len(texts)), "text": texts})
    df = dd.from_pandas(frame, npartitions=4)
    found = rdask.find_column(df["text"], r).compute()
    assert list(found.index) == list(frame.index)
    assert found.tolist() == [[m.to_dict() for m in r.find(t)] for t in texts]
    normalized = rdask.normalize_column(df["text"], r).compute()
    assert normalized.tolist() == [r.normalize(t) for t in texts]


def test_find_files_equals_single_process(client: Any, r: resolver.Resolver, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    for i, p in enumerate(SEEDS):
        shutil.copy(p, (corpus if i % 2 else corpus / "sub") / p.name)
    (corpus / "notes.txt").write_bytes(b"JeM\x00binary")
    (corpus / ".hidden.txt").write_text("JeM", encoding="utf-8")
    got = list(rdask.find_files([corpus], client, resolver=r, files_per_task=2))
    walked = sorted(
        [str(corpus / "notes.txt")]
        + [str(corpus / p.name) if i % 2 else str(corpus / "sub" / p.name) for i, p in enumerate(SEEDS)]
    )
    assert sorted(rec["path"] for rec in got) == walked
    by_path = {rec["path"]: rec for rec in got}
    assert by_path[str(corpus / "notes.txt")]["kind"] == "binary"
    for p in walked:
        if p.endswith("notes.txt"):
            continue
        text = Path(p).read_text(encoding="utf-8")
        assert by_path[p]["mentions"] == [m.to_dict() for m in r.find(text)]
        assert by_path[p]["chars"] == len(text)
    # input order is kept, whatever finishes first
    assert [rec["path"] for rec in got] == [rec["path"] for rec in rdask.find_files([corpus], "sync", resolver=r)]


def test_write_jsonl_equals_single_process(client: Any, r: resolver.Resolver, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for p in SEEDS:
        shutil.copy(p, corpus / p.name)
    (corpus / "z.txt").write_bytes(b"JeM\x00binary")
    out = tmp_path / "mentions.jsonl"
    files, lines = rdask.write_jsonl([corpus], out, client, resolver=r, files_per_task=2)
    expected = "".join(
        json.dumps({"path": str(corpus / p.name), **m.to_dict()}, ensure_ascii=False) + "\n"
        for p in SEEDS
        for m in r.find(p.read_text(encoding="utf-8"))
    )
    text = out.read_text(encoding="utf-8")
    body, last = text[: len(expected)], text[len(expected) :]
    assert body == expected
    error = json.loads(last)
    assert (error["path"], error["kind"]) == (str(corpus / "z.txt"), "binary") and "NUL" in error["error"]
    assert (files, lines) == (len(SEEDS) + 1, text.count("\n"))


def test_find_files_by_scheduler_address(client: Any, r: resolver.Resolver) -> None:
    address = client.scheduler.address
    got = list(rdask.find_files([SEEDS[0]], address, glossary=[CORE]))
    assert got[0]["mentions"] == [m.to_dict() for m in r.find(SEEDS[0].read_text(encoding="utf-8"))]
    lines = list(rdask.jsonl_lines(got))
    assert len(lines) == len(got[0]["mentions"]) and json.loads(lines[0])["path"] == str(SEEDS[0])


def test_missing_path_fails_before_any_work(client: Any) -> None:
    with pytest.raises(resolver.InputError, match="no such file or directory"):
        list(rdask.find_files(["/nonexistent/corpus"], client, glossary=[CORE]))


def test_resolver_reaches_each_worker_once(client: Any, r: resolver.Resolver, texts: list[str]) -> None:
    """24 partitions on 2 workers, twice: each worker receives and builds the
    resolver once (shipped with every partition, it would arrive ~24 times)."""
    shipped = rdask.ship(r, client)
    token = client.gather(shipped).token
    bag = db.from_sequence(texts * 4, npartitions=24)
    rdask.find_bag(bag, shipped).compute()
    rdask.normalize_bag(bag, shipped).compute()
    counts = [got[token] for got in client.run(rdask.received).values()]
    assert counts == [{"arrived": 1, "built": 1}] * 2, counts


def test_a_resolver_is_built_once_per_process_however_often_it_arrives(r: resolver.Resolver) -> None:
    import pickle

    shipped = rdask._Shipped(r, "test-token")
    copies = [pickle.loads(pickle.dumps(shipped)) for _ in range(3)]
    assert all(c.resolver is copies[0].resolver for c in copies)
    assert rdask.received()["test-token"] == {"arrived": 3, "built": 1}
    assert copies[0].resolver.find("JeM")[0].entity_id == "jaish_e_mohammed"


def test_without_a_cluster_the_graph_holds_the_resolver_once(r: resolver.Resolver, texts: list[str]) -> None:
    """No distributed client: one delayed node carries the resolver, and
    every partition's task refers to it by key."""
    with dask.config.set(scheduler="sync"):
        bag = rdask.find_bag(db.from_sequence(texts, npartitions=5), rdask.ship(r))
        graph = dict(bag.__dask_graph__())
        holders = [k for k, v in graph.items() if _holds(v, r)]
        assert len(holders) == 1
        assert bag.compute() == [[m.to_dict() for m in r.find(t)] for t in texts]


def _holds(value: Any, r: resolver.Resolver) -> bool:
    if isinstance(value, rdask._Shipped):
        return value.resolver is r
    if isinstance(value, (tuple, list)):
        return any(_holds(v, r) for v in value)
    if isinstance(value, dict):
        return any(_holds(v, r) for v in value.values())
    for attr in ("args", "kwargs", "value"):  # dask's Task / DataNode objects
        inner = getattr(value, attr, None)
        if inner is not None and inner is not value and _holds(inner, r):
            return True
    return False


def test_readme_snippets_run_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], client: Any
) -> None:
    """The README's worked example (a folder to JSONL, on its own two-process
    cluster) and the bag example, run in a scratch folder with the seeds."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Process a corpus with Dask\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(\w+)\n(.*?)```", section, re.DOTALL)
    assert [lang for lang, _ in blocks] == ["python", "python", "text"]
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copy(ROOT / "aliases.yaml", tmp_path / "aliases.yaml")
    monkeypatch.chdir(tmp_path)
    scope: dict[str, Any] = {"__name__": "readme"}
    exec(compile(blocks[0][1], "README.md (Dask, files)", "exec"), scope)  # noqa: S102  (the README snippet, run as written)
    lines = [json.loads(x) for x in (tmp_path / "mentions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert (scope["files"], scope["lines"]) == (len(SEEDS), len(lines))
    r = resolver.Resolver(resolver.load_glossary(tmp_path / "aliases.yaml"))
    expected = [(str(Path("seeds") / p.name), m.start) for p in SEEDS for m in r.find(p.read_text(encoding="utf-8"))]
    assert [(x["path"], x["start"]) for x in lines] == expected
    capsys.readouterr()
    exec(compile(blocks[1][1], "README.md (Dask, bag)", "exec"), {"__name__": "readme"})  # noqa: S102  (the README snippet, run as written)
    assert capsys.readouterr().out == blocks[2][1]
