variable "policy" {
  type = string
}
