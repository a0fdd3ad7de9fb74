"""Finding, compiling and loading the gettext catalogs.

Only the ``.po`` sources are kept in the repository. A wheel ships ``.mo`` files compiled
at build time (``hatch_build.py`` loads this module by path to do it); a source checkout
compiles each catalog on first use into the user's cache folder and reuses it until the
source changes. This module must stay importable on its own, without the package.
"""

from __future__ import annotations

import gettext
import os
import tempfile
import zlib
from pathlib import Path

DOMAINS = ("ui", "content")


def compile_po(po_path: Path, mo_path: Path) -> None:
    """Compile one catalog, skipping fuzzy entries, and write the .mo atomically."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as fh:
        catalog = read_po(fh)
    mo_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=mo_path.parent, prefix=".tmp-", suffix=".mo")
    try:
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalog, use_fuzzy=False)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, mo_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def compile_tree(translations_dir: Path, locale_dir: Path) -> list[Path]:
    """Compile ``translations/<domain>/<lang>.po`` into ``<locale>/<lang>/LC_MESSAGES``."""
    written = []
    for domain in DOMAINS:
        for po in sorted((translations_dir / domain).glob("*.po")):
            mo = locale_dir / po.stem / "LC_MESSAGES" / f"{domain}.mo"
            compile_po(po, mo)
            written.append(mo)
    return written


def load(
    domain: str,
    lang: str,
    *,
    compiled_dir: Path | None,
    source_dir: Path | None,
    cache_dir: Path,
) -> gettext.NullTranslations:
    """The catalog for one domain and language, or a null catalog (English)."""
    if compiled_dir is not None:
        mo = compiled_dir / lang / "LC_MESSAGES" / f"{domain}.mo"
        if mo.is_file():
            with mo.open("rb") as fh:
                return gettext.GNUTranslations(fh)
    if source_dir is not None:
        po = source_dir / domain / f"{lang}.po"
        if po.is_file():
            stat = po.stat()
            # Which version of the source the compiled file is of (a checksum: hashlib
            # would load OpenSSL at every start for it).
            key = zlib.crc32(f"{po}|{stat.st_mtime_ns}|{stat.st_size}".encode())
            mo = cache_dir / "locale" / f"{domain}-{lang}-{key:08x}.mo"
            if not mo.is_file():
                for stale in mo.parent.glob(f"{domain}-{lang}-*.mo"):
                    stale.unlink(missing_ok=True)
                compile_po(po, mo)
            with mo.open("rb") as fh:
                return gettext.GNUTranslations(fh)
    return gettext.NullTranslations()
