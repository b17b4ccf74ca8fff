variable "storage_account_key" {
  type = string
}

variable "keyvault_client_secret" {
  type = string
}

variable "virtual_machines" {
  type = any
}

variable "diagnostics_destinations" {
  type = any
}
