"""What every browser test of a page checks: accessibility (axe-core, served from node_modules, never
a CDN), console errors, requests that leave the site, and no sideways scrolling."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page as it is now, one line each (empty when it passes).

    The script goes in through the DevTools protocol, which the page's CSP does not govern, so the
    check needs no exception in the policy the page is served with."""
    assert AXE.exists(), f"{AXE} is missing: run `make assets` (npm ci installs axe-core)"
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text())
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at " + ", ".join(n["target"][0] for n in v["nodes"][:5])
        for v in results["violations"]
    ]


class Watch:
    """Console errors, uncaught exceptions and off-site requests of one page, from now on."""

    def __init__(self, page, base_url: str):
        self.errors: list[str] = []
        self.offsite: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on(
            "request",
            lambda r: (
                self.offsite.append(r.url) if not r.url.startswith((base_url, "data:", "about:")) else None
            ),
        )
        page.on("response", lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def assert_clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.offsite == [], self.offsite


def assert_fits(page, width: int) -> None:
    """Nothing makes the page scroll sideways (wide tables scroll inside their own box)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url
