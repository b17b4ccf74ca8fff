terraform {
  required_version = ">= 1.8.0"

  # iacm-lint: ignore[IACM110] the org wrapper module creates the lock table before every run
  backend "s3" {
    bucket  = "acme-tfstate-prod"
    key     = "envs/prod/terraform.tfstate"
    region  = "eu-west-1"
    encrypt = true
  }
}
