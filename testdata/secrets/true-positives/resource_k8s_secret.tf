resource "kubernetes_secret" "registry" {
  metadata {
    name      = "registry"
    namespace = "ci"
  }
  data = {
    username = "robot"
    password = "dEaKn7-36ejao!"
  }
}
