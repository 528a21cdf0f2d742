"""The service's routes, one module per resource; `pages/` holds the server-rendered pages."""
