variable "db_password" {
  type      = string
  sensitive = true
  default   = "z5MQCj-TYNWlj!"
}

variable "connection" {
  type      = string
  sensitive = true
  default   = "TjaKaB2F2I3RfLlQl5yDOgv1"
}

variable "smtp" {
  default = {
    host     = "smtp.acme.io"
    password = "YRb6J2-IxrS5h!"
  }
}
