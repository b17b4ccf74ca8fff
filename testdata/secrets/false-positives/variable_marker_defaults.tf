variable "client_id" {
  type    = string
  default = "pleasesetthisvalue"
}

variable "client_secret" {
  type    = string
  default = "pleasesetthisvalue"
}

variable "admin_password" {
  type    = string
  default = "requiredbutmissing"
}

variable "db_password" {
  type    = string
  default = "password"
}
