terraform {
  backend "s3" {
    bucket         = "acme-tfstate"
    key            = "logs/terraform.tfstate"
    region         = "us-east-1"
    dynamodb_table = "tf-locks"
    encrypt        = true
  }
}
