terraform {
  backend "s3" {
    bucket         = "acme-platform-tfstate"
    key            = "network/terraform.tfstate"
    encrypt        = true
    dynamodb_table = "acme-platform-tf-locks"
  }
}
