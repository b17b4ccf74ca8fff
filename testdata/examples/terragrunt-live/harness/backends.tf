terraform {
  required_version = ">= 1.10.0"
  required_providers {
    harness = {
      source  = "harness/harness"
      version = "~> 0.41"
    }
  }
  backend "s3" {
    bucket       = "acme-harness-tf-state"
    key          = "harness/terraform.tfstate"
    region       = "us-east-1"
    encrypt      = true
    use_lockfile = true
  }
}
