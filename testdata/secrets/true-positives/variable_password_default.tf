variable "db_password" {
  type    = string
  default = "P47YCt-e19kLh!"
}
