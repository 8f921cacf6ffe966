"""Every model, imported in one place so that Alembic and the app see the whole schema."""

from advisor.admin.models import User
from advisor.catalog.models import (
    AuditEntry,
    CatalogState,
    CompatibilityRule,
    Technology,
    TechnologyCapability,
    TechnologySlot,
    Tradeoff,
)
from advisor.radar.models import RadarEdition, RadarEditionEntry
from advisor.results.models import SavedResult

__all__ = [
    "AuditEntry",
    "CatalogState",
    "CompatibilityRule",
    "RadarEdition",
    "RadarEditionEntry",
    "SavedResult",
    "Technology",
    "TechnologyCapability",
    "TechnologySlot",
    "Tradeoff",
    "User",
]
