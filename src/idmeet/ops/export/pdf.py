"""HTML to PDF through WeasyPrint (which lays out with Pango, a system library).

The PDF is deterministic: no creation or modification date, no file identifier, and its
information dictionary holds only the title, the author (the organisation) and the
language; WeasyPrint's "Producer" line is removed. Fonts are embedded (as subsets).
"""

from __future__ import annotations

from typing import Any

from idmeet.core.diagnostics import IdmeetError

INSTALL_HINT = (
    "PDF needs WeasyPrint and the Pango library: python3 -m pip install weasyprint, and on Debian/Ubuntu "
    "apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2 (see README, Set up)"
)


def load_weasyprint() -> Any:
    """The weasyprint module, or one clear error saying what to install."""
    try:
        import weasyprint
    except (ImportError, OSError):  # OSError: the Python package is there, Pango is not
        raise IdmeetError(INSTALL_HINT) from None
    return weasyprint


def html_to_pdf(page: str, *, title: str, author: str, language: str) -> bytes:
    """``page`` (a complete HTML document with its print stylesheet) as PDF bytes."""
    weasyprint = load_weasyprint()
    import pydyf

    def finish(document: Any, pdf: Any) -> None:
        for key in ("Producer", "Creator", "CreationDate", "ModDate", "Subject", "Keywords"):
            pdf.info.pop(key, None)
        pdf.info["Title"] = pydyf.String(title)
        pdf.info["Author"] = pydyf.String(author)
        pdf.catalog["Lang"] = pydyf.String(language)

    document = weasyprint.HTML(string=page, base_url=None).render()
    data = document.write_pdf(finisher=finish, pdf_identifier=False, uncompressed_pdf=False)
    if not isinstance(data, bytes):  # pragma: no cover - write_pdf returns bytes without a target
        raise IdmeetError("WeasyPrint wrote no PDF")
    return data
