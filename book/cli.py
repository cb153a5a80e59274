"""The command line: build (`[pdf|epub] [--out DIR] [--edition NAME] [--strict]`), `check`,
`new-edition` and `preview`."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from .errors import BookError
from .output import TERMINATED, Terminated

PROJECT = Path(__file__).resolve().parent.parent


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build.py",
        description="Build the PDF and EPUB editions of the 1917 texts: every edition file in\n"
        "editions/, each into its own folder in the output folder.\n\n"
        "Two more commands, each with its own --help:\n"
        "  new-edition NAME --from EDITION   start an edition of your own\n"
        "  preview [--edition NAME]          see an edition in the browser as you edit it",
        epilog="examples:\n  python build.py              every edition, PDF and EPUB\n"
        "  python build.py pdf          PDFs only\n"
        "  python build.py --edition reader --out /tmp/books\n"
        "  python build.py check        check the sources, the data and the editions,\n"
        "                               and the PDFs' pages once laid out; write nothing\n"
        "  python build.py check --edition my-class\n"
        "                               the same, laying out one edition only\n"
        "  python build.py new-edition my-class --from classroom\n"
        "                               start an edition of your own\n"
        "  python build.py preview --edition my-class\n"
        "                               see it in the browser, rebuilt at each save",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("formats", nargs="*", metavar="FORMAT",
                   help="pdf and/or epub (default: the formats each edition names), or check")
    p.add_argument("--strict", action="store_true",
                   help="treat warnings as errors, after reporting them all")
    p.add_argument("--out", type=Path, default=PROJECT / "dist", metavar="DIR",
                   help="output folder (default: dist/)")
    p.add_argument("--edition", action="append", metavar="NAME",
                   help="build only this edition (a file name in editions/ without .toml); "
                   "may be repeated")
    p.add_argument("--jobs", type=int, metavar="N",
                   help="how many files to make at a time (default: one for each of the "
                   "machine's cores; 1 makes them one after the other)")
    p.add_argument("--force", action="store_true",
                   help="make every edition again, even one whose sources, templates and "
                   "options have not changed since it was made")
    return p


def main(argv: list[str] | None = None, stdout: TextIO | None = None,
         project: Path = PROJECT) -> int:
    stdout = stdout or sys.stdout
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["new-edition"]:
        return run_new_edition(argv[1:], Path(project), stdout)
    if argv[:1] == ["preview"]:
        return run_preview(argv[1:], Path(project), stdout)
    cli = parser()
    args = cli.parse_args(argv)
    if args.jobs is not None and args.jobs < 1:
        cli.error(f"--jobs {args.jobs}: give a number of files to make at a time, 1 or more")
    if args.formats == ["check"]:
        return run_check(Path(project), args.strict, stdout, args.jobs, args.edition)
    for fmt in args.formats:
        if fmt not in ("pdf", "epub"):
            cli.error(f"unknown format {fmt!r}: choose pdf and/or epub, or check alone")
    started = time.perf_counter()

    def report(line: str) -> None:
        print(line, file=stdout, flush=True)

    # Nothing changed since the last build: say so before reading anything (book/made.py).
    from .made import build_context, build_options, inputs_digest, nothing_changed

    context = build_context(Path(project), build_options(args.formats, args.strict))
    inputs = inputs_digest(Path(project), context)
    if not args.force and nothing_changed(Path(project), args.out, args.edition, inputs):
        report(f"nothing changed since the books in {args.out} were made: they are up to date "
               "(--force makes them again)")
        return 0
    from .make import Project, build
    from .workers import cores

    written: list[Path] = []
    # A SIGTERM (a CI timeout, `kill`) unwinds like Ctrl-C: no half-written file stays behind.
    previous = _on_sigterm()
    try:
        build(
            Project(project),
            args.out,
            tuple(args.formats) or None,
            tuple(args.edition) if args.edition else None,
            args.strict,
            report,
            written,
            inputs,
            context,
            args.force,
            args.jobs or cores(),
        )
    except BookError as error:
        print(describe(error, Path(project)), file=sys.stderr)
        print(_unchanged(written), file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Terminated):
        print("interrupted. " + _unchanged(written), file=sys.stderr)
        return 130
    except MemoryError:
        print("error: the build ran out of the memory it may use; a template or an image "
              "may be far larger than a book needs. " + _unchanged(written), file=sys.stderr)
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    report(f"{len(written)} file{'s' if len(written) != 1 else ''} in "
           f"{time.perf_counter() - started:.1f} s")
    return 0


def _on_sigterm():
    if threading.current_thread() is not threading.main_thread():
        return None

    def terminate(signum, frame):
        TERMINATED.set()
        raise Terminated()

    TERMINATED.clear()

    return signal.signal(signal.SIGTERM, terminate)


def run_new_edition(argv: list[str], project: Path, stdout: TextIO) -> int:
    from .scaffold import new_edition

    p = argparse.ArgumentParser(
        prog="build.py new-edition",
        description="Start an edition of your own: writes editions/NAME.toml, a copy of the "
        "edition you start from, and templates/NAME/ with commented starting points.")
    p.add_argument("name", help="the new edition's name, e.g. my-class")
    p.add_argument("--from", dest="source", default="reader", metavar="EDITION",
                   help="the edition to start from (default: reader)")
    args = p.parse_args(argv)
    try:
        written = new_edition(project, args.name, args.source)
    except BookError as error:
        print(describe(error, project), file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path.relative_to(project)}", file=stdout)
    print(f"build it with: python build.py --edition {args.name}", file=stdout)
    return 0


def run_preview(argv: list[str], project: Path, stdout: TextIO) -> int:
    from .preview import DEFAULT_PORT, serve

    p = argparse.ArgumentParser(
        prog="build.py preview",
        description="Show an edition in the browser, on this machine only: its EPUB's "
        "documents and its PDF's pages, rebuilt and refreshed each time a file under "
        "sources/, editions/ or templates/ is saved. Ctrl-C stops it.")
    p.add_argument("--edition", metavar="NAME",
                   help="the edition to show (default: the edition file saved last)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help=f"the port on 127.0.0.1 (default: {DEFAULT_PORT})")
    args = p.parse_args(argv)
    if not 0 <= args.port <= 65535:
        p.error(f"--port {args.port} is not a port: choose one from 1024 to 65535 (or 0, "
                "for any free port)")
    previous = _on_sigterm()
    try:
        serve(project, args.edition, args.port,
              lambda line: print(line, file=stdout, flush=True))
    except BookError as error:
        print(describe(error, project), file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Terminated):
        print("preview stopped", file=stdout)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return 0


def run_check(project: Path, strict: bool, stdout: TextIO, jobs: int | None = None,
              editions: list[str] | None = None) -> int:
    """Report every finding; fail on errors, and on warnings under --strict."""
    from .make import Project, check
    from .workers import cores

    try:
        findings = check(Project(project), jobs or cores(), editions)
    except BookError as error:
        print(describe(error, Path(project)), file=sys.stderr)
        return 1
    for finding in findings.items:
        print(finding.shown_from(project), file=stdout)
    failing = findings.failing(strict)
    counts = {level: sum(f.count for f in findings.items if f.level == level)
              for level in ("error", "warning", "note")}
    error, warning, note = (f"{n} {level}{'' if n == 1 else 's'}" for level, n in counts.items())
    print(f"{error}, {warning}, {note} (notes are for the editors to review: they stop no "
          "build)", file=stdout)
    return 1 if failing else 0


def describe(error: BookError, project: Path) -> str:
    """The error as `path:line: message`, paths shown from the project's folder."""
    for each in getattr(error, "errors", [error]):
        if each.path is not None and each.path.is_absolute() and each.path.is_relative_to(
                project.resolve()):
            each.path = each.path.relative_to(project.resolve())
    return str(error) if error.path or hasattr(error, "errors") else f"error: {error}"


def _unchanged(written: list[Path]) -> str:
    if not written:
        return "No output was written or changed."
    return "Only the files listed above were written; no other output changed."
