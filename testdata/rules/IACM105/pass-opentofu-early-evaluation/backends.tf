terraform {
  backend "s3" {
    bucket         = "acme-platform-tfstate"
    key            = "network/${var.environment}/terraform.tfstate"
    region         = var.region
    encrypt        = true
    dynamodb_table = local.lock_table
  }
}

locals {
  lock_table = "acme-platform-tf-locks"
}
