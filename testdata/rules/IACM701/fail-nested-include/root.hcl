include "base" {
  path = "base.hcl"
}

remote_state {
  backend = "gcs"
  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
  }
  config = {
    bucket = "acme-tf-state"
    prefix = path_relative_to_include()
  }
}
