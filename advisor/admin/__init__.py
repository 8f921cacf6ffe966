"""Curator admin: log in, edit the catalog through forms (audited, versioned), manage curators."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from advisor.admin import accounts, auth, editions, routes  # views and the Flask-Login set-up

bp.before_request(auth.guard_admin_request)
bp.after_request(auth.no_store)
