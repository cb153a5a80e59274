"""The live preview (`python build.py preview`): one edition served on 127.0.0.1, its EPUB's
documents and its PDF's pages, rebuilt when a file under sources/, editions/ or templates/ is
saved, and refreshed in the browser by itself. A mistake is shown on the page, located as the
command line prints it, over the last good book.

The EPUB is made in this process (a second or two); the PDF in a child process that a newer
save stops, so that laying out never delays the EPUB. Nothing is written into the project:
the child's PDF and its pages go to a temporary folder, and are served from memory."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import BookError

HOST = "127.0.0.1"  # never another interface: the preview is for the one at this machine
DEFAULT_PORT = 8017
WATCHED = ("sources", "editions", "templates")
POLL_SECONDS = 0.3
# The PDF's pages as JPEG: pdftoppm writes them several times faster than PNG.
PAGE_RESOLUTION = "96"
PAGE = re.compile(r"page-(\d+)\.jpg")
# What a build prints of its progress and of dist/, which the page does not need.
PROGRESS = re.compile(r"read \d+ texts|(?!error:)[\w.-]+: (?:making |\S+ laid out in |\S+ "
                      r"ready \()|made |wrote |No output |Only the files")
# Files of a theme that only one format reads: a save there rebuilds that format only.
EPUB_ONLY = ("epub/", "css/epub.css")
PDF_ONLY = ("pdf/", "css/print.css", "css/page.css")
BOTH = frozenset({"epub", "pdf"})


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Each watched file's (modification time, size), by its path in the project; links to
    folders are not followed, editors' swap and backup files are left out."""
    files = {}
    for folder in WATCHED:
        for where, folders, names in os.walk(root / folder):
            folders[:] = [f for f in folders if not f.startswith(".")]
            for name in names:
                if name.startswith((".", "#")) or name.endswith(("~", ".swp")):
                    continue
                path = Path(where, name)
                try:
                    info = path.stat()
                except OSError:  # removed meanwhile, or a broken link: the next poll sees it
                    continue
                if stat.S_ISREG(info.st_mode):
                    files[path.relative_to(root).as_posix()] = (info.st_mtime_ns, info.st_size)
    return files


def changed(before: dict, after: dict) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def template_file(name: str) -> tuple[str, str] | None:
    """(folder, file) of a template folder's file, by its path in the project: a theme's
    ("templates/classroom/css/theme.css" -> classroom) or an edition's own
    ("editions/c/templates/x.html" -> editions/c); None for anything else."""
    parts = name.split("/")
    if parts[0] == "templates" and len(parts) >= 3 and parts[1] != "locales":
        return parts[1], "/".join(parts[2:])
    if parts[0] == "editions" and len(parts) >= 4 and parts[2] == "templates":
        return f"editions/{parts[1]}", "/".join(parts[3:])
    return None


def formats_touched(names: set[str], themes: set[str] | None) -> set[str]:
    """Which formats a save of `names` can change, for an edition whose template folders are
    `themes` (None while unknown): a theme it does not use changes neither."""
    touched: set[str] = set()
    for name in names:
        found = template_file(name)
        if found is None or themes is None:
            return set(BOTH)
        folder, rest = found
        if folder not in themes:
            continue
        if rest.startswith(EPUB_ONLY):
            touched.add("epub")
        elif rest.startswith(PDF_ONLY):
            touched.add("pdf")
        else:
            return set(BOTH)
    return touched


def templates_edited(names: set[str], before: dict, after: dict) -> bool:
    """Whether `names` are templates, stylesheets or images edited in place: reading the
    sources and the editions again would find them as they were (of templates/, that reads
    only which folders and catalogs there are)."""
    return all(template_file(name) and name in before and name in after for name in names)


@dataclass(frozen=True)
class View:
    """One format's last good build: its files by name (media type, bytes), in order."""

    files: dict[str, tuple[str, bytes]]
    order: tuple[str, ...]  # the EPUB's spine, or the PDF's pages
    seconds: float

    def listing(self) -> list[tuple[str, str]]:
        """(name, digest) in order: the page reloads only what changed. A document's digest
        covers the files it may load too (stylesheets, fonts, images), whose change it shows."""
        loaded = hashlib.sha256()
        for name in sorted(set(self.files) - set(self.order)):
            loaded.update(name.encode() + b"\0" + hashlib.sha256(self.files[name][1]).digest())
        return [(name, hashlib.sha256(self.files[name][1] + loaded.digest()).hexdigest()[:16])
                for name in self.order]


class Preview:
    """What the page shows, kept up to date by `watch`; read by the server's threads."""

    def __init__(self, project: Path, edition: str | None, work: Path):
        self.project = project.resolve()
        self.edition = edition
        self.work = work
        self.lock = threading.Lock()
        self.version = 0
        self.views: dict[str, View] = {}
        self.errors: dict[str, str] = {}  # "book" (the sources, the edition), "epub", "pdf"
        self.warnings: dict[str, list[str]] = {}
        self.busy: set[str] = set()
        self.formats: tuple[str, ...] = ()
        self.themes: set[str] | None = None
        self.child: subprocess.Popen | None = None
        self.job: Path | None = None
        self.jobs = 0
        self.pdf_due = False
        self.started = 0.0  # when the PDF being made was started
        self.gathered = None  # the sources and editions as last read, when they were good

    def _update(self, **changes) -> None:
        with self.lock:
            for name, value in changes.items():
                setattr(self, name, value)
            self.version += 1

    def state(self) -> dict:
        with self.lock:
            return {
                "version": self.version,
                "edition": self.edition,
                "formats": list(self.formats),
                "busy": sorted(self.busy),
                "errors": list(dict.fromkeys(e for e in self.errors.values())),
                "warnings": [w for k in sorted(self.warnings) for w in self.warnings[k]],
                **{fmt: {"files": view.listing(), "seconds": round(view.seconds, 1)}
                   for fmt, view in self.views.items()},
            }

    def file(self, fmt: str, name: str) -> tuple[str, bytes] | None:
        with self.lock:
            view = self.views.get(fmt)
            return view.files.get(name) if view else None

    # The rebuilds, in the watching thread.

    def watch(self, stop: threading.Event) -> None:
        """Build, then rebuild what each save changes, until `stop` is set."""
        seen = snapshot(self.project)
        self.rebuild(set(BOTH))
        while not stop.wait(POLL_SECONDS):
            self.collect_pdf()
            now = snapshot(self.project)
            names = changed(seen, now)
            if names:
                touched = formats_touched(names, self.themes)
                if touched:
                    self.rebuild(touched, not templates_edited(names, seen, now))
                seen = now

    def rebuild(self, touched: set[str], read: bool = True) -> None:
        if "pdf" in touched:
            self.stop_pdf()
            self.pdf_due = True
        self._update(busy=self.busy | {"epub"})
        ready = self.make_epub("epub" in touched, read)
        self._update(busy=self.busy - {"epub"})
        if ready and self.pdf_due and "pdf" in self.formats:
            self.start_pdf()

    def make_epub(self, render: bool, read: bool = True) -> bool:
        """Read the project (unless `read` is false and it was read well before) and make the
        edition's EPUB documents (when `render`); whether the sources and the edition are good
        enough for the PDF to be made."""
        from .made import tool_digest
        from .memo import kept_in

        # What the saves before made to keep (compiled templates, the bibliography).
        with kept_in(kept_store(self.work), tool_digest(self.project)):
            return self._make_epub(render, read)

    def _make_epub(self, render: bool, read: bool) -> bool:
        from .cli import describe
        from .epub import prepare_epub
        from .limits import time_limit
        from .make import Project, gather, prepare

        started = time.perf_counter()
        project = Project(self.project)
        stage = "book"
        try:
            # An edition named: another's mistakes do not stop its preview (book/make.py).
            gathered = self.gathered if not read and self.gathered else gather(
                project, [self.edition] if self.edition else ())
            self.gathered = None
            shown = [f.shown_from(self.project) for f in gathered.findings.items]
            failing = gathered.findings.failing(strict=False)
            if failing:
                self._update(errors={"book": "\n".join(str(f) for f in shown
                                                      if f.level == "error")})
                return False
            edition = self._choose(gathered.editions)
            self.gathered = gathered
            made = prepare(project, edition, gathered)
            self._update(edition=edition.name, formats=edition.formats,
                         themes={f"editions/{edition.name}" if folder == made.search_path.own
                                 else folder.name for folder in made.search_path},
                         warnings={**self.warnings, "book": [str(f) for f in shown
                                                             if f.level == "warning"]})
            stage = "epub"
            if render and "epub" in edition.formats:
                with time_limit(f"making the EPUB of {edition.name}"):
                    _, plan, rendered, resources, _ = prepare_epub(
                        made.book, made.env, made.search_path, made.glyph_places)
                files = {name: ("application/xhtml+xml", rendered[name].encode("utf-8"))
                         for _, name, *_ in plan}
                files.update({r.name: (r.media_type, r.data) for r in resources})
                view = View(files, tuple(name for _, name, *_ in plan),
                            time.perf_counter() - started)
                self._update(views={**self.views, "epub": view})
            done = ("book", stage) if render else ("book",)
            self._update(errors={k: v for k, v in self.errors.items() if k not in done})
            return True
        except BookError as error:
            self._update(errors={**self.errors, stage: describe(error, self.project)})
            return stage != "book"
        except Exception as error:  # noqa: BLE001 - a bug in the tool must not end the preview
            traceback.print_exc()
            self._update(errors={**self.errors, stage: f"error: a bug in the tool, not in your "
                                 f"files: {type(error).__name__}: {error}"})
            return False

    def _choose(self, editions):
        from .errors import ConfigError

        if self.edition is None:
            # The edition saved last: the one its teacher is working on.
            return max(editions, key=lambda e: (e.path.stat().st_mtime_ns, e.name))
        for edition in editions:
            if edition.name == self.edition:
                return edition
        raise ConfigError(f"no edition named {self.edition}", self.project / "editions",
                          hint="editions: " + ", ".join(sorted(e.name for e in editions)))

    def start_pdf(self) -> None:
        self.jobs += 1
        self.job = self.work / f"pdf-{self.jobs}"
        self.job.mkdir()
        with (self.job / "output.txt").open("wb") as output:
            # Its own process group, so that stopping it stops its pdftoppm too.
            self.child = subprocess.Popen(
                [sys.executable, "-m", "book.preview", str(self.project), self.edition,
                 str(self.job)], stdout=output, stderr=subprocess.STDOUT,
                cwd=Path(__file__).resolve().parent.parent, start_new_session=True)
        self.pdf_due = False
        self._update(busy=self.busy | {"pdf"}, started=time.perf_counter())

    def stop_pdf(self) -> None:
        if self.child is not None:
            if self.child.poll() is None:
                # At once: it writes only into its own folder, which goes with it.
                os.killpg(self.child.pid, signal.SIGKILL)
                self.child.wait()
            self._finish_job()
            self._update(busy=self.busy - {"pdf"})

    def collect_pdf(self) -> None:
        if self.child is None or self.child.poll() is None:
            return
        code, job = self.child.returncode, self.job
        output = (job / "output.txt").read_text("utf-8", "replace")
        # A PDF build prints its warnings among the files it writes, the data's too, which
        # the page already shows with their hints.
        shown = {warning.split("\n")[0] for warning in self.warnings.get("book", [])}
        warnings = [line for line in output.splitlines()
                    if "warning" in line and line not in shown]
        if code == 0:
            pages = sorted((p for p in job.iterdir() if PAGE.fullmatch(p.name)),
                           key=lambda p: int(PAGE.fullmatch(p.name)[1]))
            view = View({p.name: ("image/jpeg", p.read_bytes()) for p in pages},
                        tuple(p.name for p in pages), time.perf_counter() - self.started)
            errors = {k: v for k, v in self.errors.items() if k != "pdf"}
            self._update(views={**self.views, "pdf": view}, errors=errors)
        else:
            self._update(errors={**self.errors, "pdf": failure(output, code)})
        self._finish_job()
        self._update(busy=self.busy - {"pdf"}, warnings={**self.warnings, "pdf": warnings})

    def _finish_job(self) -> None:
        if self.job is not None:
            shutil.rmtree(self.job, ignore_errors=True)
        self.child = self.job = None


def failure(output: str, code: int) -> str:
    """What a failed build printed, as the command line shows it, without its progress and
    what it says of dist/."""
    return "\n".join(line for line in output.splitlines()
                     if not PROGRESS.match(line)) or f"the PDF failed ({code})"


def kept_store(work: Path) -> Path:
    """One store of kept results (book/memo.py) for the EPUB and every PDF job of a preview."""
    store = work / "memo"
    store.mkdir(exist_ok=True)
    return store


def render_pages(project: Path, edition: str, job: Path) -> int:
    """The child's work: the edition's PDF, as `build.py pdf` makes it, into `job`, and its
    pages as page-N.jpg beside it."""
    from .cli import main
    from .limits import limit_memory
    from .made import RECORDS

    limit_memory()
    os.nice(10)  # the EPUB, made meanwhile in the preview's process, comes first
    # What the layout puts in temporary folders (WeasyPrint's copies of the fonts, 3 MB for
    # the book) goes with the job's folder, which the preview removes even if it kills the job.
    tempfile.tempdir = str(job / "temporary")
    Path(tempfile.tempdir).mkdir()
    # What the saves before made to keep (compiled templates, the bibliography): one store
    # for every job of the preview (book/memo.py).
    (job / RECORDS).mkdir(parents=True, exist_ok=True)
    (job / RECORDS / "memo").symlink_to(kept_store(job.parent), target_is_directory=True)
    code = main(["pdf", "--edition", edition, "--out", str(job)], project=project)
    if code:
        return code
    pdf = next((job / edition).glob("*.pdf"))
    try:
        subprocess.run(["pdftoppm", "-jpeg", "-jpegopt", "quality=85", "-r", PAGE_RESOLUTION,
                        str(pdf), str(job / "page")], check=True)
    except FileNotFoundError:
        print("error: pdftoppm, which draws the PDF's pages for the preview, is not installed"
              "\n  hint: ./setup.sh installs it (Debian's poppler-utils)")
        return 1
    shutil.rmtree(job / edition)
    return 0


class Handler(BaseHTTPRequestHandler):
    """GET only, of the page, its state and the preview's own files; nothing else."""

    preview: Preview
    server_version = "book-preview"

    def do_GET(self) -> None:
        host = self.headers.get("Host", "")
        port = self.server.server_address[1]
        # A page of another site that a DNS name leads here cannot read the preview.
        if host not in (f"{HOST}:{port}", f"localhost:{port}"):
            return self._send(403, "text/plain; charset=utf-8", b"forbidden")
        path = unquote(urlsplit(self.path).path)
        if path == "/":
            return self._send(200, "text/html; charset=utf-8", PAGE_HTML.encode("utf-8"),
                              PAGE_POLICY)
        if path == "/state":
            return self._send(200, "application/json",
                              json.dumps(self.preview.state()).encode("utf-8"))
        fmt, _, name = path.lstrip("/").partition("/")
        found = self.preview.file(fmt, name) if fmt in BOTH else None
        if found is None:
            return self._send(404, "text/plain; charset=utf-8", b"not found")
        return self._send(200, found[0], found[1], FILE_POLICY)

    def _send(self, status: int, media_type: str, body: bytes, policy: str = "") -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", policy or "default-src 'none'")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        pass  # a request every 0.3 s is no news


# What the page may run (its own script) and load (the preview's files); the book's files
# may load each other and run nothing.
PAGE_POLICY = "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'"
FILE_POLICY = "default-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'none'"


def make_server(preview: Preview, port: int) -> ThreadingHTTPServer:
    handler = type("PreviewHandler", (Handler,), {"preview": preview})
    server = ThreadingHTTPServer((HOST, port), handler)
    server.daemon_threads = True
    return server


def serve(project: Path, edition: str | None, port: int, report: Callable[[str], None],
          stop: threading.Event | None = None) -> None:
    """Serve the preview until `stop` is set (or Ctrl-C); the temporary folder goes with it."""
    stop = stop or threading.Event()
    work = Path(tempfile.mkdtemp(prefix="book-preview-"))
    preview = Preview(project, edition, work)
    try:
        server = make_server(preview, port)
    except OSError as error:
        shutil.rmtree(work)
        raise BookError(f"cannot serve the preview on {HOST}:{port}: {error.strerror}",
                        hint="another preview may be running; choose another port with "
                        "--port") from None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    report(f"preview of {edition or 'the edition saved last'} at "
           f"http://{HOST}:{server.server_address[1]}/ (Ctrl-C stops it)")
    try:
        preview.watch(stop)
    finally:
        preview.stop_pdf()
        server.shutdown()
        server.server_close()
        shutil.rmtree(work, ignore_errors=True)


PAGE_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Preview</title>
<style>
  body { margin: 0; font: 14px/1.4 system-ui, sans-serif; background: #ddd;
         height: 100vh; display: flex; flex-direction: column; }
  header { padding: .4em 1em; background: #333; color: #fff; }
  #errors { margin: 0; padding: .6em 1em; background: #fde2e1; color: #7a0b0b;
            border-bottom: 2px solid #c00; white-space: pre-wrap; font: 13px/1.4 monospace; }
  #warnings { padding: .3em 1em; background: #fff6d6; }
  #warnings pre { white-space: pre-wrap; font-size: 12px; }
  #errors, #warnings { flex: none; max-height: 40vh; overflow-y: auto; }
  main { display: flex; gap: 4px; flex: 1; min-height: 0; }
  main > section { flex: 1; overflow-y: auto; position: relative; }
  h2 { margin: 0; padding: .2em .6em; font-size: 13px; background: #bbb;
       position: sticky; top: 0; z-index: 1; }
  #epub iframe { display: block; width: 100%; border: 0; margin-bottom: 6px;
                 background: #fff; }
  #pdf img { display: block; max-width: 95%; margin: 8px auto; box-shadow: 0 1px 4px #888; }
  .stale main { opacity: .75; }
</style>
</head>
<body>
<header><b id="edition">Preview</b> <span id="status">starting…</span></header>
<pre id="errors" role="alert" hidden></pre>
<details id="warnings" hidden><summary></summary><pre></pre></details>
<main>
  <section id="epub"><h2>EPUB</h2><div id="documents"></div></section>
  <section id="pdf"><h2>PDF</h2><div id="pages"></div></section>
</main>
<script>
"use strict";
let shown = -1;
const $ = id => document.getElementById(id);

// Show `files` ([name, digest] in order) in `box`, reloading only those whose digest changed.
function sync(box, fmt, files, make) {
  const names = files.map(f => f[0]).join("\\n");
  if (box.dataset.names !== names) {
    box.replaceChildren(...files.map(([name]) => make(name)));
    box.dataset.names = names;
  }
  files.forEach(([name, digest], i) => {
    const element = box.children[i];
    if (element.dataset.digest !== digest) {
      element.dataset.digest = digest;
      element.src = "/" + fmt + "/" + encodeURI(name) + "?" + digest;
    }
  });
}

function fit(frame) {
  const page = frame.contentDocument && frame.contentDocument.documentElement;
  if (page) frame.style.height = page.scrollHeight + 20 + "px";
}

// A link to another document of the book scrolls to it, in its own frame.
function follow(event) {
  const link = event.target.closest && event.target.closest("a[href]");
  const url = link && new URL(link.href);
  if (!url || url.origin !== location.origin || !url.pathname.startsWith("/epub/")) return;
  const name = decodeURI(url.pathname.slice("/epub/".length));
  const frame = [...$("documents").children].find(f => f.title === name);
  if (!frame) return;
  event.preventDefault();
  const target = url.hash &&
    frame.contentDocument.getElementById(decodeURIComponent(url.hash.slice(1)));
  $("epub").scrollTop = frame.offsetTop - 30 +
    (target ? target.getBoundingClientRect().top : 0);
}

function document_frame(name) {
  const frame = document.createElement("iframe");
  frame.title = name;
  frame.addEventListener("load", () => {
    fit(frame);
    if (frame.contentDocument) frame.contentDocument.addEventListener("click", follow);
  });
  return frame;
}

function page_image(name) {
  const image = document.createElement("img");
  image.alt = name;
  image.loading = "lazy";
  return image;
}

function show(state) {
  document.title = "Preview: " + (state.edition || "");
  $("edition").textContent = state.edition || "Preview";
  const made = ["epub", "pdf"].filter(f => state[f])
    .map(f => f.toUpperCase() + " in " + state[f].seconds + " s");
  const busy = state.busy.map(f => "making the " + f.toUpperCase() + "…");
  $("status").textContent = [...made, ...busy].join(" · ");
  $("errors").hidden = !state.errors.length;
  $("errors").textContent = state.errors.join("\\n\\n") +
    (state.errors.length ? "\\n\\n(below: the last good book, until this is fixed)" : "");
  document.body.classList.toggle("stale", state.errors.length > 0);
  $("warnings").hidden = !state.warnings.length;
  $("warnings").querySelector("summary").textContent = state.warnings.length + " warnings";
  $("warnings").querySelector("pre").textContent = state.warnings.join("\\n");
  $("epub").hidden = state.formats.length > 0 && !state.formats.includes("epub");
  $("pdf").hidden = state.formats.length > 0 && !state.formats.includes("pdf");
  if (state.epub) sync($("documents"), "epub", state.epub.files, document_frame);
  if (state.pdf) sync($("pages"), "pdf", state.pdf.files, page_image);
}

async function poll() {
  try {
    const state = await (await fetch("/state", {cache: "no-store"})).json();
    if (state.version !== shown) { shown = state.version; show(state); }
  } catch (error) {
    $("status").textContent = "the preview has stopped: run python build.py preview again";
  }
  setTimeout(poll, 300);
}
window.addEventListener("resize", () => document.querySelectorAll("iframe").forEach(fit));
poll();
</script>
</body>
</html>
"""

if __name__ == "__main__":
    sys.exit(render_pages(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])))
