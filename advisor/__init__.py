"""Stack Advisor: recommends complete Python backend stacks from a team's constraints."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from advisor.config import from_environment

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app: environment config (overridden by `config`), extensions, blueprints, commands."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    from advisor.core.jsonio import OrjsonProvider

    app.json = OrjsonProvider(app)
    app.config.from_mapping(from_environment(app.instance_path))
    if config:
        app.config.update(config)
        if "SQLALCHEMY_DATABASE_URI" in config and "SQLALCHEMY_ENGINE_OPTIONS" not in config:
            from advisor.config import engine_options

            app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(config["SQLALCHEMY_DATABASE_URI"])
    register_extensions(app)
    register_security(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    return app


def register_template_helpers(app: Flask) -> None:
    from advisor.engine.maintenance import STATUS_LABELS
    from advisor.engine.vocabulary import CAPABILITY_LABELS, RATING_LABELS, SLOT_LABELS, TRADEOFF_LABELS

    @app.context_processor
    def _helpers() -> dict:
        # Every page names slots, ratings, capabilities and trade-offs in the vocabulary's words.
        return {
            "slot_labels": SLOT_LABELS,
            "status_labels": STATUS_LABELS,
            "rating_labels": RATING_LABELS,
            "capability_labels": CAPABILITY_LABELS,
            "tradeoff_labels": TRADEOFF_LABELS,
        }


def register_extensions(app: Flask) -> None:
    from advisor import models  # noqa: F401  (the whole schema, for Alembic and relationships)
    from advisor.core.database import configure_engine_events, register_session_teardown
    from advisor.extensions import csrf, db, htmx, limiter, login_manager, migrate

    db.init_app(app)
    register_session_teardown(app, db)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    from advisor.core.redisconn import configure as configure_redis

    configure_redis(app)
    limiter.init_app(app)
    with app.app_context():
        configure_engine_events(db.engine)


def register_security(app: Flask) -> None:
    from advisor.core.security import register_security as register

    register(app)


def register_blueprints(app: Flask) -> None:
    from advisor import admin, api, catalog, compare, core, feeds, home, radar, results, wizard

    app.register_blueprint(core.bp)
    app.register_blueprint(home.bp)
    app.register_blueprint(catalog.bp, url_prefix="/catalog")
    app.register_blueprint(wizard.bp, url_prefix="/wizard")
    app.register_blueprint(results.bp, url_prefix="/r")
    app.register_blueprint(admin.bp, url_prefix="/admin")
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    app.register_blueprint(compare.bp, url_prefix="/compare")
    app.register_blueprint(radar.bp, url_prefix="/radar")
    app.register_blueprint(feeds.bp, url_prefix="/feeds")


def register_errorhandlers(app: Flask) -> None:
    from advisor.core.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from advisor.admin import commands as admin_commands
    from advisor.catalog import commands as catalog_commands

    catalog_commands.register(app)
    admin_commands.register(app)
