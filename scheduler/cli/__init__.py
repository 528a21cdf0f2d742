"""The command line: `jointtrack` and its commands, a thin layer over `scheduler.api` and the
workflows; every error becomes one line and an exit code."""
