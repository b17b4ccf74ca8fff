variable "db_password" {
  type      = string
  sensitive = true
}

variable "api_token" {
  type    = string
  default = ""
}

variable "password_length" {
  type    = number
  default = 24
}
