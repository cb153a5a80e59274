#!/usr/bin/env python3
"""Build the editions: see `python build.py --help`."""

import sys

from book.cli import main

if __name__ == "__main__":
    sys.exit(main())
