#!/usr/bin/env python
"""Django's command-line utility (the ``oasis`` command does the same)."""

from oasis.cli import main

if __name__ == "__main__":
    main()
