# This root is checked by iacm-lint: see docs/onboarding.md for the rules.
module "bucket" {
  source = "../../modules/bucket"
  name   = "acme-assets-prod"
}

// iacm-lint: ignore[IACM403] the lock file is generated in the pipeline's init step
locals {
  owner = "platform"
}
