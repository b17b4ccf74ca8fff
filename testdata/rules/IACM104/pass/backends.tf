terraform {
  backend "s3" {
    bucket               = "acme-platform-tfstate"
    key                  = "network/terraform.tfstate"
    region               = "us-east-1"
    encrypt              = true
    dynamodb_table       = "acme-platform-tf-locks"
    workspace_key_prefix = "workspaces"
    force_path_style     = false # deprecated in favour of use_path_style, still valid

    assume_role = {
      role_arn     = "arn:aws:iam::123456789012:role/terraform-state"
      session_name = "harness-iacm"
    }
  }
}
