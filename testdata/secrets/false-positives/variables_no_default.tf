variable "db_password" {
  type      = string
  sensitive = true
}

variable "api_token" {
  type    = string
  default = null
}

variable "client_secret" {
  type    = string
  default = ""
}

variable "password_length" {
  type    = number
  default = 20
}

variable "token_ttl" {
  type    = string
  default = "30m"
}
