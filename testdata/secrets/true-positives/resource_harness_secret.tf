resource "harness_platform_secret_text" "gh" {
  identifier                = "gh_pat"
  name                      = "gh_pat"
  secret_manager_identifier = "harnessSecretManager"
  value_type                = "Inline"
  value                     = "72x2B5QrDz2CE8ZiC2N6mpSa7AfmLfWxXdCYfWhz"
}
