terraform {
  encryption {
    key_provider "pbkdf2" "main" {
      passphrase = var.state_passphrase
    }
  }
}

variable "state_passphrase" {
  type      = string
  sensitive = true
}
