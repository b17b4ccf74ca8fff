variable "db_connection" {
  type      = string
  sensitive = true
  default   = "MpE7fNXEemSEYEeQsKyK0ca9"
}
