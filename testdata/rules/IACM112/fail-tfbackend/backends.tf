terraform {
  backend "s3" {
    region         = "us-east-1"
    dynamodb_table = "acme-platform-tf-locks"
    encrypt        = true
  }
}
