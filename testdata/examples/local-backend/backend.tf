# Added to inspect the state on a laptop before onboarding; committed by
# mistake. Harness would run with this local state instead of S3.
terraform {
  backend "local" {
    path = "terraform.tfstate"
  }
}
