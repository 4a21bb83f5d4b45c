"""Run one contender once and print one JSON line.

    python bench/contenders.py NAME GLOSSARY CORPUS

Meant to run in a fresh process per measurement (``bench/run.py`` does that).
Each contender has three phases: *import* (its libraries; not timed as build),
*build* (read the glossary and build the matcher) and *search* (the whole
corpus, already in memory). The JSON line has ``status`` ``ok``, ``skipped``
(the library is not installed / the API is not there yet) or ``error``, and for
``ok``: ``build_s``, ``search_s`` (CPU seconds of the process; ``*_wall_s``
the wall-clock ones), ``mb_s`` (corpus UTF-8 MB / search CPU s; ``wall_mb_s``),
``peak_rss_mb``, ``matches`` (null where the contender returns text) and
``corpus_bytes``.
"""

from __future__ import annotations

import json
import re
import resource
import sys
import time
import traceback
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)  # run as a script: import resolver from the project root

Search = Callable[[str], "int | None"]
Build = Callable[[Path], Search]
#: A contender imports what it needs (ImportError/AttributeError: skipped) and
#: returns its build function.
Contender = Callable[[], Build]


def read_pairs(path: Path) -> list[tuple[str, str]]:
    """Every (name, canonical) pair of the glossary: the canonical name itself
    and each alias, all mapped to the canonical name."""
    import yaml

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as f:
        data = yaml.load(f, Loader=loader)
    pairs = []
    for e in data["entities"]:
        canonical = e["canonical"]
        pairs.append((canonical, canonical))
        for a in e.get("aliases") or ():
            pairs.append((a if isinstance(a, str) else a["name"], canonical))
    return pairs


# --------------------------------------------------------------------------
# resolver


def _resolver(method: str) -> Build:
    import resolver

    load, cls = resolver.load_glossary, resolver.Resolver  # AttributeError: not written yet

    def build(path: Path) -> Search:
        r = cls(load(path))
        if method == "normalize" and hasattr(r.matcher, "build_all"):
            # the rewrite checks' tables, which find does not need, are built
            # on first use: here, as a long-running normalizer holds them
            r.matcher.build_all()
        run = getattr(r, method)

        def search(text: str) -> int | None:
            out = run(text)
            if isinstance(out, str):
                return None
            if isinstance(out, tuple) and len(out) == 2 and isinstance(out[0], str):
                out = out[1]  # (text, mentions)
            return len(out) if hasattr(out, "__len__") else None

        return search

    return build


def resolver_find() -> Build:
    return _resolver("find")


def resolver_normalize() -> Build:
    return _resolver("normalize")


def resolver_unknown() -> Build:
    """Unknown-term detection (``Resolver.unknown``: the mentions, then the
    capitalised names no entry knows) without did-you-mean suggestions,
    whose cost is per distinct term, not per megabyte (``limit=0``). The
    detector's per-glossary tables are built in the build phase, as a
    long-running tool holds them."""
    import resolver
    from resolver.unknown import UnknownOptions

    options = UnknownOptions(limit=0)

    def build(path: Path) -> Search:
        r = resolver.Resolver(resolver.load_glossary(path))
        r.unknown("Warm Up Name met ISI.", options)

        def search(text: str) -> int | None:
            return len(r.unknown(text, options))

        return search

    return build


# --------------------------------------------------------------------------
# FlashText (line by line: on a whole multi-MB string it does not finish)


def _flashtext(extract: bool) -> Build:
    from flashtext import KeywordProcessor

    def build(path: Path) -> Search:
        kp = KeywordProcessor(case_sensitive=False)
        for name, canonical in read_pairs(path):
            kp.add_keyword(name, canonical)

        def search_extract(text: str) -> int | None:
            return sum(len(kp.extract_keywords(line)) for line in text.split("\n"))

        def search_replace(text: str) -> int | None:
            "\n".join(kp.replace_keywords(line) for line in text.split("\n"))
            return None

        return search_extract if extract else search_replace

    return build


def flashtext_extract() -> Build:
    return _flashtext(True)


def flashtext_replace() -> Build:
    return _flashtext(False)


# --------------------------------------------------------------------------
# pyahocorasick + Unicode whole-word filter + leftmost-longest selection


def pyahocorasick() -> Build:
    import ahocorasick

    def build(path: Path) -> Search:
        auto = ahocorasick.Automaton()
        for name, canonical in read_pairs(path):
            key = name.lower()
            auto.add_word(key, (len(key), canonical))
        auto.make_automaton()

        def search(text: str) -> int | None:
            low = text.lower()
            n = len(low)
            found = []
            for end, (length, canonical) in auto.iter(low):
                start = end - length + 1
                if (start > 0 and low[start - 1].isalnum()) or (end + 1 < n and low[end + 1].isalnum()):
                    continue
                found.append((start, -end, canonical))
            found.sort()
            count, last_end = 0, -1
            for start, neg_end, _ in found:
                if start > last_end:
                    count, last_end = count + 1, -neg_end
            return count

        return search

    return build


# --------------------------------------------------------------------------
# spaCy PhraseMatcher on a blank English pipeline (tokenizer only, no model)


def spacy_phrasematcher() -> Build:
    import spacy
    from spacy.matcher import PhraseMatcher
    from spacy.util import filter_spans

    def build(path: Path) -> Search:
        nlp = spacy.blank("en")
        # Patterns get their own tokenizer (same vocab): otherwise they fill the
        # text tokenizer's cache (10,000 entries) and every corpus word misses it.
        pattern_tokenizer: Any = spacy.blank("en", vocab=nlp.vocab).tokenizer
        matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        by_canonical: dict[str, list[str]] = defaultdict(list)
        for name, canonical in read_pairs(path):
            by_canonical[canonical].append(name)
        for canonical, names in by_canonical.items():
            matcher.add(canonical, list(pattern_tokenizer.pipe(names)))

        def search(text: str) -> int | None:
            count = 0
            for doc in nlp.pipe(text.split("\n\n"), batch_size=256):
                count += len(filter_spans(matcher(doc, as_spans=True)))  # longest, non-overlapping
            return count

        return search

    return build


# --------------------------------------------------------------------------
# Physical limits: one pass over the text


def lower() -> Build:
    def build(path: Path) -> Search:
        def search(text: str) -> int | None:
            text.lower()
            return None

        return search

    return build


def regex_words() -> Build:
    def build(path: Path) -> Search:
        word = re.compile(r"\w+")

        def search(text: str) -> int | None:
            return sum(1 for _ in word.finditer(text))  # the count is the number of words

        return search

    return build


CONTENDERS: dict[str, Contender] = {
    "resolver-find": resolver_find,
    "resolver-normalize": resolver_normalize,
    "resolver-unknown": resolver_unknown,
    "flashtext-extract": flashtext_extract,
    "flashtext-replace": flashtext_replace,
    "pyahocorasick": pyahocorasick,
    "spacy-phrasematcher": spacy_phrasematcher,
    "lower": lower,
    "regex-words": regex_words,
}


def _peak_rss_mb() -> float:
    """Peak resident memory of this process, in MB.

    Read from ``VmHWM`` where there is a /proc: on Linux ``ru_maxrss`` keeps
    the high-water mark of the *parent* across fork and exec, so every child
    of a big ``run.py`` would report at least the parent's peak.
    """
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def measure(name: str, glossary: Path, corpus: Path) -> dict[str, Any]:
    """Times are CPU seconds of this process (``*_wall_s``: wall-clock), which
    a busy neighbour on a shared machine disturbs much less than wall time."""
    text = corpus.read_text(encoding="utf-8")
    nbytes = len(text.encode("utf-8"))
    out: dict[str, Any] = {"contender": name, "corpus_bytes": nbytes, "base_rss_mb": round(_peak_rss_mb(), 1)}
    w0, _ = _clocks()
    try:
        build = CONTENDERS[name]()
    except (ImportError, AttributeError) as exc:
        return out | {"status": "skipped", "reason": f"{type(exc).__name__}: {exc}"}
    w1, c1 = _clocks()
    search = build(glossary)
    w2, c2 = _clocks()
    matches = search(text)
    w3, c3 = _clocks()
    return out | {
        "status": "ok",
        "import_s": w1 - w0,
        "build_s": c2 - c1,
        "build_wall_s": w2 - w1,
        "search_s": c3 - c2,
        "search_wall_s": w3 - w2,
        "mb_s": nbytes / 1e6 / (c3 - c2) if c3 > c2 else None,
        "wall_mb_s": nbytes / 1e6 / (w3 - w2) if w3 > w2 else None,
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "matches": matches,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in CONTENDERS:
        print(f"usage: contenders.py {{{','.join(CONTENDERS)}}} GLOSSARY CORPUS", file=sys.stderr)
        return 2
    name, glossary, corpus = argv[0], Path(argv[1]), Path(argv[2])
    try:
        result = measure(name, glossary, corpus)
    except Exception as exc:  # noqa: BLE001 - report, do not crash the harness
        traceback.print_exc()
        result = {"contender": name, "status": "error", "reason": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(result), flush=True)
    return 0 if result["status"] != "error" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
