# Existing remote state, used by the Harness IaCM workspace as is
# ("Use Existing Remote State"). Credentials come from the workspace's
# environment variables, never from this file.
terraform {
  backend "s3" {
    bucket         = "acme-platform-tfstate"
    key            = "network/prod/terraform.tfstate"
    region         = "us-east-1"
    encrypt        = true
    dynamodb_table = "acme-platform-tf-locks"
  }
}
