terraform {
  required_version = ">= 1.6.0"

  backend "s3" {
    bucket       = "acme-tfstate"
    key          = "network/prod.tfstate"
    region       = "us-east-1"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region = "us-east-1"
}

module "network" {
  source     = "../../modules/network"
  cidr_block = "10.20.0.0/16"
}
