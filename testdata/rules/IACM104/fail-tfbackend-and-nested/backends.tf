terraform {
  backend "s3" {
    bucket         = "acme-platform-tfstate"
    region         = "us-east-1"
    encrypt        = true
    dynamodb_table = "acme-platform-tf-locks"

    assume_role = {
      role_arn    = "arn:aws:iam::123456789012:role/terraform-state"
      external_ic = "harness"
    }
  }
}
