provider "postgresql" {
  host     = "db.internal"
  username = "postgres"
  password = "postgres"
}

provider "mysql" {
  endpoint = "db.internal:3306"
  username = "root"
  password = "password"
}
