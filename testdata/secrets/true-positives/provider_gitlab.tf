provider "gitlab" {
  base_url = "https://gitlab.acme.io/api/v4"
  token    = "glpat-XUMGmTtfc6y_xI25MTL3"
}
