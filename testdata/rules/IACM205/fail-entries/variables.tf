variable "db_credentials" {
  type = map(string)
}

variable "connection" {
  type      = map(string)
  sensitive = true
}

variable "mssql_servers" {
  type = any
}

variable "db_password" {
  type = string
}
