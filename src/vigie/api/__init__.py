"""The JSON API of `vigie serve` (FastAPI): routes, request parameters, schemas, ingestion, limits.

The application itself (API + pages) is assembled in `vigie.app.create_app`.
"""
