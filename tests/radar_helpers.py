"""Helpers for the radar, feed and catalog browsing tests: publish editions, change the catalog the
way scripts do (export, edit, import), read radars."""

from __future__ import annotations

from pathlib import Path

import yaml


def publish(runner, actor: str = "cli") -> str:
    result = runner.invoke(args=["radar", "publish", "--actor", actor])
    assert result.exit_code == 0, result.output
    return result.output


def change_catalog(runner, tmp_path: Path, changes: dict[str, dict], new: list[dict] = ()) -> str:
    """Export the catalog, apply field changes per slug (and new entries), import it back."""
    exported = runner.invoke(args=["catalog", "export"])
    assert exported.exit_code == 0, exported.output
    entries = yaml.safe_load(exported.stdout)
    by_slug = {e["slug"]: e for e in entries}
    for slug, fields in changes.items():
        by_slug[slug].update(fields)
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump([*entries, *new], sort_keys=False), encoding="utf-8")
    result = runner.invoke(args=["catalog", "import", str(path)])
    assert result.exit_code == 0, result.output
    return result.output


def entry_like(runner, base_slug: str, **fields) -> dict:
    """A new catalog entry copied from an existing one, without its rules."""
    exported = yaml.safe_load(runner.invoke(args=["catalog", "export"]).stdout)
    base = next(e for e in exported if e["slug"] == base_slug)
    return {**base, "rules": [], "successor": None, **fields}


def radar(client, edition: int | None = None) -> dict:
    response = client.get("/api/v1/radar" + (f"?edition={edition}" if edition else ""))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def rings(radar_json: dict) -> dict[str, str]:
    return {e["slug"]: e["ring"] for e in radar_json["entries"]}


def moves(radar_json: dict) -> dict[str, str]:
    return {e["slug"]: e["moved"] for e in radar_json["entries"] if e["moved"]}
