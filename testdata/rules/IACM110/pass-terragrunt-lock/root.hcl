remote_state {
  backend = "s3"
  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
  }
  config = {
    bucket     = "acme-tf-state"
    key        = "${path_relative_to_include()}/terraform.tfstate"
    region     = "us-east-1"
    encrypt    = true
    lock_table = "acme-tf-locks"
  }
}
