"""``resolver find``: every mention, in the versioned integration format."""

from __future__ import annotations

import sys
from typing import Any

import click

from . import EXIT_OK, glossary_option, load_resolver, main
from ._inputs import (
    DocumentJob,
    DocumentResult,
    Outcome,
    collect,
    document_options,
    guarded,
    header,
    input_options,
    load_allow_list,
    run,
)

FORMATS = ("json", "jsonl", "tsv")


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="json",
    show_default=True,
    help="json: one document; jsonl: a header line, then one line per mention and per file; tsv: a header row, then one row per mention.",
)
@click.option(
    "--explain",
    is_flag=True,
    help="json/jsonl: add to every mention a why object (the alias that matched, the folding steps and "
    "spelling rules that made it match, the overlapping candidates it beat).",
)
@document_options
@input_options
@glossary_option
def find(
    paths: tuple[str, ...],
    fmt: str,
    explain: bool,
    input_format: str,
    quotes: str,
    allow_file: str | None,
    recursive: bool,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    encoding: str | None,
    max_size: int,
    jobs: int,
    stdin_filename: str,
    quiet: bool,
    glossaries: tuple[str, ...],
) -> None:
    """List every mention in PATHS for other programs: path, start/end
    (character offsets into the decoded text), line:column, surface,
    status (resolved, ambiguous, unconfirmed; suppressed by a suppression
    comment or the allow-list; quoted with --quotes keep), entity id,
    canonical name, candidates, the alias that matched, how (method,
    spelling rules) and why (reason; with --explain a why object).
    Markdown and HTML files are read as documents: only their prose.

    The format is versioned ("version": 1) and described by the JSON Schema
    resolver/schema/find.schema.json; fields may be added within a version,
    never renamed or removed. Lines and columns are 1-based, columns in
    characters; end_column is just after the mention.

    \b
    Examples:
      resolver find draft.txt | jq '.mentions[] | select(.status == "ambiguous")'
      resolver find -r drafts/ --format jsonl > mentions.jsonl
      resolver find --format tsv draft.txt | column -t -s $'\\t'
      resolver find --explain --input-format markdown notes.txt

    Exit status: 0 done (mentions are not findings), 2 usage error or
    unreadable file, 3 glossary error, 4 a named file is not text, 5 a file
    is over --max-size.
    """
    from .. import __version__
    from ..report import LineIndex, find_json, find_jsonl, find_jsonl_header, find_tsv, glossary_info, mention_record

    sources = collect(paths, recursive, include, exclude, stdin_filename)
    r = load_resolver(glossaries)
    allow = load_allow_list(r, allow_file)
    gloss = glossary_info(r.glossary)
    if fmt == "tsv":
        header(r, quiet)
        click.echo(find_tsv((), header=True), nl=False)
    elif fmt == "jsonl":
        click.echo(find_jsonl_header(gloss, __version__), nl=False)
    job = DocumentJob(
        r,
        encoding=encoding,
        max_bytes=max_size,
        input_format=input_format,
        quotes=quotes,
        allow=allow,
        explain=explain and fmt != "tsv",
    )
    outcome = Outcome()
    records: list[dict[str, Any]] = []
    files: list[dict[str, Any]] = []
    with guarded():
        for res in run(sources, job, jobs, quiet, "finding"):
            if not outcome.usable(res):
                continue
            assert res.text is not None
            index = LineIndex(res.text)
            recs = [mention_record(res.source.path, m, index) for m in res.mentions]
            whys = res.whys if isinstance(res, DocumentResult) else None
            if whys is not None:
                recs = [{**rec, "why": why} for rec, why in zip(recs, whys)]
            file = {"path": res.source.path, "encoding": res.encoding, "chars": len(res.text), "mentions": len(recs)}
            if isinstance(res, DocumentResult):
                file["format"] = res.input_format
            if fmt == "json":
                records.extend(recs)
                files.append(file)
            elif fmt == "jsonl":
                click.echo(find_jsonl(recs, file), nl=False)
            else:
                click.echo(find_tsv(recs), nl=False)
    if fmt == "json":
        click.echo(
            find_json(
                records, files, gloss, __version__, outcome.notes, pretty=sys.stdout.isatty()
            ),
            nl=False,
        )
    if outcome.exit_code != EXIT_OK:
        raise click.exceptions.Exit(outcome.exit_code)
