"""The decision tools on PostgreSQL: example results saved under derived ids, what-if saves, starters."""

from __future__ import annotations

import re

import pytest
from werkzeug.datastructures import MultiDict

from advisor.extensions import db
from advisor.results.models import SavedResult
from advisor.results.service import count_results, create_result
from tests.wizard_helpers import CONSTRAINTS, HTMX

pytestmark = pytest.mark.postgres


def test_examples_whatif_and_starters_on_postgresql(pg_app, monkeypatch):
    client = pg_app.test_client()
    first = client.get("/r/example/realtime-chat").headers["Location"]
    assert client.get("/r/example/realtime-chat").headers["Location"] == first
    example_id = first.rsplit("/", 1)[1]
    with pg_app.app_context():
        assert db.session.get(SavedResult, example_id) is not None and count_results() == 1
        # Someone else saved the example between our look and our write: their row stands.
        from advisor.catalog.service import current_version
        from advisor.results.examples import EXAMPLES
        from advisor.results.examples import example_id as derive

        taken = derive("modern-microservices", current_version())
        create_result(EXAMPLES["modern-microservices"].constraints, result_id=taken)
    assert client.get("/r/example/modern-microservices").headers["Location"].endswith(taken)
    # ... and when it lands after our look, our insert fails on the key and theirs is used.
    from advisor.results import examples

    monkeypatch.setattr(examples, "get_result", lambda result_id: None)
    again = client.get("/r/example/modern-microservices")
    assert again.status_code == 303 and again.headers["Location"].endswith(taken)
    monkeypatch.undo()
    with pg_app.app_context():
        assert count_results() == 2

    with pg_app.app_context():
        result_id = create_result(CONSTRAINTS).id
    page = client.get(f"/r/{result_id}/whatif?priorities-maturity=5&priorities-performance=0", headers=HTMX)
    fragment = page.get_data(as_text=True)
    assert page.status_code == 200 and "Re-ranked, not saved." in fragment
    form = fragment.split('class="save-whatif"', 1)[1].split("</form>", 1)[0]
    saved = client.post(
        f"/r/{result_id}/whatif", data=MultiDict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))
    )
    assert saved.status_code == 303
    with pg_app.app_context():
        new = db.session.get(SavedResult, saved.headers["Location"].rsplit("/", 1)[1])
        assert new.constraints["priorities"]["maturity"] == 5
    assert client.get(f"/r/{result_id}/starter/1.zip").status_code == 200
    assert client.get(f"/r/{result_id}/compare").status_code == 200
    assert client.get(f"/r/{result_id}/card.png").mimetype == "image/png"
