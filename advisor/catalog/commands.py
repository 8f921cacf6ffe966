"""Flask CLI: seed, catalog export/import/refresh, recommend."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from advisor.catalog import files, refresh, service
from advisor.extensions import db

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def register(app: Flask) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(catalog_cli)
    app.cli.add_command(recommend_command)


def _existing() -> dict[str, str]:
    from advisor.catalog.models import Technology

    return dict(db.session.execute(sa.select(Technology.slug, Technology.status)).all())


def _apply(sources, actor: str, action: str) -> service.ApplyReport:
    try:
        entries = files.validate_entries(sources, _existing())
        report = service.apply_entries(entries, actor=actor, action=action)
        db.session.commit()
    except files.CatalogFileError as err:
        db.session.rollback()
        for problem in err.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{len(err.problems)} problem(s); nothing was changed") from None
    return report


def _report(report: service.ApplyReport) -> None:
    click.echo(
        f"{len(report.created)} created, {len(report.updated)} updated, "
        f"{report.unchanged} unchanged; catalog version {report.version}"
    )


@click.command("seed")
@with_appcontext
@click.option(
    "--directory",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=SEEDS,
    show_default=True,
)
def seed_command(directory: Path) -> None:
    """Load the catalog from seeds/ (idempotent: a second run changes nothing)."""
    try:
        sources = files.seed_files(directory)
    except files.CatalogFileError as err:
        raise click.ClickException(str(err)) from None
    _report(_apply(sources, actor="seed", action="seed"))


catalog_cli = AppGroup("catalog", help="Export or import the catalog as YAML; refresh registry facts.")


@catalog_cli.command("export")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
def export_command(file: Path | None) -> None:
    """Write the whole catalog in the seed format (stdout without FILE)."""
    text = service.dump_yaml(service.export_entries())
    if file is None:
        click.echo(text, nl=False)
    else:
        file.write_text(text, encoding="utf-8")
        click.echo(f"wrote {file}", err=True)


@catalog_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", default="cli", show_default=True, help="Who the audit log names.")
def import_command(file: Path, actor: str) -> None:
    """Upsert a YAML catalog; invalid files are rejected whole."""
    try:
        sources = [(str(file), files.read_entries(file))]
    except (files.CatalogFileError, UnicodeDecodeError) as err:
        problems = getattr(err, "problems", [f"{file}: not UTF-8 text"])
        for problem in problems:
            click.echo(str(problem), err=True)
        raise click.ClickException("nothing was changed") from None
    _report(_apply(sources, actor=actor, action="import"))


@catalog_cli.command("refresh")
@click.argument("slugs", nargs=-1, metavar="[SLUG]...")
@click.option(
    "--index-url",
    default=refresh.DEFAULT_INDEX_URL,
    show_default=True,
    help="A PyPI-compatible index; {URL}/pypi/{package}/json is read.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 300),
    default=refresh.DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds allowed for each request.",
)
@click.option("--actor", default="refresh", show_default=True, help="Who the audit log names.")
def refresh_command(slugs: tuple[str, ...], index_url: str, timeout: float, actor: str) -> None:
    """Update latest_version and last_release from PyPI (every technology with a package, or the
    SLUGs named) as one catalog version. Exits 1 if any package could not be read."""
    try:
        index_url = refresh.check_index_url(index_url)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--index-url") from None
    techs, unknown = refresh.technologies(slugs)
    if unknown:
        raise click.BadParameter(f"not in the catalog: {', '.join(unknown)}", param_hint="SLUG")
    for tech in techs:
        if slugs and not tech.package:
            click.echo(f"{tech.slug}: no package, so no registry facts to refresh", err=True)
    report = refresh.refresh(techs, index_url, timeout, actor=actor)
    db.session.commit()
    slugs_of: dict[str, list[str]] = {}
    for tech in techs:
        if tech.package:
            slugs_of.setdefault(tech.package, []).append(tech.slug)
    for package, why in sorted(report.failed.items()):
        click.echo(f"{package} (for {', '.join(slugs_of[package])}): {why}; left as it was", err=True)
    fetched = len({t.package for t in techs if t.package}) - len(report.failed)
    click.echo(
        f"{len(report.updated)} updated, {report.unchanged} unchanged, {len(report.failed)} failed; "
        f"catalog version {report.version}"
    )
    if report.failed:
        if not fetched:
            click.echo("no package could be read; nothing was changed", err=True)
        sys.exit(1)


@click.command("recommend")
@with_appcontext
@click.argument("file", type=click.File("r"))
@click.option("--top", default=5, show_default=True, help="How many stacks.")
def recommend_command(file, top: int) -> None:
    """Read constraints JSON (- for stdin) and print the result JSON (not saved)."""
    from advisor.engine import ConstraintError, recommend

    try:
        raw = json.load(file)
    except json.JSONDecodeError as err:
        click.echo(json.dumps({"errors": {"_schema": [f"Not valid JSON: {err}"]}}), err=True)
        sys.exit(2)
    try:
        result = recommend(service.snapshot(), raw, k=top)
    except ConstraintError as err:
        body = {"errors": err.errors, **({"suggestions": err.suggestions} if err.suggestions else {})}
        click.echo(json.dumps(body, indent=2), err=True)
        sys.exit(1)
    click.echo(json.dumps(result, indent=2))
