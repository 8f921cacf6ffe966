"""The recommendation engine: pure Python, no Flask and no database.

A `Catalog` snapshot and validated constraints go in; ranked, explained stacks come out.
"""

from advisor.engine.catalog import Catalog, Rule, Tech
from advisor.engine.constraints import ConstraintError, validate_constraints
from advisor.engine.recommend import recommend

__all__ = ["Catalog", "ConstraintError", "Rule", "Tech", "recommend", "validate_constraints"]
