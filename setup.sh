#!/usr/bin/env bash
# Installs everything the project needs, and nothing twice:
#  - Debian's libraries WeasyPrint draws with (Pango, HarfBuzz's subsetter), Java for
#    EPUBCheck (with its compiler, for the tests), poppler's pdftoppm and pdftotext for the
#    preview's pages and the tests, faketime, chromium and its driver for the tests, and pandoc for the benchmark,
#    when they are missing (needs apt-get and root; otherwise says what to install);
#  - a virtual environment .venv with the package's dependencies and its test extra;
#  - DAISY Ace, the EPUB accessibility checker, from npm into .ace/ (Node and npm from Debian
#    when missing), without the browser puppeteer would download: the tests run it on
#    Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
has_library() { python3 -c "import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library('$1') else 1)"; }
has_library pango-1.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
has_library harfbuzz-subset || missing+=(libharfbuzz-subset0)
# The tests keep one EPUBCheck running per worker (tests/EpubCheckServer.java, compiled
# with javac) instead of starting Java for each book.
command -v javac >/dev/null || missing+=(default-jdk-headless)
# The tests run two builds on different days with libfaketime.
[ -e /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 ] || command -v faketime >/dev/null \
  || missing+=(faketime)
# `build.py preview` shows the PDF's pages as pdftoppm draws them; the tests read the PDF's
# text with pdftotext (the same package).
{ command -v pdftoppm && command -v pdftotext; } >/dev/null || missing+=(poppler-utils)
# The benchmark (python -m book.bench) measures the EPUB against pandoc's of the same texts.
command -v pandoc >/dev/null || missing+=(pandoc)
# The preview's test drives Debian's headless chromium through its chromedriver.
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
# DAISY Ace is a Node program, installed from npm below.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: please install these Debian packages first: ${missing[*]}" >&2
    exit 1
  fi
fi

# Reinstall only when pyproject.toml changed since the last run.
stamp=.venv/.pyproject.sha256
wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[test]'
  echo "$wanted" > "$stamp"
fi

# DAISY Ace, at the version the README names, unless it is there already. Puppeteer (which
# Ace drives Chromium with) would fetch a browser of its own when installed: the tests give it
# Debian's (PUPPETEER_EXECUTABLE_PATH, tests/test_accessibility.py), so nothing is downloaded.
ACE_VERSION=1.4.6
ace_installed=.ace/node_modules/@daisy/ace-cli/package.json
if ! grep -q "\"version\": \"$ACE_VERSION\"" "$ace_installed" 2>/dev/null; then
  echo "setup: installing DAISY Ace $ACE_VERSION into .ace/"
  mkdir -p .ace
  PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 \
    npm install --prefix .ace --no-save --no-audit --no-fund --loglevel=error \
    "@daisy/ace-cli@$ACE_VERSION" >/dev/null
fi
