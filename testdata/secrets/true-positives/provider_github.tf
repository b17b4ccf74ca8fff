provider "github" {
  owner = "acme"
  token = "ghp_OHZgO3IwAwufmcTZv6Alsau4ywWylEHwUwlC"
}
