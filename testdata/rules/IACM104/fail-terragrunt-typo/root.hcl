remote_state {
  backend = "s3"
  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
  }
  config = {
    bucket                 = "acme-tf-state"
    key                    = "${path_relative_to_include()}/terraform.tfstate"
    region                 = "us-east-1"
    encrypt                = true
    use_lockfile           = true
    skip_bucket_versioning = false
    skip_bucket_versoning  = false
    dynamodb_tabel         = "locks"
  }
}
