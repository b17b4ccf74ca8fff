terraform {
  required_version = ">= 1.6.0"
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
  bucket = "acme-logs-2"
}
