# Local experiments only: replaces the S3 backend at init.
terraform {
  backend "local" {
    path = "local.tfstate"
  }
}
