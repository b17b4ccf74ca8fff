remote_state {
  backend = "remote"
  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
  }
  config = {
    organization = "acme"
    workspaces = {
      name = "app"
    }
  }
}
