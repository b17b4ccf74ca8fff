terraform {
  backend "s3" {
    bucket         = "acme-platform-tfstate"
    key            = "network/terraform.tfstate"
    region         = "us-east-1"
    kms_key_id     = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    dynamodb_table = "acme-platform-tf-locks"
  }
}
