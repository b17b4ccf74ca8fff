check "bucket_named" {
  assert {
    condition     = aws_s3_bucket.artifacts.bucket != ""
    error_message = "The bucket needs a name."
  }
}
