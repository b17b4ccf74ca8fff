remote_state {
  backend = "gcs"
  config = {
    bucket = "acme-tf-state"
    prefix = path_relative_to_include()
  }
}
