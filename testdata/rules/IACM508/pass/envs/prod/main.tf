terraform {
  required_version = ">= 1.6.0"
  backend "s3" {
    bucket       = "acme-tfstate-prod"
    key          = "network/prod.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}
