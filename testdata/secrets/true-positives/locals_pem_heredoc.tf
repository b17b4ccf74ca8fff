locals {
  deploy_material = <<-EOT
    -----BEGIN RSA PRIVATE KEY-----
    cvx7cmFj8JuGtBPZhxJQJ5WotHUr8JRuxabUviMz4Ek8z3BWT+OCHN/IjPqtecF4
    i9Kr/zFKXojcKucWLIo9Hw2vshtXsHdwSNFLULioammTMWZtOc0PX6zPRUOlTwDd
    VcqdMxbU496ETN7DSGWHxQZFw5WJSufu+RPqOGb5oKVQcOQp6OOWuj1DI0WzLoj3
    B4dPn8ICepyFXREvIs7+9mMUnVFIzUgTp1CJ5ixbWh0yISrVqTkb1b80ScoSJK2S
    -----END RSA PRIVATE KEY-----
  EOT
}
