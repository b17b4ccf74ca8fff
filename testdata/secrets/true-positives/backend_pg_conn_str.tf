terraform {
  backend "pg" {
    conn_str = "postgres://terraform:bxtBetshRQNG3d@state-db.internal:5432/tfstate?sslmode=require"
  }
}
