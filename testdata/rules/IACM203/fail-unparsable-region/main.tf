terraform {
  required_version = ">= 1.6.0"
}

provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAEUWXIL12XSH5D74I"
  secret_key = "q7Vd0sPz3LmXw9RkT2bYhN8cJf4GaE1uKoW6iBnZ
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}
