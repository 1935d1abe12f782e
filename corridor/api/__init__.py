"""The REST API adapter (FastAPI) over :mod:`corridor.service`."""
