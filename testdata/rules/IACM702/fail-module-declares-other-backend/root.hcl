remote_state {
  backend = "gcs"
  config = {
    bucket = "acme-tf-state"
    prefix = path_relative_to_include()
  }
}

terraform {
  source = "${get_repo_root()}//modules/app"
}
