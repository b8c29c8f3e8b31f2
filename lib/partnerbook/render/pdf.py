"""PDF from a rendered HTML report, printed by headless Chromium (Playwright drives it).

Chromium is the PDF feature's dependency: Debian's `chromium` (or $PARTNERBOOK_CHROMIUM)
and the Python package `playwright` (the `pdf` extra). Without them `Printer` raises a
one-line error saying what to install; HTML delivery does not need them.

The page keeps its own print CSS (figures, charts, table rows and headline cards are
never split across pages; see templates/partnerbook/partnerbook.css); the paper size follows
the locale (US Letter where CLDR says so, A4 elsewhere); every page carries the programme,
the period and its page number ("Page 2 of 5", from the catalogue in the reader's language).
"""

from __future__ import annotations

import html
import os
import shutil
from pathlib import Path

from .. import i18n
from ..errors import PartnerbookError
from ..i18n import _

# CLDR supplemental data, paperSize: the territories that use US Letter; the rest use A4.
LETTER_TERRITORIES = {"US", "CA", "MX", "CL", "CO", "CR", "GT", "NI", "PA", "PH", "PR", "SV", "VE", "BZ"}
INSTALL = (
    "PDF needs headless Chromium: `apt-get install chromium` (or set PARTNERBOOK_CHROMIUM to a "
    "Chromium binary) and `pip install 'partnerbook[pdf]'` (playwright); HTML delivery works without it"
)

# Print rules added to every page before printing, for a page from an older run: the same
# rules as the report template's @media print (partnerbook.css; a test keeps them equal).
PRINT_CSS = """
@page { margin: 16mm 12mm 18mm 12mm; }
h1, h2, h3, h4, caption { break-after: avoid; page-break-after: avoid; }
figure, .pb-figure, svg, img, tr, thead, .pb-kpi, .pb-kpis, blockquote, .pb-term { break-inside: avoid; page-break-inside: avoid; }
details::details-content { content-visibility: visible; display: contents; }
details:not([open]) > :not(summary) { display: block; }
.pb-contents { display: none; }
"""


def paper(locale: str = "en_US") -> str:
    """'Letter' or 'A4' for a locale name such as en_US, fr_FR or fr_CA."""
    territory = str(locale or "").replace("-", "_").split("_")[-1].upper()
    return "Letter" if territory in LETTER_TERRITORIES else "A4"


def chromium() -> str | None:
    """The Chromium binary to print with, or None."""
    given = os.environ.get("PARTNERBOOK_CHROMIUM", "")
    return (
        given
        if given and Path(given).exists()
        else shutil.which("chromium") or shutil.which("chromium-browser")
    )


class Printer:
    """One headless browser for many PDFs: `with Printer() as p: p.pdf(path, ...)`.
    `browser`: a Playwright browser already running (tests share theirs); else one is started."""

    def __init__(self, browser=None) -> None:
        self._pw = None
        if browser is None:
            browser = self._launch()
            self._owned = browser
        else:
            self._owned = None
        self._page = browser.new_page()
        # a report is self-contained: refuse every request that is not the file itself
        self._page.route(
            "**/*",
            lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
        )

    def _launch(self):
        binary = chromium()
        if not binary:
            raise PartnerbookError(INSTALL)
        try:
            from playwright.sync_api import sync_playwright  # optional: the pdf extra
        except ImportError:
            raise PartnerbookError(INSTALL) from None
        self._pw = sync_playwright().start()
        return self._pw.chromium.launch(
            executable_path=binary,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )

    def __enter__(self) -> "Printer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._page.close()
        if self._owned is not None:
            try:
                self._owned.close()
            finally:
                self._pw.stop()

    def pdf(
        self, page: str | os.PathLike, *, header: str, locale: str = "en_US", language: str = ""
    ) -> bytes:
        """The HTML file `page` printed to PDF bytes, `header` (programme · period) on every page;
        the paper of `locale`, the page numbers in `language` (default: `locale`'s)."""
        self._page.goto(Path(page).resolve().as_uri(), wait_until="load")
        self._page.add_style_tag(content=PRINT_CSS)
        self._page.emulate_media(media="print")
        small = 'style="font-size:8px;width:100%;padding:0 12mm;color:#4a5568;display:flex;justify-content:space-between"'
        return self._page.pdf(
            format=paper(locale),
            print_background=True,
            display_header_footer=True,
            header_template=f"<div {small}><span>{html.escape(header)}</span></div>",
            footer_template=f"<div {small}><span>{html.escape(header)}</span><span>{page_numbers(language or locale)}</span></div>",
            margin={"top": "16mm", "bottom": "18mm", "left": "12mm", "right": "12mm"},
        )


def page_numbers(locale: str) -> str:
    """'Page <n> of <total>' in the language of `locale`, Chromium filling the numbers in."""
    with i18n.using(locale):
        text = html.escape(_("Page {page} of {pages}"))
    return text.format(page='<span class="pageNumber"></span>', pages='<span class="totalPages"></span>')
