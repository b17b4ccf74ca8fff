resource "helm_release" "app" {
  name       = "app"
  repository = "https://charts.acme.io"
  chart      = "app"
  values = [<<-EOT
    replicaCount: 2
    existingSecret: app-credentials
    auth:
      existingSecretPasswordKey: password
  EOT
  ]
}
