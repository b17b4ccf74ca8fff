variable "x" {
  default = "café"
}
