provider "aws" {
  region     = var.region
  access_key = var.access_key
  secret_key = data.vault_generic_secret.aws.data["secret_key"]
  token      = sensitive(var.session_token)
}

provider "google" {
  credentials = file("${path.module}/account.json")
}
