provider "postgresql" {
  host     = "db.acme.internal"
  port     = 5432
  username = "tf_admin"
  password = "LdIl6G-Fzim1o!"
  sslmode  = "require"
}
