variable "license" {
  type      = string
  sensitive = true
}
