variable "mssql_servers" {
  type = any
}

variable "db_password" {
  type = string
}
