"""Flask CLI: `flask --app advisor radar publish`."""

from __future__ import annotations

import click

from advisor.extensions import db
from advisor.radar import bp, service


@bp.cli.command("publish")
@click.option("--actor", default="cli", show_default=True, help="Who the audit log names.")
def publish_command(actor: str) -> None:
    """Publish the live radar as the next edition (audited)."""
    try:
        edition = service.publish(actor)
        db.session.commit()
    except service.EditionConflict as err:
        raise click.ClickException(f"edition {err.args[0]} was published meanwhile; run it again") from None
    moved = {kind: sum(1 for e in edition.entries if e.moved == kind) for kind in ("in", "up", "down")}
    click.echo(
        f"published radar edition {edition.number}: {len(edition.entries)} entries, "
        f"{moved['in']} new, {moved['up']} up, {moved['down']} down "
        f"(catalog version {edition.catalog_version})"
    )
