terraform {
  required_version = ">= 1.6.0"
  backend "s3" {
    bucket       = "acme-tf-state"
    key          = "iam/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}

resource "aws_iam_policy" "deploy" {
  name   = "deploy"
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": []
}
POLICY_END
}

provider "aws" {
  region = "eu-west-1"
}
