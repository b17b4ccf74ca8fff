ephemeral "random_password" "db" {
  length = 24
}
