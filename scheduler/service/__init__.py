"""The shared service (`jointtrack serve`): every agency's requests and every campaign's schedules
in one database, behind a token-secured JSON API and server-rendered pages (docs/design.md: Service).

A stage above the workflows: it plans through `scheduler.api` in a separate process and stores
what the planner writes; nothing below it imports it.
"""
