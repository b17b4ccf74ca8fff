resource "kubernetes_deployment" "app" {
  metadata {
    name = "app"
  }
  spec {
    template {
      spec {
        container {
          name  = "app"
          image = "acme/app:1.0"
          env {
            name = "DB_PASSWORD"
            value_from {
              secret_key_ref {
                name = "db"
                key  = "password"
              }
            }
          }
        }
      }
    }
  }
}
