include "root" {
  path = find_in_parent_folders("root.hcl")
}

dependency "app" {
  config_path = "../application"
}

inputs = {
  app_id = dependency.app.outputs.id
}
