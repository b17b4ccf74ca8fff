# Existing remote state; the Harness workspace supplies AWS credentials
# through its connector.
terraform {
  backend "s3" {
    bucket         = "acme-platform-tfstate"
    key            = "database/prod/terraform.tfstate"
    region         = "us-east-1"
    encrypt        = true
    dynamodb_table = "acme-platform-tf-locks"
  }
}
