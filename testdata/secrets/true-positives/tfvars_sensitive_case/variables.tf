variable "db_connection" {
  type      = string
  sensitive = true
}
