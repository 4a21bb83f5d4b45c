"""Render what resolver found: pure functions that return strings, no I/O.

Two reports come out of the same mentions:

* **check** (a linter's view): :func:`findings` turns a file's mentions and
  rewrites into :class:`Finding` s — ``error`` for a name to rewrite,
  ``warning`` for an ambiguous mention, ``info`` for an unconfirmed weak
  alias — rendered as text lines (:func:`check_text`), JSON, JSON Lines,
  SARIF 2.1.0 (:func:`check_sarif`) or GitHub workflow annotations
  (:func:`check_github`).
* **find** (the integration format, :data:`FIND_VERSION`, JSON Schema in
  ``resolver/schema/find.schema.json``): every mention with its offsets and
  line:column (:func:`mention_record`), as JSON, JSON Lines or TSV.

Positions: ``start``/``end`` are character (code point) offsets into the
decoded text, a BOM not counted; lines and columns are 1-based, columns
counted in code points, a line ending at ``\\n`` (so ``\\r\\n`` too); an end
column is the column just after the last character (SARIF's convention).

>>> idx = LineIndex("one\\r\\ntwo JeM")
>>> idx.position(9)
(2, 5)
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from .model import Entity, Mention

if TYPE_CHECKING:  # pragma: no cover
    from .glossary import Glossary
    from .matcher import Matcher

__all__ = [
    "CHECK_VERSION",
    "FIND_VERSION",
    "RULES",
    "TSV_COLUMNS",
    "Finding",
    "LineIndex",
    "check_github",
    "check_json",
    "check_jsonl",
    "check_sarif",
    "check_text",
    "closest",
    "entity_data",
    "find_json",
    "find_jsonl",
    "find_jsonl_header",
    "find_tsv",
    "findings",
    "glossary_header",
    "glossary_info",
    "glossary_stats",
    "mention_record",
    "stats_text",
    "unified_diff",
]

#: Version of the ``find`` integration format (JSON, JSON Lines, TSV).
#: Fields may be *added* within a version; renaming or removing one, or
#: changing its meaning, raises the version.
FIND_VERSION = 1
#: Version of the ``check --format json|jsonl`` report.
CHECK_VERSION = 1

Severity = Literal["error", "warning", "info"]

#: The check rules: id → (severity, short description, help).
RULES: dict[str, tuple[Severity, str, str]] = {
    "non-canonical": (
        "error",
        "A name is not written the way the glossary spells it.",
        "Rewrite the mention to the canonical spelling (resolver normalize --in-place does it).",
    ),
    "ambiguous": (
        "warning",
        "A name may refer to several glossary entities.",
        "Name the intended entity in full earlier in the document, or write its full name here.",
    ),
    "unconfirmed": (
        "info",
        "A weak alias whose entity is not named in full earlier in the document.",
        "Name the entity in full before using the short form, or ignore if the word is not a mention.",
    ),
    "quoted": (
        "info",
        "A name inside a direct quotation, left as written (--quotes keep).",
        "Keep the quotation as written, or fix the name if the quotation is your own transcription.",
    ),
}

_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


class LineIndex:
    """Offsets → 1-based ``(line, column)`` for one text, in O(log lines).

    >>> LineIndex("ab\\ncd").position(0), LineIndex("ab\\ncd").position(3), LineIndex("ab\\ncd").position(5)
    ((1, 1), (2, 1), (2, 3))
    """

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        i = text.find("\n")
        while i != -1:
            starts.append(i + 1)
            i = text.find("\n", i + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        """The line and column of the character at ``offset``."""
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing ``check`` reports about one mention.

    ``start``/``end`` are the span the finding is about (for a rewrite, the
    name without a title before it), ``line``/``column`` where it starts and
    ``end_line``/``end_column`` just after it; ``replacement`` is the new
    text for ``non-canonical`` findings.
    """

    path: str
    rule: str
    severity: Severity
    mention: Mention
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    replacement: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the finding's fields, then the mention's."""
        return {
            "path": self.path,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "replacement": self.replacement,
            "mention": self.mention.to_dict(),
        }


def _dumps(doc: Any, pretty: bool) -> str:
    import json  # here: the text formats do not need it

    # indent makes json use its pure-Python encoder: only for people
    return json.dumps(doc, ensure_ascii=False, indent=2 if pretty else None) + "\n"


def _q(s: str) -> str:
    """Quote a name for a one-line message (line breaks made visible).

    >>> print(_q('Jaish-e\\nMuhammad'))
    "Jaish-e\\nMuhammad"
    """
    return (
        '"'
        + s.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
        + '"'
    )


def _who(eid: str, glossary: Mapping[str, Entity]) -> str:
    e = glossary.get(eid)
    return f"{eid} ({_q(e.canonical)})" if e is not None else eid


def findings(
    path: str,
    text: str,
    mentions: Iterable[Mention],
    edits: Iterable[tuple[int, int, str]],
    glossary: Mapping[str, Entity],
    index: LineIndex | None = None,
) -> list[Finding]:
    """The findings of one file, in text order.

    A resolved mention is reported only when ``edits`` (the rewrites of the
    chosen style, :meth:`resolver.Resolver.replacements`) change it, so
    ``check`` flags exactly what ``normalize`` would rewrite. A ``quoted``
    mention (:mod:`resolver.documents`) is an info when ``edits`` also holds
    the rewrite it would get outside the quotation; a ``suppressed`` one is
    never reported.

    >>> from resolver.model import Mention
    >>> m = Mention(4, 20, "Jaish-e Muhammad", "resolved", "jem", "Jaish-e-Mohammed", ("jem",), "Jaish-e Muhammad")
    >>> [f.message for f in findings("a.txt", "The Jaish-e Muhammad", [m], [(4, 20, "Jaish-e-Mohammed")], {})]
    ['found "Jaish-e Muhammad", canonical "Jaish-e-Mohammed" [jem]']
    """
    index = index or LineIndex(text)
    by_start = {s: (e, new) for s, e, new in edits}
    out: list[Finding] = []
    for m in mentions:
        start, end = m.start, m.end
        replacement: str | None = None
        if m.status == "resolved":
            name_start = m.start + len(m.title)
            if name_start not in by_start:
                continue
            end, replacement = by_start[name_start]
            start = name_start
            label = "canonical" if replacement == m.canonical else "write"
            msg = f"found {_q(text[start:end])}, {label} {_q(replacement)} [{m.entity_id}]"
            if m.rules:
                msg += f" (spelling rules: {', '.join(m.rules)})"
            rule = "non-canonical"
        elif m.status == "suppressed":
            continue  # silenced by a suppression comment or the allow-list
        elif m.status == "quoted":  # reported when it would be rewritten outside the quotation
            name_start = m.start + len(m.title)
            if name_start not in by_start:
                continue
            end, would = by_start[name_start]
            start = name_start
            msg = f"quoted {_q(text[start:end])}: left as written inside a quotation; elsewhere {_q(would)} [{m.entity_id}]"
            rule = "quoted"
        elif m.status == "ambiguous":
            msg = f"ambiguous {_q(m.name_surface)}: could be {', '.join(_who(c, glossary) for c in m.candidates)}; {m.reason}"
            rule = "ambiguous"
        else:
            who = _who(m.candidates[0], glossary) if m.candidates else "an entity"
            msg = f"unconfirmed {_q(m.name_surface)}: weak alias of {who}, not named in full earlier in the document"
            rule = "unconfirmed"
        line, col = index.position(start)
        end_line, end_col = index.position(end)
        out.append(Finding(path, rule, RULES[rule][0], m, start, end, line, col, end_line, end_col, msg, replacement))
    return out


# --------------------------------------------------------------------------
# glossary provenance


def glossary_info(g: Glossary) -> dict[str, Any]:
    """Which glossary a report used: its files, merged in order, and a digest."""
    return {"paths": list(g.paths), "digest": g.digest}


def glossary_header(g: Glossary, version: str) -> str:
    """The one line text reports print on standard error first.

    >>> from resolver.glossary import Glossary
    >>> glossary_header(Glossary((), paths=("aliases.yaml",), digest="ab12" * 16), "0.1.0")
    'resolver 0.1.0: glossary aliases.yaml (sha256 ab12ab12ab12)'
    """
    return f"resolver {version}: glossary {', '.join(g.paths) or '<none>'} (sha256 {g.digest[:12]})"


# --------------------------------------------------------------------------
# check


_COLOURS = {"error": "31", "warning": "33", "info": "36", "path": "1", "good": "32"}


def _paint(s: str, what: str, color: bool) -> str:
    return f"\x1b[{_COLOURS[what]}m{s}\x1b[0m" if color else s


def check_text(items: Iterable[Finding], *, color: bool = False) -> str:
    """One line per finding: ``path:line:col: message`` (warnings and infos
    labelled), ANSI colours when ``color``.

    >>> from resolver.model import Mention
    >>> m = Mention(0, 5, "Azhar", "ambiguous", None, None, ("a", "b"), "Azhar", reason="shared alias")
    >>> check_text(findings("x.txt", "Azhar", [m], [], {}))
    'x.txt:1:1: warning: ambiguous "Azhar": could be a, b; shared alias\\n'
    """
    lines = []
    for f in items:
        where = _paint(f"{f.path}:{f.line}:{f.column}:", "path", color)
        label = "" if f.severity == "error" else _paint(f"{f.severity}:", f.severity, color) + " "
        lines.append(f"{where} {label}{f.message}\n")
    return "".join(lines)


def _summary(items: Sequence[Finding]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in items:
        counts[f.severity] += 1
    return counts


def check_json(
    items: Sequence[Finding],
    files: Sequence[Mapping[str, Any]],
    glossary: Mapping[str, Any],
    version: str,
    problems: Sequence[tuple[str, str]] = (),
    pretty: bool = False,
) -> str:
    """The whole check report as one JSON document; ``problems`` are the
    ``(path, message)`` of files skipped or failed; ``pretty`` indents it."""
    doc = json_envelope("resolver-check", CHECK_VERSION, version, glossary, files, problems)
    doc["summary"] = _summary(items)
    doc["findings"] = [f.to_dict() for f in items]
    return _dumps(doc, pretty)


def json_envelope(
    fmt: str,
    fmt_version: int,
    version: str,
    glossary: Mapping[str, Any],
    files: Sequence[Mapping[str, Any]],
    problems: Sequence[tuple[str, str]],
) -> dict[str, Any]:
    """The fields every whole-document JSON report starts with."""
    return {
        "format": fmt,
        "version": fmt_version,
        "resolver": version,
        "glossary": dict(glossary),
        "files": list(files),
        "problems": [{"path": p, "message": m} for p, m in problems],
    }


def check_jsonl(items: Iterable[Finding]) -> str:
    """One JSON object per finding and line (``"record": "finding"``)."""
    import json

    return "".join(json.dumps({"record": "finding", **f.to_dict()}, ensure_ascii=False) + "\n" for f in items)


def check_jsonl_header(glossary: Mapping[str, Any], version: str) -> str:
    """The first line of ``check --format jsonl``."""
    import json

    head = {
        "record": "header",
        "format": "resolver-check",
        "version": CHECK_VERSION,
        "resolver": version,
        "glossary": dict(glossary),
    }
    return json.dumps(head, ensure_ascii=False) + "\n"


@lru_cache(maxsize=4096)
def _uri(path: str) -> str:
    """A file path as a SARIF URI: relative paths stay relative.

    >>> _uri("drafts/a b.txt"), _uri("/srv/x.txt"), _uri("<stdin>")
    ('drafts/a%20b.txt', 'file:///srv/x.txt', '%3Cstdin%3E')
    """
    from pathlib import PurePath
    from urllib.parse import quote

    p = PurePath(path)
    if p.is_absolute():
        return "file://" + quote(p.as_posix())
    return quote(p.as_posix())


def _region(f: Finding) -> dict[str, Any]:
    return {
        "startLine": f.line,
        "startColumn": f.column,
        "endLine": f.end_line,
        "endColumn": f.end_column,
        "charOffset": f.start,
        "charLength": f.end - f.start,
        "snippet": {"text": f.mention.surface if f.replacement is None else f.mention.surface[len(f.mention.title) :]},
    }


def check_sarif(
    items: Sequence[Finding],
    files: Sequence[Mapping[str, Any]],
    glossary: Mapping[str, Any],
    version: str,
    notifications: Sequence[tuple[str, str]] = (),
    successful: bool = True,
    pretty: bool = False,
) -> str:
    """A SARIF 2.1.0 log (one run) for code-scanning tools.

    Columns are Unicode code points (``columnKind``); a ``non-canonical``
    result carries its fix, and (``check --explain``) its ``why`` in its
    ``properties``; the glossary used is in the run's ``properties``;
    ``notifications`` (``(path, message)``: skipped or failed files) become
    tool execution notifications; ``successful`` false says a
    file named on the command line could not be checked; ``pretty`` indents
    the JSON (compact JSON is written several times faster).
    """
    rule_ids = list(RULES)
    artifacts = [
        {"location": {"uri": _uri(str(f["path"]))}, **({"encoding": f["encoding"]} if f.get("encoding") else {})}
        for f in files
    ]
    art_index = {str(f["path"]): i for i, f in enumerate(files)}
    results = []
    for f in items:
        loc: dict[str, Any] = {"uri": _uri(f.path)}
        if f.path in art_index:
            loc["index"] = art_index[f.path]
        res: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": rule_ids.index(f.rule),
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {"artifactLocation": loc, "region": _region(f)}}],
            "properties": {
                "status": f.mention.status,
                "entity_id": f.mention.entity_id,
                "canonical": f.mention.canonical,
                "candidates": list(f.mention.candidates),
                "method": f.mention.method,
                "rules": list(f.mention.rules),
            },
        }
        why = getattr(f, "why", None)  # check --explain
        if why is not None:
            res["properties"]["why"] = why
        if f.replacement is not None:
            res["fixes"] = [
                {
                    "description": {"text": f"Write {_q(f.replacement)}"},
                    "artifactChanges": [
                        {
                            "artifactLocation": dict(loc),
                            "replacements": [
                                {
                                    "deletedRegion": {"charOffset": f.start, "charLength": f.end - f.start},
                                    "insertedContent": {"text": f.replacement},
                                }
                            ],
                        }
                    ],
                }
            ]
        results.append(res)
    rules = [
        {
            "id": rid,
            "name": "".join(w.capitalize() for w in rid.split("-")),
            "shortDescription": {"text": short},
            "help": {"text": help_},
            "defaultConfiguration": {"level": _SARIF_LEVEL[sev]},
        }
        for rid, (sev, short, help_) in RULES.items()
    ]
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {"name": "resolver", "version": version, "semanticVersion": version, "rules": rules}
                },
                "invocations": [
                    {
                        "executionSuccessful": successful,
                        "toolExecutionNotifications": [
                            {
                                "level": "warning",
                                "message": {"text": msg},
                                "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(path)}}}],
                            }
                            for path, msg in notifications
                        ],
                    }
                ],
                "columnKind": "unicodeCodePoints",
                "artifacts": artifacts,
                "results": results,
                "properties": {"glossary": dict(glossary)},
            }
        ],
    }
    return _dumps(log, pretty)


def gh_escape(s: str, prop: bool = False) -> str:
    """Escape ``s`` for a GitHub workflow command (``prop``: a property value)."""
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        s = s.replace(":", "%3A").replace(",", "%2C")
    return s


def check_github(items: Iterable[Finding]) -> str:
    """GitHub Actions workflow commands, one annotation per finding.

    >>> from resolver.model import Mention
    >>> m = Mention(0, 3, "JeM", "resolved", "jem", "Jaish-e-Mohammed", ("jem",), "JeM")
    >>> print(check_github(findings("a.txt", "JeM", [m], [(0, 3, "Jaish-e-Mohammed")], {})), end="")
    ::error file=a.txt,line=1,col=1,endLine=1,endColumn=4,title=resolver non-canonical::found "JeM", canonical "Jaish-e-Mohammed" [jem]
    """
    out = []
    for f in items:
        props = f"file={gh_escape(f.path, True)},line={f.line},col={f.column},endLine={f.end_line},endColumn={f.end_column},title=resolver {f.rule}"
        out.append(f"::{_GITHUB_LEVEL[f.severity]} {props}::{gh_escape(f.message)}\n")
    return "".join(out)


# --------------------------------------------------------------------------
# find: the integration format


def mention_record(path: str, m: Mention, index: LineIndex) -> dict[str, Any]:
    """One mention in the ``find`` format (see ``find.schema.json``).

    >>> from resolver.model import Mention
    >>> r = mention_record("a.txt", Mention(4, 7, "JeM", "resolved", "jem", "Jaish-e-Mohammed", ("jem",), "JeM"), LineIndex("The JeM"))
    >>> r["path"], r["line"], r["column"], r["end_column"], r["status"]
    ('a.txt', 1, 5, 8, 'resolved')
    """
    line, col = index.position(m.start)
    end_line, end_col = index.position(m.end)
    return {"path": path, "line": line, "column": col, "end_line": end_line, "end_column": end_col, **m.to_dict()}


def find_json(
    records: Sequence[Mapping[str, Any]],
    files: Sequence[Mapping[str, Any]],
    glossary: Mapping[str, Any],
    version: str,
    problems: Sequence[tuple[str, str]] = (),
    pretty: bool = False,
) -> str:
    """The ``find`` report as one JSON document; ``problems`` are the
    ``(path, message)`` of files skipped or failed; ``pretty`` indents it."""
    doc = json_envelope("resolver-find", FIND_VERSION, version, glossary, files, problems)
    doc["mentions"] = list(records)
    return _dumps(doc, pretty)


def find_jsonl_header(glossary: Mapping[str, Any], version: str) -> str:
    """The first line of ``find --format jsonl``."""
    import json

    head = {
        "record": "header",
        "format": "resolver-find",
        "version": FIND_VERSION,
        "resolver": version,
        "glossary": dict(glossary),
    }
    return json.dumps(head, ensure_ascii=False) + "\n"


def find_jsonl(records: Iterable[Mapping[str, Any]], file: Mapping[str, Any] | None = None) -> str:
    """JSON Lines: one ``"record": "mention"`` line per mention, then (when
    given) the ``"record": "file"`` line that closes the file."""
    import json

    out = [json.dumps({"record": "mention", **r}, ensure_ascii=False) + "\n" for r in records]
    if file is not None:
        out.append(json.dumps({"record": "file", **file}, ensure_ascii=False) + "\n")
    return "".join(out)


#: The columns of ``find --format tsv``, in order (the header row).
TSV_COLUMNS = (
    "path", "line", "column", "end_line", "end_column", "start", "end", "surface", "status",
    "entity_id", "canonical", "candidates", "alias", "method", "rules", "reason", "title",
)  # fmt: skip


def _tsv_cell(v: Any) -> str:
    r"""A TSV cell: lists joined by ``|``, None empty; ``\``, tab, CR, LF escaped.

    >>> _tsv_cell(["a", "b"]), _tsv_cell(None), _tsv_cell("x\ty")
    ('a|b', '', 'x\\ty')
    """
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        v = "|".join(str(x) for x in v)
    return str(v).replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def find_tsv(records: Iterable[Mapping[str, Any]], header: bool = False) -> str:
    """Tab-separated rows in :data:`TSV_COLUMNS` order (with the header row
    when ``header``)."""
    out = ["\t".join(TSV_COLUMNS) + "\n"] if header else []
    out.extend("\t".join(_tsv_cell(r.get(c)) for c in TSV_COLUMNS) + "\n" for r in records)
    return "".join(out)


# --------------------------------------------------------------------------
# normalize --diff


def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff (``a/path`` → ``b/path``, 3 lines of context); empty
    when nothing changes. Line endings are kept as they are in the file.

    >>> print(unified_diff("d.txt", "JeM said\\n", "Jaish-e-Mohammed said\\n"), end="")
    --- a/d.txt
    +++ b/d.txt
    @@ -1 +1 @@
    -JeM said
    +Jaish-e-Mohammed said
    """
    if old == new:
        return ""
    import difflib

    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    out = []
    for line in difflib.unified_diff(a, b, f"a/{path}", f"b/{path}", lineterm="\n"):
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)


# --------------------------------------------------------------------------
# lookup, show, stats


def closest(name: str, glossary: Glossary, limit: int = 5, cutoff: float = 60.0) -> list[tuple[float, str, Entity]]:
    """The entities whose names are closest to ``name`` (rapidfuzz's
    normalized Indel similarity, 0-100, on folded names): ``(score, matching name, entity)``, best first, one per
    entity, scores of at least ``cutoff``.

    >>> from resolver.glossary import loads
    >>> g = loads("version: 1\\nentities:\\n  - {id: jem, type: organization, canonical: Jaish-e-Mohammed, aliases: [JeM]}")
    >>> [(round(s), n, e.id) for s, n, e in closest("Jaish Mohamed", g)]
    [(90, 'Jaish-e-Mohammed', 'jem')]
    """
    from rapidfuzz import fuzz, process

    from .folding import fold

    names: list[str] = []
    owners: list[Entity] = []
    for e in glossary.entities:
        for n in dict.fromkeys(e.names + ((e.short,) if e.short else ())):
            names.append(n)
            owners.append(e)
    best: dict[str, tuple[float, str, Entity]] = {}
    hits = process.extract(name, names, scorer=fuzz.ratio, processor=fold, limit=None, score_cutoff=cutoff)
    for n, score, i in hits:
        e = owners[i]
        if e.id not in best or score > best[e.id][0]:
            best[e.id] = (float(score), n, e)
    return sorted(best.values(), key=lambda t: (-t[0], t[2].id))[:limit]


def glossary_stats(glossary: Glossary, matcher: Matcher) -> dict[str, Any]:
    """The glossary at a glance: counts a maintainer watches.

    ``ambiguous_aliases`` counts the distinct spellings (after folding) that
    name several entities; ``acronyms`` the acronym-shaped spellings.
    """
    from .glossary import is_acronym

    by_type: dict[str, int] = {}
    aliases = weak = flagged = 0
    acronyms: set[str] = set()
    shared: set[tuple[str, ...]] = set()
    for e in glossary.entities:
        by_type[e.type] = by_type.get(e.type, 0) + 1
        aliases += len(e.aliases)
        for n in e.names + ((e.short,) if e.short else ()):
            if is_acronym(n):
                acronyms.add(n)
        for a in e.aliases:
            weak += a.weak
            flagged += a.ambiguous
            owners = tuple(sorted({r.entity_id for r in matcher.lookup(a.name)}))
            if len(owners) > 1:
                shared.add(owners + (a.name.casefold(),))
    return {
        "glossary": glossary_info(glossary),
        "entities": len(glossary),
        "by_type": dict(sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))),
        "aliases": aliases,
        "ambiguous_aliases": len({s[-1] for s in shared}),
        "aliases_marked_ambiguous": flagged,
        "weak_aliases": weak,
        "acronyms": len(acronyms),
        "spelling_rules": len(glossary.spelling),
        "titles": len(glossary.titles),
        "compiled_keys": len(matcher),
    }


def stats_text(stats: Mapping[str, Any]) -> str:
    """:func:`glossary_stats` as an aligned, readable block."""
    rows: list[tuple[str, str]] = [("entities", str(stats["entities"]))]
    rows += [(f"  {t}", str(n)) for t, n in stats["by_type"].items()]
    rows += [
        ("aliases", str(stats["aliases"])),
        ("  ambiguous (shared by several entities)", str(stats["ambiguous_aliases"])),
        ("  marked ambiguous", str(stats["aliases_marked_ambiguous"])),
        ("  weak", str(stats["weak_aliases"])),
        ("acronyms", str(stats["acronyms"])),
        ("spelling rules", str(stats["spelling_rules"])),
        ("titles", str(stats["titles"])),
        ("compiled keys", str(stats["compiled_keys"])),
    ]
    width = max(len(k) for k, _ in rows)
    return "".join(f"{k.ljust(width)}  {v.rjust(6)}\n" for k, v in rows)


def entity_data(glossary: Glossary, entity_id: str) -> dict[str, Any]:
    """One entry as the YAML-ready dict ``dumps`` would write for it
    (metadata included). Raises ``KeyError`` for an unknown id."""
    from .glossary import to_data

    entity = glossary[entity_id]
    ids = [e.id for e in glossary.entities]
    data: dict[str, Any] = to_data(glossary)["entities"][ids.index(entity.id)]
    return data
