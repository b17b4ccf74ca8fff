provider "mysql" {
  endpoint = "mysql.acme.internal:3306"
  username = "root"
  password = "LECtgX-DLUX0r!"
}
