"""Run the resolver over corpora on Dask: bags, dataframe columns, file trees.

Install with ``pip install "resolver[dask]"``. The compiled
:class:`~resolver.Resolver` is shipped to the workers **once**, not with
every partition: :func:`ship` scatters it to every worker of a distributed
cluster (``client.scatter(..., broadcast=True)``), or, without a cluster,
wraps it in one ``dask.delayed`` node that every partition depends on. Each
worker process builds it (unpickles it and rebuilds its automaton) a single
time per shipment (:func:`received` counts arrivals and builds).

* :func:`find_bag` / :func:`normalize_bag`: a ``dask.bag.Bag`` of texts →
  a bag of mention lists (JSON-ready dicts, :meth:`resolver.Mention.to_dict`)
  or of normalized texts, in the same order.
* :func:`find_column` / :func:`normalize_column`: the same for a text column
  of a ``dask.dataframe`` (a ``dask.dataframe.Series``).
* :func:`find_files`: the files under some paths (directories walked as
  ``resolver find -r`` walks them), read *on the workers*, results yielded
  file by file in input order as they complete — the library side of
  ``resolver find --dask SCHEDULER`` (its ``record`` hook runs on the
  workers, so a report format can be rendered there).
* :func:`write_jsonl`: the same, written to a JSONL file, the lines rendered
  on the workers (sending back one string per file is several times cheaper
  than thousands of mention dicts).

>>> import dask.bag as db
>>> import resolver
>>> r = resolver.Resolver(resolver.load_glossary("tests/data/core.yaml"))
>>> texts = db.from_sequence(["JeM and the ISI.", "Nothing here.", "Jaish-e Muhammad"], npartitions=2)
>>> [[m["entity_id"] for m in ms] for ms in find_bag(texts, r).compute(scheduler="sync")]
[['jaish_e_mohammed', 'isi'], [], ['jaish_e_mohammed']]
>>> normalize_bag(texts, r).compute(scheduler="sync")[2]
'Jaish-e-Mohammed'
"""

from __future__ import annotations

import os
import pickle
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any

try:
    import dask as _dask
    import dask.bag as _db
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError('resolver.dask needs Dask: pip install "resolver[dask]"') from exc

from .core import Resolver, Style
from .glossary import load_glossary
from .textio import DEFAULT_MAX_BYTES, TextInputError

# Dask is only partly typed; its objects are handled as Any here.
dask: Any = _dask
db: Any = _db
Bag = Any  # dask.bag.Bag

__all__ = [
    "file_record",
    "find_bag",
    "find_column",
    "find_files",
    "jsonl_lines",
    "normalize_bag",
    "normalize_column",
    "received",
    "ship",
]

#: Shipment token -> how many times it arrived in this process (was unpickled).
_ARRIVED: dict[str, int] = {}
#: Shipment token -> how many times this process built its resolver from the bytes.
_BUILT: dict[str, int] = {}
#: The resolvers this process has built, by shipment token (the most recent few).
_CACHE: OrderedDict[str, Resolver] = OrderedDict()
_CACHE_SIZE = 4


def received() -> dict[str, dict[str, int]]:
    """Per shipment token, how often the shipped resolver ``arrived`` in this
    process and how often it was ``built`` (unpickled, automaton rebuilt).
    Run it on the workers (``client.run(resolver.dask.received)``): each
    should show one arrival and one build per shipment however many
    partitions it processed. (Dask's active memory manager may drop a
    replica and fetch it again: a second arrival, never a second build.)"""
    return {t: {"arrived": _ARRIVED.get(t, 0), "built": _BUILT.get(t, 0)} for t in _ARRIVED}


def _receive(token: str, blob: bytes) -> _Shipped:
    """Unpickling side of :class:`_Shipped`: build the resolver (its automaton)
    only the first time this process sees the shipment."""
    _ARRIVED[token] = _ARRIVED.get(token, 0) + 1
    r = _CACHE.get(token)
    if r is None:
        r = pickle.loads(blob)
        _BUILT[token] = _BUILT.get(token, 0) + 1
        _CACHE[token] = r
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(token)
    return _Shipped(r, token, blob)


class _Shipped:
    """The resolver as it travels: pickled once into bytes, built once per
    process (Dask may copy data between workers more than once, e.g. when
    its memory manager drops a replica; the bytes travel, the automaton is
    not rebuilt)."""

    __slots__ = ("blob", "resolver", "token")

    def __init__(self, resolver: Resolver, token: str, blob: bytes | None = None) -> None:
        self.resolver = resolver
        self.token = token
        self.blob = blob if blob is not None else pickle.dumps(resolver, protocol=pickle.HIGHEST_PROTOCOL)

    def __reduce__(self) -> tuple[Callable[[str, bytes], _Shipped], tuple[str, bytes]]:
        return (_receive, (self.token, self.blob))


def _client(scheduler: Any) -> Any:
    """The distributed client for ``scheduler`` (a Client, or an address), or None."""
    if scheduler is None or isinstance(scheduler, str) and scheduler in ("sync", "synchronous", "threads", "processes"):
        return None
    import distributed

    if isinstance(scheduler, distributed.Client):
        return scheduler
    if isinstance(scheduler, str):
        client: Any = distributed.Client
        return client(scheduler, set_as_default=False)
    raise TypeError(
        f"scheduler must be a distributed Client, an address such as 'tcp://host:8786', or one of sync/threads/processes, not {scheduler!r}"
    )


def ship(resolver: Resolver, client: Any = None) -> Any:
    """The resolver as a value Dask passes to every partition without copying
    it into each task: a future scattered to all workers of ``client``, else
    a single ``dask.delayed`` node. Pass the result to the functions below
    (they call this themselves when given a plain :class:`Resolver`)."""
    payload = _Shipped(resolver, uuid.uuid4().hex)
    if client is not None:
        return client.scatter(payload, broadcast=True, hash=False)
    return dask.delayed(payload, pure=True, name=f"resolver-{id(resolver):x}")


def _shipped(resolver: Any) -> Any:
    if isinstance(resolver, Resolver):
        return ship(resolver, _default_client())
    return resolver


def _default_client() -> Any:
    try:
        import distributed
    except ImportError:  # pragma: no cover - distributed is optional
        return None
    get: Any = distributed.default_client
    try:
        return get()
    except ValueError:
        return None


def _find_partition(texts: Iterable[str], shipped: _Shipped) -> list[list[dict[str, Any]]]:
    r = shipped.resolver
    return [[m.to_dict() for m in r.find(t)] for t in texts]


def _normalize_partition(texts: Iterable[str], shipped: _Shipped, style: Style) -> list[str]:
    r = shipped.resolver
    return [r.normalize(t, style=style) for t in texts]


def find_bag(bag: Bag, resolver: Any) -> Bag:
    """Each text of ``bag`` → the list of its mentions as dicts."""
    return bag.map_partitions(_find_partition, _shipped(resolver))


def normalize_bag(bag: Bag, resolver: Any, style: Style = "canonical") -> Bag:
    """Each text of ``bag`` → the text with resolved mentions rewritten."""
    return bag.map_partitions(_normalize_partition, _shipped(resolver), style)


def _find_series(series: Any, shipped: _Shipped) -> Any:
    import pandas as pd  # type: ignore[import-untyped, unused-ignore]

    return pd.Series(_find_partition(series.tolist(), shipped), index=series.index, name=series.name, dtype=object)


def _normalize_series(series: Any, shipped: _Shipped, style: Style) -> Any:
    import pandas as pd  # type: ignore[import-untyped, unused-ignore]

    return pd.Series(
        _normalize_partition(series.tolist(), shipped, style), index=series.index, name=series.name, dtype=series.dtype
    )


def find_column(series: Any, resolver: Any) -> Any:
    """A ``dask.dataframe`` text column → a column (object dtype) of mention lists.

    >>> import pandas as pd, dask.dataframe as dd, resolver
    >>> r = resolver.Resolver(resolver.load_glossary("tests/data/core.yaml"))
    >>> df = dd.from_pandas(pd.DataFrame({"text": ["JeM said", "ISI denied"]}), npartitions=2)
    >>> [[m["surface"] for m in ms] for ms in find_column(df["text"], r).compute(scheduler="sync")]
    [['JeM'], ['ISI']]
    """
    import pandas as pd  # type: ignore[import-untyped, unused-ignore]

    meta = pd.Series([], name=series.name, dtype=object)
    return series.map_partitions(_find_series, _shipped(resolver), meta=meta)


def normalize_column(series: Any, resolver: Any, style: Style = "canonical") -> Any:
    """A ``dask.dataframe`` text column → the column normalized (same dtype)."""
    return series.map_partitions(_normalize_series, _shipped(resolver), style, meta=series._meta)


def file_record(path: str, text: str, encoding: str, mentions: Sequence[Any]) -> dict[str, Any]:
    """The default per-file result of :func:`find_files`.

    >>> file_record("a.txt", "JeM", "utf-8", [])
    {'path': 'a.txt', 'encoding': 'utf-8', 'chars': 3, 'mentions': []}
    """
    return {"path": path, "encoding": encoding, "chars": len(text), "mentions": [m.to_dict() for m in mentions]}


def _find_paths(
    paths: Iterable[str],
    shipped: _Shipped,
    record: Callable[[str, str, str, Sequence[Any]], Any],
    encoding: str | None,
    max_bytes: int,
) -> list[Any]:
    from .files import Source, read_source

    out = []
    for p in paths:
        try:
            doc, _stamp = read_source(Source(p), encoding=encoding, max_bytes=max_bytes)
        except TextInputError as exc:
            out.append({"path": p, "error": str(exc), "kind": exc.kind})
            continue
        out.append(record(p, doc.text, doc.encoding, shipped.resolver.find(doc.text)))
    return out


def find_files(
    paths: Sequence[str | os.PathLike[str]],
    scheduler: Any = None,
    *,
    resolver: Resolver | None = None,
    glossary: Sequence[str | os.PathLike[str]] = (),
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    files_per_task: int = 16,
    record: Callable[[str, str, str, Sequence[Any]], Any] = file_record,
) -> Iterator[Any]:
    """Find mentions in every file under ``paths``, on Dask.

    ``scheduler``: a ``distributed.Client``, a scheduler address
    (``"tcp://10.0.0.5:8786"``; the workers must see the same paths), or a
    local scheduler name (``"sync"``, ``"threads"``, ``"processes"``; None is
    Dask's default). ``resolver`` (else loaded from ``glossary`` files, else
    the bundled glossary) is shipped once. Directories are walked like
    ``resolver find -r`` (hidden entries and binary file names skipped,
    ``include``/``exclude`` globs). Yields ``record(path, text, encoding,
    mentions)`` per file (default :func:`file_record`, a JSON-ready dict; a
    custom ``record`` runs on the workers, so it must be picklable), in
    input order, as partitions complete; a file that cannot be read as text
    yields ``{"path", "error", "kind"}`` instead.
    Raises :class:`~resolver.textio.TextInputError` for a path that does not
    exist, before any work is sent.

    >>> recs = list(find_files(["seeds"], "sync", glossary=["tests/data/core.yaml"]))
    >>> len(recs), recs[0]["path"].endswith(".txt"), sum(len(r["mentions"]) for r in recs) > 0
    (5, True, True)
    """
    from .files import expand

    files = [s.path for s in expand([os.fspath(p) for p in paths], recursive=True, include=include, exclude=exclude)]
    if not files:
        return
    r = resolver if resolver is not None else Resolver(load_glossary(*(os.fspath(g) for g in glossary)))
    client = _client(scheduler)
    close = client is not None and not _is_client(scheduler)
    try:
        shipped = ship(r, client)
        chunk = max(1, files_per_task)
        bag = db.from_sequence(files, partition_size=chunk)
        results = bag.map_partitions(_find_paths, shipped, record, encoding, max_bytes)
        if client is None:
            yield from results.compute(scheduler=scheduler)
            return
        futures = client.compute(results.to_delayed())
        for fut in futures:
            yield from fut.result()
            fut.release()
    finally:
        if close:
            client.close()


def _is_client(obj: Any) -> bool:
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover
        return False
    return isinstance(obj, Client)


def jsonl_lines(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One JSON line per mention (``{"path": ..., **mention}``) from
    :func:`find_files` records; unreadable files give one ``error`` line.

    >>> list(jsonl_lines([{"path": "a.txt", "mentions": [{"surface": "JeM"}]}]))
    ['{"path": "a.txt", "surface": "JeM"}\\n']
    """
    import json

    for rec in records:
        if "error" in rec:
            yield json.dumps(rec, ensure_ascii=False) + "\n"
            continue
        for m in rec["mentions"]:
            yield json.dumps({"path": rec["path"], **m}, ensure_ascii=False) + "\n"


def jsonl_record(path: str, text: str, encoding: str, mentions: Sequence[Any]) -> str:
    """A :func:`find_files` ``record`` that renders a file's mentions as JSONL
    *on the worker* (one line per mention, ``{"path": ..., **mention}``), so
    the client receives one string per file instead of thousands of dicts.

    >>> import resolver
    >>> r = resolver.Resolver(resolver.load_glossary("tests/data/core.yaml"))
    >>> print(jsonl_record("a.txt", "JeM", "utf-8", r.find("JeM"))[:60])
    {"path": "a.txt", "start": 0, "end": 3, "surface": "JeM", "s
    """
    import json

    return "".join(json.dumps({"path": path, **m.to_dict()}, ensure_ascii=False) + "\n" for m in mentions)


def write_jsonl(
    paths: Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str] | IO[str],
    scheduler: Any = None,
    **options: Any,
) -> tuple[int, int]:
    """Find mentions in every file under ``paths`` on Dask and write them to
    ``out`` (a path or a text file) as JSONL, one line per mention, files in
    input order; a file that cannot be read as text gives one line with its
    ``error``. The lines are rendered on the workers (:func:`jsonl_record`).
    ``scheduler`` and ``options`` as for :func:`find_files`. Returns (files,
    lines written).
    """
    import json

    files = lines = 0
    fh = (
        open(out, "w", encoding="utf-8")  # noqa: SIM115  # (closed below when opened here)
        if isinstance(out, (str, os.PathLike))
        else out
    )
    try:
        for rec in find_files(paths, scheduler, record=jsonl_record, **options):
            files += 1
            chunk = json.dumps(rec, ensure_ascii=False) + "\n" if isinstance(rec, dict) else rec
            lines += chunk.count("\n")
            fh.write(chunk)
    finally:
        if fh is not out:
            fh.close()
    return files, lines
