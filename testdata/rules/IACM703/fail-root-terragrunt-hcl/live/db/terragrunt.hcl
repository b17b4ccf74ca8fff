include {
  path = find_in_parent_folders()
}

terraform {
  source = "git::https://github.com/acme/modules.git//service?ref=v1.2.0"
}
