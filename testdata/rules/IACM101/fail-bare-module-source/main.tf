terraform {
  required_version = ">= 1.6.0"

  backend "gcs" {
    bucket = "acme-tfstate"
    prefix = "app"
  }
}

# Terraform 0.11 style: a bare directory name
module "stage" {
  source = "stage"
  name   = "app"
}
