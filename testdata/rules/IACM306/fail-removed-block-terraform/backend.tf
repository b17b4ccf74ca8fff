terraform {
  backend "s3" {
    bucket         = "acme-tfstate"
    key            = "app/terraform.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "acme-tflock"
    encrypt        = true
  }
}
