include "root" {
  path = find_in_parent_folders("root.hcl")
}

dependency "secrets" {
  config_path = "../secrets"
  mock_outputs = {
    db_password = "mock-password-123"
  }
}

inputs = {
  db_password        = dependency.secrets.outputs.db_password
  api_token          = get_env("API_TOKEN")
  db_password_arn    = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db"
  db_password_length = 24
}
