variable "keyvault_client_secret" {
  type    = string
  default = "aadapp-payments-api-level0"
}

variable "storage_account_key" {
  type    = string
  default = "diaglogs_region1"
}

variable "github_app_secret" {
  type    = string
  default = "org_github_app_json"
}
