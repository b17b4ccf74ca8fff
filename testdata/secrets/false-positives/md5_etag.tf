resource "aws_s3_object" "index" {
  bucket = "acme-site"
  key    = "index.html"
  source = "site/index.html"
  etag   = "d41d8cd98f00b204e9800998ecf8427e"
  source_hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
}
