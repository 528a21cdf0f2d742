"""`python -m scheduler`: the `jointtrack` command."""

from scheduler.cli.app import main

main()
