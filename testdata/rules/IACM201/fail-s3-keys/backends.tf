terraform {
  backend "s3" {
    bucket         = "acme-tfstate"
    key            = "logs/terraform.tfstate"
    region         = "us-east-1"
    dynamodb_table = "tf-locks"
    encrypt        = true
    access_key     = "AKIAO22XRV8C29YSHHEV"
    secret_key     = "naRKInANq1eSsjJ+m5vb4GBXlWw9iYONymwpea8H"
  }
}
