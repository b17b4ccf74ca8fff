variable "admin_password" {
  description = "The password for the admin user; set it as a Harness secret."
  type        = string
  sensitive   = true
}

output "password_hint" {
  value = "Stored in Vault under secret/prod/db"
}
