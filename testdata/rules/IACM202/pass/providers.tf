provider "aws" {
  region = "us-east-1"
  assume_role {
    role_arn = "arn:aws:iam::123456789012:role/deployer"
  }
}

provider "github" {
  owner = "acme"
  token = var.github_token
}
