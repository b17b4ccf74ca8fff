resource "aws_s3_bucket" "artifacts" {
  bucket = "acme-${var.environment}-artifacts"
}
