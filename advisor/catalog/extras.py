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


@dataclass(frozen=True)
class PageExtras:
    rings: Callable[[], dict[str, str]]  # slug -> ring as the radar shows it now
    standing: Callable[[dict], object]  # a technology's place on the radar
    events: Callable[[str], list]  # a technology's radar history, as catalog Events


def register_extras(app: Flask, extras: PageExtras) -> None:
    app.extensions[KEY] = extras


def page_extras() -> PageExtras:
    return current_app.extensions[KEY]
