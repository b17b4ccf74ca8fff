terraform {
  backend "s3" {
    bucket       = "acme-platform-tfstate"
    key          = "network/terraform.tfstate"
    region       = "us-east-1"
    encrypt      = true
    use_lockfile = true # Terraform >= 1.10 only: IACM306's finding, not an unknown argument
  }
}
