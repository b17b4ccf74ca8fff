variable "org_id" {
  type    = string
  default = "default"
}

variable "project_id" {
  type    = string
  default = "platform"
}

variable "tofu_version" {
  type    = string
  default = "1.9.1"
}
