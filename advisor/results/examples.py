"""Example results for the landing page, made from fixed answers once per catalog version.

An example's id is derived from its name, the catalog version and the app's secret (so it looks
like any other id and cannot be guessed ahead of a deployment), which makes it the same in every
process: the first request for it on a new catalog version saves it, the others find it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

import sqlalchemy as sa
from flask import current_app

from advisor.catalog.service import current_version
from advisor.extensions import db
from advisor.results.presets import PRESETS
from advisor.results.service import create_result, get_result

EXAMPLES = {preset.key: preset for preset in PRESETS if preset.example}


def example_id(key: str, version: int) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(secret, f"example:{key}:{version}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def example_result(key: str) -> str:
    """The id of the example `key` on the current catalog, saved on first request."""
    result_id = example_id(key, current_version())
    if get_result(result_id) is None:
        try:
            create_result(EXAMPLES[key].constraints, result_id=result_id)
        except sa.exc.IntegrityError:  # another request saved it first: the same answers
            db.session.rollback()
    return result_id
