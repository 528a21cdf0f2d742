"""Workflows: the pipeline end to end. `plan` (scenario → view periods → problem → solution →
tables and files), `repair` (re-plan after an event with minimal change) and `sweep` (what-if
variants on Dask); each calls the one solver interface."""
