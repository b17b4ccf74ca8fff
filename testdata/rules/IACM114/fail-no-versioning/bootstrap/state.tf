resource "aws_s3_bucket" "state" {
  bucket = "acme-platform-tfstate"

  tags = {
    Purpose = "terraform-state"
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket                  = aws_s3_bucket.state.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
