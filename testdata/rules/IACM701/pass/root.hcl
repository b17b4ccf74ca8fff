locals {
  region  = read_terragrunt_config(find_in_parent_folders("region.hcl", "i_dont_exist.hcl"), { locals = { name = "us-east-1" } })
  globals = try(read_terragrunt_config(find_in_parent_folders("globals.hcl")), {})
  extra   = fileexists("extra.json") ? file("extra.json") : "{}"
  token   = can(file("token.txt")) ? "set" : "unset"
}

remote_state {
  backend = "s3"
  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
  }
  config = {
    bucket       = "acme-tf-state"
    key          = "${path_relative_to_include()}/terraform.tfstate"
    region       = local.region.locals.name
    encrypt      = true
    use_lockfile = true
  }
}
