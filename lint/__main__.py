"""`python -m iacm_lint` runs the `iacm-lint` command (same options, output
and exit codes; usage lines name it `iacm-lint`)."""

from .cli import main

if __name__ == "__main__":
    main(prog_name="iacm-lint")
