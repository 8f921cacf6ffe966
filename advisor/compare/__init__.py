"""Technologies side by side (/compare?t=a&t=b): what the catalog knows of each, in one table."""

from flask import Blueprint

bp = Blueprint("compare", __name__)

from advisor.compare import routes
