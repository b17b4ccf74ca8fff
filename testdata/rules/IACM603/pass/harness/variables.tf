variable "org_id" {
  type    = string
  default = "default"
}

variable "project_id" {
  type    = string
  default = "platform"
}

variable "db_password_secret_ref" {
  type    = string
  default = "org.platform_db_password"
}
