"""Entry point of the frozen app: the same ``giukin`` command as the pip install."""

import sys

if __name__ == "__main__":
    from app.cli import main

    sys.exit(main())
