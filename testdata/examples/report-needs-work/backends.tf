# Existing S3 state, shared with the old Jenkins job until the cut-over.
terraform {
  backend "s3" {
    bucket         = "payments-tfstate-eu"
    key            = "payments/staging/terraform.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "payments-tf-locks"
  }
}
