"""Every table of the ledger: importing this module puts all model modules on one metadata.

Alembic's environment and the models-match-migrations test compare against ``metadata``; a new
model module is added to the import line below.
"""

from . import (  # noqa: F401  (imported for their tables)
    models,
    models_compliance,
    models_incentives,
    models_instructors,
    models_io,
    models_safety,
    models_tracking,
)
from .base import Base

metadata = Base.metadata
