resource "vault_token_auth_backend_role" "ci" {
  role_name        = "ci"
  token_ttl        = "1h"
  token_max_ttl    = "4h"
  token_policies   = ["default", "ci"]
  token_type       = "service"
  token_num_uses   = 0
}
