"""The service's database: tables (`models`), engine and transactions (`session`), migrations,
and the store modules, the only code that writes (docs/design.md: Service tables)."""

from scheduler.service.db import proposal_models  # noqa: F401  (the negotiation's tables, on the same metadata)
