terraform {
  backend "s3" {
    bucket         = "acme-platform-tfstate"
    region         = "us-east-1"
    encrypt        = true
    dynamodb_table = "acme-platform-tf-locks"
  }
}
