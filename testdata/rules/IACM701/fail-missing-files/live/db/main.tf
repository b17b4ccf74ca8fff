variable "app_id" {
  type = string
}
