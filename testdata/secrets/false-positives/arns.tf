provider "aws" {
  region = "us-east-1"
  assume_role {
    role_arn     = "arn:aws:iam::123456789012:role/terraform-deployer"
    session_name = "harness"
  }
}

resource "aws_db_instance" "main" {
  identifier                    = "main"
  kms_key_id                    = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  master_user_secret_kms_key_id = "alias/rds"
  manage_master_user_password   = true
}
