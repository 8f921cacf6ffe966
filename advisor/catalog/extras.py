"""What features built on the catalog add to its pages, without the catalog importing them.

The catalog's pages show each technology's radar ring and radar history, but the radar builds on
the catalog (its rings come from the catalog's facts), not the other way round: the radar hands
these functions over when its blueprint is registered (`advisor/radar/__init__.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

KEY = "advisor.catalog_extras"


def _no_rings() -> dict[str, str]:
    return {}


def _no_events(_slug: str) -> list:
    return []


@dataclass(frozen=True)
class PageExtras:
    rings: Callable[[], dict[str, str]] = _no_rings  # slug -> ring as the radar shows it now
    standing: Callable[[dict], object] | None = None  # a technology's place on the radar
    events: Callable[[str], list] = _no_events  # a technology's radar history, as catalog Events


def register_extras(app: Flask, extras: PageExtras) -> None:
    app.extensions[KEY] = extras


def page_extras() -> PageExtras:
    return current_app.extensions.get(KEY) or PageExtras()
