variable "org_id" {
  type    = string
  default = "default"
}

variable "project_id" {
  type    = string
  default = "platform"
}
