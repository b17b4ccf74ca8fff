terraform {
  required_version = ">= 1.8.0"
}

# iacm-lint: disable[IACM403] providers are pinned in the platform image
provider "aws" {
  region = "us-east-1"
}
