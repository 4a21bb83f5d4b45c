"""``resolver normalize``: rewrite mentions to their canonical names."""

from __future__ import annotations

import sys

import click

from ..errors import ResolverError
from . import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, CliError, glossary_option, load_resolver, main
from ._inputs import (
    DocumentJob,
    Outcome,
    collect,
    document_options,
    guarded,
    header,
    input_options,
    load_allow_list,
    run,
    style_option,
)


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "-i",
    "--in-place",
    is_flag=True,
    help="Rewrite the files (atomically; files with nothing to change are not touched).",
)
@click.option(
    "--diff", is_flag=True, help="Print a unified diff of the changes instead of the text; exit 1 when there is any."
)
@style_option
@document_options
@input_options
@glossary_option
def normalize(
    paths: tuple[str, ...],
    in_place: bool,
    diff: bool,
    style: str,
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
    """Rewrite every variant spelling in PATHS to its canonical name;
    nothing else changes (encoding, BOM and line endings are kept byte for
    byte). PATHS are files, directories (with -r) or - for standard input.

    By default the rewritten text goes to standard output. --diff shows what
    would change (review it first); --in-place applies it: each file is
    replaced atomically (a temporary file, fsync, rename; Ctrl-C never
    leaves half a file), keeps its permissions, and a file with nothing to
    change is not written at all. Ambiguous and unconfirmed mentions are
    never rewritten (see resolver check).

    Markdown and HTML files (by extension, or --input-format) are rewritten
    only in their prose: code, link targets, tags, attributes and front
    matter stay byte for byte, as do URLs and e-mail addresses in any file.
    Suppression comments (<!-- resolver: ignore ID -->, # resolver: off ...)
    and the allow-list keep names as written.

    \b
    Examples:
      resolver normalize draft.txt > draft.fixed.txt
      echo "JeM and the ISI" | resolver normalize -
      resolver normalize --diff -r drafts/ --include '*.md'
      resolver normalize --in-place -r drafts/
      resolver normalize --quotes keep draft.md      # leave quotations as written

    Exit status: 0 done (with --diff: nothing to change), 1 --diff found
    changes, 2 usage error or unreadable/unwritable file, 3 glossary error,
    4 a named file is not text, 5 a file is over --max-size.
    """
    if in_place and diff:
        raise CliError(
            "--in-place and --diff cannot be combined: review with --diff, then apply with --in-place", EXIT_USAGE
        )
    sources = collect(paths, recursive, include, exclude, stdin_filename)
    if in_place and any(s.stdin for s in sources):
        raise CliError(
            "standard input (-) cannot be rewritten in place; drop --in-place to print the result", EXIT_USAGE
        )
    r = load_resolver(glossaries)
    if in_place or diff:
        header(r, quiet)
    from ..files import rewrite

    allow = load_allow_list(r, allow_file)
    job = DocumentJob(
        r,
        style=style,  # type: ignore[arg-type]
        encoding=encoding,
        max_bytes=max_size,
        input_format=input_format,
        quotes=quotes,
        allow=allow,
    )
    outcome = Outcome()
    changed = done = 0
    out = sys.stdout.buffer
    with guarded():
        for res in run(sources, job, jobs, quiet, "normalizing", prints=not in_place):
            if not outcome.usable(res):
                continue
            done += 1
            if in_place:
                try:
                    changed += rewrite(res)
                except ResolverError as exc:
                    outcome.fail(exc)
            elif diff:
                from ..report import unified_diff

                assert res.text is not None
                patch = unified_diff(res.source.path, res.text, res.new_text())
                changed += bool(patch)
                click.echo(patch, nl=False)
            else:
                assert res.encoding is not None
                out.write(res.new_text().encode(res.encoding))
                out.flush()
    if not quiet and (in_place or diff):
        verb = "rewrote" if in_place else "would rewrite"
        tail = f", {outcome.skipped} skipped" if outcome.skipped else ""
        tail += f", {outcome.failed} failed" if outcome.failed else ""
        click.echo(f"resolver: {verb} {changed} of {done} file{'s' if done != 1 else ''}{tail}", err=True)
    if outcome.exit_code != EXIT_OK:
        raise click.exceptions.Exit(outcome.exit_code)
    if diff and changed:
        raise click.exceptions.Exit(EXIT_FINDINGS)
