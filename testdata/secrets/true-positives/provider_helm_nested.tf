provider "helm" {
  kubernetes {
    host     = "https://k8s.acme.io"
    username = "admin"
    password = "qWfX9M-wHOQ62!"
  }
}
