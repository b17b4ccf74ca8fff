resource "kubernetes_secret" "db" {
  metadata {
    name = "db"
  }
  data = {
    username = var.db_username
    password = random_password.db.result
  }
  type = "kubernetes.io/basic-auth"
}
