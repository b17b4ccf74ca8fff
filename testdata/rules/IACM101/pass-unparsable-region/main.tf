# the backend may be in the block that does not parse: IACM000 reports it and says IACM101 was not checked
terraform {
  required_version = ">= 1.6.0"
  backend "s3" {
    bucket       = "acme-tf-state"
    key          = "iam/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
