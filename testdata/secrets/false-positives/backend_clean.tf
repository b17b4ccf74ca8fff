terraform {
  backend "s3" {
    bucket         = "acme-secrets-tfstate"
    key            = "secrets/prod/terraform.tfstate"
    region         = "us-east-1"
    profile        = "prod"
    dynamodb_table = "tf-locks"
    kms_key_id     = "alias/terraform"
    encrypt        = true
  }
}
