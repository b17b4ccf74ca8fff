terraform {
  required_version = ">= 1.6.0"
}

provider "mysql" {
  endpoint = "db.internal:3306"
  username = "root"
  password = "password"
}
