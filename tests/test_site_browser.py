"""``idmeet site`` in a real browser: the system's headless Chromium, driven by Playwright.

Only Playwright's Python package is used (``pip install playwright``), never its browser
download: the browser is the operating system's (``apt-get install chromium``, as ``.ci/run``
does). These tests skip, saying so, only when that browser cannot be found.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from idmeet.edits.write import replace_folder
from idmeet.ops.actions import resolve_owner
from idmeet.ops.site.build import MARKER, build_site
from idmeet.store.load import load

from .conftest import EXAMPLE

TODAY = dt.date(2024, 6, 10)
PHONE: ViewportSize = {"width": 375, "height": 812}


def _chromium() -> str | None:
    for candidate in (os.environ.get("IDMEET_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


CHROMIUM = _chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no system Chromium (apt-get install chromium, as .ci/run does; or set IDMEET_CHROMIUM)"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo, _ = load(EXAMPLE)
    out = tmp_path_factory.mktemp("browser") / "site"
    replace_folder(out, build_site(repo, TODAY), MARKER)
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM is not None
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    yield opened
    context.close()
    assert not errors, errors  # the filter script ran without a JavaScript error


def _path(url: str) -> Path:
    return Path(unquote(urlparse(url).path))


def test_every_link_of_the_site_resolves(built: Path, page: Page) -> None:
    """From the home page, follow every link (a, link, script) in the browser: each target
    exists, each #anchor is an id on its page, and every page of the site is reached."""
    start = (built / "index.html").as_uri()
    seen: set[Path] = set()
    queue = [start]
    checked = 0
    while queue:
        url = queue.pop()
        target = _path(url)
        if target in seen:
            continue
        seen.add(target)
        page.goto(url)
        links = page.eval_on_selector_all("a[href], link[href], script[src]", "els => els.map(e => e.href || e.src)")
        for link in links:
            base, anchor = urldefrag(link)
            assert base.startswith("file://"), (url, link)  # relative links resolve to files
            path = _path(base)
            assert path.is_file(), f"{target.relative_to(built)}: broken link {link}"
            assert built in path.parents, (url, link)
            if anchor:
                assert path.suffix == ".html"
                assert f'id="{anchor}"' in path.read_text(encoding="utf-8"), (url, link)
            if path.suffix == ".html" and path not in seen:
                queue.append(base)
            checked += 1
    pages = set(built.rglob("*.html"))
    assert seen == pages, sorted(str(p.relative_to(built)) for p in pages - seen)
    assert checked > 300


def _visible_ids(page: Page) -> set[str]:
    hrefs = page.eval_on_selector_all(
        "#actions > li.card:not([hidden]) a.title", "els => els.filter(e => e.offsetParent !== null).map(e => e.href)"
    )
    return {Path(urlparse(h).path).stem for h in hrefs}


def _peters_open_actions() -> set[str]:
    repo, _ = load(EXAMPLE)
    peter = resolve_owner(repo, "Peter")
    return {a.id for a in repo.actions if a.is_open and peter.matches(repo, a)}


def test_owner_filter_shows_peters_open_actions_only(built: Path, page: Page) -> None:
    expected = _peters_open_actions()
    assert len(expected) == 8
    # With the script: the filter form on the action list.
    page.goto((built / "acties.html").as_uri())
    assert len(_visible_ids(page)) == 15  # everything, before filtering
    page.select_option("select[name=owner]", label="Peter Teesink")
    page.select_option("select[name=status]", value="open-of-wacht")
    assert _visible_ids(page) == expected
    assert page.inner_text("#count") == "8 van 15"
    # Without the script: the owner's own page, reached through the link in the list.
    context = page.context.browser
    assert context is not None
    plain = context.new_context(viewport=PHONE, java_script_enabled=False)
    nojs = plain.new_page()
    nojs.goto((built / "acties.html").as_uri())
    assert not nojs.is_visible("#filter")  # no dead form without the script
    nojs.click(".filter-links >> text=Peter Teesink")
    assert nojs.url.endswith("acties/eigenaar-peter-teesink.html")
    assert _visible_ids(nojs) == expected
    plain.close()


def test_decision_search_filters(built: Path, page: Page, tmp_path: Path) -> None:
    repo_dir = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo_dir)
    minutes = repo_dir / "voortgangsoverleg" / "2024-03-06.md"
    minutes.write_text(
        minutes.read_text().replace(
            "## 3. Bureauplan (concept)\n",
            "## 3. Bureauplan (concept)\n\nBesluit: Het Bureauplan gaat langs de trekkers.\n\n"
            "Besluit: Safe space gesprekken worden verkend.\n",
            1,
        )
    )
    repo, _ = load(repo_dir)
    out = tmp_path / "site"
    replace_folder(out, build_site(repo, TODAY), MARKER)
    page.goto((out / "besluiten.html").as_uri())
    assert page.is_visible("#search")
    page.fill("input[name=q]", "trekkers")
    visible = page.eval_on_selector_all("#decisions > li:not([hidden])", "els => els.map(e => e.innerText)")
    assert len(visible) == 1 and "trekkers" in visible[0]


@pytest.mark.parametrize(
    "name",
    [
        "index.html",
        "vergaderingen.html",
        "vergadering/stuurgroep-2024-06-17.html",
        "vergadering/voortgangsoverleg-2024-03-06.html",
        "acties.html",
        "acties/eigenaar-peter-teesink.html",
        "actie/jt3dy6zk.html",
        "besluiten.html",
    ],
)
def test_no_horizontal_scroll_on_a_phone(built: Path, page: Page, name: str) -> None:
    page.goto((built / name).as_uri())
    width = page.evaluate("document.documentElement.scrollWidth")
    assert page.evaluate("window.innerWidth") == 375
    assert width <= 375, f"{name} is {width} px wide at 375 px"


def test_screenshots_of_home_and_a_meeting(built: Path, page: Page, tmp_path: Path) -> None:
    """Screenshots for a person to look at (their paths are printed: pytest -s shows them)."""
    shots = {
        "home.png": "index.html",
        "meeting.png": "vergadering/stuurgroep-2024-06-17.html",
        "meeting-minutes.png": "vergadering/voortgangsoverleg-2024-02-05.html",
    }
    for file, name in shots.items():
        page.goto((built / name).as_uri())
        target = tmp_path / file
        page.screenshot(path=str(target), full_page=True)
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert target.stat().st_size > 20_000  # a page, not a blank
        print(f"screenshot: {target}")
    page.goto((built / "index.html").as_uri())
    assert page.title() == "Overzicht · Bureau Inclusie en Diversiteit"
    assert page.is_visible("text=Volgende vergaderingen")
