#!/usr/bin/env python3
"""Build the editions: see `python build.py --help`."""

import sys

from book.cli import main
from book.limits import limit_memory

if __name__ == "__main__":
    limit_memory()  # a runaway template fails with a message instead of exhausting the machine
    sys.exit(main())
