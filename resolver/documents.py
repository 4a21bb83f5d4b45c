"""Real documents: match only prose, honour suppression comments and quotations.

Editors' drafts are Markdown files and HTML fragments, with URLs, e-mail
addresses, code and direct quotations. Reading a document is three steps:

1. **Layout** (:func:`prose_mask`): which characters are prose. For
   ``markdown`` (markdown-it-py, CommonMark plus tables), prose is the inline
   content of paragraphs, headings, list items, table cells, block quotes,
   link text and image alt text; code blocks and fences, inline code, link
   destinations and titles, reference definitions, autolinks, raw HTML tags
   and front matter are protected, and an HTML block is read as HTML (a
   document of nothing but prose paragraphs and HTML blocks is laid out the
   same way without importing markdown-it: :func:`_plain_blocks`). For
   ``html`` (the standard library's parser), prose is the text nodes outside
   ``<script>``, ``<style>``, ``<code>``, ``<pre>``, ``<kbd>``, ``<samp>`` and
   ``<textarea>``; tags, attributes and comments are protected. A character
   reference (in HTML and Markdown) reads as a space when it stands for one
   (``&nbsp;``), as its character when that is one a name may hold
   (``J&amp;K``, ``Azhar&rsquo;s``, ``Jos&eacute;``: the character, padded
   with a mark that folding drops), and is protected otherwise
   (``&lt;``); a rewrite into HTML is escaped. In every format, URLs, domain names
   (``brighterkashmir.com``), e-mail addresses and @handles found in prose are
   protected too; plain ``text`` additionally protects HTML tags and comments
   pasted from a CMS (``<div class="paragraphs">``).
2. **Matching**: every protected character is replaced by ``"\\x00"``, which
   folds to punctuation, so the resolver runs on a string of the same length
   (offsets index the original) in which no name joins across a protected
   region. The line break inside a paragraph, with the block-quote marker or
   list indentation of the next line, reads as a space: a name broken across
   two lines of a paragraph is one mention (and rewriting it joins the lines).
3. **Statuses**: mentions silenced by a suppression comment or the allow-list
   become ``"suppressed"``; with ``quotes="keep"``, mentions inside a direct
   quotation become ``"quoted"``. Both keep their entity id (when resolved),
   candidates, alias and method, and say why in ``reason``; neither is ever
   rewritten, and both are still reported (never silently dropped).

Suppression comments (ids or spellings, separated by commas; a spelling
silences that spelling, folded: ``JeM`` also silences ``JEM``; an id silences
every mention that may refer to the entity; no name silences everything)::

    <!-- resolver: ignore jaish_e_mohammed -->   on its own line: the next block
    Text. <!-- resolver: ignore JeM, ISI -->     sharing a line: that line
    <!-- resolver: ignore-file masood_azhar -->  the rest of the file
    <!-- resolver: off --> … <!-- resolver: on -->  a region (off may name entities)

"The next block" skips blank lines and other comment lines; in Markdown it is
the block markdown-it starts on that line (a paragraph, a whole list, a
table), in text and HTML the paragraph (up to a blank line). In plain text
the same directives work after a comment marker: ``# resolver: off``,
``// resolver: ignore JeM``, ``% …``, ``-- …``, ``/* … */``, ``<!-- … -->``.
An unknown directive or a name that is neither an entity id nor a name the
glossary knows raises :class:`DirectiveError` (a typo must not silently
silence nothing). The allow-list (``.resolver-allow``, :func:`load_allow`)
silences its ids and spellings in the whole document.

Quotations: ``quotes="normalize"`` (the default) rewrites names inside
quotation marks like any others: a quotation of speech has no spelling of its
own (the transliteration of a name is the publication's choice), and pairing
straight quotes is a guess that must not change what is rewritten by
default. ``quotes="keep"`` leaves them as written (quoting a document
verbatim) and reports them as ``"quoted"``. A quotation runs from ``“`` to
``”`` (or to the end of the paragraph: a quotation continued in the next
paragraph opens it again), from ``«`` to ``»``, or between two straight
``"`` in one paragraph.

>>> import resolver
>>> r = resolver.Resolver(resolver.load_glossary())
>>> md = "# JeM\\n\\nSee [the JeM page](https://example.org/JeM) and `JeM`.\\n"
>>> [(m.start, m.surface) for m in find_document(r, md, "markdown")]
[(2, 'JeM'), (16, 'JeM')]
>>> print(normalize_document(r, md, "markdown"), end="")
# Jaish-e-Mohammed
<BLANKLINE>
See [the Jaish-e-Mohammed page](https://example.org/JeM) and `JeM`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from .core import splice
from .errors import InputError
from .folding import fold
from .glossary import is_acronym

if TYPE_CHECKING:  # pragma: no cover
    from markdown_it.rules_inline import StateInline

    from .core import Resolver, Style
    from .model import Mention

__all__ = [
    "ALLOW_FILE",
    "DEFAULT_QUOTES",
    "FORMATS",
    "DirectiveError",
    "Format",
    "Quotes",
    "Reading",
    "detect_format",
    "find_allow_file",
    "find_document",
    "load_allow",
    "normalize_document",
    "prose_mask",
    "quoted_edits",
    "read_document",
    "rewrites",
    "sentence_case",
    "unknown_names",
]

Format = Literal["text", "markdown", "html"]
Quotes = Literal["keep", "normalize"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "html")
#: Names inside quotation marks are rewritten unless asked otherwise (see the module text).
DEFAULT_QUOTES: Quotes = "normalize"
#: The allow-list file looked for in the current directory and its parents.
ALLOW_FILE = ".resolver-allow"
#: What a protected character becomes: it folds to punctuation.
MASK = "\x00"

Span = tuple[int, int]

_EXTENSIONS: dict[str, Format] = {
    **dict.fromkeys(
        (".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn", ".mdtxt", ".mdtext", ".rmd", ".qmd"), "markdown"
    ),
    **dict.fromkeys((".html", ".htm", ".xhtml", ".shtml"), "html"),
}


def _lazy_re(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A regular expression compiled on first use: each input format and
    option needs only some of this module's expressions, and compiling them
    all would be a millisecond or two of every command's start-up.

    >>> rx = _lazy_re(r"J[eE]M")
    >>> rx() is rx(), rx().findall("JeM, JEM, Jem")
    (True, ['JeM', 'JEM'])
    """
    return cache(lambda: re.compile(pattern, flags))


class DirectiveError(InputError):
    """A suppression comment or allow-list entry resolver cannot apply: an
    unknown directive, or a name that is neither an entity id nor a name the
    glossary knows."""


def detect_format(path: str | Path) -> Format:
    """The input format a file's extension says (``text`` when it says nothing).

    >>> detect_format("drafts/brief.md"), detect_format("page.HTML"), detect_format("notes.txt"), detect_format("-")
    ('markdown', 'html', 'text', 'text')
    """
    return _EXTENSIONS.get(Path(str(path)).suffix.lower(), "text")


# --------------------------------------------------------------------------
# lines


_EOL = re.compile(r"\r\n|\r|\n")


class _Lines:
    """Line starts and ends (without the terminator) of a text; lines end at
    ``\\r\\n``, ``\\r`` or ``\\n``, as markdown-it counts them."""

    __slots__ = ("ends", "n", "starts")

    def __init__(self, text: str) -> None:
        starts, ends = [0], []
        for m in _EOL.finditer(text):
            ends.append(m.start())
            starts.append(m.end())
        ends.append(len(text))
        self.starts, self.ends, self.n = starts, ends, len(text)

    def __len__(self) -> int:
        return len(self.starts)

    def of(self, offset: int) -> int:
        """0-based line of ``offset``."""
        return bisect_right(self.starts, offset) - 1

    def start(self, line: int) -> int:
        return self.starts[line] if line < len(self.starts) else self.n


def _merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted, disjoint, non-empty spans (touching ones joined).

    >>> _merge([(5, 8), (0, 2), (2, 3), (7, 9), (4, 4)])
    [(0, 3), (5, 9)]
    """
    out: list[Span] = []
    for s, e in sorted(spans):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _complement(spans: Sequence[Span], n: int) -> list[Span]:
    """The parts of ``[0, n)`` outside sorted disjoint ``spans``.

    >>> _complement([(1, 3), (5, 6)], 8)
    [(0, 1), (3, 5), (6, 8)]
    """
    out: list[Span] = []
    prev = 0
    for s, e in spans:
        if s > prev:
            out.append((prev, s))
        prev = max(prev, e)
    if prev < n:
        out.append((prev, n))
    return out


# --------------------------------------------------------------------------
# layouts: which characters are prose


class _Comment(NamedTuple):
    """A comment in the source: ``[start, end)`` and the text inside its markers."""

    start: int
    end: int
    body: str


class _Layout(NamedTuple):
    """``protected``: characters that are neither prose nor line joins;
    ``soft``: line joins inside one block (they read as white space);
    ``comments``: where suppression directives may be; ``blocks``: for
    Markdown, the line range of the outermost block starting on a line."""

    protected: list[Span]
    soft: list[Span]
    comments: list[_Comment]
    blocks: dict[int, int] | None = None
    #: character references that stand for a character of a name
    #: (``&amp;`` in ``J&amp;K``, ``&rsquo;``, ``&eacute;``): read as it
    chars: Sequence[Span] = ()


#: Elements whose content is code or otherwise not prose.
_RAW_ELEMENTS = frozenset({"code", "kbd", "pre", "samp", "script", "style", "textarea", "tt"})

_HTML_NAMES = (
    "a|abbr|article|aside|audio|b|blockquote|body|br|button|caption|center|cite|code|dd|del|details|div|dl|dt|em|"
    "figcaption|figure|font|footer|form|h[1-6]|head|header|hr|html|i|iframe|img|input|ins|kbd|label|li|link|main|"
    "mark|meta|nav|noscript|ol|option|p|picture|pre|q|s|script|section|select|small|source|span|strong|style|sub|"
    "summary|sup|table|tbody|td|textarea|tfoot|th|thead|time|title|tr|u|ul|video"
)
#: HTML left in a plain text (tags of common elements, comments).
_text_markup = _lazy_re(
    rf"<!--(?P<body>.*?)-->|</?(?:{_HTML_NAMES})(?=[\s/>])(?:[^<>\"']|\"[^\"]*\"|'[^']*')*>", re.IGNORECASE | re.DOTALL
)
#: A directive after a plain-text comment marker: ``# resolver: off``.
_text_directive = _lazy_re(r"(?<!\S)(?:#+|//+|%+|--+|;+|/\*)[ \t]*(?P<body>resolver:[^\r\n]*)")


def _text_layout(text: str) -> _Layout:
    protected: list[Span] = []
    comments: list[_Comment] = []
    for m in _text_markup().finditer(text):
        protected.append(m.span())
        if m.group("body") is not None:
            comments.append(_Comment(m.start(), m.end(), m.group("body")))
    for m in _text_directive().finditer(text):
        body = m.group("body")
        if m.group().lstrip().startswith("/*"):
            body = body.split("*/", 1)[0]
        protected.append(m.span())
        comments.append(_Comment(m.start(), m.end(), body))
    comments.sort(key=lambda c: c.start)
    return _Layout(_merge(protected), [], _dedupe(comments))


def _dedupe(comments: list[_Comment]) -> list[_Comment]:
    """Drop comments nested in an earlier one (a ``#`` inside ``<!-- -->``)."""
    out: list[_Comment] = []
    for c in comments:
        if out and c.start < out[-1].end:
            continue
        out.append(c)
    return out


class _TextNodes(HTMLParser):
    """Collect the prose text nodes and the comments of an HTML source, as
    offsets into it (``convert_charrefs`` off: character references are
    events of their own, so every text node is the raw source)."""

    def __init__(self, source: str, offset: int = 0) -> None:
        super().__init__(convert_charrefs=False)
        self._source = source
        self._base = offset  # not `offset`: html.parser uses that name for its column
        self._lines = [0] + [m.end() for m in re.finditer("\n", source)]  # html.parser counts \n only
        self.prose: list[Span] = []
        self.soft: list[Span] = []
        self.chars: list[Span] = []
        self.comments: list[_Comment] = []
        self.raw: dict[str, int] = {}

    def _pos(self) -> int:
        line, col = self.getpos()
        return self._lines[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _RAW_ELEMENTS:
            self.raw[tag] = self.raw.get(tag, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if self.raw.get(tag):
            self.raw[tag] -= 1

    def handle_data(self, data: str) -> None:
        if not any(self.raw.values()):
            p = self._pos()
            self.prose.append((self._base + p, self._base + p + len(data)))

    def handle_entityref(self, name: str) -> None:
        self._reference(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._reference(f"&#{name};")

    def _reference(self, ref: str) -> None:
        if any(self.raw.values()):
            return
        kind = self.soft if _separator_reference(ref) else self.chars if _name_reference(ref) else None
        if kind is not None:
            p = self._pos()
            end = p + len(ref) if self._source.startswith(ref, p) else p + len(ref) - 1  # "&nbsp" without ";"
            kind.append((self._base + p, self._base + end))

    def handle_comment(self, data: str) -> None:
        p = self._pos()
        end = self._source.find("-->", p + 4)
        end = len(self._source) if end == -1 else end + 3
        self.comments.append(_Comment(self._base + p, self._base + end, data))


def _html_nodes(source: str, offset: int = 0) -> _TextNodes:
    parser = _TextNodes(source, offset)
    parser.feed(source)
    parser.close()
    return parser


def _separator_reference(ref: str) -> bool:
    """True for a character reference that stands for a space or a dash
    (``&nbsp;``, ``&#8209;``, ``&ndash;``): it reads as a separator, so
    ``Masood&nbsp;Azhar`` is one name.

    >>> _separator_reference("&nbsp;"), _separator_reference("&#x2011;"), _separator_reference("&amp;")
    (True, True, False)
    """
    import html

    from .folding import SEP, fold_char

    ch = html.unescape(ref)
    return len(ch) == 1 and ch != ref and fold_char(ch) == SEP


def _name_reference(ref: str) -> bool:
    """True for a character reference that stands for a character a name
    may have inside it: a letter or digit, an apostrophe or ``&``
    (``J&amp;K``, ``Azhar&rsquo;s``, ``Jos&eacute;``): it reads as that
    character.

    >>> _name_reference("&amp;"), _name_reference("&rsquo;"), _name_reference("&#233;"), _name_reference("&lt;")
    (True, True, True, False)
    """
    import html

    from .folding import APOSTROPHES

    ch = html.unescape(ref)
    return len(ch) == 1 and ch != ref and (ch.isalnum() or ch in APOSTROPHES or ch == "&")


def _html_layout(text: str) -> _Layout:
    nodes = _html_nodes(text)
    prose = _merge(nodes.prose + nodes.soft + nodes.chars)
    return _Layout(_complement(prose, len(text)), _merge(nodes.soft), nodes.comments, None, _merge(nodes.chars))


# Markdown ---------------------------------------------------------------

_front_matter = _lazy_re(
    r"\A(---|\+\+\+)[ \t]*\r?\n(?:.*?(?:\r\n|\r|\n))??(?:\1|\.\.\.)[ \t]*(?=\r|\n|\Z)", re.DOTALL
)


class _Recorder:
    """Where the wrapped inline rules of markdown-it matched, in the
    coordinates of one inline token's content. Image alt text is parsed by
    markdown-it in a state of its own; ``bases`` maps each state to the offset
    of its source in the token's content."""

    def __init__(self) -> None:
        self.protected: list[Span] = []
        self.soft: list[Span] = []
        self.chars: list[Span] = []
        self.html: list[tuple[int, int, str]] = []
        self.bases: dict[int, tuple[object, int]] = {}
        self.pending: list[int] = []

    def reset(self) -> None:
        self.protected, self.soft, self.chars, self.html, self.bases, self.pending = [], [], [], [], {}, []

    def base(self, state: StateInline) -> int:
        entry = self.bases.get(id(state))
        if entry is None:
            entry = (state, self.pending[-1] if self.pending else 0)
            self.bases[id(state)] = entry  # the state is kept alive: its id is not reused
        return entry[1]


def _wrap(rule: Callable[[StateInline, bool], bool], kind: str, rec: _Recorder) -> Callable[[StateInline, bool], bool]:
    """An inline rule that records the span it consumed (``kind``: ``link``
    and ``image`` record all but their label, ``html`` also the tag)."""
    from markdown_it.helpers import parseLinkLabel

    def wrapped(state: StateInline, silent: bool) -> bool:
        if silent:
            return rule(state, silent)
        p0 = state.pos
        base = rec.base(state)
        label_end = -1
        if kind == "link" and state.src[p0] == "[":
            label_end = parseLinkLabel(state, p0, True)
        elif kind == "image":
            if state.src.startswith("![", p0):
                label_end = parseLinkLabel(state, p0 + 1, False)
            rec.pending.append(base + p0 + 2)
        try:
            ok = rule(state, silent)
        finally:
            if kind == "image":
                rec.pending.pop()
        if not ok:
            return False
        p1 = state.pos
        if kind in ("link", "image") and label_end >= 0:
            after = state.src[label_end + 1 : label_end + 3]
            if after[:1] == "(" or (after[:1] == "[" and after != "[]"):
                # [text](target) and [text][ref]: the text is prose
                rec.protected += [(base + p0, base + p0 + (1 if kind == "link" else 2)), (base + label_end, base + p1)]
            else:  # [ref] and [ref][]: the text is also the key of a definition
                rec.protected.append((base + p0, base + p1))
        elif kind == "entity" and _separator_reference(state.src[p0:p1]):
            rec.soft.append((base + p0, base + p1))
        elif kind == "entity" and _name_reference(state.src[p0:p1]):
            rec.chars.append((base + p0, base + p1))
        else:
            rec.protected.append((base + p0, base + p1))
            if kind == "html":
                rec.html.append((base + p0, base + p1, state.src[p0:p1]))
        return True

    return wrapped


def _markdown_parser(rec: _Recorder) -> Any:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import autolink, backtick, entity, html_inline, image, link

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.core.ruler.disable(["inline", "linkify", "replacements", "smartquotes", "text_join"], ignoreInvalid=True)
    for name, rule, kind in (
        ("backticks", backtick, "code"),
        ("link", link, "link"),
        ("image", image, "image"),
        ("autolink", autolink, "code"),
        ("html_inline", html_inline, "html"),
        ("entity", entity, "entity"),
    ):
        md.inline.ruler.at(name, _wrap(rule, kind, rec))
    return md


_tag = _lazy_re(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")


def _inline_protected(rec: _Recorder, n: int) -> list[Span]:
    """The recorded spans, plus the content of raw inline elements
    (``<code>…</code>`` written as HTML inside Markdown)."""
    spans = list(rec.protected)
    open_at: dict[str, int] = {}
    for s, e, tag in rec.html:
        m = _tag().match(tag)
        if m is None or m.group(2).lower() not in _RAW_ELEMENTS:
            continue
        name = m.group(2).lower()
        if not m.group(1):
            open_at.setdefault(name, s)
        elif name in open_at:
            spans.append((open_at.pop(name), e))
    spans += [(s, n) for s in open_at.values()]
    return _merge(spans)


def _align_line(piece: str, line: str, col: int) -> list[tuple[int, int, int]] | None:
    """Where ``piece`` (one line of an inline token's content) is in a
    source ``line``, from column ``col``: ``(piece offset, line offset,
    length)`` segments, or None. markdown-it strips leading white space and
    container markers and unescapes ``\\|`` in table cells; nothing else
    differs."""
    i = line.find(piece, col)
    if i >= 0:
        return [(0, i, len(piece))]
    stripped = piece.lstrip()
    k = len(piece) - len(stripped)
    if not stripped:
        return []
    i = line.find(stripped, col)
    if i >= 0:
        return [(k, i, len(stripped))]
    j = line.find(stripped[0], col)  # escaped characters: skip backslashes
    if j < 0:
        return None
    segs: list[tuple[int, int, int]] = []
    for a, ch in enumerate(stripped, k):
        while j < len(line) and line[j] == "\\" and ch != "\\":
            j += 1
        if j >= len(line) or line[j] != ch:
            return None
        if segs and segs[-1][0] + segs[-1][2] == a and segs[-1][1] + segs[-1][2] == j:
            p, q, n = segs[-1]
            segs[-1] = (p, q, n + 1)
        else:
            segs.append((a, j, 1))
        j += 1
    return segs


#: Tags that start an HTML block running to the next blank line (CommonMark's
#: type 6) in every markdown-it-py version; a line starting with another tag
#: is left to markdown-it.
_HTML_BLOCK_TAGS = (
    "address|article|aside|blockquote|body|caption|center|dd|details|div|dl|dt|fieldset|figcaption|figure|"
    "footer|form|h[1-6]|head|header|hr|html|legend|li|main|nav|ol|p|section|summary|table|tbody|td|tfoot|th|"
    "thead|title|tr|ul"
)
_html_block_start = _lazy_re(rf"</?(?a:{_HTML_BLOCK_TAGS})(?=\s|/?>|$)", re.IGNORECASE)
#: What may start a Markdown block other than a paragraph at the start of a
#: line (headings, quotes, lists, rules, fences, tables, definitions, setext
#: underlines), and what may start an inline construct that is not prose
#: (code, links, images, autolinks, HTML, character references) or an escape.
_not_plain = _lazy_re(r"[#>*+\-=_~`|\[<]|\d+[.)]|[^\r\n]*[`\[\]<&\\|]")


class _Block(NamedTuple):
    """A block token as markdown-it reports it (the fields
    :func:`_markdown_layout` reads), for :func:`_plain_blocks`."""

    type: str
    map: tuple[int, int]
    content: str = ""
    nesting: int = 0


def _plain_blocks(text: str, lines: _Lines) -> list[_Block] | None:
    """The blocks of a Markdown document made of nothing but paragraphs of
    plain prose and HTML blocks, as markdown-it would parse them, without
    importing it (a fifth of ``resolver check``'s start-up); None for any
    other document, which markdown-it parses.

    Plain means that no line starts with white space or a character that may
    start another block, and that no paragraph has a character that may start
    an inline construct resolver protects (code, links, HTML, character
    references) or an escape; emphasis is prose. An HTML block starts on a
    line starting with a block-level tag (``<div …>``) and runs to the next
    blank line (it ends the paragraph before it). A paragraph's content is
    its lines without the white space at the end, as markdown-it gives it;
    tests/test_startup.py checks that the layouts are the same.

    >>> t = "JeM and ISI.\\nSecond line\\n\\n<div class='x'>\\nJeM</div>\\n\\nEnd  \\n"
    >>> _plain_blocks(t, _Lines(t))  # doctest: +NORMALIZE_WHITESPACE
    [_Block(type='inline', map=(0, 2), content='JeM and ISI.\\nSecond line', nesting=0),
     _Block(type='html_block', map=(3, 5), content='', nesting=0),
     _Block(type='inline', map=(6, 7), content='End', nesting=0)]
    >>> [_plain_blocks(t, _Lines(t)) for t in ("# JeM\\n", "See [JeM](x)\\n", "  JeM\\n", "1. JeM\\n", "<span>JeM\\n")]
    [None, None, None, None, None]
    """
    if "\r" in text or "\x00" in text:  # markdown-it rewrites them
        return None
    out: list[_Block] = []
    starts, ends = lines.starts, lines.ends
    start = -1  # first line of the open paragraph

    def close(end: int) -> bool:
        nonlocal start
        if start >= 0:
            content = text[starts[start] : ends[end - 1]].rstrip(" \t")
            if content[-1:].isspace():  # markdown-it versions trim different white space
                return False
            out.append(_Block("inline", (start, end), content))
            start = -1
        return True

    i, n = 0, len(lines)
    while i < n:
        line = text[starts[i] : ends[i]]
        if not line.strip(" \t"):  # blank (markdown-it: spaces and tabs only)
            if not close(i):
                return None
            i += 1
        elif line[0] == "<":
            if not _html_block_start().match(line) or not close(i):
                return None
            j = i + 1
            while j < n and text[starts[j] : ends[j]].strip(" \t"):
                j += 1
            out.append(_Block("html_block", (i, j)))
            i = j
        elif line[0].isspace() or _not_plain().match(line):
            return None
        else:
            start = i if start < 0 else start
            i += 1
    return out if close(n) else None


def _markdown_layout(text: str, plain: bool = True) -> _Layout:
    """The layout of a Markdown document: from :func:`_plain_blocks` when
    the document is plain (and ``plain``), else from markdown-it."""
    lines = _Lines(text)
    rec = _Recorder()
    env: dict[str, Any] = {}
    md = None
    tokens: Sequence[Any] | None = _plain_blocks(text, lines) if plain else None
    if tokens is None:
        src = text
        front = _front_matter().match(text)
        if front:  # blank it for the parser, keeping line numbers
            src = "\n" * len(_EOL.findall(text, 0, front.end())) + text[front.end() :]
        md = _markdown_parser(rec)
        tokens = md.parse(src, env)
    prose: list[Span] = []
    soft: list[Span] = []
    chars: list[Span] = []
    comments: list[_Comment] = []
    blocks: dict[int, int] = {}
    cursor = (-1, 0)  # (line, column) just after the last aligned text: table cells share a line
    for tok in tokens:
        if tok.map is None:
            continue
        l0, l1 = tok.map
        if tok.nesting >= 0:  # the first (outermost) block starting on a line
            blocks.setdefault(l0, l1)
        if tok.type == "html_block":
            a, b = lines.start(l0), lines.start(l1)
            nodes = _html_nodes(text[a:b], a)
            prose += nodes.prose
            soft += nodes.soft
            chars += nodes.chars
            comments += nodes.comments
            continue
        if tok.type != "inline":
            continue
        content: str = tok.content
        rec.reset()
        if md is not None:  # plain blocks have no inline construct to record
            md.inline.parse(content, md, env, [])
        inner = _merge(_inline_protected(rec, len(content)) + rec.soft + rec.chars)
        segs, cursor = _align(content, text, lines, tok.map, cursor)
        prose += _map_spans(_complement(inner, len(content)), segs)
        soft += _map_spans(rec.soft, segs)
        chars += _map_spans(rec.chars, segs)
        for (p, q, n), (p2, q2, _) in pairwise(segs):
            gap = text[q + n : q2]
            if ("\n" in gap or "\r" in gap) and not _covers(inner, p + n, p2):
                soft.append((q + n, q2))
        for s, e, tag in rec.html:  # comments written inline
            mapped = _map_spans([(s, e)], segs) if tag.startswith("<!--") else []
            if mapped:
                comments.append(_Comment(mapped[0][0], mapped[-1][1], tag[4:-3]))
    prose = _merge(prose)
    soft = _drop_overlapping(_merge(soft), prose)
    chars = _drop_overlapping(_merge(chars), prose)
    protected = _complement(_merge(prose + soft + chars), len(text))
    comments.sort(key=lambda c: c.start)
    return _Layout(protected, soft, comments, blocks, chars)


def _align(
    content: str, text: str, lines: _Lines, span: Sequence[int], cursor: tuple[int, int]
) -> tuple[list[tuple[int, int, int]], tuple[int, int]]:
    """Align the lines of an inline token's ``content`` with the source lines
    ``span`` (markdown-it's map) of ``text``: ``(content offset, text offset,
    length)`` segments, and the cursor after the last one. A content line
    that cannot be aligned is left out (so it is never prose)."""
    l0, l1 = span
    segs: list[tuple[int, int, int]] = []
    line = l0
    col = cursor[1] if l0 == cursor[0] else 0
    c0 = 0
    for k, piece in enumerate(content.split("\n")):
        if k:
            line, col = line + 1, 0
        found = None
        while piece and line < l1:
            found = _align_line(piece, text[lines.starts[line] : lines.ends[line]], col)
            if found is not None or k:  # later lines of a paragraph are where they are, or unaligned
                break
            line, col = line + 1, 0
        if found:
            base = lines.starts[line]
            segs += [(c0 + p, base + q, n) for p, q, n in found]
            col = found[-1][1] + found[-1][2]
            cursor = (line, col)
        c0 += len(piece) + 1
    return segs, cursor


def _covers(spans: Sequence[Span], a: int, b: int) -> bool:
    """True when some span of sorted ``spans`` overlaps ``[a, b)`` (or
    contains ``a`` when the range is empty)."""
    for s, e in spans:
        if s >= max(b, a + 1):
            break
        if e > a:
            return True
    return False


def _drop_overlapping(spans: Sequence[Span], others: Sequence[Span]) -> list[Span]:
    """The spans of sorted ``spans`` that overlap none of sorted, disjoint
    ``others`` (in one pass).

    >>> _drop_overlapping([(0, 2), (3, 4), (6, 9)], [(1, 3), (8, 10)])
    [(3, 4)]
    """
    out: list[Span] = []
    i = 0
    for a, b in spans:
        while i < len(others) and others[i][1] <= a:
            i += 1
        if i < len(others) and others[i][0] < max(b, a + 1):
            continue
        out.append((a, b))
    return out


def _map_spans(spans: Sequence[Span], segs: Sequence[tuple[int, int, int]]) -> list[Span]:
    """Content spans → source spans through aligned segments; characters
    that were not aligned are dropped."""
    out: list[Span] = []
    for a, b in spans:
        for p, q, n in segs:
            lo, hi = max(a, p), min(b, p + n)
            if lo < hi:
                out.append((q + lo - p, q + hi - p))
    return out


# --------------------------------------------------------------------------
# URLs, domains, e-mail addresses


_TLDS = (
    "com|org|net|edu|gov|mil|int|info|biz|io|co|ai|app|dev|news|tv|online|site|blog|xyz|tech|media|live|"
    "in|pk|af|bd|lk|np|cn|ru|ir|uk|ca|au|de|fr|eu|ae|sa|qa|nl|ch|es|jp|kr|sg|nz|za|ly|tk|pl|se|br|mx|ar|tr|il|eg|ng|ke"
)
_URL = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"“”‘’\x00]+")
_TLD_DOT = re.compile(rf"\.(?:{_TLDS})(?![\w-])")
_LABELS = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\Z"
)
_PATH = re.compile(r"/[^\s<>\"“”‘’\x00]*")
_email_local = _lazy_re(r"[\w.+-]+\Z")
_email_domain = _lazy_re(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_handle = _lazy_re(r"[A-Za-z0-9_]{1,30}\b")
_TRAILING = ".,;:!?'\"’”)]}"


def _urlish(text: str) -> list[Span]:
    """URLs, domain names, e-mail addresses and @handles in ``text``; a URL
    does not take the punctuation after it (``.``, ``,``, an unbalanced
    ``)``). Every search is anchored on what such a token must contain
    (``://``, ``www.``, ``@``, a dot before a top-level domain), so prose
    costs one fast scan.

    >>> t = "See https://x.org/a_(b). Mail a.b@gmail.com, brighterkashmir.com or @jem."
    >>> [t[s:e] for s, e in _urlish(t)]
    ['https://x.org/a_(b)', 'a.b@gmail.com', 'brighterkashmir.com', '@jem']
    >>> _urlish("Taliban.In the end, e.g. the JeM, x.y.in-house")
    []
    """
    out: list[Span] = [m.span() for m in _URL.finditer(text)]
    i = text.find("@")
    while i >= 0:
        local = _email_local().search(text, max(0, i - 64), i)
        domain = _email_domain().match(text, i + 1)
        if local and domain:
            out.append((local.start(), domain.end()))
        elif (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_@/.")) and (h := _handle().match(text, i + 1)):
            out.append((i, h.end()))
        i = text.find("@", i + 1)
    for m in _TLD_DOT.finditer(text):
        labels = _LABELS.search(text, max(0, m.start() - 253), m.start())
        if labels is None:
            continue
        s = labels.start()
        if s and (text[s - 1].isalnum() or text[s - 1] in "_@.-"):
            continue
        path = _PATH.match(text, m.end())
        out.append((s, path.end() if path else m.end()))
    spans = []
    for s, e in out:
        while e > s and text[e - 1] in _TRAILING:
            if text[e - 1] == ")" and text.count("(", s, e) >= text.count(")", s, e):
                break
            e -= 1
        spans.append((s, e))
    return _merge(spans)


# --------------------------------------------------------------------------
# masking


def _hide(segment: str) -> str:
    if "\n" not in segment and "\r" not in segment:
        return MASK * len(segment)
    return re.sub(r"[^\r\n]+", lambda m: MASK * len(m.group()), segment)


#: The padding after a referenced character in the masked text: the
#: combining grapheme joiner, a mark that folds to nothing and, unlike a
#: zero-width space, is part of the name it ends (folding.trim_format_end).
_PAD = "\u034f"


def _mask(text: str, protected: Sequence[Span], soft: Sequence[Span] = (), chars: Sequence[Span] = ()) -> str:
    """``text`` with protected characters masked and soft line joins blanked;
    line breaks are kept, so paragraphs stay paragraphs. A reference to a
    name's character (``chars``) becomes that character, padded with
    :data:`_PAD`, which folding removes (same length: offsets hold)."""
    if not protected and not soft and not chars:
        return text
    import html

    pieces: list[str] = []
    prev = 0
    spans = [(s, e, 0) for s, e in protected] + [(s, e, 1) for s, e in soft] + [(s, e, 2) for s, e in chars]
    for s, e, kind in sorted(spans):
        pieces.append(text[prev:s])
        seg = text[s:e]
        if kind == 2:
            pieces.append(html.unescape(seg) + _PAD * (len(seg) - 1))
        else:
            pieces.append("".join(c if c in "\r\n" else " " for c in seg) if kind else _hide(seg))
        prev = e
    pieces.append(text[prev:])
    return "".join(pieces)


def _layout(text: str, fmt: Format) -> _Layout:
    if fmt == "markdown":
        return _markdown_layout(text)
    if fmt == "html":
        return _html_layout(text)
    if fmt == "text":
        return _text_layout(text)
    raise ValueError(f"unknown input format {fmt!r}; choose one of {', '.join(FORMATS)}")


def prose_mask(text: str, fmt: Format = "text") -> list[Span]:
    """The protected spans of ``text``: sorted, disjoint ``(start, end)``
    ranges never rewritten and never matched into (see the module text for
    what each format protects). The one mention that may lie in them is a
    whole domain name or handle the glossary lists as a name
    (:func:`read_document` reports it; :func:`rewrites` leaves it).

    >>> t = "Mail nileshkunwar.56@gmail.com or see brighterkashmir.com."
    >>> [t[s:e] for s, e in prose_mask(t)]
    ['nileshkunwar.56@gmail.com', 'brighterkashmir.com']
    >>> t = '<p class="JeM">JeM &amp; <code>ISI</code></p>'
    >>> [t[s:e] for s, e in prose_mask(t, "html")]
    ['<p class="JeM">', '<code>ISI</code></p>']
    """
    lay = _layout(text, fmt)
    masked = _mask(text, lay.protected, lay.soft, lay.chars)
    return _merge(lay.protected + _urlish(masked))


# --------------------------------------------------------------------------
# suppression


_directive = _lazy_re(r"\s*resolver:[ \t]*(?P<word>[\w-]*)(?P<args>.*)", re.DOTALL)
_KEYWORDS = ("ignore", "ignore-file", "off", "on")


def unknown_names(resolver: Resolver, names: Iterable[str]) -> list[str]:
    """The names that are neither an entity id nor a name the glossary
    knows (listed, folded, or through spelling rules).

    >>> import resolver
    >>> unknown_names(resolver.Resolver(), ["jaish_e_mohammed", "JEM", "Jaish-i-Muhammad", "Jaish Mohamed"])
    ['Jaish Mohamed']
    """
    return [n for n in names if not _known(resolver, n)]


def _known(resolver: Resolver, name: str) -> bool:
    return name in resolver.glossary or bool(fold(name)) and bool(resolver.matcher.lookup(name))


def _split_names(resolver: Resolver, args: str, where: str) -> list[str]:
    """Names separated by commas; a piece with spaces that is not a known
    name is read as several names separated by spaces."""
    out: list[str] = []
    for piece in args.split(","):
        piece = piece.strip().strip("\"'“”‘’")
        if not piece:
            continue
        if _known(resolver, piece):
            out.append(piece)
            continue
        words = piece.split()
        bad = unknown_names(resolver, words)
        if len(words) > 1 and not bad:
            out += words
            continue
        raise DirectiveError(
            f"{where}: {piece!r} is neither an entity id nor a name in the glossary "
            f"(`resolver lookup {piece!r}` shows the closest entries; separate several names with commas)"
        )
    return out


class _Silence(NamedTuple):
    """Silence mentions starting in ``[start, end)``: all of them (no
    ``ids`` and no ``spellings``), or those that may refer to one of the
    ``ids`` or are written as one of the (folded) ``spellings``. ``label``
    says where the silence comes from, for the mention's reason."""

    start: int
    end: int
    ids: frozenset[str]
    spellings: frozenset[str]
    label: str

    def applies(self, m: Mention, folded: str) -> bool:
        if not self.start <= m.start < self.end:
            return False
        if not self.ids and not self.spellings:
            return True
        if m.entity_id in self.ids or any(c in self.ids for c in m.candidates):
            return True
        return folded in self.spellings


def _silence(resolver: Resolver, start: int, end: int, names: Sequence[str], label: str) -> _Silence:
    ids = frozenset(n for n in names if n in resolver.glossary)
    spellings = frozenset(fold(n) for n in names if n not in resolver.glossary)
    return _Silence(start, end, ids, spellings, label)


def _directives(resolver: Resolver, text: str, lay: _Layout, lines: _Lines) -> list[_Silence]:
    """The suppression comments of a document as silences."""
    found: list[tuple[_Comment, str, list[str], str]] = []
    for c in lay.comments:
        m = _directive().fullmatch(c.body)
        if m is None:
            continue
        line = lines.of(c.start) + 1
        shown = " ".join(c.body.split())
        where = f"line {line}: {shown!r}"
        word = m.group("word")
        if word not in _KEYWORDS:
            raise DirectiveError(f"{where}: unknown directive {word!r}; write one of {', '.join(_KEYWORDS)}")
        args = m.group("args").strip()
        if word == "on" and args:
            raise DirectiveError(f"{where}: 'on' takes no names (it ends every 'off' region)")
        found.append((c, word, _split_names(resolver, args, where), f"{shown} (line {line})"))
    comment_lines = _comment_only_lines(text, lay.comments, lines)
    out: list[_Silence] = []
    open_offs: list[tuple[int, list[str], str]] = []
    for c, word, names, label in found:
        if word == "off":
            open_offs.append((c.end, names, label))
        elif word == "on":
            out += [_silence(resolver, s, c.start, ns, lb) for s, ns, lb in open_offs]
            open_offs = []
        elif word == "ignore-file":
            out.append(_silence(resolver, c.start, len(text), names, label))
        else:
            a, b = _ignore_scope(text, c, lines, lay.blocks, comment_lines)
            out.append(_silence(resolver, a, b, names, label))
    out += [_silence(resolver, s, len(text), ns, lb) for s, ns, lb in open_offs]
    return out


def _blank(text: str, lines: _Lines, i: int) -> bool:
    return not text[lines.starts[i] : lines.ends[i]].strip()


def _comment_only_lines(text: str, comments: Sequence[_Comment], lines: _Lines) -> set[int]:
    """Lines with nothing but comments and white space on them."""
    out: set[int] = set()
    for c in comments:
        first, last = lines.of(c.start), lines.of(max(c.start, c.end - 1))
        if text[lines.starts[first] : c.start].strip() == "" and text[c.end : lines.ends[last]].strip() == "":
            out.update(range(first, last + 1))
    return out


def _ignore_scope(
    text: str, c: _Comment, lines: _Lines, blocks: dict[int, int] | None, comment_lines: set[int]
) -> Span:
    """An ``ignore`` comment on its own line covers the next block; one
    sharing a line with text covers that line (all its lines, if it spans
    several)."""
    first, last = lines.of(c.start), lines.of(max(c.start, c.end - 1))
    if first not in comment_lines:
        return lines.starts[first], lines.ends[last]
    i = last + 1
    while i < len(lines) and (_blank(text, lines, i) or i in comment_lines):
        i += 1
    if i >= len(lines):
        return c.end, c.end
    if blocks is not None and i in blocks:
        return lines.starts[i], lines.start(blocks[i])
    j = i
    while j + 1 < len(lines) and not _blank(text, lines, j + 1):
        j += 1
    return lines.starts[i], lines.ends[j]


def load_allow(path: str | Path, resolver: Resolver | None = None) -> tuple[str, ...]:
    """The entries of an allow-list file: one entity id or spelling per
    line, ``#`` starting a comment. With ``resolver``, every entry must be an
    id or a name the glossary knows (else :class:`DirectiveError` with the
    file and line).

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), ".resolver-allow")
    >>> _ = open(p, "w", encoding="utf-8").write("# house names\\njaish_e_mohammed\\nJeM  # as quoted\\n")
    >>> load_allow(p)
    ('jaish_e_mohammed', 'JeM')
    """
    try:
        raw = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DirectiveError(f"{path}: cannot read the allow-list: {getattr(exc, 'strerror', None) or exc}") from None
    out: list[str] = []
    for n, line in enumerate(raw.splitlines(), 1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        if resolver is not None and not _known(resolver, entry):
            raise DirectiveError(
                f"{path}:{n}: {entry!r} is neither an entity id nor a name in the glossary "
                f"(`resolver lookup {entry!r}` shows the closest entries)"
            )
        out.append(entry)
    return tuple(out)


def find_allow_file(cwd: str | Path | None = None) -> Path | None:
    """``.resolver-allow`` in ``cwd`` (default: the current directory) or
    its nearest parent that has one, found like ``aliases.yaml``.

    >>> find_allow_file("/") is None or find_allow_file("/").name == ".resolver-allow"
    True
    """
    here = Path(cwd) if cwd is not None else Path.cwd()
    for d in (here, *here.resolve().parents):
        cand = d / ALLOW_FILE
        if cand.is_file():
            return cand
    return None


# --------------------------------------------------------------------------
# quotations


_quote_events = _lazy_re(r"[“”«»\"]|(?:\r\n|\r|\n)(?:[ \t\x00]*(?:\r\n|\r|\n))+")


def _quotations(masked: str) -> list[Span]:
    """Direct quotations in (masked) prose: ``“…”`` (or ``“`` to the end of
    the paragraph), ``«…»``, and straight ``"…"`` pairs within a paragraph.

    >>> t = 'He said “JeM left.” Then "ISI" and "half\\n\\nnothing'
    >>> [t[s:e] for s, e in _quotations(t)]
    ['“JeM left.”', '"ISI"']
    """
    out: list[Span] = []
    curly = guill = straight = -1
    for m in _quote_events().finditer(masked):
        ch = m.group()
        p = m.start()
        if ch == "“":
            curly = p if curly < 0 else curly
        elif ch == "”":
            if curly >= 0:
                out.append((curly, p + 1))
                curly = -1
        elif ch == "«":
            guill = p if guill < 0 else guill
        elif ch == "»":
            if guill >= 0:
                out.append((guill, p + 1))
                guill = -1
        elif ch == '"':
            if straight < 0:
                straight = p
            else:
                out.append((straight, p + 1))
                straight = -1
        else:  # a paragraph break ends every quotation but a curly one runs to it
            if curly >= 0:
                out.append((curly, p))
            curly = guill = straight = -1
    if curly >= 0:
        out.append((curly, len(masked)))
    return _merge(out)


# --------------------------------------------------------------------------
# reading a document


@dataclass(frozen=True, slots=True)
class Reading:
    """A document read for matching: the original ``text`` and its
    ``format``, the ``masked`` text the resolver ran on (same length), the
    ``protected`` spans, the ``kept`` spans (URL-like tokens that are
    themselves a glossary name: reported, never rewritten), the
    ``quotations`` and every mention (statuses ``suppressed`` and ``quoted``
    included)."""

    text: str
    format: Format
    masked: str
    protected: tuple[Span, ...]
    kept: tuple[Span, ...]
    quotations: tuple[Span, ...]
    mentions: tuple[Mention, ...]


def read_document(
    resolver: Resolver,
    text: str,
    fmt: Format = "text",
    quotes: Quotes = DEFAULT_QUOTES,
    allow: Iterable[str] = (),
) -> Reading:
    """Read ``text`` as ``fmt``: find the mentions in its prose, then apply
    suppression comments, the ``allow`` list (ids or spellings) and the
    ``quotes`` policy. A domain name or @handle that is, as a whole, a name
    the glossary lists (``brighterkashmir.com`` for Brighter Kashmir) is
    still a mention, found and reported, but :func:`rewrites` never changes
    it: a domain stays a domain. Raises :class:`DirectiveError` for a
    directive or an allow-list entry resolver cannot apply."""
    if quotes not in ("keep", "normalize"):
        raise ValueError(f"unknown quotes policy {quotes!r}; choose keep or normalize")
    lay = _layout(text, fmt)
    masked = _mask(text, lay.protected, lay.soft, lay.chars)
    extra = _urlish(masked)
    # a domain or handle that is itself a glossary name is a mention, never rewritten
    kept = [sp for sp in extra if resolver.matcher.lookup(text[sp[0] : sp[1]])]
    if kept:
        extra = [sp for sp in extra if sp not in kept]
    if extra:
        masked = _mask(masked, extra)
    protected = tuple(_merge(lay.protected + extra))
    mentions = resolver.find(masked)
    if lay.soft or lay.chars:  # a surface over a line join or a reference: report what is written
        mentions = [
            m._replace(surface=text[m.start : m.end], title=text[m.start : m.start + len(m.title)]) for m in mentions
        ]
    lines = _Lines(text)
    silences = _directives(resolver, text, lay, lines)
    allow = tuple(allow)
    if allow:
        silences.append(
            _silence(resolver, 0, len(text), _split_names(resolver, ", ".join(allow), "allow-list"), "the allow-list")
        )
    quoted = _quotations(masked) if quotes == "keep" else []
    if silences or quoted:
        mentions = [_status(m, silences, quoted, lines) for m in mentions]
    return Reading(text, fmt, masked, protected, tuple(kept), tuple(quoted), tuple(mentions))


def _status(m: Mention, silences: Sequence[_Silence], quoted: Sequence[Span], lines: _Lines) -> Mention:
    folded = fold(m.name_surface) if silences else ""
    for s in silences:
        if s.applies(m, folded):
            return m._replace(status="suppressed", reason=f"suppressed by {s.label}; otherwise {m.status}: {m.reason}")
    i = bisect_right(quoted, (m.start, m.start)) - 1 if quoted else -1
    if i >= 0 and quoted[i][0] <= m.start < quoted[i][1]:
        line = lines.of(quoted[i][0]) + 1
        return m._replace(
            status="quoted",
            reason=f"inside the quotation opened on line {line}, kept as written; otherwise {m.status}: {m.reason}",
        )
    return m


def find_document(
    resolver: Resolver,
    text: str,
    fmt: Format = "text",
    quotes: Quotes = DEFAULT_QUOTES,
    allow: Iterable[str] = (),
) -> list[Mention]:
    """Every mention in the prose of ``text`` read as ``fmt`` (sorted,
    non-overlapping; offsets index ``text``).

    >>> import resolver
    >>> r = resolver.Resolver(resolver.load_glossary())
    >>> t = "The JeM said. <!-- resolver: ignore JeM -->\\nThe JeM denied: “JeM never…”"
    >>> [(m.surface, m.status) for m in find_document(r, t, "markdown", quotes="keep")]
    [('JeM', 'suppressed'), ('JeM', 'resolved'), ('JeM', 'quoted')]
    """
    return list(read_document(resolver, text, fmt, quotes, allow).mentions)


def normalize_document(
    resolver: Resolver,
    text: str,
    fmt: Format = "text",
    style: Style = "canonical",
    quotes: Quotes = DEFAULT_QUOTES,
    allow: Iterable[str] = (),
) -> str:
    """``text`` with the resolved mentions in its prose rewritten; every
    other character is kept.

    >>> import resolver
    >>> r = resolver.Resolver(resolver.load_glossary())
    >>> normalize_document(r, '<a href="/jem" title="JeM">JeM &amp; ISI</a>', "html")
    '<a href="/jem" title="JeM">Jaish-e-Mohammed &amp; Inter-Services Intelligence</a>'
    """
    return splice(text, rewrites(resolver, read_document(resolver, text, fmt, quotes, allow), style))


def rewrites(resolver: Resolver, reading: Reading, style: Style = "canonical") -> list[tuple[int, int, str]]:
    """The ``(start, end, new)`` edits that normalize a document read by
    :func:`read_document`: its resolved mentions only, written with the
    capitals :func:`sentence_case` gives them (judged on the prose: a
    sentence starts after markup as it would without it), never inside a
    kept domain name.

    >>> import resolver
    >>> r = resolver.Resolver(resolver.load_glossary())
    >>> rewrites(r, read_document(r, "<h1>JAISH-E MUHAMMAD AND THE ISI</h1>", "html"))
    [(4, 20, 'JAISH-E-MOHAMMED'), (29, 32, 'INTER-SERVICES INTELLIGENCE')]
    """
    import html

    by_start = {m.start + len(m.title): m for m in reading.mentions}
    markup = reading.format in ("html", "markdown")  # where "&amp;" is "&"
    out = []
    for s, e, new in resolver.replacements(reading.masked, reading.mentions, style):
        if any(a <= s < b for a, b in reading.kept):
            continue
        m = by_start[s]
        new = sentence_case(reading.masked, s, m.name_surface, m.alias, new)
        if reading.format == "html":
            new = html.escape(new, quote=False)
        if new != m.name_surface and not (markup and html.unescape(new) == html.unescape(m.name_surface)):
            out.append((s, e, new))
    return out


#: What may stand between a sentence's end and its first word (masked markup included).
_SENTENCE_LEAD = frozenset(" \t\r\n\x00\"'“‘«([{*_#>|-\u2013\u2014\u2022")
#: How far back a sentence start is looked for.
_LEAD_REACH = 200
_CAPS_WORD = re.compile(r"[^\W\d_]{2,}")


def sentence_case(text: str, start: int, written: str, alias: str, new: str) -> str:
    """The capitals of a rewrite in its document, on top of
    :func:`resolver.core.match_case` (which ``new`` already follows):

    * on a line written all in capitals (no lower-case letter, three words
      or more: a heading), an acronym written as the glossary spells it is
      rewritten in capitals too (``ISI`` → ``INTER-SERVICES INTELLIGENCE``);
    * a new name that starts with a lower-case letter (``al-Qaeda``) keeps
      the capital the writer gave it at the start of a sentence (the start
      of the document or of a paragraph, or after ``.``, ``!``, ``?``),
      unless its first word is an acronym; elsewhere, or written in lower
      case, it is spelled as the glossary spells it.

    >>> sentence_case("JEM AND THE ISI", 12, "ISI", "ISI", "Inter-Services Intelligence")
    'INTER-SERVICES INTELLIGENCE'
    >>> sentence_case("He left. Al Qaida grew", 9, "Al Qaida", "Al Qaida", "al-Qaeda")
    'Al-Qaeda'
    >>> sentence_case("the Al Qaida chief", 4, "Al Qaida", "Al Qaida", "al-Qaeda")
    'al-Qaeda'
    """
    if written.isupper() and alias.isupper() and not new.isupper() and _shouted(text, start):
        return new.upper()
    if new[:1].islower() and written[:1].isupper() and not is_acronym(new.split()[0]):
        j = start
        while j > max(0, start - _LEAD_REACH) and text[j - 1] in _SENTENCE_LEAD:
            j -= 1
        if j == 0 or text[j - 1] in ".!?…" or re.search(r"\n[ \t\r\x00]*\n", text[j:start]):
            return new[0].upper() + new[1:]
    return new


def _shouted(text: str, i: int, reach: int = _LEAD_REACH) -> bool:
    """True when the line around offset ``i`` (within ``reach``) has no
    lower-case letter and at least three words: a heading in capitals."""
    a = text.rfind("\n", max(0, i - reach), i) + 1 or max(0, i - reach)
    b = text.find("\n", i, i + reach)
    line = text[a : b if b >= 0 else i + reach]
    return not any(c.islower() for c in line) and len(_CAPS_WORD.findall(line)) >= 3


def quoted_edits(
    resolver: Resolver, text: str, mentions: Sequence[Mention], style: Style = "canonical"
) -> list[tuple[int, int, str]]:
    """The rewrites ``quoted`` mentions would get outside a quotation (for
    reports: "left as written; outside a quotation it would be …").

    >>> import resolver
    >>> r = resolver.Resolver(resolver.load_glossary())
    >>> t = "He said: “Jaish-e Muhammad did it.”"
    >>> quoted_edits(r, t, find_document(r, t, quotes="keep"))
    [(10, 26, 'Jaish-e-Mohammed')]
    """
    starts = {m.start + len(m.title) for m in mentions if m.status == "quoted" and m.entity_id}
    if not starts:
        return []
    as_resolved = [m._replace(status="resolved") if m.status == "quoted" and m.entity_id else m for m in mentions]
    by_start = {m.start + len(m.title): m for m in as_resolved}
    out = []
    for s, e, new in resolver.replacements(text, as_resolved, style):
        if s in starts:
            m = by_start[s]
            out.append((s, e, sentence_case(text, s, m.name_surface, m.alias, new)))
    return out
