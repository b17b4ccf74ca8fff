terraform {
  backend "s3" {
    bucket         = var.state_bucket
    key            = "network/terraform.tfstate"
    region         = "us-east-1"
    encrypt        = true
    dynamodb_table = "acme-platform-tf-locks"
  }
}
