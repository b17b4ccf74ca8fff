# A secret-named variable: its entries are judged by their names, else as secrets.
db_credentials = {
  username = "orders"
  password = "Xk9#mQ2v!pLr"
}

# A sensitive variable: every string entry is a credential.
connection = {
  token = "qT7zV2nB8xLw4kR"
}

# Any other map: only password entries are judged.
mssql_servers = {
  sql1 = {
    administrator_login          = "sqladmin"
    administrator_login_password = "@dm1nu53r-Q4"
    resource_group_key           = "sql_region1"
  }
}

# A dictionary word is a weak literal password once it is deployed.
db_password = "password"
