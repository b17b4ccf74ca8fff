resource "aws_s3_bucket" "secrets" {
  bucket = "acme-secrets-archive"
  tags = {
    Secret      = "true"
    TokenOwner  = "platform-team"
    Password    = "rotated-quarterly"
  }
}
