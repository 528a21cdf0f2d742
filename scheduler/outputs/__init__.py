"""Outputs: what a plan produces for people and programs. The schedule table, the summary and
unsatisfied-request reports with their reasons, the cross-support ledger, the Gantt chart, the
exports (CSV, JSON, iCalendar, CCSDS Simple Schedule XML) and the atomic writing of every file
(docs/design.md: Outputs)."""
