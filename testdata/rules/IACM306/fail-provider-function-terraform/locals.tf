locals {
  bucket_arn = "arn:aws:s3:::acme-${var.environment}-artifacts"
  account_id = provider::aws::arn_parse(local.bucket_arn).account_id
}
