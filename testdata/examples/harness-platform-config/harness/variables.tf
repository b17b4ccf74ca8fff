variable "org_id" {
  type    = string
  default = "default"
}

variable "project_id" {
  type    = string
  default = "platform"
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "tofu_version" {
  description = "OpenTofu release every workspace runs."
  type        = string
  default     = "1.8.8"
}
