terraform {
  # iacm-lint: ignore state locking is provided by the wrapper
  backend "s3" {
    bucket = "acme-tfstate-dev"
    key    = "envs/dev/terraform.tfstate"
    region = "eu-west-1"
  }
}
