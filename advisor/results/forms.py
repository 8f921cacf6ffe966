"""Forms of the result pages."""

from flask_wtf import FlaskForm


class RerunForm(FlaskForm):
    """Re-running a result takes no input; the form carries the CSRF token."""
