"""``resolver check``: the linter — report every name to fix."""

from __future__ import annotations

import sys
from typing import Any

import click

from . import EXIT_FINDINGS, EXIT_OK, glossary_option, load_resolver, main
from ._inputs import (
    DocumentJob,
    DocumentResult,
    Outcome,
    collect,
    color_option,
    document_options,
    guarded,
    header,
    input_options,
    load_allow_list,
    run,
    style_option,
    use_color,
)

FORMATS = ("text", "json", "jsonl", "sarif", "github")
_RANK = {"info": 0, "warning": 1, "error": 2, "never": 3}


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text: path:line:col lines; json/jsonl: for programs; sarif: SARIF 2.1.0 for code scanning; github: workflow annotations.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "never"]),
    default="warning",
    show_default=True,
    help="Lowest severity that makes the exit status 1.",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Say why for every finding: the alias that matched, the folding steps and spelling rules, the "
    "overlapping candidates it beat (text: indented lines; json/jsonl: a why object; sarif: a why "
    "object in each result's properties; github: no room for it).",
)
@style_option
@color_option
@document_options
@input_options
@glossary_option
def check(
    paths: tuple[str, ...],
    fmt: str,
    fail_on: str,
    explain: bool,
    style: str,
    color_mode: str,
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
    """Report every mention in PATHS that is not written the glossary's way.

    One line per finding, in file order:

    \b
      draft.txt:3:12: found "Jaish-e Muhammad", canonical "Jaish-e-Mohammed" [jaish_e_mohammed]
      draft.txt:9:1: warning: ambiguous "Azhar": could be ibrahim_azhar (...), masood_azhar (...); ...
      draft.txt:14:5: info: unconfirmed "Jaish": weak alias of jaish_e_mohammed (...), ...

    A finding is an error (a name normalize --style STYLE would rewrite), a
    warning (an ambiguous name: several entities, none named earlier) or
    info (a weak alias whose entity was not named in full earlier; with
    --quotes keep, a name inside a quotation that is left as written).
    Markdown and HTML files are checked in their prose only; names silenced
    by a suppression comment or the allow-list are not reported. The
    glossary used is printed on standard error (text, github) or recorded
    in the report (json, jsonl, sarif).

    \b
    Examples:
      resolver check draft.txt
      resolver check -r drafts/ --include '*.md' --format sarif > resolver.sarif
      resolver check -r drafts/ --format github      # in a GitHub Actions step
      resolver check --fail-on error -r drafts/      # ambiguity does not fail CI
      resolver check --explain --quotes keep brief.md

    Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage error
    or unreadable file, 3 glossary error, 4 a named file is not text, 5 a
    file is over --max-size.
    """
    from .. import __version__
    from ..documents import quoted_edits
    from ..report import (
        LineIndex,
        check_github,
        check_json,
        check_jsonl,
        check_jsonl_header,
        check_sarif,
        check_text,
        findings,
        glossary_info,
    )

    sources = collect(paths, recursive, include, exclude, stdin_filename)
    r = load_resolver(glossaries)
    allow = load_allow_list(r, allow_file)
    if fmt in ("text", "github"):
        header(r, quiet)
    gloss = glossary_info(r.glossary)
    stdout = sys.stdout
    color = fmt == "text" and use_color(stdout, color_mode)
    pretty = stdout.isatty()  # indented JSON for people, compact for programs
    if fmt == "jsonl":
        click.echo(check_jsonl_header(gloss, __version__), nl=False)
    job = DocumentJob(
        r,
        style=style,  # type: ignore[arg-type]
        encoding=encoding,
        max_bytes=max_size,
        input_format=input_format,
        quotes=quotes,
        allow=allow,
        explain=explain and fmt != "github",
    )
    outcome = Outcome()
    kept: list[Any] = []
    files: list[dict[str, Any]] = []
    counts = {"error": 0, "warning": 0, "info": 0}
    quoted = 0
    with guarded():
        for res in run(sources, job, jobs, quiet, "checking"):
            if not outcome.usable(res):
                continue
            assert res.text is not None
            edits = list(res.edits)
            if quotes == "keep":  # what quoted names would become: their findings say it
                edits += quoted_edits(r, res.text, res.mentions, style)  # type: ignore[arg-type]
            fs = findings(res.source.path, res.text, res.mentions, edits, r.glossary, LineIndex(res.text))
            whys = res.whys if isinstance(res, DocumentResult) else None
            if whys is not None:
                from ..explain import with_why

                fs = with_why(fs, res.mentions, whys)
            for f in fs:
                counts[f.severity] += 1
                quoted += f.rule == "quoted"
            files.append(
                {"path": res.source.path, "encoding": res.encoding, "mentions": len(res.mentions), "findings": len(fs)}
            )
            if fmt == "text" and whys is not None:
                from ..explain import why_lines

                for f in fs:
                    click.echo(check_text([f], color=color), nl=False, color=color)
                    item = {**f.mention.to_dict(), "why": getattr(f, "why", None)}
                    if item["why"] is not None:
                        click.echo("\n".join(why_lines(item)))
            elif fmt == "text":
                click.echo(check_text(fs, color=color), nl=False, color=color)
            elif fmt == "github":
                click.echo(check_github(fs), nl=False)
            elif fmt == "jsonl":
                click.echo(check_jsonl(fs), nl=False)
            else:
                kept.extend(fs)
    if fmt == "json":
        click.echo(check_json(kept, files, gloss, __version__, outcome.notes, pretty=pretty), nl=False)
    elif fmt == "sarif":
        click.echo(
            check_sarif(kept, files, gloss, __version__, outcome.notes, successful=not outcome.failed, pretty=pretty),
            nl=False,
        )
    if fmt in ("text", "github") and not quiet:
        n = len(files)
        parts = [
            f"{counts['error']} to fix",
            f"{counts['warning']} ambiguous",
            f"{counts['info'] - quoted} unconfirmed",
        ]
        if quoted:
            parts.append(f"{quoted} quoted")
        verdict = ", ".join(parts) if any(counts.values()) else "clean"
        extra = f" ({outcome.skipped} skipped)" if outcome.skipped else ""
        click.echo(f"resolver: {n} file{'s' if n != 1 else ''} checked{extra}: {verdict}", err=True)
    if outcome.exit_code != EXIT_OK:
        raise click.exceptions.Exit(outcome.exit_code)
    if any(n for sev, n in counts.items() if _RANK[sev] >= _RANK[fail_on]):
        raise click.exceptions.Exit(EXIT_FINDINGS)
