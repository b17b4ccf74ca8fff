provider "github" {
  owner = "acme"
  token = "ghp_HOEkiuf6srtBk5JLCKkfDXevgy7QMVmNiP3g"
}

provider "helm" {
  kubernetes {
    host     = "https://k8s.acme.io"
    username = "admin"
    password = "MsDQKB-IRVYyc!"
  }
}
