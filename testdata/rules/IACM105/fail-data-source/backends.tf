terraform {
  backend "s3" {
    bucket         = "acme-platform-tfstate"
    key            = "network/terraform.tfstate"
    region         = data.aws_region.current.name
    encrypt        = true
    dynamodb_table = "acme-platform-tf-locks"
  }
}

data "aws_region" "current" {}
