resource "harness_platform_connector_github" "gh" {
  identifier = "github"
  name       = "github"
  url        = "https://github.com/acme"
  connection_type = "Account"
  credentials {
    http {
      username  = "acme-bot"
      token_ref = "account.gh_pat"
    }
  }
  api_authentication {
    token_ref = "account.gh_pat"
  }
}

resource "harness_platform_connector_docker" "hub" {
  identifier = "dockerhub"
  name       = "dockerhub"
  type       = "DockerHub"
  url        = "https://index.docker.io/v2/"
  credentials {
    username     = "acme"
    password_ref = "account.dockerhub_pw"
  }
}
