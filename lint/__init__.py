"""iacm-lint: static analysis for Terraform/OpenTofu repositories and Harness
pipelines before onboarding to Harness IaCM."""

# The one place the version is written (pyproject.toml reads it from here).
# A literal rather than importlib.metadata.version(): that import alone cost
# ~25 ms of every run's start-up, a fifth of a cached scan (issue 10).
__version__ = "0.1.0"
