"""Exchange with partners: packages, the partner view, comparison, sync, portfolio, DCAT-AP.

``package`` writes and reads ``.d4ax`` packages (untrusted input, checked in full before
anything is used); ``compare`` puts two projects side by side (the tandem view);
``sync`` exchanges packages with a folder or a WebDAV server through an outbox and an
inbox; ``portfolio`` gives an overview of many partners' packages; ``dcat`` exports the
data inventory as DCAT-AP 3. Everything here is Qt-free; long work takes a progress
callback and a cancel event so the GUI can run it off the UI thread.
"""

from d4a_desktop.services.exchange.errors import Cancelled, ExchangeError
from d4a_desktop.services.exchange.package import (
    Limits,
    Manifest,
    Package,
    PartnerView,
    check_importable,
    check_mergeable,
    export_package,
    import_package,
    open_partner,
    read_package,
)

__all__ = [
    "Cancelled",
    "ExchangeError",
    "Limits",
    "Manifest",
    "Package",
    "PartnerView",
    "check_importable",
    "check_mergeable",
    "export_package",
    "import_package",
    "open_partner",
    "read_package",
]
