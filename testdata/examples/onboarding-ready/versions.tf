# Read by Terraform (Harness supports Terraform up to 1.5.x) and by
# OpenTofu 1.6-1.7. OpenTofu 1.8+ reads versions.tofu instead.
terraform {
  required_version = "~> 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
}
