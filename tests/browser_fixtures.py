"""Headless Chromium for tests: the `browser` and `page` fixtures (made available to every
module by conftest.py; do not import them into a test module) and helpers.

Debian's chromium driven by Playwright (Playwright's own browser download does not work
here). Without Chromium a test skips with what to install; under CI (CI=true) it fails.

    def test_page(page):
        page.goto("http://127.0.0.1:8000/")
"""

from __future__ import annotations

import os
import shutil
import socket

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

__all__ = ["chromium_path", "free_port", "browser", "page", "CHROMIUM_ARGS"]


def chromium_path() -> str:
    """The Chromium executable; skips the test without one (fails it under CI)."""
    path = os.environ.get("CHROMIUM") or (
        CHROMIUM if os.access(CHROMIUM, os.X_OK) else shutil.which("chromium")
    )
    if path and os.access(path, os.X_OK):
        return path
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("browser tests need Chromium under CI: apt-get install chromium")
    pytest.skip("needs Chromium: apt-get install chromium")


def free_port() -> int:
    """A free TCP port on the loopback address."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session."""
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page (its own context: no cookies or storage shared between tests)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        yield context.new_page()
    finally:
        context.close()
