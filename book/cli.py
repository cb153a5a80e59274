"""The command line: `python build.py [pdf|epub] [--out DIR] [--edition NAME]`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TextIO

from .errors import BookError

PROJECT = Path(__file__).resolve().parent.parent


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build.py",
        description="Build the PDF and EPUB editions of the 1917 texts: every edition file in "
        "editions/, each into its own folder in the output folder.",
        epilog="examples:\n  python build.py              every edition, PDF and EPUB\n"
        "  python build.py pdf          PDFs only\n"
        "  python build.py --edition reader --out /tmp/books\n"
        "  python build.py check        check the sources, the bibliography and the\n"
        "                               citations; write nothing",
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
    return p


def main(argv: list[str] | None = None, stdout: TextIO | None = None,
         project: Path = PROJECT) -> int:
    from .make import Project, build

    stdout = stdout or sys.stdout
    cli = parser()
    args = cli.parse_args(argv)
    if args.formats == ["check"]:
        return run_check(Path(project), args.strict, stdout)
    for fmt in args.formats:
        if fmt not in ("pdf", "epub"):
            cli.error(f"unknown format {fmt!r}: choose pdf and/or epub, or check alone")
    started = time.perf_counter()

    def report(line: str) -> None:
        print(line, file=stdout, flush=True)

    written: list[Path] = []
    try:
        build(
            Project(project),
            args.out,
            tuple(args.formats) or None,
            tuple(args.edition) if args.edition else None,
            args.strict,
            report,
            written,
        )
    except BookError as error:
        print(f"error: {error}" if not error.path else str(error), file=sys.stderr)
        print(_unchanged(written), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted. " + _unchanged(written), file=sys.stderr)
        return 130
    report(f"{len(written)} files in {time.perf_counter() - started:.1f} s")
    return 0


def run_check(project: Path, strict: bool, stdout: TextIO) -> int:
    """Report every finding; fail on errors, and on warnings under --strict."""
    from .make import Project, check

    try:
        findings = check(Project(project))
    except BookError as error:
        print(str(error) if error.path else f"error: {error}", file=sys.stderr)
        return 1
    for finding in findings.items:
        print(finding, file=stdout)
    failing = findings.failing(strict)
    counts = {level: sum(f.level == level for f in findings.items)
              for level in ("error", "warning", "note")}
    print(f"{counts['error']} errors, {counts['warning']} warnings, "
          f"{counts['note']} acknowledged", file=stdout)
    return 1 if failing else 0


def _unchanged(written: list[Path]) -> str:
    if not written:
        return "No output was written or changed."
    return "Only the files listed above were written; no other output changed."
