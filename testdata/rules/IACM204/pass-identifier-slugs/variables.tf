# Names of Key Vault secrets and keys into other maps: identifiers, not secrets.
variable "keyvault_client_secret" {
  type    = string
  default = "aadapp-payments-api-level0"
}

variable "storage_account_key" {
  type    = string
  default = "diaglogs_region1"
}

variable "cluster_token" {
  type    = string
  default = "k8s-prod-eu.west/ingest-v2"
}

# Marker defaults that stand for "no value given".
variable "client_secret" {
  type    = string
  default = "pleasesetthisvalue"
}

variable "admin_password" {
  type    = string
  default = "requiredbutmissing"
}

# A dictionary word in a default is a placeholder.
variable "db_password" {
  type    = string
  default = "password"
}

# Names of SSM parameters that hold the secrets.
variable "ssm_github_api_key" {
  type    = string
  default = "/argocd/github/api_key"
}

variable "ssm_path_format_api_key" {
  type    = string
  default = "/grafana/%s/api_key"
}
