terraform {
  required_version = ">= 1.8.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

variable "name" {
  type = string
}

variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_s3_bucket" "assets" {
  bucket = "acme-${var.name}-assets"
}
