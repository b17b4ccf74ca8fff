terraform {
  required_version = "~>1.5 || 1.6"
}

variable "tags" {
  type = map(string)
}
