# iacm-lint in a container, for CI images (README, "Use in CI"):
#
#   docker build -t iacm-lint .
#   docker run --rm -v "$PWD:/src" iacm-lint            # = iacm-lint check .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/src" iacm-lint check . --format sarif -o iacm-lint.sarif
#
# (--user: to write a report into the mounted directory as its owner.)
#
# The image holds iacm-lint alone, in its own environment: no checkov or other
# tool shares its `hcl2` package.

# ---- build the wheel --------------------------------------------------------
FROM python:3.12-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /build
COPY pyproject.toml README.md LICENSE MANIFEST.in ./
COPY lint/ lint/
COPY rules/ rules/
RUN pip wheel --no-deps --wheel-dir /wheels .

# ---- run time ---------------------------------------------------------------
FROM python:3.12-slim
LABEL org.opencontainers.image.title="iacm-lint" \
      org.opencontainers.image.description="Static analysis for Terraform/OpenTofu repositories and Harness pipelines before onboarding to Harness IaCM" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1

# git: iacm-lint asks git which files are tracked and ignored (committed state
# and plan files, IACM4xx). The mounted repository belongs to another user, so
# git would refuse it as a "dubious ownership" directory without safe.directory.
# Debian's git is not pinned: a pinned version disappears from the mirror.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends git \
 && rm -rf /var/lib/apt/lists/* \
 && git config --system --add safe.directory '*'

COPY --from=build /wheels /tmp/wheels
RUN pip install /tmp/wheels/*.whl && rm -rf /tmp/wheels

# An unprivileged user; the parse cache goes to its home (~/.cache/iacm-lint).
# Runs as any other uid too (`docker run --user "$(id -u)"`): a cache that
# cannot be written is skipped.
RUN useradd --create-home --uid 10001 --user-group iacm
USER 10001:10001

WORKDIR /src
ENTRYPOINT ["iacm-lint"]
CMD ["check", "."]
