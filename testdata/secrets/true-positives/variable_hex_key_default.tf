variable "signing_key" {
  type    = string
  default = "9c4e1b7a2f3d8e6c0b5a4f9e8d7c6b5a4f3e2d1c"
}

variable "webhook_secret" {
  type    = string
  default = "x7fk2m9qpl3vz8w4"
}
