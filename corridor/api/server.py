"""The application object uvicorn imports (``corridor serve`` sets its configuration in the
environment of the worker processes)."""

from __future__ import annotations

import os

from corridor.api.app import ApiConfig, create_app
from corridor.settings import Settings

app = create_app(
    os.environ.get("CORRIDOR_SERVE_DB") or Settings.from_env().db_url,
    ApiConfig(
        rate_limit=float(os.environ.get("CORRIDOR_SERVE_RATE", "500")),
        max_batch=int(os.environ.get("CORRIDOR_SERVE_BATCH", "1000")),
    ),
    warm=True,
)
