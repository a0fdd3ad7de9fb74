"""``python -m d4a_desktop.services.exchange [FOLDER]``: write the package schemas to
``docs/`` (or FOLDER), after a kind or field was added."""

from __future__ import annotations

import sys
from pathlib import Path

from d4a_desktop.services.exchange import schema
from d4a_desktop.storage import atomic


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else Path(__file__).parents[3] / "docs"
    for name, file in schema.DOCS.items():
        atomic.write_text(folder / file, schema.published(name))
        print(folder / file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
