"""Problems of the environment a scan runs in, which the CLI reports as one
line (exit 2) rather than as an internal error. A leaf any layer may import."""


class EnvironmentProblem(Exception):
    """The importable `hcl2` package is not the python-hcl2 the parser needs
    (parse/envcheck.py: bc-python-hcl2 from checkov installed over it)."""
