"""iacm-lint: static analysis for Terraform/OpenTofu repositories and Harness
pipelines before onboarding to Harness IaCM."""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("iacm-lint")
except _metadata.PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+source"
