#!/usr/bin/env python3
"""Yuedu command line: `python build.py [build|serve|import|pinyin] ...` (see `--help`)."""

import sys

from yuedu.cli import main

if __name__ == "__main__":
    sys.exit(main())
