#!/usr/bin/env bash
# Installs everything the project needs, and nothing twice:
#  - Debian's libraries WeasyPrint draws with (Pango, HarfBuzz's subsetter), a Java runtime
#    for EPUBCheck, poppler's pdftoppm for the preview's pages, faketime, chromium and its
#    driver for the tests, and pandoc for the benchmark, when they are missing (needs apt-get
#    and root; otherwise says what to install);
#  - a virtual environment .venv with the package's dependencies and its test extra.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
has_library() { python3 -c "import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library('$1') else 1)"; }
has_library pango-1.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
has_library harfbuzz-subset || missing+=(libharfbuzz-subset0)
command -v java >/dev/null || missing+=(default-jre-headless)
# The tests run two builds on different days with libfaketime.
[ -e /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 ] || command -v faketime >/dev/null \
  || missing+=(faketime)
# `build.py preview` shows the PDF's pages as pdftoppm draws them.
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
# The benchmark (python -m book.bench) measures the EPUB against pandoc's of the same texts.
command -v pandoc >/dev/null || missing+=(pandoc)
# The preview's test drives Debian's headless chromium through its chromedriver.
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)

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
