resource "aws_s3_bucket_versioning" "logs" {
  bucket = "acme-logs"
  versioning_configuration {
    status = "Enabled"}
}
