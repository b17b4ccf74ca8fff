variable "database" {
  type = object({ username = string, password = string })
  default = {
    username = "app"
    password = "CD1fM2-WoldRq!"
  }
}
