terraform {
  backend "s3" {
    bucket         = "acme-platform-tfstate"
    key            = "harness/terraform.tfstate"
    region         = "us-east-1"
    encrypt        = true
    dynamodb_table = "acme-platform-tf-locks"
  }
}
