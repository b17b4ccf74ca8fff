terraform {
  backend "s3" {
    bucket         = "acme-sandbox-tfstate"
    key            = "network/terraform.tfstate"
    region         = "eu-west-1"
    encrypt        = true
    dynamodb_table = "acme-sandbox-tf-locks"
  }
}
