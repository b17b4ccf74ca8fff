mssql_servers = {
  sql1 = {
    administrator_login          = "sqladmin"
    administrator_login_password = "@dm1nu53r-Q4"
  }
}
db_password = "test"
