variable "org_id" {
  type    = string
  default = "default"
}

variable "project_id" {
  type    = string
  default = "platform"
}

variable "workspace" {
  type    = string
  default = "network"
}
